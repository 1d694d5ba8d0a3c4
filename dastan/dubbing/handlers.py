"""Job handlers of the dubbing app: load by id, call the domain function, report progress."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from dastan.dubbing.mixing import mix_human_dub
from dastan.dubbing.models import HumanDub, StemDelivery
from dastan.dubbing.orders import MIX, PUBLISH
from dastan.dubbing.publishing import publish_human_dub
from dastan.jobs.context import JobContext
from dastan.jobs.registry import job_handler
from dastan.localization.models import SubtitleTrack


def _person(ctx: JobContext) -> Any:
    # The person who ordered it: the domain functions check their role again, so a role
    # taken away while the job waited stops it.
    return get_user_model().objects.get(pk=ctx.params["by_id"])


@job_handler(MIX, needs=("mix",))
def mix(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    track = SubtitleTrack.objects.select_related("title__owner").get(pk=p["track_id"])
    delivery = (
        StemDelivery.objects.get(pk=p["delivery_id"], track=track) if p.get("delivery_id") else None
    )
    dub = mix_human_dub(
        by=_person(ctx),
        track=track,
        mode=p["mode"],
        delivery=delivery,
        studio_credit=p.get("studio_credit", ""),
        on_progress=ctx.progress,
    )
    return {
        "dub_id": dub.pk,
        "state": dub.state,
        "loudness": dub.loudness,
        "ai_cues": [c["index"] for c in dub.ai_cues],
    }


@job_handler(PUBLISH, needs=("transcode",))
def publish(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    dub = HumanDub.objects.select_related("track__title__owner").get(pk=p["dub_id"])
    ctx.progress(5, f"checking the consents for {', '.join(p['territories']) or 'every territory'}")
    dub = publish_human_dub(
        dub=dub,
        by=_person(ctx),
        territories=p["territories"],
        on_progress=lambda done, what: ctx.progress(10 + done * 88, what),
    )
    return {"dub_id": dub.pk, "rendition_id": dub.rendition_id, "territories": dub.territories}
