"""Playback: the master playlist built for one request, and signed, short-lived URLs for
everything it points at.

The rights app decides *what* a viewer may play (languages, height, territory); this
module turns that decision into a playlist. Each rendition's URL carries a token signed
with the node's secret (django.core.signing) that names the rendition's folder, an
expiry and the decision's claims; :func:`open_token` checks it. Relative URIs in a media
playlist (``init.mp4``, ``seg_00001.m4s``) resolve under the same token, so media
playlists are served unchanged.

Who sends the bytes: the embedded default answers with the file itself (FileResponse);
with ``DASTAN_MEDIA_ACCEL_REDIRECT = "/protected-media/"`` the view answers with an
``X-Accel-Redirect`` to that internal nginx location instead; with object storage it
redirects to the storage's own short-lived URL. Python decides, the web server sends.
"""

from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from dastan.catalog.models import Title
from dastan.media.errors import BadSignature, NotPublished
from dastan.media.models import Version
from dastan.media.package import current_version, render_master

SALT = "dastan.media.playback"
DEFAULT_TTL_S = 6 * 3600  # long enough for a film and a pause; a new master refreshes it


@dataclass(frozen=True, slots=True)
class PlaybackLimits:
    """What a viewer may play; None means no limit. The rights decision fills this."""

    audio_languages: frozenset[str] | None = None
    subtitle_languages: frozenset[str] | None = None
    max_height: int | None = None
    claims: dict[str, Any] = field(default_factory=dict)  # e.g. {"territory": "KZ", "licence": 7}


@dataclass(frozen=True, slots=True)
class Grant:
    prefix: str  # storage folder the token opens, ending in "/"
    expires_at: int  # unix seconds
    claims: dict[str, Any]


def sign_prefix(*, prefix: str, ttl_s: int = DEFAULT_TTL_S, claims: dict[str, Any] | None = None) -> str:
    """A URL-safe token that opens every file under ``prefix`` until ``ttl_s`` from now."""
    body = {"p": prefix.rstrip("/") + "/", "e": int(time.time()) + ttl_s, "c": claims or {}}
    return signing.dumps(body, salt=SALT, compress=True)


def open_token(token: str) -> Grant:
    """The grant a token carries. Raises BadSignature when forged or expired."""
    try:
        body = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise BadSignature("This media link is not valid.",
                           "Open the film's page again to get a fresh link.") from exc
    if int(body["e"]) < time.time():
        raise BadSignature("This media link has expired.",
                           "Reload the player: it asks for a fresh link.", code="link_expired")
    return Grant(prefix=body["p"], expires_at=int(body["e"]), claims=dict(body["c"]))


def name_in_grant(grant: Grant, rest: str) -> str:
    """The storage name for ``rest`` under the grant; refuses anything outside it."""
    name = posixpath.normpath(grant.prefix + rest)
    if rest.startswith("/") or ".." in rest.split("/") or not name.startswith(grant.prefix):
        raise BadSignature("This media link does not open that file.",
                           "Use the links of the film's playlist.", code="outside_grant")
    return name


def signed_url(storage_name: str, *, ttl_s: int, claims: dict[str, Any]) -> str:
    folder, filename = posixpath.split(storage_name)
    token = sign_prefix(prefix=folder, ttl_s=ttl_s, claims=claims)
    return reverse("media:signed", kwargs={"token": token, "path": filename})


def playable_version(title: Title) -> Version:
    version = current_version(title)
    if version is None:
        raise NotPublished(f"'{title.slug}' has no stream yet.",
                           "Ingest the film's master; the stream appears when packaging ends.",
                           status=404)
    return version


def build_master_playlist(*, title: Title, limits: PlaybackLimits | None = None,
                          ttl_s: int = DEFAULT_TTL_S) -> str:
    """The master playlist of ``title``'s current version for one viewer.

    Only the audio and subtitle languages in ``limits`` and the rungs up to
    ``limits.max_height`` appear; every URI is signed for ``ttl_s`` with
    ``limits.claims``. Raises NotPublished, or PlaybackNotAllowed when the limits leave
    no picture or no sound to play.
    """
    limits = limits or PlaybackLimits()
    version = playable_version(title)
    video = [v for v in version.video.all()
             if limits.max_height is None or min(v.width, v.height) <= limits.max_height]
    audio = [a for a in version.audio.all()
             if limits.audio_languages is None or a.language in limits.audio_languages]
    subtitles = [s for s in version.subtitles.all()
                 if limits.subtitle_languages is None or s.language in limits.subtitle_languages]
    if not video or not audio:
        missing = "picture" if not video else "sound"
        raise PlaybackNotAllowed(
            f"No {missing} of '{title.slug}' may be played here.",
            "The licence for this territory does not cover the film's available "
            + ("sizes." if not video else "languages."),
        )
    claims = {**limits.claims, "title": title.slug, "version": version.number}
    return render_master(video=video, audio=audio, subtitles=subtitles,
                         uri_for=lambda name: signed_url(name, ttl_s=ttl_s, claims=claims))


class PlaybackNotAllowed(NotPublished):
    code = "playback_not_allowed"
    status = 403


def limits_for_request(request: Any, title: Title) -> PlaybackLimits:
    """The playback limits for this viewer: the rights app's decision when it provides
    ``DASTAN_PLAYBACK_LIMITS`` (a dotted path to ``f(request, title) -> PlaybackLimits``),
    otherwise everything."""
    path = getattr(settings, "DASTAN_PLAYBACK_LIMITS", "")
    if not path:
        return PlaybackLimits()
    from django.utils.module_loading import import_string

    decide = import_string(path)
    result: PlaybackLimits = decide(request, title)
    return result


def check_signed_request(request: Any, grant: Grant) -> None:
    """Re-check a signed URL's claims against the request that uses it (a link issued in
    one country used from another), through ``DASTAN_SIGNED_REQUEST_CHECK``: a dotted
    path to ``f(request, claims)`` that raises a DastanError (the rights app's
    ``dastan.rights.playback.check_signed_request``). Without it, the signature and
    expiry are the only checks."""
    path = getattr(settings, "DASTAN_SIGNED_REQUEST_CHECK", "")
    if path:
        from django.utils.module_loading import import_string

        import_string(path)(request, grant.claims)


def accel_prefix() -> str:
    return str(getattr(settings, "DASTAN_MEDIA_ACCEL_REDIRECT", ""))


CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment", ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8", ".jpg": "image/jpeg", ".ts": "video/mp2t",
}


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(posixpath.splitext(name)[1], "application/octet-stream")
