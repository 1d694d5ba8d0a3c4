"""Playback: who may play a title, the master playlist built for one request, and the
checks a signed media request passes.

Publication is one rule, :func:`check_playable`: a title reaches a viewer only when it is
published (``Title.is_published``) and its stream points at a version; people of the
owning organisation who may see its drafts may preview it. Every path that reveals a
stream calls it: the master playlist, the watch pages, the stream API, and (through
:func:`check_media_request`, re-checked at least every ``DASTAN_MEDIA_RECHECK_S``) every
signed playlist, segment, subtitle file and thumbnail. Anything else answers 404, as a
title that does not exist would: an unpublished title's existence is not disclosed.

The rights app decides *what* a viewer may play (languages, height, territory); this
module turns that decision into a grant (``links``: one signed token for the folders
allowed, bound to the viewer's browser, living minutes) and a playlist.

Who sends the bytes: the embedded default answers with the file itself (FileResponse);
with ``DASTAN_MEDIA_ACCEL_REDIRECT = "/protected-media/"`` the view answers with an
``X-Accel-Redirect`` to that internal nginx location instead; with object storage it
redirects to the storage's own short-lived URL. Python decides, the web server sends.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, can
from dastan.catalog import cache as catalog_cache
from dastan.catalog.errors import TitleNotFound
from dastan.catalog.models import Title
from dastan.media import edge_links, links
from dastan.media.errors import NotPublished
from dastan.media.models import Version
from dastan.media.package import current_version, render_master
from dastan.media.transcode import poster_name, storyboard_name


@dataclass(frozen=True, slots=True)
class PlaybackLimits:
    """What a viewer may play; None means no limit. The rights decision fills this."""

    audio_languages: frozenset[str] | None = None
    subtitle_languages: frozenset[str] | None = None
    max_height: int | None = None
    claims: dict[str, Any] = field(default_factory=dict)  # e.g. {"territory": "KZ", "licence": 7}


class PlaybackNotAllowed(NotPublished):
    code = "playback_not_allowed"
    status = 403


# --- publication: the one rule ----------------------------------------------------------

def may_preview(*, user: Any, title: Title) -> bool:
    """Whether ``user`` may play ``title`` before it is published: people of its owner
    who may see the owner's drafts. The one place playback asks the permission model."""
    return can(user=user, action=Action.VIEW_DRAFTS, organisation_id=title.owner_id)


def check_playable(*, title: Title, user: Any) -> Version:
    """The version of ``title`` that ``user`` may play now.

    Raises TitleNotFound (404) when the title is not published and ``user`` may not
    preview it (the same answer as for a title that does not exist), NotPublished (404)
    when it has no stream. Re-ingesting or adding a track to an unpublished title points
    its stream at a new version but publishes nothing: only ``publishing.publish_title``
    does."""
    if not title.is_published and not may_preview(user=user, title=title):
        raise TitleNotFound(title.slug)
    return current_stream_version(title)


def access_playable(*, slug: str, user: Any) -> tuple[Title, Version]:
    """The title with ``slug`` and the version ``user`` may play; raises like
    :func:`check_playable`, and TitleNotFound for a slug that does not exist."""
    found = catalog_cache.cached("playable", (slug,), lambda: _title_and_version(slug), local=True)
    if found is None:
        raise TitleNotFound(slug)
    title, _version = found  # the Title carries its version (_title_and_version); shared, only read
    return title, check_playable(title=title, user=user)


def _title_and_version(slug: str) -> tuple[Title, Version | None] | None:
    # Kept in the catalogue's read cache: publishing, unpublishing and a new version all
    # replace its version, and nothing per viewer is in it.
    title = Title.objects.select_related("owner").filter(slug=slug).first()
    if title is None:
        return None
    version = current_version(title)
    if version is not None:
        setattr(title, _VERSION_ATTR, version)
    return title, version


def current_stream_version(title: Title) -> Version:
    """The current version whatever its publication, for code that already checked it
    (the rights decision reads its languages). Raises NotPublished (404) when none.

    A viewer's request reads it once: :func:`access_playable` pins the version it found to
    the Title it hands that request, which asks again for publication, the rights decision
    and the signing. Any other Title reads it afresh each time: code that holds a Title
    across a change (a dub withdrawn, a track added) sees the version that change made."""
    known: Version | None = getattr(title, _VERSION_ATTR, None)
    if known is not None:
        return known
    version = current_version(title)
    if version is None:
        raise NotPublished(gettext("'%(title)s' has no stream yet.") % {"title": title.slug},
                           gettext("Ingest the film's master; the stream appears when packaging ends."),
                           status=404)
    return version


_VERSION_ATTR = "_dastan_stream_version"


