"""The bazaar API's shapes, and how a domain row becomes one (shape only, no decisions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from dastan.bazaar.matching import Match
from dastan.bazaar.meetings import in_zone
from dastan.bazaar.models import (
    Interest,
    Meeting,
    Profile,
    Project,
    ProjectChange,
    ScriptEvent,
    Slot,
)
from dastan.bazaar.profiles import credit_name, profile_text
from dastan.bazaar.projects import pitch_text


class TextOut(Schema):
    language: str
    text: str
    origin: str
    is_machine: bool
    is_fallback: bool


class CreditOut(Schema):
    name: str
    title: str | None
    year: int | None
    countries: list[str]


class ProfileOut(Schema):
    slug: str
    name: str
    kind: str
    individual: bool
    country: str
    city: str
    timezone: str
    strengths: list[str]
    languages: list[str]
    territories: list[str]
    compute_workers: list[str]
    about: TextOut | None
    credits: list[CreditOut]


class TextIn(Schema):
    language: str
    text: str
    origin: str = "original"


class CreditIn(Schema):
    name: str = ""
    title: str = ""
    year: int | None = None
    strength: str = ""
    countries: list[str] = []


class ProfileIn(Schema):
    name: str
    kind: str
    country: str
    organisation: str | None = None  # its slug; none: a profile of your own, as a person
    slug: str = ""
    city: str = ""
    timezone: str = "UTC"
    strengths: list[str] = []
    languages: list[str] = []
    territories: list[str] = []
    texts: list[TextIn] = []
    credits: list[CreditIn] = []


class NeedIn(Schema):
    strength: str
    countries: list[str] = []
    territories: list[str] = []


class PersonIn(Schema):
    name: str
    role: str


class ProjectIn(Schema):
    owner: str  # the profile's slug
    title: str
    logline: str
    language: str
    synopsis: str = ""
    slug: str = ""
    genre: str = ""
    format: str
    stage: str
    budget_min: int = 0
    budget_max: int = 0
    currency: str = "USD"
    financing_secured_pct: int = 0
    languages: list[str] = []
    countries: list[str] = []
    needs: list[NeedIn] = []
    attached: list[PersonIn] = []
    visibility: str = "members"
    invited: list[str] = []


class ProjectPatch(Schema):
    title: str | None = None
    genre: str | None = None
    format: str | None = None
    stage: str | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    currency: str | None = None
    financing_secured_pct: int | None = None
    languages: list[str] | None = None
    countries: list[str] | None = None
    needs: list[NeedIn] | None = None
    attached: list[PersonIn] | None = None
    visibility: str | None = None
    invited: list[str] | None = None  # user names who may see an invited-only pitch
    logline: str | None = None
    synopsis: str = ""
    language: str | None = None


class ProjectOut(Schema):
    slug: str
    title: str
    owner: str
    owner_name: str
    pitch: TextOut | None
    synopsis: str
    genre: str
    format: str
    stage: str
    budget_min: int
    budget_max: int
    currency: str
    financing_secured_pct: int
    languages: list[str]
    countries: list[str]
    needs: list[dict[str, Any]]
    attached: list[dict[str, Any]]
    visibility: str
    revision: int


class ChangeOut(Schema):
    revision: int
    by: str | None
    at: datetime
    fields: dict[str, Any]


class MatchOut(Schema):
    profile: str
    profile_name: str
    project: str
    project_title: str
    score: float
    reasons: list[str]


class InterestIn(Schema):
    sender: str  # the profile's slug
    message: str


class DecisionIn(Schema):
    accept: bool
    reason: str = ""
    note: str = ""


class InterestOut(Schema):
    id: int
    project: str
    sender: str
    message: str
    state: str
    decline_reason: str
    decline_note: str
    created_at: datetime


class SlotsIn(Schema):
    starts: list[datetime]  # without an offset: read in the profile's time zone
    duration_min: int = 20
    event: str = ""


class SlotOut(Schema):
    id: int
    starts_at: datetime
    local_start: str
    zone: str
    duration_min: int
    event: str
    booked: bool


class BookIn(Schema):
    guest: str  # the booking profile's slug
    project: str | None = None
    notes: str = ""


class MeetingOut(Schema):
    id: int
    host: str
    guest: str
    starts_at: datetime
    local_start: str
    zone: str
    duration_min: int
    event: str
    notes: str


class GrantIn(Schema):
    recipient: str  # user name
    until: datetime | None = None


class GrantOut(Schema):
    id: int
    recipient: str
    expires_at: datetime
    revoked_at: datetime | None


class NdaIn(Schema):
    affirmed: bool
    text_shown: str


class NdaOut(Schema):
    nda_version: str
    nda_sha256: str
    accepted_at: datetime


class MaterialIn(Schema):
    kind: str  # teaser, rough_cut or lookbook
    label: str
    title: str  # the slug of the owner organisation's (unpublished) title


class MaterialOut(Schema):
    id: int
    kind: str
    label: str
    title: str
    watch_url: str


def material_out(material: Any) -> dict[str, Any]:
    return {"id": material.pk, "kind": material.kind, "label": material.label,
            "title": material.title.slug if material.title else "",
            "watch_url": f"/media/watch/{material.title.slug}/" if material.title else ""}


class ScriptOut(Schema):
    id: int
    name: str
    pages: int
    nda_version: str
    allow_download: bool


class EventOut(Schema):
    kind: str
    user: str | None
    page: int | None
    detail: str
    ip: str | None
    at: datetime


class NotificationOut(Schema):
    text: str
    link: str
    created_at: datetime


def text_out(text: Any) -> dict[str, Any] | None:
    if text is None:
        return None
    return {"language": text.language, "text": text.name, "origin": text.origin, "is_machine": text.is_machine,
            "is_fallback": text.is_fallback}


def profile_out(profile: Profile, language: str) -> dict[str, Any]:
    return {
        "slug": profile.slug, "name": profile.name, "kind": profile.kind, "individual": profile.is_individual,
        "country": profile.country, "city": profile.city, "timezone": profile.timezone,
        "strengths": profile.strengths, "languages": profile.languages, "territories": profile.territories,
        "compute_workers": profile.compute_workers,
        "about": text_out(profile_text(profile=profile, language=language)),
        "credits": [{"name": credit_name(c), "title": c.title.slug if c.title else None, "year": c.year,
                     "countries": c.countries} for c in profile.credits.select_related("title")],
    }


def project_out(project: Project, language: str) -> dict[str, Any]:
    pitch = pitch_text(project=project, language=language)
    return {
        "slug": project.slug, "title": project.title, "owner": project.owner.slug, "owner_name": project.owner.name,
        "pitch": text_out(pitch), "synopsis": pitch.synopsis if pitch else "", "genre": project.genre,
        "format": project.format, "stage": project.stage, "budget_min": project.budget_min,
        "budget_max": project.budget_max, "currency": project.currency,
        "financing_secured_pct": project.financing_secured_pct, "languages": project.languages,
        "countries": project.countries, "needs": project.needs, "attached": project.attached,
        "visibility": project.visibility, "revision": project.revision,
    }


def change_out(change: ProjectChange) -> dict[str, Any]:
    return {"revision": change.revision, "by": change.by.get_username() if change.by else None, "at": change.at,
            "fields": change.fields}


def match_out(match: Match) -> dict[str, Any]:
    return {"profile": match.profile.slug, "profile_name": match.profile.name, "project": match.project.slug,
            "project_title": match.project.title, "score": match.score, "reasons": list(match.reasons)}


def interest_out(interest: Interest) -> dict[str, Any]:
    return {"id": interest.pk, "project": interest.project.slug, "sender": interest.sender.slug,
            "message": interest.message, "state": interest.state, "decline_reason": interest.decline_reason,
            "decline_note": interest.decline_note, "created_at": interest.created_at}


def slot_out(slot: Slot, zone: str) -> dict[str, Any]:
    local = in_zone(slot=slot, zone=zone)
    return {"id": slot.pk, "starts_at": slot.starts_at, "local_start": local.start.isoformat(), "zone": zone,
            "duration_min": slot.duration_min, "event": slot.event, "booked": hasattr(slot, "meeting")}


def meeting_out(meeting: Meeting, zone: str) -> dict[str, Any]:
    local = in_zone(slot=meeting.slot, zone=zone)
    return {"id": meeting.pk, "host": meeting.host.slug, "guest": meeting.guest.slug,
            "starts_at": meeting.slot.starts_at, "local_start": local.start.isoformat(), "zone": zone,
            "duration_min": meeting.slot.duration_min, "event": meeting.slot.event, "notes": meeting.notes}


def event_out(event: ScriptEvent) -> dict[str, Any]:
    return {"kind": event.kind, "user": event.user.get_username() if event.user else None, "page": event.page,
            "detail": event.detail, "ip": event.ip, "at": event.at}
