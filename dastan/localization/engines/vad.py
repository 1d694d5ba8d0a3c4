"""Where speech is in a recording: WebRTC's voice activity detector over 30 ms frames.

Used to check dub timing (does the synthesized line fit its cue?) and to cut long audio.
webrtcvad takes 16-bit mono PCM at 8, 16, 32 or 48 kHz; any other WAV, or any other file,
is converted with ffmpeg first. A span is kept when speech lasts ``min_speech_ms``;
pauses shorter than ``merge_gap_ms`` do not split a span.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from dastan.ffmpeg import base_args, run
from dastan.localization.engines.base import EngineInfo
from dastan.localization.errors import EngineFailed, EngineUnavailable

NATIVE_RATES_HZ = (8000, 16000, 32000, 48000)
FRAME_MS = 30


@dataclass(frozen=True, slots=True)
class SpeechSpan:
    start_ms: int
    end_ms: int

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


class WebRtcVad:
    """Voice activity detection; ``aggressiveness`` 0 (keeps most) to 3 (keeps least)."""

    name = "webrtcvad"

    def __init__(self, *, aggressiveness: int = 2, min_speech_ms: int = 120,
                 merge_gap_ms: int = 300) -> None:
        self.aggressiveness = aggressiveness
        self.min_speech_ms = min_speech_ms
        self.merge_gap_ms = merge_gap_ms

    def check_available(self) -> None:
        try:
            import webrtcvad  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailable(gettext("%(module)s cannot be imported (%(error)s).")
                                    % {"module": "webrtcvad", "error": exc},
                                    gettext("Install the ml extra: pip install 'dastan[ml]' "
                                            "(package webrtcvad-wheels).")) from exc

    def available(self) -> bool:
        try:
            self.check_available()
        except EngineUnavailable:
            return False
        return True

    def describe(self) -> EngineInfo:
        try:
            self.check_available()
        except EngineUnavailable as exc:
            return EngineInfo(self.name, "vad", False, kind="gmm", problem=str(exc))
        return EngineInfo(self.name, "vad", True, kind="gmm", model="WebRTC VAD",
                          source="PyPI webrtcvad-wheels", sample_rate_hz=16000)

    def speech_spans(self, *, audio: Path) -> list[SpeechSpan]:
        """Speech spans of ``audio`` in milliseconds, in order, not overlapping. Raises
        ``EngineFailed`` when the file cannot be read, ``FFmpegFailed`` when ffmpeg cannot
        decode it."""
        self.check_available()
        import webrtcvad

        pcm, rate = read_pcm16_mono(audio)
        detector = webrtcvad.Vad(self.aggressiveness)
        frame_bytes = rate * FRAME_MS // 1000 * 2
        voiced = [detector.is_speech(pcm[i:i + frame_bytes], rate)
                  for i in range(0, len(pcm) - frame_bytes + 1, frame_bytes)]
        return self._spans(voiced)

    def _spans(self, voiced: list[bool]) -> list[SpeechSpan]:
        spans: list[SpeechSpan] = []
        start = None
        for index, is_speech in enumerate([*voiced, False]):
            if is_speech and start is None:
                start = index
            elif not is_speech and start is not None:
                span = SpeechSpan(start * FRAME_MS, index * FRAME_MS)
                start = None
                if spans and span.start_ms - spans[-1].end_ms < self.merge_gap_ms:
                    span = SpeechSpan(spans.pop().start_ms, span.end_ms)
                spans.append(span)
        return [s for s in spans if s.duration_ms >= self.min_speech_ms]


def read_pcm16_mono(audio: Path) -> tuple[bytes, int]:
    """16-bit mono PCM and its rate: straight from a fitting WAV, else through ffmpeg."""
    try:
        with wave.open(str(audio), "rb") as wav:
            if (wav.getnchannels() == 1 and wav.getsampwidth() == 2
                    and wav.getframerate() in NATIVE_RATES_HZ):
                return wav.readframes(wav.getnframes()), wav.getframerate()
    except (wave.Error, EOFError):
        pass  # not a plain PCM WAV: ffmpeg reads it
    except OSError as exc:
        raise EngineFailed(f"Could not read {audio}: {exc}", "Check the path.") from exc
    done = run([*base_args(), "-i", str(audio), "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
               what=f"decode {audio}", hint="Check that the file is audio that ffmpeg reads.", text=False)
    return done.stdout, 16000


def speech_spans(*, audio: Path, aggressiveness: int = 2) -> list[SpeechSpan]:
    """Speech spans of ``audio`` with the default detector settings (see ``WebRtcVad``)."""
    return WebRtcVad(aggressiveness=aggressiveness).speech_spans(audio=audio)
