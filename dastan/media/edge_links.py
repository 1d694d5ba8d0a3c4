"""Folder links the web server checks itself: segments at nginx's speed, no Django per file.

A grant's token (:mod:`dastan.media.links`) needs Django to open it, so behind nginx
every ``/media/s/`` file costs a (cached) ``auth_request``. A *folder link* needs only
a hash that nginx's ``secure_link`` module computes itself::

    /media/k/<signature>/<expires>/<folder>/<file>

    signature = base64url(md5("<expires>|<folder>|<dastan_viewer cookie>|<secret>")), unpadded

``folder`` is the storage name of one rendition's folder (``titles/<slug>/v3/video_720/``),
the same path under the media root that nginx reads, so relative URIs in the media
playlist (``init.mp4``, ``seg_00001.m4s``) resolve under the same link and the playlist
is served as stored. Django mints one such link per folder the rights decision allows
when it serves a master playlist asked for with ``?links=edge`` (what hls.js asks through
``media/signed-links.js``); nginx, or Django itself where no nginx runs, checks:

- the signature, over the expiry, the folder and the browser's ``dastan_viewer``
  cookie: a tampered expiry or folder, or a copied URL played in another browser (another
  cookie, or none), is refused;
- the expiry: at most ``DASTAN_MEDIA_RECHECK_S`` (and never past
  ``DASTAN_MEDIA_URL_TTL_S``) after minting. Nothing is re-checked while a link lives;
  the player renews its links by fetching the master again (every half-life), which runs
  publication and the rights decision again, so a revoked licence or an unpublished
  title stops minting and the links already out lapse within the re-check window — the
  promise ``/media/s/`` links keep by re-checking at most that often. Likewise a link is
  not re-decided for the request's country while it lives: a viewer who moves gets that
  country's answer at the next renewal, within the window.

MD5 with the secret last is what nginx offers (``secure_link_md5``); the secret is
never in a URL, and the message is fixed by Django but for the cookie, which the
server's own charset check limits (``links.viewer_key``).

The secret is ``DASTAN_MEDIA_EDGE_SECRET``, or one derived from ``SECRET_KEY``; it is
written into the configuration ``dastan nginx-config`` prints, which must therefore be
kept as secret as the settings (mode 0600, not in a repository).

**For a CDN** (``DASTAN_MEDIA_CDN``), a shared cache must be able to keep a folder's
files under one URL for every viewer. Then the signature leaves the cookie out, every
viewer who asks within the same half re-check window gets the same expiry (so the same
URL per folder), the link lives between half the window and the whole of it, players
renew every quarter window, and the files are sent ``public``. The trade-off, chosen
with the setting: while a link lives, a copied URL plays in another browser too (as with
any CDN's signed URLs); the rights decision still runs at each renewal.

Where these links are not offered, the master keeps ``/media/s/`` URIs: a browser's own
HLS (Safari without hls.js cannot rewrite URIs, so it could not renew), a federation
peer's player (bound to its site's Origin, not to our cookie), object storage (the
files are not under nginx's root), and ``DASTAN_MEDIA_RECHECK_S = 0`` (check every file).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import posixpath
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from dastan.media import links, storage
from dastan.media.errors import BadSignature

PATH = "/media/k/"
# The query a master is asked for with to carry folder links (signed-links.js sends it).
QUERY = "links"
QUERY_VALUE = "edge"
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{32,}$")


def secret() -> str:
    """The secret nginx and Django share: ``DASTAN_MEDIA_EDGE_SECRET`` or, by default, one
    derived from ``SECRET_KEY`` (changing either invalidates every folder link out)."""
    explicit = str(getattr(settings, "DASTAN_MEDIA_EDGE_SECRET", "") or "")
    if not explicit:
        return _derived(settings.SECRET_KEY)
    if not _SECRET_CHARS.match(explicit):
        raise ImproperlyConfigured(
            "DASTAN_MEDIA_EDGE_SECRET must be at least 32 letters, digits, '-' or '_' (it is written into "
            "nginx's configuration); generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return explicit


@functools.lru_cache(maxsize=4)
def _derived(secret_key: str) -> str:
    # Once per SECRET_KEY, not once per folder of every master (a master signs several).
    return salted_hmac("dastan.media.edge_links", "nginx secure_link", secret=secret_key,
                       algorithm="sha256").hexdigest()


def ttl_s() -> int:
    """How long a folder link lives: the re-check window, never longer than any media link."""
    return max(0, min(links.url_ttl_s(), links.recheck_s()))


def for_cdn() -> bool:
    """Whether folder links are shared by every viewer, for a CDN (``DASTAN_MEDIA_CDN``)."""
    return bool(getattr(settings, "DASTAN_MEDIA_CDN", False))


def bound_to(viewer: str) -> str:
    """The cookie a folder link is bound to: the viewer's, or none for a CDN."""
    return "" if for_cdn() else viewer


