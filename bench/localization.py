"""How a film's localization cost grows with film length and number of languages.

One run, on films generated here (testsrc2 picture, English espeak-ng dialogue spoken
every few seconds), through the real pipeline of dastan.localization on a fresh SQLite
node: speech recognition (faster-whisper base, int8, 2 threads) → subtitles to the
style profile → per target language: translation route (a human task where no engine
exists), QC, approval, publishing into HLS (a new stream version; video untouched).

Usage: python bench/localization.py [--minutes 1 2 4] [--languages 1 5 10]
Prints seconds per stage, seconds per minute of film, and the growth ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dastan.ffmpeg import base_args  # after the path holds this checkout

TARGETS = ["ru", "kk", "hi", "zh-Hans", "fa", "uz", "ky", "tg", "be", "ur"]
SENTENCES = ["The caravan reached the city at dawn.", "Nobody expected the rain to stop so soon.",
             "My grandfather planted these trees with his own hands.", "We will talk to them tomorrow."]


def make_film(path: Path, minutes: float, work: Path) -> None:
    seconds = int(minutes * 60)
    parts, t = [], 0.0
    while t < seconds - 4:
        wav = work / f"line{len(parts)}.wav"
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(wav), SENTENCES[len(parts) % 4]], check=True)
        parts.append((t, wav))
        t += 5.0
    inputs = [arg for _, wav in parts for arg in ("-i", str(wav))]
    delays = ";".join(f"[{i + 1}:a]adelay={int(at * 1000)}|{int(at * 1000)}[a{i}]" for i, (at, _) in enumerate(parts))
    mix = "".join(f"[a{i}]" for i in range(len(parts))) + f"amix=inputs={len(parts)}:normalize=0,apad[aout]"
    subprocess.run([*base_args(), "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=25:duration={seconds}",
                    *inputs, "-filter_complex", f"{delays};{mix}", "-map", "0:v", "-map", "[aout]",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-metadata:s:a:0", "language=eng",
                    "-t", str(seconds), str(path)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[1, 2, 4])
    parser.add_argument("--languages", type=int, nargs="+", default=[1, 5, 10])
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dastan-bench-loc-"))
    os.environ.update(DASTAN_HOME=str(home), DASTAN_JOBS_DISPATCH="none", DJANGO_SETTINGS_MODULE="dastan.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from dastan.accounts.models import Membership
    from dastan.catalog.models import Organisation, Title
    from dastan.jobs.services import run_queued_jobs
    from dastan.localization import publishing, review, selectors, sources, translation
    from dastan.media.services import submit_ingest

    call_command("migrate", verbosity=0)
    studio = Organisation.objects.create(name="Bench", slug="bench", kind="studio", country="KZ")
    reviewer = User.objects.create_user(username="reviewer", password="x" * 12)
    Membership.objects.create(user=reviewer, organisation=studio, role="reviewer")
    translator = User.objects.create_user(username="translator", password="x" * 12)
    Membership.objects.create(user=translator, organisation=studio, role="translator")

    # Warm up once: model load and the engines' self-tests are start-up costs, reported apart.
    t_warm = time.perf_counter()
    from dastan.localization.engines.registry import find_translation_route, get_transcriber

    clip = home / "warm.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(clip), "Warming up."], check=True)
    get_transcriber().transcribe(audio=clip, language="en")
    for language in TARGETS:
        find_translation_route("en", language)
    print(f"start-up (model load, engine self-tests): {time.perf_counter() - t_warm:.1f} s\n")
    print(f"{'film':>6} {'langs':>5} {'ASR s':>7} {'ASR ×rt':>7} {'per-language s':>15} {'total s':>8} {'s per film-min':>14}")
    rows = []
    for minutes in args.minutes:
        for n in args.languages:
            slug = f"bench-{minutes:g}m-{n}"
            title = Title.objects.create(slug=slug, original_language="en", country_of_origin="KZ", owner=studio)
            film = home / f"{slug}.mp4"
            make_film(film, minutes, home)
            submit_ingest(title=title, path=film)
            run_queued_jobs(worker="bench")
            t0 = time.perf_counter()
            source = sources.transcribe_title(title=title, language="en")
            review.approve_track(track=source, reviewer=reviewer, override_reason="bench: timing run")
            t_asr = time.perf_counter() - t0
            t1 = time.perf_counter()
            for language in TARGETS[:n]:
                track = translation.translate_track(source_track=source, target_language=language)
                if track.state == "awaiting_translator":  # a person's work: its text stands in here
                    texts = [c.text for c in source.cues.all()]
                    track = translation.submit_human_translation(track=track, texts=texts, translator=translator)
                selectors.qc_for_track(track=track)
                track = review.approve_track(track=track, reviewer=reviewer, override_reason="bench: timing run")
                publishing.publish_track(track=track)
            t_lang = time.perf_counter() - t1
            total = t_asr + t_lang
            rows.append((minutes, n, t_asr, t_lang, total))
            print(f"{minutes:>5g}m {n:>5} {t_asr:>7.1f} {minutes * 60 / t_asr:>6.1f}x {t_lang:>15.1f} "
                  f"{total:>8.1f} {total / minutes:>14.1f}", flush=True)
    by = {(r[0], r[1]): r for r in rows}
    m0, m1 = min(args.minutes), max(args.minutes)
    n0, n1 = min(args.languages), max(args.languages)
    if m1 > m0:
        print(f"\nfilm {m0:g}→{m1:g} min ({m1 / m0:g}×): ASR time ×{by[(m1, n0)][2] / by[(m0, n0)][2]:.2f}")
    if n1 > n0:
        print(f"languages {n0}→{n1} ({n1 / n0:g}×): per-language stages ×{by[(m0, n1)][3] / by[(m0, n0)][3]:.2f}, "
              f"total ×{by[(m0, n1)][4] / by[(m0, n0)][4]:.2f}")
    print(f"\nreproduce: .venv/bin/python bench/localization.py --minutes {' '.join(f'{m:g}' for m in args.minutes)} "
          f"--languages {' '.join(str(n) for n in args.languages)}")


if __name__ == "__main__":
    main()
