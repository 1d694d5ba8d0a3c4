"""Signed media links: one signature per grant, short-lived, bound to the viewer's browser.

A *grant* is what one master playlist (or one watch page) hands a viewer: the folders of
the renditions the rights decision allows, under the title's storage prefix, until an
expiry a few minutes away (``DASTAN_MEDIA_URL_TTL_S``), for one browser. It is signed
once (one keyed BLAKE2b, see _dumps) into a token, and every file the viewer may fetch is
``/media/s/<token>/<folder>/<file>``; relative URIs in a media playlist (``init.mp4``,
``seg_00001.m4s``) resolve under the same token, so media playlists are served
unchanged. Because all URIs of a grant share one token, the player renews them all at
once by swapping in the token of a freshly fetched master (``media/signed-links.js``).

The browser binding: the first signed response sets ``dastan_viewer``, a random HttpOnly
cookie; the token carries a digest of it, and a request whose cookie does not match is
refused (403, "reload the page"), so a link copied into another browser or shared
does not play. The digest, not the key, is in the URL, so a copied URL does not carry
what it would need to be replayed.

A grant for another site's player (``origin``: a federation peer whose viewers play this
node's film, dastan/federation/grants.py) cannot use the cookie, which belongs to this
node's site and is not sent on the player's cross-site requests. It is bound instead to
that site: every request must carry the browser's ``Origin`` header naming it (a browser
sets it and a page cannot change it; opening the link directly sends none), the token
carries the digest of the viewer session id the peer passed, and it lives only as long
as the peer's renewal period, renewed only through the peer, which checks its own
viewer's session first.

Costs per media request: a dict lookup for a token already verified (the HMAC runs
once per token and process), a path check and a 12-byte BLAKE2 of the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext

from dastan.media.errors import BadSignature

SALT = "dastan.media.links"
VIEWER_COOKIE = "dastan_viewer"
DEFAULT_URL_TTL_S = 300
# A revoked licence or an unpublished title stops links within this many seconds.
DEFAULT_RECHECK_S = 60
_NEW_VIEWER_ATTR = "_dastan_new_viewer_key"


def url_ttl_s() -> int:
    """How long a media link lives (``DASTAN_MEDIA_URL_TTL_S``, default 5 minutes): short,
    so that what rights decided stops being usable soon; the player renews before it lapses."""
    return int(getattr(settings, "DASTAN_MEDIA_URL_TTL_S", DEFAULT_URL_TTL_S))


def recheck_s() -> int:
    """How long a grant's publication and licence re-check is trusted
    (``DASTAN_MEDIA_RECHECK_S``, default 60 s; 0 re-checks on every request)."""
    return int(getattr(settings, "DASTAN_MEDIA_RECHECK_S", DEFAULT_RECHECK_S))


@dataclass(frozen=True, slots=True)
class Grant:
    title_id: int
    prefix: str  # the title's storage folder, ending in "/"
    folders: tuple[str, ...]  # folders under prefix that the grant opens, each ending in "/"
    expires_at: int  # unix seconds
    viewer: str  # digest of the viewer key the grant was issued to
    claims: dict[str, Any]
    origin: str = ""  # another site's player the grant is for (scheme://host[:port]); "" for ours


# --- the viewer's key -------------------------------------------------------------------

def viewer_key(request: HttpRequest) -> str:
    """The browser's viewer key: its ``dastan_viewer`` cookie, or a new one that
    :func:`remember_viewer` sets on the response."""
    key = request.COOKIES.get(VIEWER_COOKIE, "")
    if 16 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum():
        return key
    new: str | None = getattr(request, _NEW_VIEWER_ATTR, None)
    if new is None:
        new = secrets.token_urlsafe(24)
        setattr(request, _NEW_VIEWER_ATTR, new)
    return new


def remember_viewer(request: HttpRequest, response: HttpResponseBase) -> None:
    """Set the cookie when :func:`viewer_key` made a new key for this request."""
    new = getattr(request, _NEW_VIEWER_ATTR, None)
    if new is not None:
        # A browser-session cookie, sent by hls.js's same-origin requests; scripts never
        # need it, so it is HttpOnly.
        response.set_cookie(VIEWER_COOKIE, new, httponly=True, samesite="Lax",
                            secure=request.is_secure() or bool(getattr(settings, "SESSION_COOKIE_SECURE", False)))


def viewer_digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


# --- signing and opening ----------------------------------------------------------------

def sign_grant(*, title_id: int, prefix: str, folders: list[str] | tuple[str, ...], viewer: str,
               claims: dict[str, Any] | None = None, ttl_s: int | None = None, origin: str = "",
               page: PageGrants | None = None) -> str:
    """A URL-safe token that opens every file under ``prefix`` + each of ``folders`` for the
    browser whose viewer key is ``viewer``, until ``ttl_s`` (default :func:`url_ttl_s`)
    from now; with ``origin``, for that site's player instead of this site's cookie.
    With ``page`` (a page kept for every anonymous viewer), a placeholder that
    :meth:`PageGrants.fill` replaces with this token signed for each viewer it is sent to."""
    if page is not None:
        return page.hold({"title_id": title_id, "prefix": prefix, "folders": tuple(folders), "claims": claims,
                              "ttl_s": ttl_s, "origin": origin})
    prefix = prefix.rstrip("/") + "/"
    body: dict[str, Any] = {"t": title_id, "p": prefix, "f": sorted({f.strip("/") + "/" for f in folders}),
                            "e": int(time.time()) + (url_ttl_s() if ttl_s is None else ttl_s),
                            "v": viewer_digest(viewer), "c": claims or {}}
    if origin:
        body["o"] = origin
    return _dumps(body)


# A token is ``<base64url JSON body>.<base64url MAC>``: one keyed BLAKE2b over the body
# with a key derived from SECRET_KEY and SALT (django.core.signing's JSON, zlib and
# timestamp cost more than the rest of a master playlist). SECRET_KEY_FALLBACKS still open
# tokens signed before a key rotation.

_JSON = json.JSONEncoder(separators=(",", ":"))


def _dumps(body: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(_JSON.encode(body).encode()).rstrip(b"=")
    return f"{payload.decode()}.{_mac(payload, settings.SECRET_KEY)}"


def _loads(token: str) -> dict[str, Any]:
    payload, _, mac = token.rpartition(".")
    raw = payload.encode()
    if not any(secrets.compare_digest(mac, _mac(raw, key))
               for key in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))):
        raise signing.BadSignature("the media link's signature does not match")
    body = json.loads(base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4)))
    if not isinstance(body, dict):
        raise signing.BadSignature("the media link holds no grant")
    return body


def _mac(payload: bytes, secret: str) -> str:
    # 24 bytes: 32 base64 characters with no spare bits, so no second spelling of one MAC passes.
    return base64.urlsafe_b64encode(hashlib.blake2b(payload, key=_key(secret), digest_size=24).digest()).decode()


@lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    return hashlib.sha256(f"{SALT}:{secret}".encode()).digest()


class PageGrants:
    """The grants of one page that is kept once for every anonymous viewer
    (dastan/web/page_cache.py): the page holds placeholders where its signed links' token
    goes, and each viewer's copy gets a token of its own, signed when it is sent (one HMAC
    per grant), so that the kept bytes hold nothing of any viewer."""

    MARK = "dastan-page-grant-"

    def __init__(self) -> None:
        self.grants: list[dict[str, Any]] = []

    def hold(self, grant: dict[str, Any]) -> str:
        self.grants.append(grant)
        return f"{self.MARK}{len(self.grants) - 1}-"

    def fill(self, content: bytes, *, viewer: str) -> bytes:
        for index, grant in enumerate(self.grants):
            token = sign_grant(viewer=viewer, **grant)
            content = content.replace(f"{self.MARK}{index}-".encode(), token.encode())
        return content


_PAGE_GRANTS_ATTR = "_dastan_page_grants"


def defer_grants(request: HttpRequest) -> PageGrants:
    """Sign this request's grants per viewer when its page is sent (see :class:`PageGrants`)."""
    page = PageGrants()
    setattr(request, _PAGE_GRANTS_ATTR, page)
    return page


