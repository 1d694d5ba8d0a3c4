"""Issuing and checking API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from dastan.accounts.models import ApiToken, hash_token
from dastan.accounts.throttling import check_bearer_attempts_allowed, record_bad_bearer_token


def issue_api_token(*, user: Any, name: str = "api") -> str:
    """Create a token for ``user`` and return its raw value (shown once, stored hashed)."""
    raw = "dst_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_sha256=hash_token(raw), prefix=raw[:8])
    return raw


def user_for_token(raw: str) -> Any | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_sha256=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def user_for_bearer(*, request: HttpRequest, raw: str) -> Any | None:
    """The user of a bearer token sent with ``request``, or None for a wrong one, which is
    counted against the client's address. Every entry point that takes bearer tokens (the
    API, tus) calls this, not :func:`user_for_token`, so no path lets a guesser go on.

    Raises :class:`~dastan.accounts.throttling.TooManyRequests` (429, with the seconds to
    wait) while the address is past DASTAN_API_BAD_TOKEN_RATE, whatever the token.
    """
    check_bearer_attempts_allowed(request=request)
    user = user_for_token(raw)
    if user is None:
        record_bad_bearer_token(request=request)
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dst_…`; a signed-in browser session is accepted too, with
    Django's CSRF check, since a browser sends the session cookie to any site's form."""

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.headers.get("Authorization"):
            if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
                return None  # a cross-site request riding on the cookie: not authenticated
            return user
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_bearer(request=request, raw=token)
        if user is not None:
            request.user = user
        return user


class OptionalTokenAuth(TokenAuth):
    """For operations anyone may call (the catalog, a title, a stream, a rights decision):
    without credentials the caller is anonymous and sees what the public sees; with a
    token or a session, they see what their roles let them (their organisation's
    unpublished titles). A wrong token is still refused (401), never silently anonymous."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if not request.headers.get("Authorization"):
            user = getattr(request, "user", None)
            return user if user is not None else AnonymousUser()
        return super().__call__(request)
