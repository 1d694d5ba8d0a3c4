"""Programmes and editions: creating them, and what their public page shows in a
viewer's language (with the same fallback and human/machine marks as catalogue texts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext as _

from dastan.accounts import permissions
from dastan.accounts.permissions import Action
from dastan.bazaar.access import can_see_project
from dastan.bazaar.models import Project
from dastan.catalog.languages import CODES, normalize_code
from dastan.catalog.models import Organisation
from dastan.errors import InvalidInput, NotFound
from dastan.labs.access import check_manage_edition, check_manage_programme, host_organisation_ids
from dastan.labs.errors import AlreadyThere
from dastan.labs.models import Application, Edition, Outcome, Programme, ProgrammeText

FALLBACK_LANGUAGE = "en"
MAX_COMPUTE_HOURS = 10_000
EARLIEST_YEAR, LATEST_YEAR = 1950, 2200  # wall-clock times outside these are typing mistakes


def check_wall_clock(value: Any, *, field: str) -> None:
    """Raise InvalidInput for a date or time outside the years anyone plans an edition in."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise InvalidInput(_("%(year)s is not a year this can happen in.") % {"year": value.year},
                           _("Check the year (%(first)s to %(last)s).") % {"first": EARLIEST_YEAR,
                                                                          "last": LATEST_YEAR}, field=field)


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


# Addresses under /labs/ that are pages of their own, not programmes.
RESERVED_SLUGS = frozenset({"host", "calls", "applications", "files", "screeners", "s", "rooms", "editions",
                            "certificates", "sessions", "mentors", "api"})
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")


def check_programme_slug(slug: str) -> str:
    """``slug`` as a programme's address; raises InvalidInput or AlreadyThere naming a fix."""
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        raise InvalidInput(_("'%(slug)s' cannot be a programme's address.") % {"slug": slug[:80]},
                           _("Use 2 to 80 lower-case Latin letters, digits and hyphens, e.g. writer-director-lab "
                             "(not one of: %(reserved)s).") % {"reserved": ", ".join(sorted(RESERVED_SLUGS))},
                           field="slug")
    if Programme.objects.filter(slug=slug).exists():
        raise AlreadyThere(_("Another programme already has the address '%(slug)s'.") % {"slug": slug},
                           _("Choose another address, e.g. %(slug)s-%(year)s.") % {"slug": slug,
                                                                                  "year": date.today().year},
                           field="slug")
    return slug


def _check_hosts(*, by: Any, hosts: list[Organisation]) -> None:
    """A person names at least one organisation they run labs for among the hosts."""
    if not hosts:
        raise InvalidInput(_("Name at least one host organisation."),
                           _("Choose your organisation as a host; co-hosts may be added beside it."), field="hosts")
    if by is None:
        return
    mine = set(host_organisation_ids(user=by))
    if not mine & {h.pk for h in hosts}:
        permissions.check(user=by, action=Action.MANAGE_LABS, organisation=hosts[0], field="hosts")


@transaction.atomic
def create_programme(*, by: Any, slug: str, kind: str, texts: dict[str, tuple[str, str]],
                     hosts: list[Organisation] | None = None, original_language: str = "en",
                     machine: tuple[str, ...] = ()) -> Programme:
    """A programme run by ``hosts`` with its name and description per language (``texts``:
    language → (name, description)); languages in ``machine`` are marked
    machine-translated. ``by`` (None: the node itself, e.g. the demo) must administer one
    of the hosts. Raises InvalidInput / AlreadyThere, storing nothing."""
    hosts = list(hosts or [])
    if by is not None:
        _check_hosts(by=by, hosts=hosts)
    check_programme_slug(slug)
    if kind not in Programme.Kind.values:
        raise InvalidInput(_("'%(kind)s' is not a kind of programme.") % {"kind": kind},
                           _("Use one of: %(kinds)s.") % {"kinds": ", ".join(Programme.Kind.values)}, field="kind")
    original = check_language(original_language, field="original_language")
    if not any(check_language(c) == original and name.strip() for c, (name, _d) in texts.items()):
        raise InvalidInput(_("The programme needs a name in its original language (%(language)s).")
                           % {"language": original}, _("Write the name as the hosts write it."), field="name")
    programme = Programme.objects.create(slug=slug, kind=kind, original_language=original)
    programme.hosts.set(hosts)
    for language, (name, description) in texts.items():
        if name.strip():
            set_programme_text(by=None, programme=programme, language=language, name=name, description=description,
                               machine=language in machine)
    return programme