def expiry(now: float | None = None) -> int:
    """When a link minted now lapses: the re-check window from now; for a CDN, the end of
    the half window after the current one, the same for every viewer asking in this half
    (so the link lives between half the window and the whole)."""
    now = time.time() if now is None else now
    if not for_cdn():
        return int(now) + ttl_s()
    half = max(1, ttl_s() // 2)
    return (int(now) // half + 2) * half


def cache_control() -> str:
    """How long, and where, a folder link's file may be kept: the browser only (each link
    is one browser's), or any cache for a CDN, for the link's life."""
    return (f"public, max-age={ttl_s()}, immutable" if for_cdn()
            else f"private, max-age={links.url_ttl_s()}, immutable")


def offered(*, origin: str = "") -> bool:
    """Whether a master may carry folder links (see the module's docstring for when not)."""
    return not origin and ttl_s() > 0 and storage.is_local()


def signature(*, folder: str, expires: int, viewer: str) -> str:
    """nginx's ``secure_link`` hash: base64url of the MD5, without padding."""
    message = f"{expires}|{folder}|{viewer}|{secret()}".encode()
    return base64.urlsafe_b64encode(hashlib.md5(message).digest()).rstrip(b"=").decode()


@dataclass(slots=True)
class FolderSigner:
    """Folder links for one master: one expiry, one signature per folder (the master
    playlist fills its kept text with :meth:`folder_part`, playback._with_folder_links)."""

    viewer: str
    expires: int = 0

    def __post_init__(self) -> None:
        if not self.expires:
            self.expires = expiry()

    def url(self, name: str) -> str:
        """The folder link of storage file ``name``."""
        folder, file = posixpath.split(name)
        folder += "/"
        return f"{PATH}{self.folder_part(folder)}{folder}{file}"

    def folder_part(self, folder: str) -> str:
        """What a folder link of ``folder`` (ending in "/") has between ``PATH`` and the
        folder: ``<signature>/<expires>/``."""
        return f"{signature(folder=folder, expires=self.expires, viewer=bound_to(self.viewer))}/{self.expires}/"


def check_request(*, request: HttpRequest, signed: str, expires: int, path: str) -> str:
    """The storage name a folder link opens for this request (what nginx checks, for where
    Django sends the file itself). Raises BadSignature (403): forged or tampered, expired,
    or another browser's."""
    folder, file = posixpath.split(links.relative_file(path))
    folder += "/"
    key = bound_to(request.COOKIES.get(links.VIEWER_COOKIE, ""))
    # A tampered link and another browser's (another cookie, or none) look alike here: the
    # signature covers both, and nothing says which part was changed.
    if (not key and not for_cdn()) or not secrets.compare_digest(signed, signature(folder=folder, expires=expires, viewer=key)):
        raise BadSignature(gettext("This media link is not valid."),
                           gettext("Reload the page to get a fresh link."))
    if expires < time.time():
        raise BadSignature(gettext("This media link has expired."),
                           gettext("Reload the page: the player asks for fresh links by itself while it plays."),
                           code="link_expired")
    return folder + file


def renewal_lines(*, grant_token: str) -> list[str]:
    """The lines a master with folder links carries for signed-links.js: the grant's
    ``/media/s/`` token (the poster and storyboard renew through it) and when to renew."""
    renew_s = max(1, ttl_s() // (4 if for_cdn() else 2))  # before the shortest life a link has
    return [f'#EXT-X-SESSION-DATA:DATA-ID="net.dastan.media.grant",VALUE="/media/s/{grant_token}/"',
            f'#EXT-X-SESSION-DATA:DATA-ID="net.dastan.media.renew-s",VALUE="{renew_s}"']