def page_grants(request: Any) -> PageGrants | None:
    """The page's deferred grants when :func:`defer_grants` was called for ``request``."""
    return getattr(request, _PAGE_GRANTS_ATTR, None)


@lru_cache(maxsize=4096)
def _verified(token: str) -> Grant:
    # A token's signature never changes its verdict, so it is checked once per process;
    # its expiry is checked on every use (open_token).
    body = _loads(token)
    return Grant(title_id=int(body["t"]), prefix=body["p"], folders=tuple(body["f"]),
                 expires_at=int(body["e"]), viewer=str(body["v"]), claims=dict(body["c"]),
                 origin=str(body.get("o", "")))


def open_token(token: str) -> Grant:
    """The grant a token carries. Raises BadSignature (403) when forged or expired."""
    try:
        grant = _verified(token)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadSignature(gettext("This media link is not valid."),
                           gettext("Reload the page to get a fresh link.")) from exc
    if grant.expires_at < time.time():
        raise BadSignature(gettext("This media link has expired."),
                           gettext("Reload the page: the player asks for fresh links by itself while it plays."),
                           code="link_expired")
    return grant


def grant_origin(token: str) -> str:
    """The other site a genuine token was issued for, expired or not ("" for none or a
    forgery): its answers, refusals included, must be readable by that site's player."""
    try:
        return _verified(token).origin
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return ""


