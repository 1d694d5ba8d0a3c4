"""Shapes of the catalog API (not domain types: those are in selectors and texts)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema

Kind = Literal["film", "series", "season", "episode"]
Origin = Literal["original", "human", "machine"]


class GenreOut(Schema):
    slug: str
    name: str


class DisplayTextOut(Schema):
    name: str
    synopsis: str
    language: str = Field(description="the language this text is written in")
    requested_language: str
    origin: Origin
    is_machine: bool
    is_fallback: bool = Field(description="true when the requested language had no text")


class TitleCardOut(Schema):
    slug: str
    kind: Kind
    number: int | None
    year: int | None
    country_of_origin: str
    original_language: str
    owner: str
    genres: list[GenreOut]
    text: DisplayTextOut


class TitlePageOut(Schema):
    items: list[TitleCardOut]
    count: int
    page: int
    page_size: int
    pages: int


class TextOut(Schema):
    language: str
    name: str
    synopsis: str
    origin: Origin
    provenance: dict[str, Any]


class CreditOut(Schema):
    name: str
    latin_name: str
    role: str
    character: str


class TitleDetailOut(Schema):
    card: TitleCardOut
    runtime_min: int | None
    is_published: bool
    number: int | None
    parent: TitleCardOut | None
    children: list[TitleCardOut]
    texts: list[TextOut]
    credits: list[CreditOut]


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str


class TitleIn(Schema):
    slug: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120,
                      description="lower-case letters, digits and hyphens: 'noori-jatt'")
    kind: Kind = "film"
    owner: str = Field(description="slug of the owning organisation; you must be its member")
    original_language: str = Field(description="one of en, ru, zh-Hans, hi, ur, fa, kk, uz, ky, tg, be")
    country_of_origin: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    name: str = Field(min_length=1, max_length=300, description="the name in the original language")
    synopsis: str = ""
    year: int | None = Field(default=None, ge=1888, le=2100)
    runtime_min: int | None = Field(default=None, ge=1, le=1000)
    genres: list[str] = Field(default_factory=list, description="genre slugs")
    parent: str | None = Field(default=None, description="a season's series, an episode's season (slug)")
    number: int | None = Field(default=None, ge=0)
    is_published: bool = False


class TitlePatch(Schema):
    year: int | None = Field(default=None, ge=1888, le=2100)
    runtime_min: int | None = Field(default=None, ge=1, le=1000)
    country_of_origin: str | None = Field(default=None, min_length=2, max_length=2)
    number: int | None = Field(default=None, ge=0)
    is_published: bool | None = None
    genres: list[str] | None = None


class TextIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    synopsis: str = ""
    origin: Literal["human", "machine"] = "human"
    provenance: dict[str, Any] = Field(default_factory=dict,
                                       description='for machine text: {"engine", "model", "version"}')
