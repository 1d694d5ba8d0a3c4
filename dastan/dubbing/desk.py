"""What the review desk shows of a human dub: per cue, who speaks it (an actor's chosen
take, a synthetic voice, a studio's stem), the take's measurement and review, whether
the mix holds it; the dub's state, label and loudness; its mix and publish jobs; and the
content credentials of the track's signed artefacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dastan.accounts.permissions import Action
from dastan.credentials.models import ContentCredential
from dastan.credentials.panel import CredentialView, credential_views
from dastan.dubbing.models import CastRole, HumanDub, Take
from dastan.dubbing.orders import dub_jobs
from dastan.dubbing.publishing import human_dub_label, made_by
from dastan.dubbing.script import cast_label
from dastan.dubbing.synthetic import synthetic_speakers
from dastan.jobs.models import Job, JobState
from dastan.localization.access import check_track, may
from dastan.localization.models import SubtitleTrack, VoiceTrack


@dataclass(frozen=True, slots=True)
class DeskCue:
    id: int
    index: int
    start_ms: int
    end_ms: int
    speaker: str
    cast: str  # "Dana Karimova (actor)", "espeak-ng:ru+m3 (synthetic)", ""
    text: str
    original: str
    voice: str  # "take", "synthetic", "stem" or "" (nothing yet)
    take: Take | None  # the chosen take, for a cast actor's cue
    in_mix: bool  # the mix holds this cue as it is now


@dataclass(frozen=True, slots=True)
class DubDesk:
    track: SubtitleTrack
    dub: HumanDub | None
    label: str
    made_by: str  # "human" | "human + AI"
    cues: tuple[DeskCue, ...]
    jobs: tuple[dict[str, Any], ...]
    credentials: tuple[CredentialView, ...]
    can_review: bool
    can_record: bool
    territories: str  # a starting value for the publish form: the cast's consents' territories


def job_row(job: Job) -> dict[str, Any]:
    error_message, error_hint = job.shown_error()  # in the viewer's language
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "progress": 100 if job.state == JobState.SUCCEEDED else job.progress,
        # the job's own words, unless they only repeat its state ("done", "started")
        "message": "" if job.message in (job.state, "done", "started") else job.message,
        "error_message": error_message,
        "error_hint": error_hint,
        "running": job.state in (JobState.WAITING, JobState.QUEUED, JobState.RUNNING),
    }


def track_credentials(track: SubtitleTrack) -> tuple[CredentialView, ...]:
    """The credentials of what the track became: its subtitles, its AI voice, its human dub."""
    subjects = [f"subtitles:{track.pk}"]
    subjects += [
        f"voice:{v}"
        for v in VoiceTrack.objects.filter(subtitle_track=track).values_list("pk", flat=True)
    ]
    subjects += [
        f"human_dub:{d}" for d in HumanDub.objects.filter(track=track).values_list("pk", flat=True)
    ]
    return credential_views(
        ContentCredential.objects.filter(title_id=track.title_id, subject__in=subjects)
    )


def _voice(
    cue: Any, *, dub: HumanDub | None, take: Take | None, synthetic: dict[str, str]
) -> tuple[str, bool]:
    mixed = (dub.cue_sources if dub else {}).get(str(cue.index), "")
    if cue.speaker in synthetic:
        return "synthetic", mixed.startswith("synthetic:")
    if dub is not None and dub.source == "studio":
        return "stem", mixed.startswith("stem:")
    if take is not None:
        return "take", mixed == f"take:{take.pk}"
    return "", False


def dub_desk(*, user: Any, track: SubtitleTrack) -> DubDesk:
    """The desk of ``track``'s human dub. Raises NotFound/NotAllowed without VIEW_DRAFTS."""
    check_track(user=user, track=track, action=Action.VIEW_DRAFTS)
    dub = HumanDub.objects.filter(track=track).select_related("approved_by").first()
    roles = {r.speaker: r for r in CastRole.objects.filter(track=track).select_related("consent")}
    synthetic = synthetic_speakers(list(roles.values()))
    chosen = {
        t.cue_id: t
        for t in Take.objects.filter(track=track, chosen=True).select_related("reviewed_by")
    }
    source = {c.index: c.text for c in track.source_track.cues.all()} if track.source_track else {}
    cues = []
    for c in track.cues.order_by("start_ms", "index"):
        if not c.text.strip():
            continue
        take = chosen.get(c.pk)
        voice, in_mix = _voice(c, dub=dub, take=take, synthetic=synthetic)
        cues.append(DeskCue(id=c.pk, index=c.index, start_ms=c.start_ms, end_ms=c.end_ms, speaker=c.speaker,
                            cast=cast_label(roles.get(c.speaker)), text=c.text, original=source.get(c.index, ""),
                            voice=voice, take=take, in_mix=in_mix))  # fmt: skip
    territories = sorted({t for r in roles.values() if r.consent for t in r.consent.territories})
    return DubDesk(
        track=track,
        dub=dub,
        label=human_dub_label(dub) if dub else "",
        made_by=made_by(dub) if dub else "",
        cues=tuple(cues),
        jobs=tuple(job_row(j) for j in dub_jobs(track=track)),
        credentials=track_credentials(track),
        can_review=may(user=user, track=track, action=Action.REVIEW),
        can_record=may(user=user, track=track, action=Action.RECORD_DUB),
        territories=" ".join(territories),
    )
