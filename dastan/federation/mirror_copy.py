"""Making a cache copy of a peer's film (mirrors.py): ask its home node for a grant for
this node's country (purpose "mirror", which its licence must allow), then fetch the
master's media playlists and every file they name, as this node's own player would
(with this node's ``Origin``), into a local folder: the media playlists as they are (their
URIs are relative), the master with its URIs made relative to the copy. A grant that
lapses during a long copy is asked for again.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import requests
from django.utils.translation import gettext

from dastan.federation.errors import NodeUnreachable
from dastan.federation.grants import origin_of
from dastan.federation.identity import public_url
from dastan.federation.mirrors import MASTER, node_country, playlist_uris, rewrite_uris
from dastan.federation.models import RemoteTitle
from dastan.federation.remote_play import ask_grant

TOKEN = re.compile(r"/media/s/([^/]+)/")
FETCH_TIMEOUT_S = 60


class _Copier:
    def __init__(self, remote: RemoteTitle, into: Path) -> None:
        self.remote, self.into = remote, into
        self.base = f"{remote.peer.url}/media/s/"
        self.session = requests.Session()
        self.session.headers["Origin"] = origin_of(public_url())
        self.token = ""

    def ask(self) -> str:
        viewer = hashlib.blake2b(f"{public_url()} mirror".encode(), digest_size=16).hexdigest()
        master = ask_grant(
            remote=self.remote, territory=node_country(), viewer=viewer, purpose="mirror"
        ).master
        found = TOKEN.search(master)
        if found is None:
            raise NodeUnreachable(
                gettext("%(peer)s's master for '%(title)s' names no media.")
                % {"peer": self.remote.peer, "title": self.remote.remote_slug},
                gettext("Ask its operator; the copy is tried again later."),
            )
        self.token = found.group(1)
        return master

    def relative(self, uri: str) -> str | None:
        """The path of a URI of the home node's grant, relative to the grant's folder."""
        if not uri.startswith(self.base):
            return None
        rest = uri[len(self.base) :].split("/", 1)[1]
        return _safe(rest)

    def fetch(self, rel: str) -> Path:
        target = self.into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            response = self.session.get(
                f"{self.base}{self.token}/{rel}", timeout=FETCH_TIMEOUT_S, stream=True
            )
            if response.status_code == 403 and attempt == 1:
                self.ask()  # the grant lapsed during a long copy: a fresh one
                continue
            if response.status_code != 200:
                raise NodeUnreachable(
                    gettext("%(peer)s answered %(status)s for %(file)s: %(said)s")
                    % {"peer": self.remote.peer, "status": response.status_code, "file": rel,
                       "said": response.text[:200]},
                    gettext("The copy is tried again later."),
                )
            with target.open("wb") as out:
                for chunk in response.iter_content(1024 * 1024):
                    out.write(chunk)
            return target
        raise AssertionError("unreachable")


def _safe(rel: str) -> str:
    clean = posixpath.normpath(rel)
    if clean.startswith(("/", "..")) or ".." in clean.split("/"):
        raise NodeUnreachable(
            gettext("The home node names a file outside its grant (%(file)s).") % {"file": rel},
            gettext("Ask its operator."),
        )
    return clean


def copy_stream(*, remote: RemoteTitle, into: Path, progress: Callable[[float, str], None]) -> int:
    """Copy ``remote``'s current stream into ``into``; returns the home node's version it
    copies. Raises the errors of asking for a grant (its refusal with the reason) and
    NodeUnreachable when a file cannot be fetched."""
    version = int(remote.document["stream_version"])
    copier = _Copier(remote, into)
    master = copier.ask()
    playlists = [rel for rel in (copier.relative(u) for u in playlist_uris(master)) if rel]
    files: list[str] = []
    for rel in playlists:
        text = copier.fetch(rel).read_text(encoding="utf-8")
        folder = posixpath.dirname(rel)
        files += [
            _safe(posixpath.join(folder, uri))
            for uri in playlist_uris(text)
            if not uri.startswith(("/", "http:", "https:"))
        ]
    for done, rel in enumerate(files, start=1):
        copier.fetch(rel)
        progress(100 * done / max(1, len(files)), f"copied {done} of {len(files)} files")
    (into / MASTER).write_text(
        rewrite_uris(master, lambda uri: copier.relative(uri) or uri), encoding="utf-8"
    )
    return version
