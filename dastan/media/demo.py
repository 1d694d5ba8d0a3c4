"""The demo film: 24 s made here with ffmpeg's test picture and espeak-ng dialogue, ingested
and packaged through the job graph in this process, then given a machine voice-over and
two subtitle tracks through the same functions the localization app calls.

Safe to run again: a title that already has a stream is left as it is.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from dastan.catalog.models import Title
from dastan.jobs.models import Job, JobState
from dastan.media.ffmpeg import base_args
from dastan.media.models import Stream
from dastan.media.progress import follow_jobs
from dastan.media.renditions import add_audio_rendition, add_subtitle_rendition
from dastan.media.services import submit_ingest

DEMO_SECONDS = 24
# (start s, end s, Urdu original, English, Russian)
DIALOGUE = [
    (1.0, 6.0, "قافلہ صبح سویرے سمرقند پہنچا۔", "The caravan reached Samarkand at dawn.",
     "Караван пришёл в Самарканд на рассвете."),
    (8.0, 13.0, "یہ کہانی ہماری دادی سنایا کرتی تھیں۔", "Our grandmother used to tell this story.",
     "Эту историю рассказывала наша бабушка."),
    (15.0, 21.0, "آؤ، ہم اسے پھر سے سنائیں۔", "Come, let us tell it again.",
     "Давайте расскажем её снова."),
]
ESPEAK_VOICE = {"ur": "ur", "en": "en", "ru": "ru"}


def demo_title() -> Title:
    """A title whose slug starts with 'maula', else the first film, else a new one."""
    title = Title.objects.filter(slug__startswith="maula").first() or \
        Title.objects.filter(kind=Title.Kind.FILM).order_by("id").first()
    if title is None:
        title = Title.objects.create(slug="maula-demo", kind=Title.Kind.FILM, original_language="ur",
                                     country_of_origin="PK", year=2026)
    return title


def _spoken_track(folder: Path, language: str, column: int) -> Path:
    """One WAV of the film's length with each line spoken at its cue time."""
    inputs, filters = [], []
    for n, line in enumerate(DIALOGUE):
        wav = folder / f"{language}-{n}.wav"
        subprocess.run(["espeak-ng", "-v", ESPEAK_VOICE[language], "-s", "140", "-w", str(wav),
                        str(line[column])], check=True, capture_output=True)
        inputs += ["-i", str(wav)]
        filters.append(f"[{n}:a]aresample=48000,adelay={int(line[0] * 1000)}:all=1[d{n}]")
    mix = "".join(f"[d{n}]" for n in range(len(DIALOGUE)))
    graph = ";".join([*filters, f"{mix}amix=inputs={len(DIALOGUE)}:normalize=0,apad[out]"])
    out = folder / f"{language}.wav"
    subprocess.run([*base_args(), *inputs, "-filter_complex", graph, "-map", "[out]",
                    "-t", str(DEMO_SECONDS), str(out)], check=True, capture_output=True)
    return out


def _film(folder: Path) -> Path:
    ur, en = _spoken_track(folder, "ur", 2), _spoken_track(folder, "en", 3)
    out = folder / "demo-film.mp4"
    subprocess.run([
        *base_args(), "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={DEMO_SECONDS}",
        "-i", str(ur), "-i", str(en), "-map", "0:v", "-map", "1:a", "-map", "2:a",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "192k", "-metadata:s:a:0", "language=urd",
        "-metadata:s:a:1", "language=eng", "-t", str(DEMO_SECONDS), str(out)],
        check=True, capture_output=True)
    return out


def _vtt(folder: Path, language: str, column: int) -> Path:
    from dastan.media.thumbnails import vtt_timestamp

    lines = ["WEBVTT", ""]
    for start, end, *texts in DIALOGUE:
        lines += [f"{vtt_timestamp(start)} --> {vtt_timestamp(end)}", str(texts[column - 2]), ""]
    path = folder / f"{language}.vtt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _line(out: TextIO) -> Callable[[list[Job]], None]:
    last: dict[int, tuple[int, str]] = {}  # job id → (progress, state) last printed

    def report(rows: list[Job]) -> None:
        for row in rows:
            now = (row.progress, row.state)
            if last.get(row.pk) != now and (row.progress % 25 == 0 or row.is_finished):
                out.write(f"  {row.kind:16} {row.progress:3d}%  {row.message}\n")
                out.flush()
            last[row.pk] = now
    return report


def load_demo(out: TextIO) -> None:
    title = demo_title()
    if Stream.objects.filter(title=title).exists():
        out.write(f"Media: '{title.slug}' already has a stream; kept.\n")
        return
    out.write(f"Media: making a {DEMO_SECONDS} s demo film for '{title.slug}' and packaging it…\n")
    with tempfile.TemporaryDirectory(prefix="dastan-demo-") as tmp:
        folder = Path(tmp)
        source = _film(folder)
        jobs = submit_ingest(title=title, path=source, filename="demo-film.mp4")
        rows = follow_jobs([j.pk for j in jobs], report=_line(out))
        failed = [r for r in rows if r.state != JobState.SUCCEEDED]
        if failed:
            out.write(f"Media: the demo film was not published: {failed[0].error_message} "
                      f"{failed[0].error_hint}\n")
            return
        ru = _spoken_track(folder, "ru", 4)
        add_audio_rendition(title=title, language="ru", audio_file=ru, kind="voice-over",
                            provenance={"engine": "espeak-ng", "model": "ru", "version": "1.51",
                                        "settings": {"speed_wpm": 140}})
        add_subtitle_rendition(title=title, language="en", vtt_file=_vtt(folder, "en", 3))
        version = add_subtitle_rendition(title=title, language="ru", vtt_file=_vtt(folder, "ru", 4),
                                         machine_made=True, label="machine-translated (demo)")
    out.write(f"Media: '{title.slug}' published as version {version.number}: "
              f"/media/watch/{title.slug}/\n")
