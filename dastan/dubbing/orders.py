"""Mixing and publishing a human dub run as jobs, never inside a web request.

A mix is minutes of ffmpeg over a whole film (and speech synthesis for synthetic
characters); publishing encodes the sound for HLS. ``order_*`` checks everything that can
be checked at once — who asks, what is missing, whose consent does not cover what — so a
person is refused in the same breath, then queues the job (or returns the one already
under way for the track). The job calls the same domain functions, which check again:
a consent revoked in between still stops a publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dastan.accounts.permissions import Action
from dastan.dubbing.mixing import chosen_takes, film_duration_ms
from dastan.dubbing.models import CastRole, HumanDub, StemDelivery
from dastan.dubbing.publishing import check_publishable
from dastan.dubbing.synthetic import check_voice, synthetic_speakers
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.jobs.models import FINISHED_STATES, Job
from dastan.jobs.services import submit_job
from dastan.localization.access import check_track
from dastan.localization.models import SubtitleTrack
from dastan.localization.voice.dub import DubMode

MIX = "dubbing.mix"
PUBLISH = "dubbing.publish"
KINDS = (MIX, PUBLISH)


def dub_jobs(*, track: SubtitleTrack, limit: int = 5) -> list[Job]:
    """The newest mix and publish jobs of ``track``'s human dub (the caller checked access)."""
    return list(
        Job.objects.filter(kind__in=KINDS, params__track_id=track.pk).order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def _under_way(track: SubtitleTrack, kind: str) -> Job | None:
    return (
        Job.objects.filter(kind=kind, params__track_id=track.pk)
        .exclude(state__in=FINISHED_STATES)
        .order_by("-pk")
        .first()
    )


def _mode(value: str) -> DubMode:
    try:
        return DubMode(value)
    except ValueError:
        raise InvalidInput(
            gettext("'%(mode)s' is not a kind of dub.") % {"mode": value}, gettext("Use 'full-dub' or 'voice-over'."),
            field="mode",
        ) from None


def _check_mixable(
    *, track: SubtitleTrack, mode: DubMode, delivery: StemDelivery | None, synthetic: dict[str, str]
) -> None:
    film_duration_ms(track.title)  # a dub goes under a published stream
    for voice_id in synthetic.values():
        check_voice(voice_id=voice_id, language=track.language)
    if delivery is None and not [
        t for t in chosen_takes(track).values() if t.cue.speaker not in synthetic
    ]:
        raise InvalidInput(
            gettext("No cue has a chosen take yet."),
            gettext("Record the cues in the booth and mark one take of each as chosen."),
        )
    has_bed = delivery is not None and (
        bool(delivery.me_stem_name) or delivery.kind == StemDelivery.Kind.FULL_MIX
    )
    if mode is DubMode.FULL_DUB and not has_bed:
        raise InvalidInput(
            gettext("A full dub needs the music-and-effects stem."),
            gettext("Deliver the M&E stem with the studio's stems, or mix a voice-over instead."),
            field="mode",
        )


def order_mix(
    *,
    by: Any,
    track: SubtitleTrack,
    mode: str = DubMode.FULL_DUB,
    delivery: StemDelivery | None = None,
    studio_credit: str = "",
) -> Job:
    """Queue the mix of ``track``'s human dub (see ``mixing.mix_human_dub``), or return
    the mix already under way. Raises NotAllowed without RECORD_DUB; InvalidInput for a
    bad mode, nothing to mix, a full dub without M&E, or a synthetic voice the node lacks;
    DubbingError when the film has no stream."""
    check_track(user=by, track=track, action=Action.RECORD_DUB)
    chosen = _mode(mode)
    synthetic = synthetic_speakers(list(CastRole.objects.filter(track=track)))
    _check_mixable(track=track, mode=chosen, delivery=delivery, synthetic=synthetic)
    running = _under_way(track, MIX)
    if running is not None:
        return running
    return submit_job(
        kind=MIX,
        target=track.title,
        organisation=track.title.owner,
        created_by=by,
        # Synthetic characters need a worker with voices; otherwise any worker with ffmpeg.
        needs=("tts",) if synthetic else None,
        params={
            "track_id": track.pk,
            "language": track.language,
            "mode": str(chosen),
            "delivery_id": delivery.pk if delivery else None,
            "studio_credit": studio_credit[:200],
            "by_id": by.pk,
        },
    )


def order_publish(*, dub: HumanDub, by: Any, territories: Sequence[str] = ()) -> Job:
    """Queue publishing the approved ``dub`` for ``territories``, or return the publish
    already under way. Raises as ``publishing.check_publishable`` (not approved, a consent
    that does not cover it) before anything is queued."""
    wanted = check_publishable(dub=dub, by=by, territories=territories)
    running = _under_way(dub.track, PUBLISH)
    if running is not None:
        return running
    return submit_job(
        kind=PUBLISH,
        target=dub.track.title,
        organisation=dub.track.title.owner,
        created_by=by,
        params={
            "track_id": dub.track_id,
            "language": dub.track.language,
            "dub_id": dub.pk,
            "territories": list(wanted),
            "by_id": by.pk,
        },
    )
