"""/api/v1/catalog: titles, search, genres and organisations; writing needs a token.

Texts are shown in ``language`` (default: the request's language, from the
``dastan_language`` cookie or Accept-Language), falling back to English, then the
original language; each text says which language it is and who wrote it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status

from dastan.accounts.tokens import OptionalTokenAuth, TokenAuth
from dastan.catalog import selectors, services
from dastan.catalog.models import Title, TitleText
from dastan.catalog.schemas import (
    GenreOut,
    OrganisationOut,
    TextIn,
    TextOut,
    TitleCardOut,
    TitleDetailOut,
    TitleIn,
    TitlePageOut,
    TitlePatch,
)

router = Router(tags=["catalog"])


def _language(requested: str | None) -> str:
    return requested or get_language() or "en"


class ListFilters(Schema):
    country: str | None = None
    genre: str | None = None
    original_language: str | None = None
    language: str | None = None
    page: int = 1
    page_size: int = 24


@router.get("/titles", response=TitlePageOut, summary="Published films and series, newest first")
def list_titles(request: HttpRequest, filters: Query[ListFilters]) -> selectors.TitlePage:
    """Filter by ``country`` (ISO code), ``genre`` (slug) or ``original_language``;
    ``language`` chooses which texts are shown."""
    return selectors.list_titles(
        language=_language(filters.language), country=filters.country, genre=filters.genre,
        original_language=filters.original_language, page=filters.page, page_size=filters.page_size,
    )


@router.get("/search", response=list[TitleCardOut], summary="Find titles by name in any script")
def search(request: HttpRequest, q: str, language: str | None = None,
           limit: int = 20) -> list[selectors.TitleCard]:
    """``Maula Jatt``, ``مولا جٹ``, ``Маула Джатт`` and ``毛拉·贾特`` find the same title."""
    return selectors.search_titles(query=q, language=_language(language), limit=max(1, min(limit, 100)))


@router.get("/titles/{slug}", response=TitleDetailOut, auth=OptionalTokenAuth(),
            summary="One title with its texts and credits (its organisation's people see it unpublished)")
def title_detail(request: HttpRequest, slug: str, language: str | None = None) -> selectors.TitleDetail:
    return selectors.get_title_detail(slug=slug, language=_language(language), user=request.user)


@router.post("/titles", response={201: TitleDetailOut}, auth=TokenAuth(),
             summary="Create a title owned by one of your organisations")
def create_title(request: HttpRequest, payload: TitleIn) -> Status[selectors.TitleDetail]:
    owner = services.find_organisation(payload.owner)
    parent = selectors.access_title(slug=payload.parent, user=request.user) if payload.parent else None
    title = services.create_title(
        by=request.user, owner=owner, slug=payload.slug, kind=payload.kind,
        original_language=payload.original_language, country_of_origin=payload.country_of_origin,
        name=payload.name, synopsis=payload.synopsis, year=payload.year, runtime_min=payload.runtime_min,
        genres=services.find_genres(payload.genres), parent=parent, number=payload.number,
        is_published=payload.is_published,
    )
    return Status(201, selectors.get_title_detail(slug=title.slug, language=title.original_language,
                                                  user=request.user))


@router.patch("/titles/{slug}", response=TitleDetailOut, auth=TokenAuth(), summary="Change a title's facts")
def update_title(request: HttpRequest, slug: str, payload: TitlePatch) -> selectors.TitleDetail:
    title = selectors.access_title(slug=slug, user=request.user)
    changes = payload.dict(exclude_unset=True)
    genre_slugs = changes.pop("genres", None)
    services.update_title(by=request.user, title=title, **changes,
                          genres=services.find_genres(genre_slugs) if genre_slugs is not None else None)
    return selectors.get_title_detail(slug=slug, language=_language(None), user=request.user)


@router.put("/titles/{slug}/texts/{language}", response=TextOut, auth=TokenAuth(),
            summary="Write a title's name and synopsis in one language")
def put_text(request: HttpRequest, slug: str, language: str, payload: TextIn) -> TitleText:
    title: Title = selectors.access_title(slug=slug, user=request.user)
    return services.set_title_text(by=request.user, title=title, language=language, name=payload.name,
                                   synopsis=payload.synopsis, origin=payload.origin,
                                   provenance=payload.provenance)


@router.get("/genres", response=list[GenreOut], summary="Genres, named in the request's language")
def genres(request: HttpRequest, language: str | None = None) -> list[selectors.GenreView]:
    return selectors.list_genres(language=_language(language))


@router.get("/organisations", response=list[OrganisationOut], summary="Studios, distributors and others")
def organisations(request: HttpRequest) -> list[object]:
    return list(selectors.list_organisations())
