"""Can any installed voice read Tajik intelligibly? An experiment, not a feature.

No package has a Tajik voice. Candidates tried: espeak-ng's Persian voice reading a
rough Cyrillic→Perso-Arabic transliteration (Tajik is written Persian, but Tajik
Cyrillic writes the short vowels the Arabic script leaves out), and the Russian and
Kazakh voices reading the Cyrillic as is. Intelligibility is judged by back-transcribing
with faster-whisper base (language forced to ``tg``) and scoring the character error
rate against the Tajik text.

    .venv/bin/python bench/voice_tajik.py

Result on this machine (6 sentences, two runs): mean CER 0.76-0.77 via the Persian
voice, 1.08-1.73 via the Russian voice, 1.02 via the Kazakh voice (whisper's output is
gibberish, repeated syllables or empty). Not intelligible
by this test, so Dastan does NOT voice Tajik: the planner says "subtitles only: no
Tajik voice is installed". A real Tajik voice (a Piper .onnx in DASTAN_MODELS_DIR/voices)
is the fix.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from dastan.localization.engines.whisper import FasterWhisper

TAJIK = ("Дирӯз бегоҳ ту куҷо будӣ?", "Ман дар лаби дарё қаиқҳоро тамошо мекардам.",
         "Моҳигирон пеш аз субҳ баргаштанд.", "Пас фардо ба шаҳр меравем.",
         "Ин китоб хеле хуб аст.", "Модарам дар хона нон мепазад.")
CONSONANTS = dict(zip("бптдҷчхзжсшғфқкглмнвҳйр", "بپتدجچخزژسشغفقکگلمنوهیر", strict=True))


def _letter(ch: str, first: bool, last: bool) -> str:
    if ch in CONSONANTS:
        return CONSONANTS[ch]
    short = {"а": "ا" if first else ("ه" if last else ""),
             "и": "ا" if first else ("ی" if last else ""), "э": "ا" if first else "",
             "е": "ای" if first else ("ه" if last else "")}
    long = {"о": "آ" if first else "ا", "ӣ": "ی", "у": "او" if first else "و",
            "ӯ": "او" if first else "و", "ъ": "ع", "ё": "یو", "я": "یا", "ю": "یو"}
    return short.get(ch, long.get(ch, ch))


def to_perso_arabic(text: str) -> str:
    """A rough transliteration: consonants map one to one, short vowels mostly vanish."""
    words = []
    for word in text.split():
        core = word.lower().rstrip("?.,!")
        tail = word[len(word.rstrip("?.,!")):].replace("?", "؟")
        words.append("".join(_letter(ch, i == 0, i == len(core) - 1)
                             for i, ch in enumerate(core)) + tail)
    return " ".join(words)


def cer(reference: str, hypothesis: str) -> float:
    def norm(t: str) -> str:
        return " ".join("".join(c for c in t.lower() if c.isalnum() or c == " ").split())

    ref, hyp = norm(reference), norm(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, rc in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, hc in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (rc != hc))
    return row[len(hyp)] / max(1, len(ref))


def main() -> int:
    asr = FasterWhisper()
    readings: list[tuple[str, str, Callable[[str], str]]] = [
        ("Persian voice, transliterated", "fa", to_perso_arabic),
        ("Russian voice, Cyrillic", "ru", str), ("Kazakh voice, Cyrillic", "kk", str)]
    with tempfile.TemporaryDirectory() as tmp:
        for label, voice, convert in readings:
            scores = []
            for n, line in enumerate(TAJIK):
                wav = Path(tmp) / f"{voice}-{n}.wav"
                subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), "--stdin"],
                               input=convert(line), text=True, check=True)
                heard = asr.transcribe(audio=wav, language="tg", word_timestamps=False).text
                scores.append(cer(line, heard))
            print(f"{label:32} mean CER {sum(scores) / len(scores):.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