def renditions_of(version: Version) -> tuple[list[Any], list[Any], list[Any]]:
    """The video, audio and subtitle renditions of ``version``: a version never changes
    once published (a new track is a new version), so they are kept in the catalogue's
    read cache (:mod:`dastan.catalog.cache`) instead of three queries per master. The
    lists and renditions are shared with other requests: read them, never change them."""
    return catalog_cache.cached("renditions", (version.pk, version.number), lambda: (
        list(version.video.all()), list(version.audio.all()), list(version.subtitles.all())), local=True)


# --- grants and the master ----------------------------------------------------------------

def _allowed(version: Version, limits: PlaybackLimits) -> tuple[list[Any], list[Any], list[Any]]:
    all_video, all_audio, all_subtitles = renditions_of(version)
    video = [v for v in all_video if limits.max_height is None or min(v.width, v.height) <= limits.max_height]
    audio = [a for a in all_audio if limits.audio_languages is None or a.language in limits.audio_languages]
    subtitles = [s for s in all_subtitles
                 if limits.subtitle_languages is None or s.language in limits.subtitle_languages]
    return video, audio, subtitles


@dataclass(frozen=True, slots=True)
class SignedVersion:
    token: str
    prefix: str

    def url(self, name: str) -> str:
        return links.link(token=self.token, prefix=self.prefix, name=name)


def sign_version(*, title: Title, version: Version, limits: PlaybackLimits, viewer: str,
                 ttl_s: int | None = None,
                 allowed: tuple[list[Any], list[Any], list[Any]] | None = None, origin: str = "",
                 page: links.PageGrants | None = None) -> SignedVersion:
    """One token for everything of ``version`` that ``limits`` allow (renditions, poster
    and storyboard), for the browser with viewer key ``viewer`` (or, with ``origin``, for
    that other site's player: ``links.check_viewer``); ``allowed`` is :func:`_allowed`'s
    answer when the caller already has it (saves its queries)."""
    video, audio, subtitles = allowed or _allowed(version, limits)
    names = [r.playlist_name for r in (*video, *audio, *subtitles)] + [poster_name(version.asset)]
    # The folder all of them share (``titles/<slug>``, as it was when they were stored).
    prefix = posixpath.commonpath([posixpath.dirname(n) for n in names]) + "/"
    claims = {**limits.claims, "title": title.slug, "version": version.number}
    token = links.sign_grant(title_id=title.pk, prefix=prefix, viewer=viewer, claims=claims, ttl_s=ttl_s,
                             folders=[links.folder_of(n, prefix=prefix) for n in names], origin=origin, page=page)
    return SignedVersion(token=token, prefix=prefix)


def build_master_playlist(*, title: Title, user: Any = None, limits: PlaybackLimits | None = None,
                          viewer: str = "", ttl_s: int | None = None, origin: str = "", base_url: str = "",
                          edge: bool = False) -> str:
    """The master playlist of ``title``'s current version for one viewer.

    Checks publication first (:func:`check_playable`). Only the audio and subtitle
    languages in ``limits`` and the rungs up to ``limits.max_height`` appear; every URI
    goes through one token for ``viewer`` (the browser's viewer key) that lives ``ttl_s``
    (default ``DASTAN_MEDIA_URL_TTL_S``). With ``origin`` the token is for that other
    site's player and ``base_url`` (this node's public address) makes every URI absolute,
    since that player loads the master from its own site. Raises TitleNotFound or
    NotPublished (404), or PlaybackNotAllowed when the limits leave no picture or no sound.
    With ``edge`` (a player that renews its links, where :func:`edge_links.offered`), the
    renditions' URIs are folder links that the web server checks itself, living the
    re-check window; the grant's token still comes along for the poster and storyboard.
    """
    limits = limits or PlaybackLimits()
    version = check_playable(title=title, user=user)
    master = _master_without_token(version=version, limits=limits, base=base_url.rstrip("/"))
    if master.missing == "picture":
        raise PlaybackNotAllowed(
            gettext("No picture of '%(title)s' may be played here.") % {"title": title.slug},
            gettext("The licence for this territory does not cover the film's available sizes."))
    if master.missing == "sound":
        raise PlaybackNotAllowed(
            gettext("No sound of '%(title)s' may be played here.") % {"title": title.slug},
            gettext("The licence for this territory does not cover the film's available languages."))
    claims = {**limits.claims, "title": title.slug, "version": version.number}
    token = links.sign_grant(title_id=title.pk, prefix=master.prefix, folders=master.folders, viewer=viewer,
                             claims=claims, ttl_s=ttl_s, origin=origin)
    if edge and viewer and edge_links.offered(origin=origin):
        return _with_folder_links(master, viewer=viewer, grant_token=token)
    return token.join(master.parts)


