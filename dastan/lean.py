"""Views answered before the middleware that serves signed-in people.

Two kinds of request ask often and need nothing of the session stack: a viewer's player
asking for its master playlist again every few minutes (no session cookie: the anonymous
viewer), and a partner's worker calling its signed doors every few seconds (it proves
who it is by its request's signature, which the view checks itself). For them the
session store, CSRF, authentication, messages, the sign-in lockout and the error
middleware would only find out that there is nothing to do, and cost as much as the view.
The fastest Django sites answer such hot paths before that stack; this module is how
Dastan does it, in one place:

- a view is marked with :func:`lean_view`; ``viewer=True`` for a viewer's view, taken
  only for a GET or HEAD without a session cookie (a signed-in viewer goes the whole way:
  seats and previews depend on who they are), answered with what those middlewares would
  have given it (the anonymous user, ``Vary``, ``Content-Language``, ``X-Frame-Options``,
  and, for either kind, ``Content-Length``);
  otherwise a machine's door, always taken, that checks its request's signature itself,
  so no security property rests on what is skipped;
- :class:`LeanViewMiddleware`, placed after the security headers, the content security
  policy, whitenoise and the page cache (which apply as to any answer), calls a marked
  view itself, in the asker's language (the ``dastan_language`` cookie, then
  Accept-Language, as LocaleMiddleware chooses it), so refusals read as elsewhere.

It finds the marked views in the URL map itself (the literal start of their routes), so
a request whose path cannot reach one costs a prefix test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import Resolver404, ResolverMatch, URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers

View = TypeVar("View", bound=Callable[..., Any])
_MARK = "lean_view"  # the attribute a marked view carries: "viewer" or "machine"


def lean_view(view: View | None = None, *, viewer: bool = False) -> Any:
    """Mark a view to be answered before the session stack (see the module's docstring);
    ``@lean_view`` for a machine's signed door, ``@lean_view(viewer=True)`` for a view an
    anonymous viewer reaches."""
    def mark(found: View) -> View:
        setattr(found, _MARK, "viewer" if viewer else "machine")
        return found
    return mark(view) if view is not None else mark


class LeanViewMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        resolver = get_resolver(getattr(request, "urlconf", None))
        path = request.path_info
        if not path.startswith(_prefixes(resolver)):
            return self.get_response(request)
        match = _resolve(resolver, path)
        kind = getattr(match.func, _MARK, None) if match is not None else None
        if match is None or kind is None:
            return self.get_response(request)
        if kind == "viewer" and (request.method not in ("GET", "HEAD")
                                 or settings.SESSION_COOKIE_NAME in request.COOKIES):
            return self.get_response(request)
        request.resolver_match = match
        request.user = AnonymousUser()
        with translation.override(translation.get_language_from_request(request)):
            request.LANGUAGE_CODE = language = translation.get_language()
            response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
        if not response.streaming and not response.has_header("Content-Length"):  # as CommonMiddleware
            response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
        if kind == "viewer":
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", language)
            if response.get("X-Frame-Options") is None and not getattr(response, "xframe_options_exempt", False):
                response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        return response


_PREFIXES: dict[URLResolver, tuple[str, ...]] = {}


def _prefixes(resolver: URLResolver) -> tuple[str, ...]:
    """The literal starts of the routes of every marked view in ``resolver``'s URL map
    (a new map, as tests make, is a new resolver)."""
    found = _PREFIXES.get(resolver)
    if found is None:
        found = _PREFIXES[resolver] = tuple(sorted(set(_walk(resolver.url_patterns, "/"))))
    return found


def _walk(patterns: list[Any], above: str) -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        text = str(pattern.pattern).removeprefix("^")
        route = above + _literal_start(text)
        if isinstance(pattern, URLResolver):
            inside = _walk(pattern.url_patterns, route)
            # Below a route part that is not literal, what follows it cannot be known.
            found += inside if _literal_start(text) == text else [route] * bool(inside)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, _MARK, None):
            found.append(route)
    return found


def _literal_start(route: str) -> str:
    """What every path a route matches starts with: up to its first converter (``<``) or,
    for a regular expression, its first special character."""
    for i, char in enumerate(route):
        if char in "<([.*+?\\$|{":
            return route[:i]
    return route


_RESOLVED: dict[tuple[URLResolver, str], ResolverMatch | None] = {}
_RESOLVED_MAX = 4096


def _resolve(resolver: URLResolver, path: str) -> ResolverMatch | None:
    """``resolver.resolve(path)``, kept per path (a player asks for the same master every
    few minutes, a worker calls the same doors every few seconds)."""
    key = (resolver, path)
    try:
        return _RESOLVED[key]
    except KeyError:
        pass
    try:
        match: ResolverMatch | None = resolver.resolve(path)
    except Resolver404:
        match = None
    if len(_RESOLVED) >= _RESOLVED_MAX:
        _RESOLVED.clear()
    _RESOLVED[key] = match
    return match
