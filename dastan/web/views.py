"""The pages viewers see. Each view reads through the catalog's selectors and renders;
no decision is made here."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language
from django.views.decorators.http import require_GET

from dastan.catalog import cache as catalog_cache
from dastan.catalog import selectors
from dastan.catalog.errors import TitleNotFound
from dastan.catalog.languages import LANGUAGES
from dastan.catalog.selectors import TitleCard
from dastan.federation.selectors import RemoteMark, remote_marks
from dastan.media import links
from dastan.rights.resolvers import resolve_territory
from dastan.web import browse
from dastan.web.player import Player, player_for

PAGE_SIZE = 24


def _language() -> str:
    return get_language() or "en"


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


def _context(**extra: object) -> dict[str, object]:
    return {"interface_languages": LANGUAGES, **extra}


def _remote(request: HttpRequest, *lists: tuple[TitleCard, ...] | list[TitleCard]
            ) -> tuple[dict[int, RemoteMark], list[tuple[TitleCard, ...]]]:
    """Peers' titles among the cards, marked with their home node and kept only where the
    viewer's country may watch them now or later (dastan/federation/selectors.py)."""
    marks = remote_marks(title_ids=[c.id for cards in lists for c in cards], territory=resolve_territory(request))
    kept = [tuple(c for c in cards if c.id not in marks or marks[c.id].listed) for cards in lists]
    return marks, kept


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    chosen = {key: request.GET.get(key) or None for key in ("country", "genre", "available_in")}
    page = browse.browse_titles(language=_language(), **chosen, page=_int(request.GET.get("page"), 1),
                                page_size=PAGE_SIZE)
    fresh = () if any(chosen.values()) else browse.new_in_language(language=_language())
    remote, (items, fresh) = _remote(request, page.items, fresh)
    page = replace(page, items=items)
    return render(request, "web/catalog.html", _context(
        remote=remote, territory=resolve_territory(request) if remote else "",
        catalog_version=catalog_cache.current_version(), catalog_cache_s=catalog_cache.cache_s(),
        page=page, chosen=chosen, options=browse.browse_options(language=_language()), fresh=fresh,
        fresh_days=browse.NEW_FOR_DAYS))


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.search_titles(query=query, language=_language()) if query else []
    remote, (kept,) = _remote(request, results)
    return render(request, "web/search.html", _context(query=query, results=kept, remote=remote))


@require_GET
def title(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        detail = selectors.get_title_detail(slug=slug, language=_language(), user=request.user)
    except TitleNotFound:
        return render(request, "web/not_found.html", _context(slug=slug), status=404)
    player = player_for(request=request, title=selectors.access_title(slug=slug, user=request.user))
    remote = remote_marks(title_ids=[detail.card.id], territory=resolve_territory(request))
    response = render(request, "web/title.html", _context(detail=detail, player=player, remote=remote))
    links.remember_viewer(request, response)  # the player's signed links are this browser's
    if isinstance(player, Player) and player.remote_origin:
        # A peer's film: its home node sends the playlists and segments (django-csp); its
        # master is the peer's grant for this viewer, so the page is not kept for others.
        patch_cache_control(response, private=True)
        origin = [player.remote_origin]
        response._csp_update = {"media-src": origin, "connect-src": origin}  # type: ignore[attr-defined]
    return response


@require_GET
def choose_language(request: HttpRequest) -> HttpResponse:
    """The interface language chosen by an anonymous viewer's form: a GET that sets only
    the ``dastan_language`` cookie and goes back, so the pages kept for every anonymous
    viewer (dastan/web/page_cache.py) need no per-viewer CSRF token. Signed-in people's
    pages post to Django's ``set_language`` as before."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    language = request.GET.get("language", "")
    if check_for_language(language):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
