"""Pages: a title's public AI page, and the sidecar manifests the playlists point at."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dastan.accounts.permissions import Action
from dastan.catalog.languages import LANGUAGES
from dastan.catalog.selectors import access_title
from dastan.credentials.services import access_credential, manifest_bytes
from dastan.dubbing.ai_page import ai_page
from dastan.dubbing.casting import characters
from dastan.dubbing.models import Take
from dastan.localization.access import access_track


@require_GET
def title_ai_page(request: HttpRequest, slug: str) -> HttpResponse:
    title = access_title(slug=slug, user=request.user)
    return render(request, "dubbing/ai_page.html", {"page": ai_page(title=title), "interface_languages": LANGUAGES})


@require_GET
def sidecar_manifest(request: HttpRequest, sha256: str) -> HttpResponse:
    credential = access_credential(user=request.user, sha256=sha256)
    response = HttpResponse(manifest_bytes(credential), content_type="application/c2pa")
    response["Content-Disposition"] = f'attachment; filename="{credential.asset_sha256}.c2pa"'
    return response


@login_required
@require_GET
def booth(request: HttpRequest, track_id: int) -> HttpResponse:
    """The recording booth of a track: per cue, the line, the guide, countdown, takes."""
    track = access_track(user=request.user, track_id=track_id, action=Action.RECORD_DUB)
    chosen = {t.cue_id: t for t in Take.objects.filter(track=track, chosen=True)}
    source = {c.index: c.text for c in track.source_track.cues.all()} if track.source_track else {}
    cues = [{"id": c.pk, "index": c.index, "start_ms": c.start_ms, "end_ms": c.end_ms, "speaker": c.speaker,
             "text": c.text, "original": source.get(c.index, ""),
             "take": chosen[c.pk].measurement if c.pk in chosen else None}
            for c in track.cues.order_by("start_ms") if c.text.strip()]
    # The guide is the film itself, as its owner's people may watch it (published or not).
    player = reverse("media:master", kwargs={"slug": track.title.slug})
    return render(request, "dubbing/booth.html", {
        "track": track, "cues": cues, "characters": characters(track), "master_url": player,
        "done": len(chosen), "interface_languages": LANGUAGES})
