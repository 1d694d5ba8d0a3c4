"""Voice-track benchmark: seconds of processing per minute of film, per language.

    .venv/bin/python bench/voice.py --minutes 1 --languages 10

Measures (wall clock, this machine, nothing asserted):
1. each language rendered cold (empty cache) with the default engines
   (Piper for en, Festival for ru, espeak-ng for the rest);
2. how the total grows from 1 to 10 languages, all on espeak-ng;
3. after editing one cue (kk on espeak-ng, en on Piper, ru on Festival): naive (render
   everything again from an empty cache) against incremental (same cache: one cue
   spoken and fitted again, then the whole track mixed and normalized again).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

from dastan.ffmpeg import base_args
from dastan.localization.engines.espeak import EspeakNG
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.dub import DubReport, render_voice_track

LINES: dict[str, tuple[str, ...]] = {
    "en": ("Where were you last night?", "I was at the river.", "The fishermen came back.",
           "We leave tomorrow."),
    "ru": ("Где ты был вчера?", "Я был на реке.", "Рыбаки вернулись.", "Завтра мы уезжаем."),
    "kk": ("Кеше қайда болдың?", "Мен өзенде болдым.", "Балықшылар оралды.", "Ертең кетеміз."),
    "hi": ("कल तुम कहाँ थे?", "मैं नदी पर था।", "मछुआरे लौट आए।", "हम कल निकलेंगे।"),
    "zh-Hans": ("你昨晚去哪儿了？", "我在河边。", "渔民回来了。", "我们明天走。"),
    "ur": ("کل تم کہاں تھے؟", "میں دریا پر تھا۔", "مچھیرے لوٹ آئے۔", "ہم کل جائیں گے۔"),
    "fa": ("دیشب کجا بودی؟", "کنار رودخانه بودم.", "ماهیگیران برگشتند.", "فردا می‌رویم."),
    "uz": ("Kecha qayerda eding?", "Daryo bo'yida edim.", "Baliqchilar qaytishdi.",
           "Ertaga ketamiz."),
    "ky": ("Кечээ кайда болдуң?", "Мен дарыяда болдум.", "Балыкчылар кайтты.", "Эртең кетебиз."),
    "be": ("Дзе ты быў учора?", "Я быў на рацэ.", "Рыбакі вярнуліся.", "Заўтра мы едзем."),
}
CUE_EVERY_MS = 4000
CUE_LENGTH_MS = 3500


def make_cues(language: str, minutes: float) -> list[VoiceCue]:
    lines = LINES[language]
    n = int(minutes * 60_000 // CUE_EVERY_MS)
    cues = []
    for i in range(n):
        k = i // len(lines)
        text = f"{lines[i % len(lines)]} {lines[(i + k + 1) % len(lines)]}"
        start = 500 + i * CUE_EVERY_MS
        cues.append(VoiceCue(index=i + 1, start_ms=start, end_ms=start + CUE_LENGTH_MS,
                             text=text, speaker=("A", "B", "C")[i % 3]))
    return cues


def make_original(path: Path, minutes: float) -> Path:
    seconds = f"{minutes * 60:.3f}"
    subprocess.run(
        [*base_args(), "-f", "lavfi", "-i",
         f"sine=frequency=220:sample_rate=48000:duration={seconds}",
         "-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.05:sample_rate=48000:d={seconds}",
         "-filter_complex", "[0:a]volume=0.1[s];[s][1:a]amix=inputs=2:normalize=0", "-ac", "2",
         str(path)], check=True)
    return path


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # espeak-ng, festival, ffmpeg
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


CPU: dict[str, float] = {}


def timed_render(*, cues: list[VoiceCue], language: str, original: Path, cache: Path,
                 out: Path, espeak_only: bool = False) -> tuple[float, DubReport]:
    """Wall seconds (and CPU seconds, in CPU["last"]): on a shared machine the wall
    clock includes waiting for other people's work, the CPU time does not."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    report = render_voice_track(cues=cues, language=language, original_audio=original,
                                mode="voice-over", cache_dir=cache, out_path=out,
                                synthesizers=[EspeakNG()] if espeak_only else None)
    CPU["last"] = _cpu_seconds() - cpu
    return time.perf_counter() - start, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--languages", type=int, default=10)
    parser.add_argument("--json", type=Path, default=Path("test-output/voice/bench.json"))
    args = parser.parse_args(argv)
    languages = list(LINES)[: args.languages]
    results: dict[str, object] = {"minutes": args.minutes}
    with tempfile.TemporaryDirectory(prefix="dastan-bench-voice-") as tmp:
        root = Path(tmp)
        original = make_original(root / "original.wav", args.minutes)

        per_language = {}
        for language in languages:
            seconds, report = timed_render(cues=make_cues(language, args.minutes),
                                           language=language, original=original,
                                           cache=root / "default" / language,
                                           out=root / f"{language}.wav")
            per_language[language] = {
                "engine": report.provenance[0].engine, "cues": len(report.cues),
                "seconds_per_film_minute": round(seconds / args.minutes, 2),
                "cpu_seconds_per_film_minute": round(CPU["last"] / args.minutes, 2),
                "counts": asdict(report.counts),
                "integrated_lufs": report.loudness.integrated_lufs,
                "true_peak_dbtp": report.loudness.true_peak_dbtp}
            print(f"{language:8} {per_language[language]}", flush=True)
        results["per_language_default_engines"] = per_language

        growth, total, total_cpu = [], 0.0, 0.0
        for n, language in enumerate(languages, start=1):
            seconds, _ = timed_render(cues=make_cues(language, args.minutes), language=language,
                                      original=original, cache=root / "espeak" / language,
                                      out=root / f"espeak-{language}.wav", espeak_only=True)
            total += seconds
            total_cpu += CPU["last"]
            growth.append({"languages": n, "total_seconds": round(total, 2),
                           "total_cpu_seconds": round(total_cpu, 2)})
            print(f"espeak-ng, {n:2} languages: {total:6.2f} s wall, {total_cpu:6.2f} s CPU",
                  flush=True)
        results["growth_espeak"] = growth

        after_edit = {}
        for language in [lang for lang in ("kk", "en", "ru") if lang in languages]:
            cues = make_cues(language, args.minutes)
            edited = [replace(c, text=LINES[language][0]) if c.index == 3 else c for c in cues]
            naive, _ = timed_render(cues=edited, language=language, original=original,
                                    cache=root / "naive" / language, out=root / "naive.wav")
            naive_cpu = CPU["last"]
            incremental, report = timed_render(cues=edited, language=language,
                                               original=original,
                                               cache=root / "default" / language,
                                               out=root / "incremental.wav")
            after_edit[language] = {
                "engine": report.provenance[0].engine, "naive_seconds": round(naive, 2),
                "naive_cpu_seconds": round(naive_cpu, 2),
                "incremental_seconds": round(incremental, 2),
                "incremental_cpu_seconds": round(CPU["last"], 2),
                "resynthesized": list(report.synthesized_indices)}
            print(f"after one edit ({language}): naive {naive:.2f} s ({naive_cpu:.2f} s CPU), "
                  f"incremental {incremental:.2f} s ({CPU['last']:.2f} s CPU), "
                  f"re-spoken cues {report.synthesized_indices}", flush=True)
        results["after_one_edit"] = after_edit
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
