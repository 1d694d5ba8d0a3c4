"""The shapes of what nodes send each other. A body that does not fit is refused whole,
with the first field at fault named, before anything is stored."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, HttpUrl

SLUG = r"^[-a-zA-Z0-9_]+$"


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class TextDoc(Strict):
    language: str = Field(min_length=2, max_length=10)
    name: str = Field(min_length=1, max_length=300)
    synopsis: str = Field(default="", max_length=20000)
    origin: Literal["original", "human", "machine"]
    provenance: dict[str, Any] = Field(default_factory=dict)


class CreditDoc(Strict):
    name: str = Field(min_length=1, max_length=200)
    latin_name: str = Field(default="", max_length=200)
    role: Literal["director", "writer", "producer", "cast", "composer", "cinematographer", "editor"]
    character: str = Field(default="", max_length=200)


class GenreDoc(Strict):
    slug: str = Field(pattern=SLUG, max_length=40)
    names: dict[str, str] = Field(default_factory=dict)


class OwnerDoc(Strict):
    slug: str = Field(pattern=SLUG, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(default="", max_length=2)


class LicenceDoc(Strict):
    """One licence fact: who granted it, and its terms as avails columns (AVAILS.md), the
    one text form of a licence (window as dates or event+lag, never a silent default)."""

    licensor: str = Field(min_length=1, max_length=200)
    row: dict[str, str]


class ReleaseDoc(Strict):
    """A release of the title in one country: what "release + lag" windows count from."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    event: str = Field(pattern=r"^[a-z_]{1,20}$")
    day: date


class TitleDoc(Strict):
    """The full state of one title on its home node: a receiver replaces what it had."""

    slug: str = Field(pattern=SLUG, max_length=120)
    sequence: int = Field(ge=1)
    position: int = Field(ge=1)
    published: bool
    kind: Literal["film", "series", "season", "episode"]
    original_language: str = Field(min_length=2, max_length=10)
    country_of_origin: str = Field(min_length=2, max_length=2)
    year: int | None = Field(default=None, ge=1870, le=2200)
    runtime_min: int | None = Field(default=None, ge=0, le=10000)
    owner: OwnerDoc
    texts: list[TextDoc] = Field(min_length=1)
    credits: list[CreditDoc] = Field(default_factory=list)
    genres: list[GenreDoc] = Field(default_factory=list)
    audio_languages: list[str] = Field(default_factory=list)
    subtitle_languages: list[str] = Field(default_factory=list)
    # The home node's current stream version (None: not streamed yet): a cache copy of an
    # older one is replaced.
    stream_version: int | None = Field(default=None, ge=1)
    licences: list[LicenceDoc] = Field(default_factory=list)
    # The title's release dates (the home node's), so a peer resolves "release + lag" windows
    # as the home node does: "coming on <day>", then playable on that day.
    releases: list[ReleaseDoc] = Field(default_factory=list, max_length=2000)


class InboxBody(Strict):
    documents: list[TitleDoc] = Field(max_length=500)


class FeedPage(Strict):
    documents: list[TitleDoc]
    next: int
    more: bool


class FollowBody(Strict):
    url: HttpUrl


class PeeringBody(Strict):
    state: Literal["accepted", "declined", "ended"]
    reason: str = Field(default="", max_length=500)


class CueDoc(Strict):
    start_ms: int = Field(ge=0)
    end_ms: int = Field(gt=0)
    text: str = Field(min_length=1, max_length=1000)


class ContributionBody(Strict):
    """A subtitle track made on another node for one of this node's titles."""

    title: str = Field(pattern=SLUG, max_length=120)
    language: str = Field(min_length=2, max_length=10)
    origin: Literal["human", "machine", "asr", "upload"]
    cues: list[CueDoc] = Field(min_length=1, max_length=20000)
    provenance: dict[str, Any] = Field(default_factory=dict)


class LicenceVerdict(Schema):
    ref: str
    verdict: Literal["ACCEPTED", "REJECTED", "CONFLICT"]
    reason: str


class DocumentResult(Schema):
    slug: str
    sequence: int
    status: Literal["applied", "older"]
    licences: list[LicenceVerdict]


class InboxAnswer(Schema):
    results: list[DocumentResult]


class GrantBody(Strict):
    """A peer asks to play one of this node's titles for one of its viewers."""

    title: str = Field(pattern=SLUG, max_length=120)
    territory: str | None = Field(default=None, max_length=2)
    viewer: str = Field(pattern=r"^[0-9a-f]{16,64}$", description="a digest of the viewer's session there")
    # "mirror": the peer keeps a cache copy for its country, which the licence must allow.
    purpose: Literal["play", "mirror"] = "play"


class GrantAnswer(Strict):
    """The master playlist for that viewer: every URI absolute, on the home node, signed for
    the peer's site, living ``ttl_s`` seconds (the peer asks again to renew)."""

    master: str = Field(min_length=7)
    ttl_s: int = Field(ge=1)
