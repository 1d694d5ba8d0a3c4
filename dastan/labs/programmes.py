"""Programmes and editions: creating them, and what their public page shows in a
viewer's language (with the same fallback and human/machine marks as catalogue texts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _

from dastan.bazaar.access import can_see_project
from dastan.bazaar.models import Project
from dastan.catalog.languages import CODES, normalize_code
from dastan.catalog.models import Organisation
from dastan.errors import InvalidInput, NotFound
from dastan.labs.access import check_manage_edition
from dastan.labs.models import Application, Edition, Outcome, Programme, ProgrammeText

FALLBACK_LANGUAGE = "en"


def check_time_zone(name: str, *, field: str = "time_zone") -> ZoneInfo:
    """The zone called ``name``; raises InvalidInput naming an example of a valid one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(_("'%(name)s' is not a time zone.") % {"name": name},
                           _("Use an IANA name such as Asia/Karachi, Asia/Almaty or Europe/Minsk."),
                           field=field) from exc


def check_language(code: str, *, field: str = "language") -> str:
    normal = normalize_code(code)
    if normal not in CODES:
        raise InvalidInput(_("'%(code)s' is not one of the node's languages.") % {"code": code},
                           _("Use one of: %(codes)s.") % {"codes": ", ".join(CODES)}, field=field)
    return normal


@transaction.atomic
def create_programme(*, slug: str, kind: str, texts: dict[str, tuple[str, str]],
                     original_language: str = "en", machine: tuple[str, ...] = ()) -> Programme:
    """A programme with its name and description per language (``texts``: language →
    (name, description)); languages in ``machine`` are marked machine-translated."""
    original = check_language(original_language)
    programme = Programme.objects.create(slug=slug, kind=kind, original_language=original)
    for language, (name, description) in texts.items():
        code = check_language(language)
        origin = (ProgrammeText.Origin.ORIGINAL if code == original else
                  ProgrammeText.Origin.MACHINE if code in machine else ProgrammeText.Origin.HUMAN)
        ProgrammeText.objects.create(programme=programme, language=code, name=name, description=description,
                                     origin=origin)
    return programme


@transaction.atomic
def create_edition(*, by: Any, programme: Programme, name: str, starts_on: date, ends_on: date,
                   hosts: list[Organisation], time_zone: str, languages: list[str], place: str = "",
                   online: bool = False, compute_hours_per_participant: int = 0) -> Edition:
    """An edition co-hosted by ``hosts``; ``by`` (None: the node itself, e.g. the demo)
    must administer one of them. Raises InvalidInput for dates or a zone that cannot be."""
    check_time_zone(time_zone)
    if ends_on < starts_on:
        raise InvalidInput(_("The edition ends before it starts."), _("Set the end on or after the start."),
                           field="ends_on")
    if not hosts:
        raise InvalidInput(_("An edition needs at least one host organisation."), "", field="hosts")
    edition = Edition.objects.create(
        programme=programme, name=name, starts_on=starts_on, ends_on=ends_on, place=place, online=online,
        time_zone=time_zone, languages=[check_language(c, field="languages") for c in languages],
        compute_hours_per_participant=compute_hours_per_participant)
    edition.hosts.set(hosts)
    if by is not None:
        check_manage_edition(user=by, edition=edition)  # inside the transaction: a refusal leaves nothing
    return edition


# --- the public page ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProgrammeDisplay:
    name: str
    description: str
    language: str
    requested_language: str
    origin: str

    @property
    def is_machine(self) -> bool:
        return self.origin == ProgrammeText.Origin.MACHINE

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested_language


def programme_text(*, programme: Programme, language: str) -> ProgrammeDisplay:
    """The text for ``language``: that language, else English, else the original."""
    requested = normalize_code(language)
    texts = {t.language: t for t in programme.texts.all()}
    for code in dict.fromkeys([requested, FALLBACK_LANGUAGE, programme.original_language]):
        text = texts.get(code)
        if text is not None:
            return ProgrammeDisplay(text.name, text.description, code, requested, text.origin)
    return ProgrammeDisplay(programme.slug, "", programme.original_language, requested,
                            ProgrammeText.Origin.ORIGINAL)


@dataclass(frozen=True, slots=True)
class Alumnus:
    name: str
    edition: str
    country: str


@dataclass(frozen=True, slots=True)
class OutcomeView:
    label: str
    edition: str
    title_slug: str
    bazaar_project: str
    bazaar_public: bool = False  # the project's page is public in the bazaar: link to it


def access_programme(*, slug: str) -> Programme:
    """Programmes are public; raises NotFound for a slug that does not exist."""
    programme = Programme.objects.filter(slug=slug).prefetch_related("texts").first()
    if programme is None:
        raise NotFound(_("There is no programme '%(slug)s'.") % {"slug": slug},
                       _("The list of programmes is at /labs/."))
    return programme


def alumni(*, programme: Programme, today: date) -> list[Alumnus]:
    """The selected participants of the programme's finished editions."""
    rows = (Application.objects.filter(call__edition__programme=programme, call__edition__ends_on__lt=today,
                                       decision=Application.Decision.SELECTED)
            .select_related("applicant", "call__edition").order_by("-call__edition__starts_on", "pk"))
    return [Alumnus(r.applicant.get_full_name() or r.applicant.username, r.call.edition.name, r.country)
            for r in rows]


def outcomes(*, programme: Programme) -> list[OutcomeView]:
    """Films and projects that came out of the programme (only published titles and
    public bazaar projects link: the page is public)."""
    rows = list(Outcome.objects.filter(edition__programme=programme).select_related("edition", "title"))
    # The bazaar's own rule decides what an anonymous reader may open.
    public = {p.slug for p in Project.objects.filter(slug__in=[o.bazaar_project for o in rows if o.bazaar_project])
              .select_related("owner") if can_see_project(user=AnonymousUser(), project=p)}
    return [OutcomeView(o.label, o.edition.name,
                        o.title.slug if o.title is not None and o.title.is_published else "", o.bazaar_project,
                        o.bazaar_project in public)
            for o in rows]


def record_outcome(*, by: Any, edition: Edition, label: str, title: Any = None, bazaar_project: str = "",
                   application: Application | None = None) -> Outcome:
    """A film or project that came out of ``edition``; ``by`` (None: the node) must
    administer a host."""
    if by is not None:
        check_manage_edition(user=by, edition=edition)
    return Outcome.objects.create(edition=edition, label=label, title=title, bazaar_project=bazaar_project,
                                  application=application)


def person_name(user: User) -> str:
    return user.get_full_name() or user.username
