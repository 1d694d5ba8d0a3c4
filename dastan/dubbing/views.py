"""Pages: a title's public AI page, the sidecar manifests the playlists point at, the
recording booth, and the human dub's review desk (per-cue review, mix, approval and
publishing; mix and publish are queued as jobs whose progress the page follows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dastan.accounts.permissions import Action
from dastan.catalog.languages import LANGUAGES
from dastan.catalog.selectors import access_title
from dastan.credentials.services import access_credential, manifest_bytes
from dastan.dubbing import cue_review, orders, publishing
from dastan.dubbing.ai_page import ai_page
from dastan.dubbing.booth import booth as booth_of
from dastan.dubbing.desk import dub_desk
from dastan.dubbing.models import HumanDub, StemDelivery
from dastan.errors import NotFound
from dastan.flash import act_and_return
from dastan.jobs.remote.transfer import byte_range, read_range
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
    # The guide is the film itself, as its owner's people may watch it (published or not).
    player = reverse("media:master", kwargs={"slug": track.title.slug})
    return render(request, "dubbing/booth.html", {
        "track": track, "booth": booth_of(user=request.user, track=track), "master_url": player,
        "interface_languages": LANGUAGES})  # fmt: skip


# --- the human dub's review desk ------------------------------------------------------------------


@login_required
@require_GET
def desk(request: HttpRequest, track_id: int) -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    return render(request, "dubbing/desk.html", {
        "desk": dub_desk(user=request.user, track=track), "interface_languages": LANGUAGES,
        "master_url": reverse("media:master", kwargs={"slug": track.title.slug})})  # fmt: skip


def _act(request: HttpRequest, track_id: int, action: Callable[[], Any], done: str, anchor: str = "") -> HttpResponse:
    return act_and_return(request, action, done=done, to=reverse("dubbing:desk", args=[track_id]) + anchor)


def _dub(request: HttpRequest, track_id: int, action: Action) -> HumanDub:
    track = access_track(user=request.user, track_id=track_id, action=action)
    dub = HumanDub.objects.filter(track=track).select_related("track__title__owner").first()
    if dub is None:
        raise NotFound(_("This track has no human dub yet."), _("Mix one from booth takes or studio stems first."))
    return dub


@login_required
@require_POST
def review_take(request: HttpRequest, track_id: int, take_id: int) -> HttpResponse:
    take = cue_review.access_take(user=request.user, take_id=take_id, action=Action.VIEW_DRAFTS)
    if take.track_id != track_id:
        raise NotFound(_("That take is not one of this track's."), _("Reload the review desk."))
    verdict = request.POST.get("verdict", "")
    done = _("Take approved.") if verdict == "approve" else _("Sent back to the actor with your note.")
    return _act(request, track_id, lambda: cue_review.review_take(
        by=request.user, take=take, verdict=verdict, note=request.POST.get("note", "")),
        done, f"#cue-{take.cue.index}")  # fmt: skip


@login_required
@require_POST
def mix(request: HttpRequest, track_id: int) -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.RECORD_DUB)
    delivery = StemDelivery.objects.filter(track=track).order_by("-pk").first() \
        if request.POST.get("from") == "studio" else None  # fmt: skip
    return _act(request, track_id, lambda: orders.order_mix(
        by=request.user, track=track, mode=request.POST.get("mode", "voice-over"), delivery=delivery,
        studio_credit=request.POST.get("studio_credit", "")), _("Mixing: the page follows the job."))  # fmt: skip


@login_required
@require_POST
def approve(request: HttpRequest, track_id: int) -> HttpResponse:
    dub = _dub(request, track_id, Action.VIEW_DRAFTS)
    return _act(request, track_id, lambda: publishing.approve_human_dub(dub=dub, reviewer=request.user),
                _("The human dub is approved."))  # fmt: skip


@login_required
@require_POST
def publish(request: HttpRequest, track_id: int) -> HttpResponse:
    dub = _dub(request, track_id, Action.VIEW_DRAFTS)
    territories = request.POST.get("territories", "").replace(",", " ").split()
    return _act(request, track_id, lambda: orders.order_publish(dub=dub, by=request.user, territories=territories),
                _("Publishing: the page follows the job."))  # fmt: skip


def _wav(request: HttpRequest, name: str) -> StreamingHttpResponse:
    """The WAV, honouring one byte range: a browser seeks a sound only when its server
    answers ranges (206), and the desk starts a take or the mix where the picture is."""
    if not name:
        raise NotFound(_("There is no sound to play here yet."), _("Record or mix it first."))
    size = default_storage.size(name)
    wanted = byte_range(request.headers.get("Range", ""), size)
    first, last = wanted if wanted else (0, size - 1)
    response = StreamingHttpResponse(read_range(name, first, last), status=206 if wanted else 200,
                                     content_type="audio/wav")
    response["Accept-Ranges"] = "bytes"
    response["Content-Length"] = str(last - first + 1)
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response


@login_required
@require_GET
def take_audio(request: HttpRequest, take_id: int) -> StreamingHttpResponse:
    """One take as the node keeps it: cut so that its time 0 is the cue's start."""
    take = cue_review.access_take(user=request.user, take_id=take_id, action=Action.VIEW_DRAFTS)
    return _wav(request, take.storage_name)


@login_required
@require_GET
def dub_audio(request: HttpRequest, track_id: int) -> StreamingHttpResponse:
    """The whole mix, for listening against the picture before approval."""
    return _wav(request, _dub(request, track_id, Action.VIEW_DRAFTS).storage_name)
