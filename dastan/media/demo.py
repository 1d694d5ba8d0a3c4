"""The demo film: a 23 s scene made here with ffmpeg's test picture and the script's Urdu
dialogue spoken by espeak-ng, ingested and packaged through the job graph in this
process. Its subtitles and voice-overs come from the localization demo, through review.

Safe to run again: a title that already has a stream is left as it is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from dastan import processes
from dastan.catalog.models import Title
from dastan.demo_script import FILM_DURATION_MS, SCRIPT, SOURCE_LANGUAGE
from dastan.ffmpeg import base_args
from dastan.jobs.models import Job, JobState
from dastan.jobs.progress import follow_jobs
from dastan.media.models import Stream
from dastan.media.services import submit_ingest

DEMO_TITLE = "noori-jatt"
DEMO_SECONDS = FILM_DURATION_MS // 1000


def demo_title() -> Title:
    """The catalog demo's Pakistani film (the script is a scene of it), else a 'maula…'
    title or the first film, else a new one."""
    title = Title.objects.filter(slug=DEMO_TITLE).first() or \
        Title.objects.filter(slug__startswith="maula").first() or \
        Title.objects.filter(kind=Title.Kind.FILM).order_by("id").first()
    if title is None:
        title = Title.objects.create(slug="maula-demo", kind=Title.Kind.FILM, original_language="ur",
                                     country_of_origin="PK", year=2026)
    return title


def _spoken_track(folder: Path, language: str) -> Path:
    """One WAV of the film's length with each line of the script spoken at its cue time."""
    inputs, filters = [], []
    for n, (start_ms, _end_ms, _speaker, texts) in enumerate(SCRIPT):
        wav = folder / f"{language}-{n}.wav"
        processes.run(["espeak-ng", "-v", language, "-s", "160", "-w", str(wav), texts[language]],
                      check=True, capture_output=True)
        inputs += ["-i", str(wav)]
        filters.append(f"[{n}:a]aresample=48000,adelay={start_ms}:all=1[d{n}]")
    mix = "".join(f"[d{n}]" for n in range(len(SCRIPT)))
    graph = ";".join([*filters, f"{mix}amix=inputs={len(SCRIPT)}:normalize=0,apad[out]"])
    out = folder / f"{language}.wav"
    processes.run([*base_args(), *inputs, "-filter_complex", graph, "-map", "[out]",
                   "-t", str(DEMO_SECONDS), str(out)], check=True, capture_output=True)
    return out


def _film(folder: Path) -> Path:
    """Test picture with the scene's Urdu dialogue, the film's original language."""
    ur = _spoken_track(folder, SOURCE_LANGUAGE)
    out = folder / "demo-film.mp4"
    processes.run([
        *base_args(), "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={DEMO_SECONDS}",
        "-i", str(ur), "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "192k", "-metadata:s:a:0", "language=urd",
        "-t", str(DEMO_SECONDS), str(out)],
        check=True, capture_output=True)
    return out


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
    version = Stream.objects.get(title=title).current
    out.write(f"Media: '{title.slug}' published as version {version.number}: "
              f"/media/watch/{title.slug}/\n")
