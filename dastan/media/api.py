"""/api/v1/media: what a title's current stream holds. Uploads use tus at /media/tus/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from dastan.accounts.tokens import OptionalTokenAuth
from dastan.media.playback import access_playable
from dastan.media.schemas import StreamOut
from dastan.media.validate import shown_corrections

router = Router(tags=["media"])


@router.get("/titles/{slug}/stream", response=StreamOut, auth=OptionalTokenAuth(),
            summary="The title's current stream")
def get_stream(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Renditions of the published version: rungs, audio languages (with dub/voice-over
    and machine-made marks and their provenance) and subtitles. 404 for a title that is
    not published (code title_not_found, as for a missing one; its organisation's people
    may preview it, with a token or a session) or has no stream yet (code not_published)."""
    # Open to anyone; a token, when sent, lets the owner's people preview a draft.
    title, version = access_playable(slug=slug, user=request.auth)  # type: ignore[attr-defined]
    return {
        "title": title.slug, "version": version.number, "published_at": version.created_at,
        "master_url": reverse("media:master", args=[slug]),
        "watch_url": reverse("media:watch", args=[slug]),
        "corrections": shown_corrections(version.asset.probe),  # in the asker's language
        "video": list(version.video.all()), "audio": list(version.audio.all()),
        "subtitles": list(version.subtitles.all()),
    }
