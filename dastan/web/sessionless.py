"""Views an anonymous viewer reaches without the session stack: the master playlist,
asked again every few minutes by every playing browser (dastan/media/playback.py).

Such a view reads no session, CSRF token or message, and for a request without a session
cookie the rest of Django's stack would only find that out: the session store, CSRF,
messages, the sign-in lockout and the error middleware add nothing to its answer, yet they
cost as much as the view (the fastest Django sites answer their hot anonymous paths the
same way, before the session middleware). So for a GET without a session cookie, this
middleware, placed right before SessionMiddleware, calls the view itself with what those
middlewares would have given it:

- ``request.user``: the anonymous user (what AuthenticationMiddleware finds with no session);
- the viewer's language, chosen as LocaleMiddleware chooses it (``dastan_language``
  cookie, then Accept-Language), for refusals in the viewer's words, and its
  ``Content-Language`` and ``Vary`` headers;
- ``X-Frame-Options`` (XFrameOptionsMiddleware) and ``Content-Length`` (CommonMiddleware).

Security headers and the CSP come from the middlewares above this one, as for any
answer. A signed-in viewer (session cookie) goes through the whole stack: seats and
previews depend on who they are. A view is listed here only when it catches its own
DastanError (it answers JSON) and needs nothing else of the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, ResolverMatch, URLResolver, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers

# URL name → the literal start of its path (a cheap test before resolving).
SESSIONLESS_VIEWS = {"media:master": "/media/watch/"}
_PREFIXES = tuple(SESSIONLESS_VIEWS.values())


class SessionlessViewMiddleware:
    """Answers :data:`SESSIONLESS_VIEWS` for requests without a session cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if (not path.startswith(_PREFIXES) or request.method != "GET"
                or settings.SESSION_COOKIE_NAME in request.COOKIES):
            return self.get_response(request)
        match = _resolve(get_resolver(getattr(request, "urlconf", None)), path)
        if match is None or SESSIONLESS_VIEWS.get(match.view_name) is None:
            return self.get_response(request)
        request.resolver_match = match
        request.user = AnonymousUser()
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = language = translation.get_language()
        response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        if response.get("X-Frame-Options") is None and not getattr(response, "xframe_options_exempt", False):
            response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        if isinstance(response, HttpResponse) and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))  # as CommonMiddleware does
        return response


_RESOLVED: dict[tuple[URLResolver, str], ResolverMatch | None] = {}
_RESOLVED_MAX = 4096


def _resolve(resolver: URLResolver, path: str) -> ResolverMatch | None:
    """``resolver.resolve(path)``, kept per path (a viewer's player asks for the same
    master every few minutes); a new URL map (tests' ROOT_URLCONF) is a new resolver."""
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
