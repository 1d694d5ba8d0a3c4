"""What the recording booth shows: the cues an actor records (those of characters cast to
a synthetic voice are spoken by the mix, not recorded), each with its chosen take's
measurement and the reviewer's note, and progress per character and per reel.

A reel is a fixed span of the film, ``DASTAN_DUB_REEL_S`` long (20 minutes: a reel of
35 mm film, the unit a dubbing studio books sessions by); a cue belongs to the reel it
starts in. A cue is done when it has a chosen take that was not sent back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from dastan.accounts.permissions import Action
from dastan.dubbing.casting import characters
from dastan.dubbing.models import CastRole, Take
from dastan.dubbing.synthetic import synthetic_speakers
from dastan.localization.access import check_track
from dastan.localization.models import SubtitleTrack
from dastan.media.package import current_version


@dataclass(frozen=True, slots=True)
class BoothCue:
    id: int
    index: int
    start_ms: int
    end_ms: int
    speaker: str
    text: str
    original: str
    reel: int  # 1-based
    take: dict[str, Any] | None  # the chosen take's measurement
    take_id: int | None
    note: str  # the latest note a reviewer sent back for this cue
    note_take: int | None  # which take number the note is about
    done: bool


@dataclass(frozen=True, slots=True)
class Count:
    key: str  # the character, or the reel's number
    label: str  # "ANNA", "00:20:00–00:40:00"
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Booth:
    track: SubtitleTrack
    cues: tuple[BoothCue, ...]
    characters: tuple[Count, ...]
    reels: tuple[Count, ...]
    synthetic: dict[str, str]  # characters the mix speaks with a synthetic voice → voice id
    reel_s: int

    @property
    def done(self) -> int:
        return sum(1 for c in self.cues if c.done)

    @property
    def reel_clock(self) -> str:
        return clock(self.reel_s * 1000)


def clock(ms: int) -> str:
    s = ms // 1000
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def reel_of(start_ms: int, *, reel_ms: int) -> int:
    return start_ms // reel_ms + 1


def _film_ms(track: SubtitleTrack) -> int:
    version = current_version(track.title)
    if version is not None:
        return round(float(version.asset.probe["duration_s"]) * 1000)
    return max((c.end_ms for c in track.cues.all()), default=0)


def _notes(track: SubtitleTrack) -> dict[int, Take]:
    """Cue id → the take of it most recently sent back."""
    notes: dict[int, Take] = {}
    for take in Take.objects.filter(track=track, review=Take.Review.SENT_BACK).order_by(
        "reviewed_at", "pk"
    ):
        notes[take.cue_id] = take
    return notes


def _counts(cues: list[BoothCue], keys: list[str], key_of: Any, label_of: Any) -> tuple[Count, ...]:
    return tuple(
        Count(
            key=k,
            label=label_of(k),
            done=sum(1 for c in cues if key_of(c) == k and c.done),
            total=sum(1 for c in cues if key_of(c) == k),
        )
        for k in keys
    )


def booth(*, user: Any, track: SubtitleTrack) -> Booth:
    """The booth of ``track``. Raises NotFound/NotAllowed without RECORD_DUB."""
    check_track(user=user, track=track, action=Action.RECORD_DUB)
    reel_ms = int(settings.DASTAN_DUB_REEL_S) * 1000
    synthetic = synthetic_speakers(list(CastRole.objects.filter(track=track)))
    chosen = {t.cue_id: t for t in Take.objects.filter(track=track, chosen=True)}
    notes = _notes(track)
    source = {c.index: c.text for c in track.source_track.cues.all()} if track.source_track else {}
    cues = []
    for c in track.cues.order_by("start_ms", "index"):
        if not c.text.strip() or c.speaker in synthetic:
            continue
        take, note = chosen.get(c.pk), notes.get(c.pk)
        cues.append(
            BoothCue(
                id=c.pk,
                index=c.index,
                start_ms=c.start_ms,
                end_ms=c.end_ms,
                speaker=c.speaker,
                text=c.text,
                original=source.get(c.index, ""),
                reel=reel_of(c.start_ms, reel_ms=reel_ms),
                take=take.measurement if take else None,
                take_id=take.pk if take else None,
                note=note.review_note if note else "",
                note_take=note.number if note else None,
                done=take is not None and take.review != Take.Review.SENT_BACK,
            )
        )
    film_ms = _film_ms(track)
    reels = [str(n) for n in range(1, reel_of(max(film_ms - 1, 0), reel_ms=reel_ms) + 1)]

    def reel_label(n: str) -> str:
        return f"{clock((int(n) - 1) * reel_ms)}–{clock(min(int(n) * reel_ms, film_ms))}"

    speakers = [s for s in characters(track) if s not in synthetic]
    return Booth(
        track=track,
        cues=tuple(cues),
        characters=_counts(cues, speakers, lambda c: c.speaker, lambda s: s or "—"),
        reels=_counts(cues, reels, lambda c: str(c.reel), reel_label),
        synthetic=synthetic,
        reel_s=reel_ms // 1000,
    )