def _with_folder_links(master: _MasterText, *, viewer: str, grant_token: str) -> str:
    """The master with a folder link per rendition (one MD5 per folder) and the lines
    signed-links.js renews them by."""
    signer = edge_links.FolderSigner(viewer=viewer)
    filled = {folder: signer.folder_part(folder) for folder in set(master.edge_folders)}
    pieces = [master.edge_parts[0]]
    for folder, part in zip(master.edge_folders, master.edge_parts[1:], strict=True):
        pieces += [filled[folder], part]
    text = "".join(pieces)
    return text.rstrip("\n") + "\n" + "\n".join(edge_links.renewal_lines(grant_token=grant_token)) + "\n"


@dataclass(frozen=True, slots=True)
class _MasterText:
    """A master playlist as :func:`sign_version` and ``render_master`` would write it, cut
    where its token goes: the same for every viewer whose limits allow the same renditions."""

    prefix: str
    folders: tuple[str, ...]
    parts: tuple[str, ...]  # the text is token.join(parts)
    # The text with folder links: edge_parts[0] + for each gap i, that folder's
    # "<signature>/<expires>/" + edge_parts[i + 1], the gap's folder being edge_folders[i].
    edge_parts: tuple[str, ...]
    edge_folders: tuple[str, ...]
    missing: str = ""  # "picture" or "sound" when the limits leave none (then nothing else is set)


def _master_without_token(*, version: Version, limits: PlaybackLimits, base: str) -> _MasterText:
    # Kept per version, limits and address (the catalogue's read cache, shared by every
    # viewer): a viewer's master then costs one signature and a join.
    key = (version.pk, version.number, _sorted(limits.audio_languages), _sorted(limits.subtitle_languages),
           limits.max_height, base, get_script_prefix())
    return catalog_cache.cached("master", key, lambda: _render_without_token(
        version=version, limits=limits, base=base), local=True)


def _sorted(languages: frozenset[str] | None) -> tuple[str, ...] | None:
    return None if languages is None else tuple(sorted(languages))


def _render_without_token(*, version: Version, limits: PlaybackLimits, base: str) -> _MasterText:
    video, audio, subtitles = _allowed(version, limits)
    if not video or not audio:
        return _MasterText(prefix="", folders=(), parts=(), edge_parts=(), edge_folders=(),
                           missing="sound" if video else "picture")
    names = [r.playlist_name for r in (*video, *audio, *subtitles)] + [poster_name(version.asset)]
    prefix = posixpath.commonpath([posixpath.dirname(n) for n in names]) + "/"
    marker = f"dastan-token-{secrets.token_hex(12)}"  # never in a name: random per rendering
    text = render_master(video=video, audio=audio, subtitles=subtitles,
                         uri_for=lambda name: base + links.link(token=marker, prefix=prefix, name=name))
    # The same text with folder links (edge_links): cut where each folder's signature and
    # expiry go, the gap's folder named by its number in ``edge_folders``.
    folders: list[str] = []

    def edge_uri(name: str) -> str:
        folder, file = posixpath.split(name)
        folder += "/"
        if folder not in folders:
            folders.append(folder)
        return f"{edge_links.PATH}{marker}{folders.index(folder)}~{folder}{file}"

    edge_text = render_master(video=video, audio=audio, subtitles=subtitles, uri_for=edge_uri)
    cut = re.split(re.escape(marker) + r"(\d+)~", edge_text)
    return _MasterText(prefix=prefix, folders=tuple(links.folder_of(n, prefix=prefix) for n in names),
                       parts=tuple(text.split(marker)), edge_parts=tuple(cut[0::2]),
                       edge_folders=tuple(folders[int(i)] for i in cut[1::2]))


def master_playlist_for_request(*, request: HttpRequest, slug: str) -> str:
    """The master for this request's viewer: publication, then the rights decision, then
    a grant bound to the browser (its cookie is set by ``links.remember_viewer``); folder
    links (:mod:`edge_links`) when the player asks for them with ``?links=edge``."""
    title, _version = access_playable(slug=slug, user=request.user)
    return build_master_playlist(title=title, user=request.user, limits=limits_for_request(request, title),
                                 viewer=links.viewer_key(request),
                                 edge=request.GET.get(edge_links.QUERY) == edge_links.QUERY_VALUE)


@dataclass(frozen=True, slots=True)
class WatchLinks:
    title: Title
    version: Version
    limits: PlaybackLimits
    poster_url: str
    storyboard_url: str


def watch_links_for_request(*, request: HttpRequest, title: Title) -> WatchLinks:
    """What a watch page needs besides the master's URL: the poster and storyboard,
    signed like the master (the player swaps in fresher tokens as it renews). Raises
    like :func:`check_playable`, and the rights app's refusal (451). For a page kept for
    every anonymous viewer (``links.defer_grants``) the token is signed per viewer later."""
    version = check_playable(title=title, user=request.user)
    limits = limits_for_request(request, title)
    page = links.page_grants(request)
    viewer = "" if page is not None else links.viewer_key(request)
    signed = sign_version(title=title, version=version, limits=limits, viewer=viewer, page=page)
    return WatchLinks(title=title, version=version, limits=limits, poster_url=signed.url(poster_name(version.asset)),
                      storyboard_url=signed.url(storyboard_name(version.asset)))


