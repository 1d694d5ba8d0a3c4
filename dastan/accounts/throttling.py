"""Rate limits on the API: anonymous calls per address, calls per token, wrong tokens per address.

The counts are sliding windows kept in Django's cache (shared between web processes when
``DASTAN_CACHE_URL`` names Redis). Rates come from settings at each request
(``DASTAN_API_ANON_RATE``, ``DASTAN_API_TOKEN_RATE``, ``DASTAN_API_BAD_TOKEN_RATE``), so a
changed setting needs no restart of the API object. Sign-in lockouts are django-axes's
(settings ``AXES_*``); both name the client by :func:`client_address`.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from dastan.errors import ConfigurationError, DastanError
from dastan.net import client_address

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")
_PERIOD_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class TooManyRequests(DastanError):
    """A rate limit was reached; ``retry_after_s`` says when the next try may succeed."""

    code = "throttled"
    status = 429

    def __init__(self, message: str, hint: str = "", *, retry_after_s: int = 1, **kwargs: Any) -> None:
        super().__init__(message, hint, **kwargs)
        self.retry_after_s = retry_after_s

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.hint), {"retry_after_s": self.retry_after_s})


def parse_rate(rate: str, *, setting: str) -> tuple[int, int]:
    """'120/m' → (120, 60); '10/5m' → (10, 300). Raises naming the setting when malformed."""
    match = _RATE.fullmatch(rate)
    if match is None or int(match.group(1)) == 0:
        raise ConfigurationError(f"{setting} '{rate}' is not a rate.",
                                 f"Write {setting} as count/period, e.g. '120/m' or '10/5m' "
                                 "(period in s, m, h or d), or leave it empty for no limit.")
    return int(match.group(1)), int(match.group(2) or 1) * _PERIOD_S[match.group(3)]


class SlidingWindow:
    """At most ``count`` events per ``period_s`` seconds per key, counted in the cache."""

    def __init__(self, *, scope: str, count: int, period_s: int) -> None:
        self.scope, self.count, self.period_s = scope, count, period_s

    def _key(self, ident: str) -> str:
        return f"dastan_rate_{self.scope}_{hashlib.sha256(ident.encode()).hexdigest()[:32]}"

    def _recent(self, ident: str, now: float) -> list[float]:
        return [t for t in cache.get(self._key(ident), []) if t > now - self.period_s]

    def retry_after_s(self, ident: str) -> int | None:
        """Seconds until one more event fits, or None when it fits now."""
        now = time.time()
        recent = self._recent(ident, now)
        if len(recent) < self.count:
            return None
        return max(1, math.ceil(min(recent) + self.period_s - now))

    def record(self, ident: str) -> None:
        now = time.time()
        cache.set(self._key(ident), [*self._recent(ident, now), now][-self.count:], self.period_s)


def _window(*, scope: str, setting: str) -> SlidingWindow | None:
    rate = getattr(settings, setting, "")
    if not rate:
        return None  # an empty setting turns this limit off
    count, period_s = parse_rate(rate, setting=setting)
    return SlidingWindow(scope=scope, count=count, period_s=period_s)


class _SettingsRateThrottle(BaseThrottle):
    """A ninja throttle whose rate is read from ``setting`` on each request. Ninja keeps
    one instance for every request and thread, so the wait is kept per thread."""

    scope = ""
    setting = ""

    def __init__(self) -> None:
        self._last = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._last.wait = None
        window = _window(scope=self.scope, setting=self.setting)
        ident = self.ident(request)
        if window is None or ident is None:
            return True
        wait = window.retry_after_s(ident)
        if wait is not None:
            self._last.wait = wait
            return False
        window.record(ident)
        return True

    def wait(self) -> float | None:
        return getattr(self._last, "wait", None)


def _signed_in_caller(request: HttpRequest) -> Any | None:
    """The authenticated user ninja's auth set, or None. An operation open to everyone may
    set ``request.auth`` to AnonymousUser; that caller is anonymous too, counted by address,
    or every anonymous caller would share one bucket."""
    user = getattr(request, "auth", None)
    return user if getattr(user, "is_authenticated", False) else None


class AnonRateThrottle(_SettingsRateThrottle):
    """Calls without a token or session, per client address."""

    scope, setting = "anon", "DASTAN_API_ANON_RATE"

    def ident(self, request: HttpRequest) -> str | None:
        if _signed_in_caller(request) is not None:
            return None
        return client_address(request)


class TokenRateThrottle(_SettingsRateThrottle):
    """Calls per API token; a signed-in browser session counts as its user's token."""

    scope, setting = "token", "DASTAN_API_TOKEN_RATE"

    def ident(self, request: HttpRequest) -> str | None:
        user = _signed_in_caller(request)
        if user is None:
            return None
        kind, _, token = request.headers.get("Authorization", "").partition(" ")
        if kind.lower() == "bearer" and token.strip():
            return "token:" + token.strip()
        return f"user:{user.pk}"


def check_bearer_attempts_allowed(*, request: HttpRequest) -> None:
    """Raise :class:`TooManyRequests` while the client's address is past the rate of wrong
    bearer tokens. Checked before the token is looked at, so that a guesser cannot tell a
    right guess from a wrong one while it waits."""
    window = _window(scope="bad_token", setting="DASTAN_API_BAD_TOKEN_RATE")
    if window is None:
        return
    wait = window.retry_after_s(client_address(request))
    if wait is not None:
        raise TooManyRequests(
            "Too many requests from your address carried an API token that is not valid.",
            f"Wait {wait} seconds, then send a valid token; `dastan manage create_api_token USER` "
            "makes one, and a revoked token stays refused.",
            retry_after_s=wait)


def record_bad_bearer_token(*, request: HttpRequest) -> None:
    window = _window(scope="bad_token", setting="DASTAN_API_BAD_TOKEN_RATE")
    if window is not None:
        window.record(client_address(request))
