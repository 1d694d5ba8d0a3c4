"""Subtitle speed: segmentation and QC cues per second on synthetic films, and how the
time grows with the film's length (it should grow linearly).

Speech is made here: sentences drawn from a fixed word list with a seeded generator,
timed as steady speech (55 ms a character, a pause after each sentence, a long silence
now and then), so every run measures the same work.

    python bench/subtitles.py [--minutes 15 30 60 120] [--language en] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dastan.localization.engines.base import (
    Provenance,
    Segment,
    Transcript,
    Word,
)
from dastan.localization.subtitles.profiles import default_profile
from dastan.localization.subtitles.qc import check_cues
from dastan.localization.subtitles.segment import segment_transcript
from dastan.localization.subtitles.webvtt import write_webvtt

VOCABULARY = {
    "en": ["the", "river", "market", "bread", "morning", "we", "they", "told", "you", "would", "go", "and", "but", "because", "nobody", "listened", "to", "me", "at", "all", "now", "hungry", "shops", "closed", "kitchen", "old", "potato", "tomorrow", "early", "bakery", "whole", "week", "friend", "city", "road", "silk", "mountain", "wind", "cold"],
    "ru": ["река", "рынок", "хлеб", "утром", "мы", "они", "говорил", "ты", "пойдём", "и", "но", "потому", "никто", "не", "слушал", "меня", "совсем", "теперь", "голодны", "магазины", "закрыты", "кухня", "старая", "картошка", "завтра", "рано", "пекарня", "неделя", "друг", "город", "дорога", "шёлковый", "гора", "ветер", "холодный"],
    "fa": ["رود", "بازار", "نان", "صبح", "ما", "آنها", "گفتم", "تو", "می\u200cرویم", "و", "اما", "چون", "هیچ\u200cکس", "گوش", "نداد", "حالا", "گرسنه", "مغازه", "بسته", "آشپزخانه", "کهنه", "سیب\u200cزمینی", "فردا", "زود", "نانوایی", "هفته", "دوست", "شهر", "جاده", "ابریشم", "کوه", "باد", "سرد"],
}


def synthetic_transcript(*, minutes: float, language: str, seed: int = 7) -> Transcript:
    rng = random.Random(seed)
    words_list = VOCABULARY[language]
    segments: list[Segment] = []
    t, limit = 0, int(minutes * 60_000)
    while t < limit:
        words: list[Word] = []
        for n in range(rng.randint(4, 18)):
            token = rng.choice(words_list)
            if n and rng.random() < 0.08:
                token += ","
            end = t + 60 + 55 * len(token)
            words.append(Word(token, t, end))
            t = end + rng.randint(40, 140)
        last = words[-1]
        words[-1] = Word(last.text.rstrip(",") + rng.choice(".?!"), last.start_ms, last.end_ms)
        segments.append(Segment(" ".join(w.text for w in words), words[0].start_ms,
                                words[-1].end_ms, tuple(words)))
        t += 400 if rng.random() < 0.8 else rng.randint(1500, 6000)
    return Transcript(language, 1.0, tuple(segments), Provenance("bench"), t)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[15, 30, 60, 120])
    parser.add_argument("--language", default="en", choices=sorted(VOCABULARY))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    profile = default_profile(language=args.language)
    print(f"language {args.language}, best of {args.repeat}")
    print(f"{'minutes':>8} {'words':>7} {'cues':>6} {'segment s':>10} {'cues/s':>8} "
          f"{'qc s':>7} {'qc cues/s':>10} {'vtt s':>6} {'flagged':>8}")
    for minutes in args.minutes:
        spoken = synthetic_transcript(minutes=minutes, language=args.language)
        words = sum(len(s.words) for s in spoken.segments)
        cues = segment_transcript(transcript=spoken, profile=profile)
        seg_s = best_of(args.repeat, partial(segment_transcript, transcript=spoken,
                                             profile=profile))
        qc_s = best_of(args.repeat, partial(check_cues, cues=cues, profile=profile))
        vtt_s = best_of(args.repeat, partial(write_webvtt, cues=cues, language=args.language))
        flagged = len({i.cue_index for i in check_cues(cues=cues, profile=profile)})
        print(f"{minutes:>8g} {words:>7} {len(cues):>6} {seg_s:>10.3f} "
              f"{len(cues) / seg_s:>8.0f} {qc_s:>7.3f} {len(cues) / qc_s:>10.0f} "
              f"{vtt_s:>6.3f} {flagged / len(cues):>7.1%}")


if __name__ == "__main__":
    main()
