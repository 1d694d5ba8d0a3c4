"""Private screeners: an applicant's film or a participant's rough cut through the media
pipeline (ingest → transcode → package), played only to the people
:func:`dastan.labs.access.check_screener` allows.

A screener is an unpublished catalogue title with no owner, so the catalogue, the public
player and the media app's own signed links (``/media/s/…``, which re-check publication)
never play it to anyone. Labs signs its own grants with the media app's link signing
(``dastan.media.links``: one token per grant, bound to the viewer's browser) carrying the
viewer's user id, and serves them at ``/labs/s/<token>/…``, where every request re-checks
that the same person still may watch (at most every ``DASTAN_MEDIA_RECHECK_S`` seconds):
a member who declares a conflict loses the screener within that window.

Grants live as long as the public player's links (``DASTAN_MEDIA_URL_TTL_S``, minutes),
not a sitting: the page renews them at half their age the way the public player does
(``media/signed-links.js``, through the screener's master, which checks the person
again), so a committee member watching a three-hour film is never cut off, and a link
copied out of the page is dead within minutes.

The page draws a visible watermark over the picture with the viewer's name and the time
(``labs/screener.js``), so a filmed screen names who filmed it.
"""

from __future__ import annotations

import hashlib
import posixpath
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dastan.accounts.permissions import NotAllowed
from dastan.catalog.models import Title
from dastan.labs.access import (
    Purpose,
    access_room,
    access_screener,
    check_application,
    check_screener,
)
from dastan.labs.calls import check_draft
from dastan.labs.files import check_file_room
from dastan.labs.mentoring import check_compute_left
from dastan.labs.models import Application, FormField, Room, Screener
from dastan.media import links
from dastan.media.errors import BadSignature, NotPublished
from dastan.media.package import current_version, render_master
from dastan.media.playback import PlaybackLimits, sign_version
from dastan.media.services import submit_ingest
from dastan.media.transcode import poster_name


def _screener_title(*, country: str) -> Title:
    return Title.objects.create(slug=f"labs-screener-{uuid.uuid4().hex[:16]}", original_language="en",
                                country_of_origin=country or "ZZ", is_published=False, owner=None)


def _stage(content: IO[bytes], filename: str, folder: str) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    safe = get_valid_filename(posixpath.basename(filename)) or "film.mp4"
    return default_storage.save(f"labs/incoming/{folder}/{digest.hexdigest()[:16]}-{safe}", File(content))


@transaction.atomic
def add_application_film(*, user: Any, application: Application, field_key: str, filename: str,
                         content: IO[bytes], size_bytes: int) -> Screener:
    """Send the applicant's film for ``field_key`` through the media pipeline as a private
    screener (the jobs run on the node's workers; the committee can play it when packaged)."""
    check_application(user=user, application=application, purpose=Purpose.EDIT)
    check_draft(application)
    check_file_room(application=application, field_key=field_key, kinds=(FormField.Kind.FILM,),
                    size_bytes=size_bytes)
    title = _screener_title(country=application.country)
    stored = _stage(content, filename, f"a{application.pk}")
    screener = Screener.objects.create(title=title, purpose=Screener.Purpose.APPLICATION, application=application,
                                       field_key=field_key, filename=posixpath.basename(filename))
    submit_ingest(title=title, source_name=stored, filename=screener.filename, created_by=user)
    return screener


@transaction.atomic
def add_rough_cut(*, user: Any, room: Room, filename: str, content: IO[bytes]) -> Screener:
    """The participant's rough cut, through the media pipeline, private to the room."""
    room = access_room(user=user, room_id=room.pk)
    if room.application.applicant_id != user.pk:
        raise NotAllowed(_("Only the participant uploads cuts to this room."), "", code="not_participant")
    check_compute_left(room=room)
    title = _screener_title(country=room.application.country)
    stored = _stage(content, filename, f"r{room.pk}")
    screener = Screener.objects.create(title=title, purpose=Screener.Purpose.ROUGH_CUT, room=room,
                                       filename=posixpath.basename(filename))
    submit_ingest(title=title, source_name=stored, filename=screener.filename, created_by=user)
    return screener


