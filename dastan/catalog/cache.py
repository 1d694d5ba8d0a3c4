"""The catalogue's read cache: answers of the catalogue's selectors (a page of titles,
search results, a published title in full, genres) kept in Django's cache, keyed by the
question (language, filters, page) and by the catalogue's *version*.

The version is one cache entry that every change to what viewers may see replaces
(:func:`bump_version`: the catalog's services on titles, texts, genres and credits, and
media's publishing when a title is listed or withdrawn). A change therefore makes every
older answer unreachable at once, with no list of keys to delete; no signals are used, so
a change made through a service is the only way in, as for everything else.

Per viewer parts are never cached here: answers hold no signed URL, no user and no
unpublished title (a draft's detail is read fresh, for the people allowed to see it).

With one shared cache (``DASTAN_CACHE_URL``), a change is seen by every process at once.
Without one each web process has its own cache, so another process may answer from its
older version until the entry lapses: entries live ``DASTAN_CATALOG_CACHE_S`` seconds
(default 60, the same minute that a revoked licence takes to stop media links; 0 turns
the cache off).

Answers that their callers only read (``local=True``: the playback path's title, renditions
and licences, asked on every master playlist) are also kept in this process as objects,
under the same versioned name and lifetime, so a repeated question costs the version read
and a dict lookup instead of unpickling model instances from Django's cache. Within one
request each version is read once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started

T = TypeVar("T")
DEFAULT_CACHE_S = 60
LOCAL_ENTRIES = 2048  # answers kept as objects per process and cache; past this, all are dropped


# A request reads each version once (a master playlist asks four times): its answers are
# all of one version, and a change made meanwhile by another process is seen by the next
# request. Outside requests (commands, workers, tests calling selectors) every read is fresh.
_request = threading.local()


def _request_started(**_: object) -> None:
    _request.versions = {}


def _request_finished(**_: object) -> None:
    _request.versions = None


request_started.connect(_request_started, dispatch_uid="dastan.catalog.cache.request_started")
request_finished.connect(_request_finished, dispatch_uid="dastan.catalog.cache.request_finished")


class VersionedCache:
    """Answers kept in Django's cache under ``dastan:<name>:<kind>:<version>:<key>``, where
    the version is one entry that a change replaces: the change makes every older answer
    unreachable at once, with no list of keys to delete. The catalogue's and the rights
    app's read caches are two of these; ``lifetime_s`` reads the setting that bounds how long
    another process, with a cache of its own, may answer from before a change (0: off)."""

    def __init__(self, name: str, lifetime_s: Callable[[], int]) -> None:
        self.name = name
        self.lifetime_s = lifetime_s
        self.version_key = f"dastan:{name}:version"
        # versioned name -> (monotonic deadline, answer); only for ``local=True`` answers
        self._local: dict[str, tuple[float, object]] = {}
        self._local_lock = threading.Lock()

    def current_version(self) -> str:
        seen: dict[str, str] | None = getattr(_request, "versions", None)
        if seen is not None and self.version_key in seen:
            return seen[self.version_key]
        version = cache.get(self.version_key)
        if version is None:
            # Evicted or never set: a new value, never one an older answer was stored under.
            return self.bump_version()
        if seen is not None:
            seen[self.version_key] = str(version)
        return str(version)

    def bump_version(self) -> str:
        """Make every kept answer stale."""
        version = str(time.time_ns())
        cache.set(self.version_key, version, timeout=None)
        seen: dict[str, str] | None = getattr(_request, "versions", None)
        if seen is not None:
            seen[self.version_key] = version
        return version

    def cached(self, kind: str, key: tuple[object, ...], compute: Callable[[], T],
               keep: Callable[[T], bool] = lambda _: True, *, local: bool = False) -> T:
        """The answer to ``kind`` for ``key`` in the current version, computed and stored
        when absent (and only when ``keep(answer)``). With ``local`` the answer is also kept
        as the object itself in this process (same version, same lifetime): every caller
        then shares it, so it must only be read, never changed."""
        ttl = self.lifetime_s()
        if ttl <= 0:
            return compute()
        digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
        name = f"dastan:{self.name}:{kind}:{self.current_version()}:{digest}"
        if local:
            held = self._local.get(name)
            if held is not None and held[0] > time.monotonic():
                return held[1]  # type: ignore[return-value]
        answer: T | None = cache.get(name)
        if answer is None:
            answer = compute()
            if not keep(answer):
                return answer
            cache.set(name, answer, timeout=ttl)
        if local:
            with self._local_lock:
                if len(self._local) >= LOCAL_ENTRIES:
                    self._local.clear()
                self._local[name] = (time.monotonic() + ttl, answer)
        return answer


def cache_s() -> int:
    return int(getattr(settings, "DASTAN_CATALOG_CACHE_S", DEFAULT_CACHE_S))


CATALOG = VersionedCache("catalog", cache_s)
VERSION_KEY = CATALOG.version_key


def current_version() -> str:
    return CATALOG.current_version()


def bump_version() -> str:
    """Make every cached catalogue answer stale. Call after a change viewers may see."""
    return CATALOG.bump_version()


def cached(kind: str, key: tuple[object, ...], compute: Callable[[], T],
           keep: Callable[[T], bool] = lambda _: True, *, local: bool = False) -> T:
    """The answer to ``kind`` for ``key`` in the current catalogue version, computed and
    stored when absent (and only when ``keep(answer)``); ``local``: see
    :meth:`VersionedCache.cached`."""
    return CATALOG.cached(kind, key, compute, keep, local=local)