def check_viewer(grant: Grant, request: HttpRequest) -> None:
    """Raise BadSignature (403) unless ``request`` comes from the browser the grant was made
    for: this site's cookie, or for another site's grant that site's ``Origin``."""
    if grant.origin:
        if request.headers.get("Origin", "") != grant.origin:
            raise BadSignature(gettext("This media link was issued to another site's player."),
                               gettext("Play the film from the page of the node that showed it to you."),
                               code="other_origin")
        return
    key = request.COOKIES.get(VIEWER_COOKIE, "")
    if not key or not secrets.compare_digest(viewer_digest(key), grant.viewer):
        raise BadSignature(gettext("This media link was issued to another browser session."),
                           gettext("Reload the page: the player asks for links of its own."), code="other_session")


def outside_link() -> BadSignature:
    """The refusal of a path a media link does not open (both kinds of link say it alike)."""
    return BadSignature(gettext("This media link does not open that file."),
                        gettext("Use the links of the film's playlist."), code="outside_grant")


def relative_file(path: str) -> str:
    """``path`` (what follows a link's token or signature) as a file under it: refused when
    it starts at the root, climbs out (``..``), has an empty part or names no file."""
    if not path or path.startswith("/") or path.endswith("/") or "//" in path or ".." in path.split("/"):
        raise outside_link()
    return path


def name_in_grant(grant: Grant, rest: str) -> str:
    """The storage name for ``rest`` under the grant; refuses anything outside its folders."""
    name = grant.prefix + relative_file(rest)
    if not any(name.startswith(grant.prefix + folder) for folder in grant.folders):
        raise outside_link()
    return name


def link(*, token: str, prefix: str, name: str) -> str:
    """The URL of storage file ``name`` (under ``prefix``) through ``token``."""
    prefix = prefix.rstrip("/") + "/"
    if not name.startswith(prefix):
        raise ValueError(f"{name} is not under {prefix}")
    return reverse("media:signed", kwargs={"token": token, "path": name[len(prefix):]})


def folder_of(name: str, *, prefix: str) -> str:
    """The folder of storage file ``name``, relative to ``prefix``."""
    return posixpath.dirname(name)[len(prefix.rstrip("/")) + 1:]
