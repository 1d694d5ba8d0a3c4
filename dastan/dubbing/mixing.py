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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np

from dastan.accounts.permissions import Action
from dastan.catalog.models import Title
from dastan.dubbing.errors import DubbingError
from dastan.dubbing.measure import decode_mono, speech_spans_ms
from dastan.dubbing.models import CastRole, HumanDub, StemDelivery, Take
from dastan.dubbing.synthetic import speak_synthetic_cues, synthetic_speakers
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.jobs.context import atomic_under_lease
from dastan.localization.access import check_track
from dastan.localization.dubbing import voice_cache_dir, voice_cues
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
Progress = Callable[[float, str], None]  # (percent 0–100, what is being done)


def film_duration_ms(title: Title) -> int:
    version = current_version(title)
    if version is None:
        raise DubbingError(gettext("'%(title)s' has no published stream to dub.") % {"title": title.slug},
                           gettext("Ingest and package the film first; a dub is laid under its picture."))
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


@dataclass(frozen=True, slots=True)
class PeopleVoices:
    """The people's part of a dub: clips at their film times and which cue came from where."""

    clips: tuple[tuple[int, Path], ...]
    sources: dict[str, str]  # cue index → "take:<id>" | "stem:<speaker>"
    source: str  # "booth" | "studio"
    credit: str


def _people_voices(*, track: SubtitleTrack, delivery: StemDelivery | None, synthetic: Mapping[str, str],
                   credit: str, tmp: Path) -> PeopleVoices:
    """The chosen takes of the cues of cast actors, or the delivery's stems."""
    if delivery is not None:
        stems = {speaker: _fetch(name, tmp / f"stem-{i}.wav", local_copy)
                 for i, (speaker, name) in enumerate(delivery.stems.items())}
        full_mix = delivery.kind == StemDelivery.Kind.FULL_MIX
        sources = {str(c.index): f"stem:{c.speaker}" for c in track.cues.all()
                   if c.text.strip() and (full_mix or c.speaker in stems)}
        return PeopleVoices(clips=tuple((0, p) for p in stems.values()), sources=sources, source="studio",
                            credit=credit or delivery.studio)
    takes = {i: t for i, t in chosen_takes(track).items() if t.cue.speaker not in synthetic}
    if not takes:
        raise InvalidInput(gettext("No cue has a chosen take yet."),
                           gettext("Record the cues in the booth and mark one take of each as chosen."))
    clips = tuple((t.cue.start_ms, _fetch(t.storage_name, tmp / f"take-{t.pk}.wav", local_copy))
                  for t in takes.values())
    return PeopleVoices(clips=clips, sources={str(i): f"take:{t.pk}" for i, t in takes.items()}, source="booth",
                        credit=credit)


def _bed(*, track: SubtitleTrack, mode: DubMode, delivery: StemDelivery | None, me_stem: Path | None,
         duration_ms: int, tmp: Path) -> Path:
    """What the voices go over: the M&E stem (full dub), silence (a studio's finished full
    mix without M&E) or the film's own sound (voice-over, ducked under the voices)."""
    if mode is DubMode.VOICE_OVER:
        return extract_audio_track(title=track.title, out=tmp / "original.wav")
    if delivery is not None and delivery.me_stem_name and me_stem is None:
        me_stem = _fetch(delivery.me_stem_name, tmp / "me.wav", local_copy)
    if me_stem is not None:
        return me_stem
    if delivery is not None and delivery.kind == StemDelivery.Kind.FULL_MIX:
        return place_on_timeline(clips=[], duration_ms=duration_ms, out_wav=tmp / "silence.wav")
    raise InvalidInput(gettext("A full dub needs the music-and-effects stem."),
                       gettext("Upload the M&E stem with the delivery, or mix a voice-over instead."), field="me_stem")


def _quiet(percent: float, message: str) -> None:
    """Progress goes nowhere outside a job."""


