"""The rights app's read cache: the licences a playback decision reads, kept under a
*rights version* that every licence change replaces when it commits.

A decision needs the licences of a title and its ancestors (and, for windows counted from
a release, the release dates): one or two queries on every master playlist, watch page
and grant re-check. They change only through the actions (grant, amend, revoke, record a
release), which all rebuild the availability index (:mod:`dastan.rights.index`); that
rebuild calls :func:`changed`, so a revoked licence is seen by the next decision in every
process sharing the cache (``DASTAN_CACHE_URL``), and within ``DASTAN_RIGHTS_CACHE_S``
(default: the catalogue cache's 60 s, inside the one-minute revocation promise) in the
others. Licences capped by seats are never kept: who holds a seat changes with each play.

The version also keys the pages kept for anonymous viewers (dastan/web/page_cache.py),
whose player and "where can I watch" marks follow the licences.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import transaction

from dastan.catalog.cache import VersionedCache

T = TypeVar("T")


def cache_s() -> int:
    default = int(getattr(settings, "DASTAN_CATALOG_CACHE_S", 60))
    return int(getattr(settings, "DASTAN_RIGHTS_CACHE_S", default))


RIGHTS = VersionedCache("rights", cache_s)
VERSION_KEY = RIGHTS.version_key


def current_version() -> str:
    return RIGHTS.current_version()


def bump_version() -> str:
    return RIGHTS.bump_version()


def changed() -> None:
    """Make every kept rights answer stale once the current transaction commits (a reader
    in between would keep the old licences under the new version)."""
    transaction.on_commit(bump_version)


def cached(kind: str, key: tuple[object, ...], compute: Callable[[], T], keep: Callable[[T], bool], *,
           local: bool = False) -> T:
    """``compute()``'s answer for ``key`` in the current rights version; kept only when
    ``keep(answer)``; ``local``: also as the object itself in this process (read-only answers,
    :meth:`dastan.catalog.cache.VersionedCache.cached`)."""
    return RIGHTS.cached(kind, key, compute, keep, local=local)