def limits_for_request(request: Any, title: Title) -> PlaybackLimits:
    """The playback limits for this viewer: the rights app's decision when it provides
    ``DASTAN_PLAYBACK_LIMITS`` (a dotted path to ``f(request, title) -> PlaybackLimits``),
    otherwise everything."""
    path = getattr(settings, "DASTAN_PLAYBACK_LIMITS", "")
    if not path:
        return PlaybackLimits()
    result: PlaybackLimits = _hook(path)(request, title)
    return result


@lru_cache(maxsize=64)
def _hook(path: str) -> Any:
    """The function a setting names by its dotted path, imported once per path."""
    return import_string(path)


# --- each signed request ---------------------------------------------------------------

def check_media_request(*, request: HttpRequest, token: str, path: str) -> str:
    """The storage name a signed request may read. Raises BadSignature (403: forged,
    expired, another browser's, outside the grant), TitleNotFound (404: no longer
    published) or the rights hook's refusal (451: licence revoked or ended, other country).

    The signature and browser are checked on every request; publication and the licence
    decision at most every ``DASTAN_MEDIA_RECHECK_S`` seconds per grant (cached), so a
    revoked licence or an unpublished title stops its links within that window without
    a database query per segment."""
    grant = links.open_token(token)
    name = links.name_in_grant(grant, path)
    links.check_viewer(grant, request)
    grant_id = hashlib.blake2b(token.encode(), digest_size=12).hexdigest()
    _recheck_publication(request=request, grant=grant, grant_id=grant_id)
    check_signed_request(request, {**grant.claims, "grant": grant_id, "title_id": grant.title_id})
    return name


def check_media_folder(*, request: HttpRequest, token: str, folder: str) -> tuple[links.Grant, int]:
    """What nginx asks before it sends files of ``folder`` through ``token`` itself
    (``auth_request``, cached per token, folder, browser and address): the same checks as
    :func:`check_media_request` for any file in that folder. Returns the grant and how many
    seconds the answer may be reused — never past the link's expiry nor the re-check window."""
    folder = folder.strip("/") + "/"
    grant = links.open_token(token)
    links.name_in_grant(grant, folder + "_")
    links.check_viewer(grant, request)
    grant_id = hashlib.blake2b(token.encode(), digest_size=12).hexdigest()
    _recheck_publication(request=request, grant=grant, grant_id=grant_id)
    check_signed_request(request, {**grant.claims, "grant": grant_id, "title_id": grant.title_id})
    reuse_s = min(links.recheck_s(), int(grant.expires_at - time.time()))
    return grant, max(0, reuse_s)


def _recheck_publication(*, request: HttpRequest, grant: links.Grant, grant_id: str) -> None:
    window_s = links.recheck_s()
    key = f"dastan.media.published:{grant_id}"
    if window_s > 0 and cache.get(key):
        return
    title = Title.objects.select_related("owner").filter(pk=grant.title_id).first()
    if title is None:
        raise TitleNotFound(str(grant.claims.get("title", grant.title_id)))
    if grant.claims.get("external"):
        # Files that are not the title's own stream (a federation peer's film copied here,
        # dastan/federation/mirrors.py): the title must be published; the claims' own hook
        # checks the rest.
        if not title.is_published and not may_preview(user=request.user, title=title):
            raise TitleNotFound(title.slug)
    else:
        check_playable(title=title, user=request.user)
    if window_s > 0:
        cache.set(key, True, window_s)


def check_signed_request(request: Any, claims: dict[str, Any]) -> None:
    """Re-check a signed URL's claims against the request that uses it (a link issued in
    one country used from another, a licence revoked since), through
    ``DASTAN_SIGNED_REQUEST_CHECK``: dotted paths (comma-separated) of ``f(request, claims)``
    functions that raise a DastanError, each for the claims it knows (the rights app's
    ``dastan.rights.playback.check_signed_request``; federation's for peers' grants).
    ``claims`` also carry ``grant`` (an id of the token, for caching) and ``title_id``."""
    for path in str(getattr(settings, "DASTAN_SIGNED_REQUEST_CHECK", "")).split(","):
        if path.strip():
            _hook(path.strip())(request, claims)


def accel_prefix() -> str:
    return str(getattr(settings, "DASTAN_MEDIA_ACCEL_REDIRECT", ""))


CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment", ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8", ".jpg": "image/jpeg", ".ts": "video/mp2t",
}


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(posixpath.splitext(name)[1], "application/octet-stream")