def mix_human_dub(*, by: Any, track: SubtitleTrack, mode: DubMode | str = DubMode.FULL_DUB,
                  delivery: StemDelivery | None = None, me_stem: Path | None = None,
                  studio_credit: str = "", synthetic_speech: bool = False,
                  on_progress: Progress | None = None) -> HumanDub:
    """Mix the people's voices of ``track`` (the delivery's stems, or else the chosen booth
    takes) into a dub waiting for a listener's approval. Characters cast to a synthetic
    voice are spoken by the voice engines and mixed in at their cues, which makes the dub
    "human + AI" (``ai_cues``); a studio's finished full mix is taken as it is. A full dub
    needs an M&E stem (the delivery's, or ``me_stem``); a voice-over is laid over the
    film's own sound. ``synthetic_speech``: the takes are synthesized speech played into
    the booth (the demo), so the dub is labelled as made with AI too. ``on_progress``
    hears (percent, what is being done). Raises NotAllowed without RECORD_DUB, InvalidInput
    when there is nothing to mix or a synthetic voice cannot speak the language."""
    check_track(user=by, track=track, action=Action.RECORD_DUB)
    mode = DubMode(mode)
    progress = on_progress or _quiet
    duration_ms = film_duration_ms(track.title)
    synthetic = synthetic_speakers(list(CastRole.objects.filter(track=track)))
    if delivery is not None:  # a speaker with a stem is the studio's; a full mix is all the studio's
        synthetic = {} if delivery.kind == StemDelivery.Kind.FULL_MIX else \
            {s: v for s, v in synthetic.items() if s not in delivery.stems}
    with TemporaryDirectory(prefix="dastan-humandub-") as tmp_name:
        tmp = Path(tmp_name)
        progress(5, "gathering the people's takes")
        people = _people_voices(track=track, delivery=delivery, synthetic=synthetic, credit=studio_credit, tmp=tmp)
        progress(20, "speaking the cues of synthetic characters")
        machine = speak_synthetic_cues(cues=[c for c in voice_cues(track) if str(c.index) not in people.sources],
                                       voices=synthetic, language=track.language, duration_ms=duration_ms,
                                       cache_dir=voice_cache_dir(track))
        progress(45, "placing every voice at its cue")
        voice = place_on_timeline(clips=[*people.clips, *machine.clips], duration_ms=duration_ms,
                                  out_wav=tmp / "voice.wav")
        bed = _bed(track=track, mode=mode, delivery=delivery, me_stem=me_stem, duration_ms=duration_ms, tmp=tmp)
        progress(60, f"mixing the {mode} and bringing it to {TARGET_LUFS:g} LUFS")
        loudness = mix_voices(voice_stem=voice, mode=mode, bed=bed, out_wav=tmp / "dub.wav")
        progress(90, "storing the mix")
        name = store_file(tmp / "dub.wav", f"titles/{track.title.slug}/dubbing/{track.language}/human-{mode}.wav")
    return _record_mix(track=track, fields={
        "mode": str(mode), "source": people.source, "studio_credit": people.credit,
        "state": HumanDub.State.IN_REVIEW, "reason": "", "storage_name": name, "duration_ms": duration_ms,
        "cue_sources": {**people.sources, **machine.sources}, "approved_by": None,
        "has_synthetic_cues": synthetic_speech or bool(machine.cues), "booth_speech_is_synthetic": synthetic_speech,
        "ai_cues": list(machine.cues), "ai_provenance": list(machine.provenance),
        "loudness": {"integrated_lufs": loudness.integrated_lufs, "true_peak_dbtp": loudness.true_peak_dbtp,
                     "lra_lu": loudness.lra_lu, "target_lufs": loudness.target_lufs}})


# Inside a job: recorded only while its attempt holds the lease (a cancelled mix changes nothing).
@atomic_under_lease()
def _record_mix(*, track: SubtitleTrack, fields: dict[str, Any]) -> HumanDub:
    dub, _ = HumanDub.objects.update_or_create(track=track, defaults=fields)
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
