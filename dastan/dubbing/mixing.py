"""People's voices into a finished dub: booth takes or studio stems placed at their cue
times, mixed over the music-and-effects stem (full dub) or over the ducked original
(voice-over), normalised to the node's loudness target and measured.

The voice code of the localization app does the mixing and loudness
(``voice.mix``, ``voice.loudness``) exactly as for synthetic voices, so a human dub and
an AI voice-over of one film sit at the same loudness, ducked the same way.
"""

from __future__ import annotations

import os
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np

from dastan.accounts.permissions import Action
from dastan.catalog.models import Title
from dastan.dubbing.errors import DubbingError
from dastan.dubbing.measure import decode_mono, speech_spans_ms
from dastan.dubbing.models import CastRole, HumanDub, StemDelivery, Take
from dastan.errors import InvalidInput
from dastan.localization.access import check_track
from dastan.localization.models import SubtitleTrack
from dastan.localization.voice.dub import DubMode
from dastan.localization.voice.loudness import LoudnessMeasurement, normalize_loudness
from dastan.localization.voice.mix import (
    DuckingRules,
    ducking_envelope,
    mix_full_dub,
    mix_voice_over,
)
from dastan.localization.voice.wavio import to_pcm16
from dastan.media.audio import extract_audio_track
from dastan.media.package import current_version
from dastan.media.storage import local_copy, store_file

RATE_HZ = 48000
TARGET_LUFS = -23.0
MAX_TRUE_PEAK_DBTP = -1.0


def film_duration_ms(title: Title) -> int:
    version = current_version(title)
    if version is None:
        raise DubbingError(f"'{title.slug}' has no published stream to dub.",
                           "Ingest and package the film first; a dub is laid under its picture.")
    return round(float(version.asset.probe["duration_s"]) * 1000)


