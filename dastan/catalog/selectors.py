"""Reading the catalog: pages of titles, search results and one title in full, each
with its texts chosen for the viewer's language (:mod:`dastan.catalog.texts`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, can
from dastan.catalog.cache import cached
from dastan.catalog.errors import InvalidTitle, TitleNotFound
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Credit, Genre, Organisation, Title, TitleText
from dastan.catalog.search import backend_for, plan_search
from dastan.catalog.texts import FALLBACK_LANGUAGE, DisplayText, choose_text

MAX_PAGE_SIZE = 100
LISTED_KINDS = (Title.Kind.FILM, Title.Kind.SERIES)


@dataclass(frozen=True, slots=True)
class GenreView:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class TitleCard:
    """A title as a list shows it."""

    id: int
    slug: str
    kind: str
    number: int | None
    year: int | None
    country_of_origin: str
    original_language: str
    owner: str
    genres: tuple[GenreView, ...]
    text: DisplayText


@dataclass(frozen=True, slots=True)
class TitlePage:
    items: tuple[TitleCard, ...]
    count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


@dataclass(frozen=True, slots=True)
class CreditView:
    name: str
    latin_name: str
    role: str
    character: str


@dataclass(frozen=True, slots=True)
class TextView:
    language: str
    name: str
    synopsis: str
    origin: str
    provenance: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TitleDetail:
    card: TitleCard
    runtime_min: int | None
    is_published: bool
    parent: TitleCard | None
    number: int | None
    children: tuple[TitleCard, ...]
    texts: tuple[TextView, ...]
    credits: tuple[CreditView, ...]


def _with_related(qs: QuerySet[Title], *, language: str | None = None) -> QuerySet[Title]:
    """Titles with owner, genres and texts; with ``language``, only the texts that the
    fallback chain can choose (that language, English, the original)."""
    texts = TitleText.objects.all()
    if language is not None:
        texts = texts.filter(Q(language__in=[language, FALLBACK_LANGUAGE]) | Q(origin=TitleText.Origin.ORIGINAL))
    return qs.select_related("owner").prefetch_related(
        Prefetch("texts", queryset=texts), Prefetch("genres", queryset=Genre.objects.all()),
    )


def card_for(title: Title, *, language: str) -> TitleCard:
    """``title`` (with texts and genres prefetched) as a card in ``language``."""
    return TitleCard(
        id=title.pk, slug=title.slug, kind=title.kind, number=title.number, year=title.year,
        country_of_origin=title.country_of_origin, original_language=title.original_language,
        owner=title.owner.name if title.owner else "",
        genres=tuple(GenreView(g.slug, g.name_in(language)) for g in title.genres.all()),
        text=choose_text(title=title, texts=title.texts.all(), language=language),
    )


def list_titles(
    *, language: str, country: str | None = None, genre: str | None = None,
    original_language: str | None = None, page: int = 1, page_size: int = 24,
) -> TitlePage:
    """Published films and series, newest first, filtered and paged.

    ``language`` chooses the texts shown; ``original_language`` filters by the language
    the title was made in. Raises :class:`InvalidTitle` for a page size out of range.
    """
    language = normalize_code(language)
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        # Translators: page_size is the name of a query parameter: keep it.
        raise InvalidTitle(gettext("page_size must be between 1 and %(most)s.") % {"most": MAX_PAGE_SIZE},
                           gettext("Ask for at most %(most)s titles a page.") % {"most": MAX_PAGE_SIZE},
                           field="page_size")
    page = max(page, 1)
    return cached("list", (language, country, genre, original_language, page, page_size),
                  lambda: _list_titles(language=language, country=country, genre=genre,
                                       original_language=original_language, page=page, page_size=page_size))


def _list_titles(*, language: str, country: str | None, genre: str | None, original_language: str | None,
                 page: int, page_size: int) -> TitlePage:
    qs = Title.objects.filter(is_published=True, kind__in=LISTED_KINDS)
    if country:
        qs = qs.filter(country_of_origin=country.upper())
    if genre:
        qs = qs.filter(genres__slug=genre)
    if original_language:
        qs = qs.filter(original_language=normalize_code(original_language))
    count = qs.count()
    start = (page - 1) * page_size
    titles = _with_related(qs.order_by("-created_at", "-id"), language=language)[start:start + page_size]
    return TitlePage(items=tuple(card_for(t, language=language) for t in titles), count=count,
                     page=page, page_size=page_size)


def search_titles(*, query: str, language: str, limit: int = 50) -> list[TitleCard]:
    """Published titles whose name (in any script) or synopsis matches ``query``, best first.

    Matching runs on the database's full-text index through the backend for this
    database (:mod:`dastan.catalog.search`); texts are shown in ``language``.
    """
    language = normalize_code(language)
    return cached("search", (query, language, limit),
                  lambda: _search_titles(query=query, language=language, limit=limit))


def _search_titles(*, query: str, language: str, limit: int) -> list[TitleCard]:
    hits = backend_for().match(plan_search(query), limit=limit * 2)
    order = {hit.title_id: rank for rank, hit in enumerate(hits)}
    titles = _with_related(Title.objects.filter(id__in=order, is_published=True), language=language)
    ranked = sorted(titles, key=lambda t: order[t.pk])[:limit]
    return [card_for(t, language=language) for t in ranked]


def access_title(*, slug: str, user: Any | None = None) -> Title:
    """The title with this slug, if published or if ``user`` may see its owner's drafts;
    otherwise TitleNotFound (an unpublished title's existence is not disclosed)."""
    title = _with_related(Title.objects.filter(slug=slug)).first()
    if title is None:
        raise TitleNotFound(slug)
    if not title.is_published and not can(user=user, action=Action.VIEW_DRAFTS, organisation_id=title.owner_id):
        raise TitleNotFound(slug)
    return title


def get_title_detail(*, slug: str, language: str, user: Any | None = None) -> TitleDetail:
    """One title with all its texts, credits, parent and children, for ``language``.
    A published title's answer is the same for everyone, so it is cached."""
    language = normalize_code(language)
    return cached("detail", (slug, language), lambda: _title_detail(slug=slug, language=language, user=user),
                  keep=lambda detail: detail.is_published)


def _title_detail(*, slug: str, language: str, user: Any | None) -> TitleDetail:
    title = access_title(slug=slug, user=user)
    children = _with_related(title.children.filter(is_published=True).order_by("number", "id"))
    parent = _with_related(Title.objects.filter(pk=title.parent_id)).first() if title.parent_id else None
    credits = Credit.objects.filter(title=title).select_related("person")
    return TitleDetail(
        card=card_for(title, language=language), runtime_min=title.runtime_min,
        is_published=title.is_published, number=title.number,
        parent=card_for(parent, language=language) if parent else None,
        children=tuple(card_for(c, language=language) for c in children),
        texts=tuple(TextView(t.language, t.name, t.synopsis, t.origin, dict(t.provenance))
                    for t in sorted(title.texts.all(), key=lambda t: t.language)),
        credits=tuple(CreditView(c.person.name, c.person.latin_name, c.role, c.character) for c in credits),
    )


def list_genres(*, language: str) -> list[GenreView]:
    language = normalize_code(language)
    return cached("genres", (language,),
                  lambda: [GenreView(g.slug, g.name_in(language)) for g in Genre.objects.order_by("slug")])


def list_organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("name"))
