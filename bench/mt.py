"""MT speed: Apertium sentences per second for the installed pairs, batched and per call.

Batched = one apertium process for all sentences (how ``engines/apertium.py`` works);
per call = one process per sentence, to show the ~0.2 s start-up a batch saves.

    python bench/mt.py [--sentences 500]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dastan.localization.engines.apertium import Apertium

SENTENCES = {
    ("be", "ru"): ["Раніцай рыбакі падзякавалі яму за выратаванне лодак.", "Ён чытае кнігу.",
                   "Сёння добрае надвор'е.", "Дзеці пабеглі да мора."],
    ("ur", "hi"): ["یہ کتاب بہت اچھی ہے۔", "میں گھر جا رہا ہوں۔", "آج موسم اچھا ہے۔",
                   "بچے سمندر کی طرف بھاگے۔"],
    ("hi", "ur"): ["यह किताब बहुत अच्छी है।", "मैं घर जा रहा हूँ।", "आज मौसम अच्छा है।",
                   "बच्चे समुद्र की ओर भागे।"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    args = parser.parse_args()
    engine = Apertium()
    pairs = engine.pairs()
    print(f"{'pair':8} {'batch sent/s':>13} {'per-call sent/s':>16} {'unknown words':>14}")
    for pair, sample in SENTENCES.items():
        if pair not in pairs:
            print(f"{pair[0]}>{pair[1]:5} not installed or failed its self-test")
            continue
        texts = (sample * (args.sentences // len(sample) + 1))[:args.sentences]
        started = time.perf_counter()
        result = engine.translate(texts=texts, source=pair[0], target=pair[1])
        batch_rate = len(texts) / (time.perf_counter() - started)
        started = time.perf_counter()
        for text in sample:
            engine.translate(texts=[text], source=pair[0], target=pair[1])
        single_rate = len(sample) / (time.perf_counter() - started)
        unknown = sum(len(u) for u in result.unknown_words) / len(texts)
        print(f"{pair[0]}>{pair[1]:5} {batch_rate:13.0f} {single_rate:16.1f} "
              f"{unknown:11.2f}/sent")
    broken = engine.broken_modes()
    for mode, why in broken.items():
        print(f"left out: {mode}: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
