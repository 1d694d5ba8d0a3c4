"""Whole answers kept for anonymous viewers: the home page, title pages, search and
the catalogue API, answered from Django's cache before sessions, authentication, CSRF and
the view run, as the fastest Django sites do (``cache_page``, but keyed on everything
these answers depend on and invalidated by change instead of by time alone).

Kept only for a request without a session cookie or credentials, on the
paths of :data:`KEPT`, GET only, and only a 200 answer that sets no cookie and does not say
``private``/``no-store``. The key is the full path with its query, the interface language
as Django's LocaleMiddleware would choose it (the ``dastan_language`` cookie, then
Accept-Language), the viewer's country where the answer depends on it (the rights app's
territory resolvers: which titles and players a country sees), the catalogue version
(:mod:`dastan.catalog.cache`) and the rights version (:mod:`dastan.rights.cache`): a
change to a title or a licence is seen at once, and everything lapses within
``DASTAN_CATALOG_CACHE_S`` (60 s; 0 turns this off, as in the suite).

Nothing of one viewer is in the kept bytes. The language form of anonymous pages is a
GET that needs no CSRF token (``web:language``); a CSRF cookie set by a view makes its
answer not kept. A title page's player links are signed for each viewer: the view leaves
placeholders (``links.defer_grants``) and each copy sent gets its own token and viewer
cookie (one signature per page view), after which it is marked ``private`` so that no
shared cache (nginx's microcache, a CDN) keeps it.

Answers that hold no placeholder carry ``X-Accel-Expires`` (``DASTAN_EDGE_CACHE_S``,
default 5 s): nginx (``dastan nginx-config``) keeps them that long for anonymous viewers
and removes the header before the browser sees it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_request

from dastan.catalog import cache as catalog_cache
from dastan.media import links
from dastan.rights import cache as rights_cache
from dastan.rights.resolvers import resolve_territory

# path pattern → whether the answer depends on the viewer's country
KEPT: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(r"^/$"), True),
    (re.compile(r"^/titles/[-\w]+/$"), True),
    (re.compile(r"^/search/$"), True),
    (re.compile(r"^/api/v1/catalog/(titles|search|genres)$"), False),
    (re.compile(r"^/api/v1/catalog/titles/[-\w]+$"), False),
)
DEFAULT_EDGE_CACHE_S = 5
_HEADERS_NOT_KEPT = {"set-cookie", "content-length"}
_MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    status: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    grants: tuple[dict[str, object], ...]  # placeholders to sign per viewer (links.PageGrants)


def edge_cache_s() -> int:
    return int(getattr(settings, "DASTAN_EDGE_CACHE_S", DEFAULT_EDGE_CACHE_S))


def _by_country(request: HttpRequest) -> bool | None:
    """None when ``request`` may not be answered from the cache; else whether its key
    needs the viewer's country."""
    if request.method != "GET":
        return None
    path = request.path_info
    by_country = next((by_country for pattern, by_country in KEPT if pattern.match(path)), None)
    if by_country is None or catalog_cache.cache_s() <= 0:  # the path first: most requests stop here
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return None
    if _MESSAGES_COOKIE in request.COOKIES:  # a message waits for this viewer (after signing out)
        return None
    return by_country


def page_key(request: HttpRequest, *, by_country: bool) -> str:
    territory = (resolve_territory(request) or "-") if by_country else "*"
    question = "|".join((request.get_full_path(), get_language_from_request(request), territory))
    digest = hashlib.blake2b(question.encode(), digest_size=16).hexdigest()
    return f"dastan:page:{catalog_cache.current_version()}:{rights_cache.current_version()}:{digest}"


def _respond(request: HttpRequest, kept: KeptAnswer) -> HttpResponse:
    content = kept.content
    page = links.PageGrants()
    page.grants = [dict(g) for g in kept.grants]
    if page.grants:
        content = page.fill(content, viewer=links.viewer_key(request))
    response = HttpResponse(content, status=kept.status)
    for name, value in kept.headers:
        response[name] = value
    if page.grants:
        links.remember_viewer(request, response)
        patch_cache_control(response, private=True)
    elif edge_cache_s() > 0:
        response["X-Accel-Expires"] = str(edge_cache_s())
    return response


def _keep(response: HttpResponseBase) -> bool:
    control = response.get("Cache-Control", "")
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and "private" not in control and "no-store" not in control)


class AnonymousPageCacheMiddleware:
    """Placed right after WhiteNoise: a kept answer skips every middleware below it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        by_country = _by_country(request)
        if by_country is None:
            return self.get_response(request)
        key = page_key(request, by_country=by_country)
        kept: KeptAnswer | None = cache.get(key)
        if kept is not None:
            return _respond(request, kept)
        page = links.defer_grants(request)
        response = self.get_response(request)
        if not isinstance(response, HttpResponse) or not _keep(response):
            if page.grants and isinstance(response, HttpResponse) and not response.streaming:
                response.content = page.fill(response.content, viewer=links.viewer_key(request))
                links.remember_viewer(request, response)
            return response
        kept = KeptAnswer(
            status=response.status_code, content=response.content,
            headers=tuple((k, v) for k, v in response.items() if k.lower() not in _HEADERS_NOT_KEPT),
            grants=tuple(page.grants))
        cache.set(key, kept, timeout=catalog_cache.cache_s())
        return _respond(request, kept)
