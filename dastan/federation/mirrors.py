"""Cache copies of peers' films ("mirrors", as PeerTube's redundancy calls them): where the
home node's licence facts allow it, this node keeps a copy of a peer's HLS and plays it
from here, deciding each viewer's playback itself with the home node's licence facts
(the same decision its catalogue lists the title with).

When a copy is allowed: the peer is accepted and this node's operator turned mirroring on
for it (``dastan federation mirror``), the title is streamed on its home node, and the
licence covering this node's country (``DASTAN_NODE_COUNTRY``) is open now and allows
downloads (the ``Download`` fact). The home node checks the same before it hands out the
files (grants.issue_grant, purpose "mirror").

Withdrawal: a new state of the title that no longer allows the copy (the home node
changed the licence, or unpublished the title), or the end of peering, clears the copy's
record in the same transaction that applies it, so it stops serving within one sync, and
deletes its files once that commits. The copying itself is a job (handlers.py,
mirror_copy.py); a new stream version on the home node is copied anew, then replaces
the old copy.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext, pgettext

from dastan.errors import DastanError
from dastan.federation.facts import home_decision
from dastan.federation.models import Peer, RemoteTitle
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import submit_job
from dastan.media import links, storage
from dastan.rights.errors import NoLicenceForTerritory
from dastan.rights.resolvers import resolve_territory

MIRRORS = "mirrors"  # the storage folder of every cache copy
MIRROR_JOB = "federation.mirror"
MASTER = "master.m3u8"
_URI = re.compile(r'URI="([^"]+)"')


class MirrorWithdrawn(DastanError):
    code = "mirror_withdrawn"
    status = 410


def node_country() -> str:
    return str(getattr(settings, "DASTAN_NODE_COUNTRY", "") or "")


def may_mirror(remote: RemoteTitle) -> bool:
    """Whether this node may keep a copy of ``remote`` now (see the module's doc)."""
    peer = remote.peer
    if not (
        peer.mirror and peer.state == Peer.State.ACCEPTED and remote.document.get("stream_version")
    ):
        return False
    if not remote.document.get("published", True):
        return False
    decision = home_decision(remote, territory=node_country())
    return decision.allowed and decision.download_allowed


def plan_mirror(*, remote: RemoteTitle) -> None:
    """After a new state of ``remote`` arrived (or mirroring was turned on or off): withdraw
    its copy when no longer allowed; queue a copy when allowed and missing or outdated."""
    if not may_mirror(remote):
        if remote.mirror_prefix:
            withdraw(remote)
        return
    if remote.mirror_version == remote.document.get("stream_version"):
        return
    busy = Job.objects.filter(
        kind=MIRROR_JOB,
        target_id=str(remote.pk),
        state__in=(JobState.QUEUED, JobState.WAITING, JobState.RUNNING),
    ).exists()
    if not busy:
        submit_job(kind=MIRROR_JOB, target=remote, params={"remote_id": remote.pk})


def withdraw(remote: RemoteTitle) -> None:
    """Stop serving the copy now (in the caller's transaction); delete its files once that
    commits."""
    prefix = remote.mirror_prefix
    RemoteTitle.objects.filter(pk=remote.pk).update(mirror_prefix="", mirror_version=None)
    remote.mirror_prefix, remote.mirror_version = "", None
    if prefix:
        transaction.on_commit(lambda: storage.delete_prefix(prefix.rstrip("/")))


def withdraw_all(peer: Peer) -> int:
    """Withdraw every copy of ``peer``'s films (peering ended, mirroring turned off)."""
    copies = list(RemoteTitle.objects.filter(peer=peer).exclude(mirror_prefix=""))
    for remote in copies:
        withdraw(remote)
    return len(copies)


def mirror_folder(remote: RemoteTitle, version: int) -> str:
    return f"{MIRRORS}/{remote.peer.handle}/{remote.remote_slug}/v{version}/"


def install_mirror(*, remote: RemoteTitle, local_dir: Any, version: int) -> str:
    """Move a finished copy (``local_dir``, as mirror_copy wrote it) into storage and
    serve it from now on, replacing an older copy; returns its folder, or "" when the
    copy is no longer allowed (withdrawn while it was made: nothing is installed)."""
    remote.refresh_from_db()
    if not may_mirror(remote) or remote.document.get("stream_version") != version:
        return ""
    prefix = mirror_folder(remote, version)
    storage.store_tree(local_dir, prefix.rstrip("/"))
    old = remote.mirror_prefix
    RemoteTitle.objects.filter(pk=remote.pk).update(mirror_prefix=prefix, mirror_version=version)
    if old and old != prefix:
        transaction.on_commit(lambda: storage.delete_prefix(old.rstrip("/")))
    return prefix


# --- playlists -------------------------------------------------------------------------------------


def rewrite_uris(text: str, uri_for: Callable[[str], str]) -> str:
    """``text`` (an HLS playlist) with every URI (attribute or line) passed through ``uri_for``."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(_URI.sub(lambda m: f'URI="{uri_for(m.group(1))}"', line))
        else:
            lines.append(uri_for(line) if line.strip() else line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def playlist_uris(text: str) -> list[str]:
    found: list[str] = []
    rewrite_uris(text, lambda uri: found.append(uri) or uri)  # type: ignore[func-returns-value]
    return found


def _is_copied(uri: str) -> bool:
    return not uri.startswith(("/", "http:", "https:")) and ".." not in uri.split("/")


# --- playing a copy ---------------------------------------------------------------------------------


def mirror_master_for_request(*, request: HttpRequest, remote: RemoteTitle) -> str:
    """The master of ``remote``'s copy for this viewer: decided here with the home node's
    licence facts, every URI signed by this node for this browser (media.links), with
    claims that :func:`check_mirror_request` checks on each file."""
    decision = home_decision(remote, territory=resolve_territory(request))
    if not decision.allowed:
        hint = (
            f"Come back after {decision.opens_at.isoformat()}."
            if decision.opens_at
            else "Look for this title in your country's catalog."
        )
        raise NoLicenceForTerritory(decision.reason, hint, code=decision.code)
    prefix = remote.mirror_prefix
    text = storage.read_text(prefix + MASTER)
    names = [uri for uri in playlist_uris(text) if _is_copied(uri)]
    claims = {
        "mirror": remote.pk,
        "mirror_prefix": prefix,
        "mirror_territory": decision.territory,
        "external": True,
    }
    token = links.sign_grant(
        title_id=remote.title_id,
        prefix=prefix,
        viewer=links.viewer_key(request),
        folders=sorted({posixpath.dirname(n) for n in names}),
        claims=claims,
    )
    return rewrite_uris(
        text,
        lambda uri: (
            links.link(token=token, prefix=prefix, name=prefix + uri) if _is_copied(uri) else uri
        ),
    )


def check_mirror_request(request: HttpRequest, claims: Mapping[str, Any]) -> None:
    """Each file of a copy: the copy is still this one (not withdrawn), the peer still
    accepted, the viewer still in the country the master was made for, and the home
    node's licence facts still allow it (re-checked at most every DASTAN_MEDIA_RECHECK_S)."""
    here = resolve_territory(request)
    if here != claims.get("mirror_territory"):
        raise NoLicenceForTerritory(
            gettext("This link was issued for %(country)s and cannot be used from %(here)s.") % {
                "country": claims.get("mirror_territory") or pgettext("a link issued for", "another country"),
                "here": here or pgettext("a link used from", "an unknown country")},
            gettext("Open the title again from where you are."),
            code="territory_mismatch",
        )
    window_s = links.recheck_s()
    key = f"dastan.federation.mirror:{claims.get('grant', '')}"
    if window_s > 0 and claims.get("grant") and cache.get(key):
        return
    remote = (
        RemoteTitle.objects.select_related("peer")
        .filter(pk=int(claims.get("mirror") or 0), mirror_prefix=claims.get("mirror_prefix") or "-")
        .first()
    )
    if remote is None or remote.peer.state != Peer.State.ACCEPTED:
        raise MirrorWithdrawn(
            gettext("This copy of the film was withdrawn by its home node."),
            gettext("Open the title again: it plays from its home node where that is allowed."),
        )
    decision = home_decision(remote, territory=here)
    if not decision.allowed:
        raise NoLicenceForTerritory(
            decision.reason, gettext("Look for this title in your country's catalog."), code=decision.code
        )
    if window_s > 0 and claims.get("grant"):
        cache.set(key, True, window_s)
