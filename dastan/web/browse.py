"""The home page's browsing: titles by country of origin, by a language one can watch
them in (sound or subtitles of the current version), by genre; and "new in my
language", the titles whose track in the viewer's language was published lately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from dastan.catalog import selectors
from dastan.catalog.cache import cached
from dastan.catalog.languages import LANGUAGES, normalize_code
from dastan.catalog.models import Title
from dastan.catalog.selectors import LISTED_KINDS, GenreView, TitleCard, TitlePage, card_for
from dastan.media.selectors import titles_with_language
from dastan.web import labels

NEW_FOR_DAYS = 30


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    lang: str = ""  # set when the label is written in another language than the page


@dataclass(frozen=True, slots=True)
class BrowseOptions:
    countries: tuple[Option, ...]
    languages: tuple[Option, ...]
    genres: tuple[GenreView, ...]


def _listed() -> QuerySet[Title]:
    return Title.objects.filter(is_published=True, kind__in=LISTED_KINDS)


def _cards(qs: QuerySet[Title], *, language: str) -> tuple[TitleCard, ...]:
    titles = qs.select_related("owner").prefetch_related("texts", "genres")
    return tuple(card_for(t, language=language) for t in titles)


def browse_titles(*, language: str, country: str | None = None, genre: str | None = None,
                  available_in: str | None = None, page: int = 1, page_size: int = 24) -> TitlePage:
    """Published titles, newest first, filtered; ``available_in`` keeps those whose
    current version has sound or subtitles in that language."""
    if not available_in:
        return selectors.list_titles(language=language, country=country, genre=genre, page=page,
                                     page_size=page_size)
    language = normalize_code(language)
    qs = _listed().filter(pk__in=titles_with_language(language=normalize_code(available_in)).values("pk"))
    if country:
        qs = qs.filter(country_of_origin=country.upper())
    if genre:
        qs = qs.filter(genres__slug=genre)
    page = max(page, 1)
    start = (page - 1) * page_size
    return TitlePage(items=_cards(qs.order_by("-created_at", "-id")[start:start + page_size], language=language),
                     count=qs.count(), page=page, page_size=page_size)


def new_in_language(*, language: str, days: int = NEW_FOR_DAYS, limit: int = 12) -> tuple[TitleCard, ...]:
    """Titles with sound or subtitles in ``language`` published in the last ``days``."""
    language = normalize_code(language)
    since = timezone.now() - timedelta(days=days)
    qs = _listed().filter(pk__in=titles_with_language(language=language, since=since).values("pk"))
    return _cards(qs.order_by("-created_at", "-id")[:limit], language=language)


def browse_options(*, language: str) -> BrowseOptions:
    """The choices of the home page's filters; they change only with the catalogue, so
    they are kept in its read cache (:mod:`dastan.catalog.cache`)."""
    language = normalize_code(language)
    return cached("browse-options", (language,), lambda: _browse_options(language=language))


def _browse_options(*, language: str) -> BrowseOptions:
    countries = sorted(c for c in _listed().order_by().values_list("country_of_origin", flat=True).distinct() if c)
    return BrowseOptions(
        countries=tuple(sorted((Option(c, labels.country_name(c, language)) for c in countries),
                               key=lambda o: o.label)),
        languages=tuple(Option(lang.code, lang.native_name, lang.code) for lang in LANGUAGES),
        genres=tuple(selectors.list_genres(language=language)),
    )