def set_programme_text(*, by: Any, programme: Programme, language: str, name: str, description: str = "",
                       machine: bool = False) -> ProgrammeText:
    """The programme's name and description in ``language`` (added or replaced)."""
    if by is not None:
        check_manage_programme(user=by, programme=programme)
    code = check_language(language)
    name, description = name.strip(), description.strip()
    if not name or len(name) > 300:
        raise InvalidInput(_("A programme's name has 1 to 300 characters."), _("Write the name in this language."),
                           field="name")
    origin = (ProgrammeText.Origin.ORIGINAL if code == programme.original_language else
              ProgrammeText.Origin.MACHINE if machine else ProgrammeText.Origin.HUMAN)
    text, _created = ProgrammeText.objects.update_or_create(
        programme=programme, language=code, defaults={"name": name, "description": description, "origin": origin})
    return text


@transaction.atomic
def create_edition(*, by: Any, programme: Programme, name: str, starts_on: date, ends_on: date,
                   hosts: list[Organisation], time_zone: str, languages: list[str], place: str = "",
                   online: bool = False, compute_hours_per_participant: int = 0) -> Edition:
    """An edition of ``programme`` co-hosted by ``hosts``; ``by`` (None: the node itself,
    e.g. the demo) must run the programme and administer one of the edition's hosts.
    Raises InvalidInput for a name, dates, zone or languages that cannot be, storing nothing."""
    if by is not None:
        check_manage_programme(user=by, programme=programme)
        _check_hosts(by=by, hosts=hosts)
    name, place = name.strip(), place.strip()
    if not name or len(name) > 120:
        raise InvalidInput(_("An edition's name has 1 to 120 characters."),
                           _("Name it by its year or season and place, e.g. '2027, Almaty'."), field="name")
    if programme.editions.filter(name=name).exists():
        raise AlreadyThere(_("This programme already has an edition called '%(name)s'.") % {"name": name},
                           _("Name the new edition differently, e.g. with its season or place."), field="name")
    check_time_zone(time_zone)
    check_wall_clock(starts_on, field="starts_on")
    check_wall_clock(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise InvalidInput(_("The edition ends before it starts."), _("Set the end on or after the start."),
                           field="ends_on")
    if not hosts:
        raise InvalidInput(_("An edition needs at least one host organisation."), "", field="hosts")
    if not 0 <= compute_hours_per_participant <= MAX_COMPUTE_HOURS:
        raise InvalidInput(_("A compute allowance is 0 to %(max)s hours per participant.") % {"max": MAX_COMPUTE_HOURS},
                           _("Set 0 for none."), field="compute_hours_per_participant")
    if not languages:
        raise InvalidInput(_("Name at least one language of instruction."),
                           _("Choose the languages the sessions are held in."), field="languages")
    if not online and not place:
        raise InvalidInput(_("Say where the edition takes place, or that it is online."),
                           _("Write the city, or tick 'online'."), field="place")
    edition = Edition.objects.create(
        programme=programme, name=name, starts_on=starts_on, ends_on=ends_on, place=place[:200], online=online,
        time_zone=time_zone, languages=[check_language(c, field="languages") for c in languages],
        compute_hours_per_participant=compute_hours_per_participant)
    edition.hosts.set(hosts)
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