def is_ready(screener: Screener) -> bool:
    return current_version(screener.title) is not None


# --- grants -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ScreenerPlayer:
    screener_id: int
    master_url: str
    poster_url: str
    watermark: str  # the viewer's name, drawn over the picture with the time
    renew_s: int  # the page fetches fresh links when the ones it has are this old


def _signed(*, screener: Screener, user: Any, viewer: str) -> tuple[str, str, Any]:
    version = current_version(screener.title)
    if version is None:
        return "", "", None
    claims = {"labs_screener": screener.pk, "labs_user": user.pk}
    signed = sign_version(title=screener.title, version=version, limits=PlaybackLimits(claims=claims),
                          viewer=viewer, ttl_s=links.url_ttl_s())
    return signed.token, signed.prefix, version


def _url(token: str, prefix: str, name: str) -> str:
    return reverse("labs:screener-file", kwargs={"token": token, "path": name[len(prefix):]})


def player_for(*, request: HttpRequest, screener_id: int) -> ScreenerPlayer | None:
    """What the page needs to play the screener to this viewer; None while the film is
    still in the pipeline. Raises like :func:`access_screener`."""
    screener = access_screener(user=request.user, screener_id=screener_id)
    token, prefix, version = _signed(screener=screener, user=request.user, viewer=links.viewer_key(request))
    if version is None:
        return None
    user: User = request.user  # type: ignore[assignment]
    return ScreenerPlayer(screener_id=screener.pk,
                          master_url=reverse("labs:screener-master", kwargs={"screener_id": screener.pk}),
                          poster_url=_url(token, prefix, poster_name(version.asset)),
                          watermark=user.get_full_name() or user.username, renew_s=max(1, links.url_ttl_s() // 2))


def master_for(*, request: HttpRequest, screener_id: int) -> str:
    """The screener's master playlist for this viewer, every URI through a grant of theirs."""
    screener = access_screener(user=request.user, screener_id=screener_id)
    token, prefix, version = _signed(screener=screener, user=request.user, viewer=links.viewer_key(request))
    if version is None:
        raise NotPublished(_("The film is still being processed."), _("Reload in a few minutes."), status=404)
    return render_master(video=list(version.video.all()), audio=list(version.audio.all()),
                         subtitles=list(version.subtitles.all()), uri_for=lambda name: _url(token, prefix, name))


def check_screener_request(*, request: HttpRequest, token: str, path: str) -> str:
    """The storage name a screener request may read. Raises BadSignature (403: forged,
    expired, another browser's, not a labs grant, another person's) or NotFoundForUser
    (404: the person may no longer watch)."""
    grant = links.open_token(token)
    name = links.name_in_grant(grant, path)
    links.check_viewer(grant, request)
    screener_id = grant.claims.get("labs_screener")
    if screener_id is None or grant.claims.get("labs_user") != getattr(request.user, "pk", None):
        raise BadSignature(_("This screener link is not yours."), _("Open the screener from your own page."),
                           code="not_your_link")
    key = "dastan.labs.screener:" + hashlib.blake2b(token.encode(), digest_size=12).hexdigest()
    if not cache.get(key):
        screener = Screener.objects.select_related("application__call", "room").filter(pk=screener_id).first()
        if screener is None or screener.title_id != grant.title_id:
            raise BadSignature(_("This screener link is not valid."), "", code="bad_link")
        check_screener(user=request.user, screener=screener)
        window_s = links.recheck_s()
        if window_s > 0:
            cache.set(key, True, window_s)
    return name


def watermark_text(*, user: User) -> str:
    return f"{user.get_full_name() or user.username} · {timezone.now():%Y-%m-%d %H:%M} UTC"
