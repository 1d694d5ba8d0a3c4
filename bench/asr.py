"""ASR speed: load time and real-time factor of faster-whisper on the packaged Whisper base.

Speech is generated here from known scripts (espeak-ng English, festival Russian), so the
word error rate against the script is printed beside each speed. Real-time factor (RTF) =
wall seconds / audio seconds (lower is faster); "x real time" is its inverse. CPU s per
audio s (user + system time of this process) is printed too: on a shared machine wall time
grows with other load, CPU time much less.

    python bench/asr.py [--threads 2] [--beam 5] [--compute-type int8] [--no-words]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dastan.localization.engines.metrics import word_error_rate
from dastan.localization.engines.model_files import assemble_packaged_whisper_base

# Each script is longer than Whisper's 30 s window, so no window holds a repeat: repeated
# text trips faster-whisper's compression-ratio check, which then samples at higher
# temperatures and makes the result vary from run to run.
ENGLISH = ("The fishermen thanked him in the morning for saving their boats. The storm had "
           "passed over the village, and the children ran to the sea. Their mother called "
           "them back, but nobody listened, because the water was warm and the sky was clear. "
           "An old man sat on the pier mending a net with yellow thread. He told the children "
           "that the fish would return after the rain, as they did every autumn. A truck "
           "arrived with ice from the city, and the driver asked for coffee. Somebody played "
           "a radio in the market, where women sold bread, onions and dried apricots. By noon "
           "the first boat went out again, and the harbour grew quiet. ")
RUSSIAN = ("Утром рыбаки поблагодарили его за спасение лодок. Буря прошла над деревней, и "
           "дети побежали к морю. Мать звала их домой, но никто не слушал. Старик сидел на "
           "причале и чинил сеть. Он сказал детям, что рыба вернётся после дождя. Из города "
           "приехала машина со льдом, и водитель попросил кофе. ")


def espeak(text: str, out: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(out), text], check=True)
    return out


def festival(text: str, out: Path) -> Path:
    script = out.with_suffix(".txt")
    script.write_text(text, encoding="utf-8")
    subprocess.run(["text2wave", "-eval", "(voice_msu_ru_nsh_clunits)", str(script), "-o",
                    str(out)], check=True)
    return out


def seconds(wav: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True,
                                text=True).stdout)


def repeated(text: str, target_s: float, words_per_s: float) -> str:
    """``text`` repeated to about ``target_s`` seconds of speech."""
    per_copy = len(text.split()) / words_per_s
    return text * max(1, round(target_s / per_copy))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument("--no-words", action="store_true", help="without word timestamps")
    args = parser.parse_args()

    from faster_whisper import WhisperModel

    work = Path(tempfile.mkdtemp(prefix="dastan-bench-asr-"))
    models = Path(os.environ.get("DASTAN_MODELS_DIR", work / "models"))
    started = time.perf_counter()
    folder = assemble_packaged_whisper_base(models_dir=models)
    assemble_s = time.perf_counter() - started
    started = time.perf_counter()
    model = WhisperModel(str(folder.path), device="cpu", compute_type=args.compute_type,
                         cpu_threads=args.threads, local_files_only=True)
    load_s = time.perf_counter() - started
    print(f"model {folder.name} sha256 {folder.sha256[:16]}  threads {args.threads}  "
          f"beam {args.beam}  {args.compute_type}  word timestamps {not args.no_words}")
    print(f"assemble/verify {assemble_s:.2f} s   load {load_s:.2f} s")

    clips = [("en espeak-ng 30 s", repeated(ENGLISH, 30, 3.4), espeak),
             ("en espeak-ng 2 min", repeated(ENGLISH, 120, 3.4), espeak),
             ("ru festival 30 s", repeated(RUSSIAN, 30, 2.0), festival)]
    print(f"{'clip':22} {'audio s':>8} {'wall s':>8} {'RTF':>6} {'x real time':>12} "
          f"{'CPU s/audio s':>14} {'WER':>6}")
    for index, (label, script, make) in enumerate(clips):
        wav = make(script, work / f"clip{index}.wav")
        audio_s = seconds(wav)
        language = label[:2]
        started, cpu_started = time.perf_counter(), time.process_time()
        segments, _ = model.transcribe(str(wav), language=language, beam_size=args.beam,
                                       word_timestamps=not args.no_words)
        text = " ".join(s.text.strip() for s in segments)
        wall_s = time.perf_counter() - started
        cpu_s = time.process_time() - cpu_started
        wer = word_error_rate(reference=script, hypothesis=text)
        print(f"{label:22} {audio_s:8.1f} {wall_s:8.2f} {wall_s / audio_s:6.3f} "
              f"{audio_s / wall_s:11.1f}x {cpu_s / audio_s:14.2f} {wer:6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