def place_on_timeline(*, clips: Sequence[tuple[int, Path]], duration_ms: int, out_wav: Path) -> Path:
    """A mono 48 kHz stem of ``duration_ms`` with each (start ms, WAV) clip added at its
    start; a clip running past the end lengthens the stem rather than being cut."""
    parts = [(start, decode_mono(path, rate_hz=RATE_HZ)[0]) for start, path in clips]
    total = max([duration_ms * RATE_HZ // 1000,
                 *(start * RATE_HZ // 1000 + len(s) for start, s in parts)])
    timeline = np.zeros(total, dtype=np.float32)
    for start, samples in parts:
        at = max(0, start * RATE_HZ // 1000)
        timeline[at: at + len(samples)] += samples[: total - at]
    out_wav.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out_wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE_HZ)
        w.writeframes(to_pcm16(timeline))
    return out_wav


def mix_voices(*, voice_stem: Path, mode: DubMode, bed: Path, out_wav: Path) -> LoudnessMeasurement:
    """The voice over ``bed`` (M&E for a full dub, the original for a voice-over, ducked
    under the voice's own speech), normalised to -23 LUFS, true peak ≤ -1 dBTP, measured."""
    premix = out_wav.with_name(f".{out_wav.stem}.premix-{os.getpid()}.wav")
    try:
        if mode is DubMode.VOICE_OVER:
            samples, rate = decode_mono(voice_stem)
            spans = speech_spans_ms(samples, rate)
            envelope = ducking_envelope(spans_ms=spans, duration_ms=len(samples) * 1000 // rate + 1000,
                                        rules=DuckingRules())
            measured = mix_voice_over(original=bed, voice_stem=voice_stem, envelope=envelope, out_wav=premix,
                                      original_gain_db=0.0, voice_gain_db=0.0)
        else:
            measured = mix_full_dub(me_stem=bed, voice_stem=voice_stem, out_wav=premix, voice_gain_db=0.0)
        return normalize_loudness(src=premix, dst=out_wav, target_lufs=TARGET_LUFS,
                                  max_true_peak_dbtp=MAX_TRUE_PEAK_DBTP, measured=measured)
    finally:
        premix.unlink(missing_ok=True)


def chosen_takes(track: SubtitleTrack) -> dict[int, Take]:
    """Cue index → its chosen take."""
    return {t.cue.index: t for t in Take.objects.filter(track=track, chosen=True).select_related("cue")}


def _actor_consents(track: SubtitleTrack) -> list[Any]:
    return [r.consent for r in CastRole.objects.filter(track=track, kind=CastRole.Kind.ACTOR)
            .select_related("consent") if r.consent is not None]


def mix_human_dub(*, by: Any, track: SubtitleTrack, mode: DubMode | str = DubMode.FULL_DUB,
                  delivery: StemDelivery | None = None, me_stem: Path | None = None,
                  studio_credit: str = "", synthetic_speech: bool = False) -> HumanDub:
    """Mix the people's voices of ``track`` (the delivery's stems, or else the chosen booth
    takes) into a dub waiting for a listener's approval. A full dub needs an M&E stem
    (the delivery's, or ``me_stem``); a voice-over is laid over the film's own sound.
    ``synthetic_speech``: the takes are synthesized speech played into the booth (the
    demo), so the dub is labelled as made with AI too. Raises NotAllowed without
    RECORD_DUB, InvalidInput when there is nothing to mix."""
    check_track(user=by, track=track, action=Action.RECORD_DUB)
    mode = DubMode(mode)
    duration_ms = film_duration_ms(track.title)
    with TemporaryDirectory(prefix="dastan-humandub-") as tmp_name:
        tmp = Path(tmp_name)
        sources: dict[str, str] = {}
        if delivery is not None:
            stem_files = {speaker: _fetch(name, tmp / f"stem-{i}.wav", local_copy)
                          for i, (speaker, name) in enumerate(delivery.stems.items())}
            if delivery.me_stem_name and me_stem is None:
                me_stem = _fetch(delivery.me_stem_name, tmp / "me.wav", local_copy)
            voice = place_on_timeline(clips=[(0, p) for p in stem_files.values()], duration_ms=duration_ms,
                                      out_wav=tmp / "voice.wav")
            sources = {str(c.index): f"stem:{c.speaker}" for c in track.cues.all() if c.text.strip()}
            credit = studio_credit or delivery.studio
            source = "studio"
        else:
            takes = chosen_takes(track)
            if not takes:
                raise InvalidInput("No cue has a chosen take yet.",
                                   "Record the cues in the booth and mark one take of each as chosen.")
            clips = [(t.cue.start_ms, _fetch(t.storage_name, tmp / f"take-{t.pk}.wav", local_copy))
                     for t in takes.values()]
            voice = place_on_timeline(clips=clips, duration_ms=duration_ms, out_wav=tmp / "voice.wav")
            sources = {str(i): f"take:{t.pk}" for i, t in takes.items()}
            credit, source = studio_credit, "booth"
        if mode is DubMode.FULL_DUB and delivery is not None and delivery.kind == StemDelivery.Kind.FULL_MIX \
                and me_stem is None:
            # a full dub mix is the finished sound: it goes over silence, not over an M&E
            bed = place_on_timeline(clips=[], duration_ms=duration_ms, out_wav=tmp / "silence.wav")
        elif mode is DubMode.FULL_DUB:
            if me_stem is None:
                raise InvalidInput("A full dub needs the music-and-effects stem.",
                                   "Upload the M&E stem with the delivery, or mix a voice-over instead.",
                                   field="me_stem")
            bed = me_stem
        else:
            bed = extract_audio_track(title=track.title, out=tmp / "original.wav")
        out = tmp / "dub.wav"
        loudness = mix_voices(voice_stem=voice, mode=mode, bed=bed, out_wav=out)
        name = store_file(out, f"titles/{track.title.slug}/dubbing/{track.language}/human-{mode}.wav")
    dub, _ = HumanDub.objects.update_or_create(track=track, defaults={
        "mode": str(mode), "source": source, "studio_credit": credit, "state": HumanDub.State.IN_REVIEW,
        "reason": "", "storage_name": name, "duration_ms": duration_ms, "cue_sources": sources,
        "has_synthetic_cues": synthetic_speech, "approved_by": None,
        "loudness": {"integrated_lufs": loudness.integrated_lufs, "true_peak_dbtp": loudness.true_peak_dbtp,
                     "lra_lu": loudness.lra_lu, "target_lufs": loudness.target_lufs},
    })
    dub.consents.set(_actor_consents(track))
    return dub


def _fetch(name: str, dst: Path, local_copy: Any) -> Path:
    with local_copy(name) as path:
        dst.write_bytes(Path(path).read_bytes())
    return dst


def cue_sources_summary(sources: Mapping[str, str]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for value in sources.values():
        kind = value.split(":", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds
