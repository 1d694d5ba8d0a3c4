"""/api/v1/media: what a title's current stream holds. Uploads use tus at /media/tus/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router

from dastan.catalog.models import Title
from dastan.media.playback import playable_version
from dastan.media.schemas import StreamOut

router = Router(tags=["media"])


@router.get("/titles/{slug}/stream", response=StreamOut, summary="The title's current stream")
def get_stream(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Renditions of the published version: rungs, audio languages (with dub/voice-over
    and machine-made marks and their provenance) and subtitles. 404 (code not_published) before publishing."""
    title = get_object_or_404(Title, slug=slug)
    version = playable_version(title)
    return {
        "title": title.slug, "version": version.number, "published_at": version.created_at,
        "master_url": reverse("media:master", args=[slug]),
        "watch_url": reverse("media:watch", args=[slug]),
        "corrections": version.asset.probe.get("corrections", []),
        "video": list(version.video.all()), "audio": list(version.audio.all()),
        "subtitles": list(version.subtitles.all()),
    }
