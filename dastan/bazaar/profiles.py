"""Profiles: organisations of every kind and individuals (freelancers are first-class),
with strengths from the one taxonomy, languages, past credits and texts in several
languages carrying the catalogue's human/machine marks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dastan.bazaar.errors import InvalidPitch, NotYourTurn
from dastan.bazaar.models import PastCredit, Profile, ProfileText, TextOrigin
from dastan.bazaar.search import index_for
from dastan.bazaar.taxonomy import ORGANISATION_KINDS, PERSON_KINDS, STRENGTHS
from dastan.catalog.languages import CODES, normalize_code
from dastan.catalog.models import Organisation, Title
from dastan.catalog.texts import DisplayText, fallback_chain


@dataclass(frozen=True, slots=True)
class Text:
    language: str
    body: str
    origin: str = TextOrigin.HUMAN
    provenance: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    name: str = ""
    title_slug: str = ""
    year: int | None = None
    strength: str = ""
    countries: tuple[str, ...] = ()


def check_strengths(strengths: Iterable[str], *, field: str = "strengths") -> list[str]:
    unknown = [s for s in strengths if s not in STRENGTHS]
    if unknown:
        raise InvalidPitch(_("Unknown strength: %(names)s.") % {"names": ", ".join(unknown)},
                           _("Use one of: %(known)s.") % {"known": ", ".join(STRENGTHS)}, field=field)
    return list(dict.fromkeys(strengths))


def check_languages(languages: Iterable[str], *, field: str = "languages") -> list[str]:
    codes = [normalize_code(code) for code in languages]
    unknown = [c for c in codes if c not in CODES]
    if unknown:
        raise InvalidPitch(_("Unknown language: %(names)s.") % {"names": ", ".join(unknown)},
                           _("Use one of: %(known)s.") % {"known": ", ".join(CODES)}, field=field)
    return list(dict.fromkeys(codes))


def check_countries(countries: Iterable[str], *, field: str) -> list[str]:
    codes = [c.strip().upper() for c in countries]
    bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
    if bad:
        raise InvalidPitch(_("Not a country code: %(names)s.") % {"names": ", ".join(bad)},
                           _("Use two letters (ISO 3166-1), e.g. PK, CN, IR, KZ."), field=field)
    return list(dict.fromkeys(codes))


SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")


def check_length(value: str, *, limit: int, field: str) -> str:
    if len(value) > limit:
        raise InvalidPitch(_("'%(field)s' is longer than %(limit)s characters.") % {"field": field, "limit": limit},
                           _("Shorten it."), field=field)
    return value


def check_slug(slug: str, *, taken: bool) -> str:
    if not SLUG.match(slug):
        raise InvalidPitch(_("'%(slug)s' cannot be an address.") % {"slug": slug[:90]},
                           _("Use Latin letters, digits and hyphens, e.g. lahore-lights."), field="slug")
    if taken:
        raise NotYourTurn(_("The address '%(slug)s' is taken.") % {"slug": slug},
                          _("Choose another slug."), code="slug_taken")
    return slug


def check_timezone(zone: str) -> str:
    if zone not in available_timezones():
        raise InvalidPitch(_("Unknown time zone '%(zone)s'.") % {"zone": zone},
                           _("Use an IANA zone such as Asia/Karachi or Asia/Shanghai."), field="timezone")
    ZoneInfo(zone)
    return zone


def _reindex(profile: Profile) -> None:
    texts = [profile.name, profile.city, *profile.texts.values_list("about", flat=True)]
    profile.search_index = index_for(texts)
    profile.save(update_fields=["search_index"])


@transaction.atomic
def create_profile(*, name: str, kind: str, country: str, organisation: Organisation | None = None,
                   user: Any = None, slug: str = "", city: str = "", timezone: str = "UTC",
                   strengths: Sequence[str] = (), languages: Sequence[str] = (),
                   territories: Sequence[str] = (), texts: Sequence[Text] = (),
                   credits: Sequence[Credit] = (), compute_workers: Sequence[str] = ()) -> Profile:
    """A profile for an organisation (a kind from ORGANISATION_KINDS) or one person (a
    kind from PERSON_KINDS). Raises InvalidPitch naming the field at fault."""
    if (organisation is None) == (user is None):
        raise InvalidPitch(_("A profile is an organisation's or one person's."),
                           _("Give the organisation, or create it for yourself."), field="organisation")
    if Profile.objects.filter(organisation=organisation, user=user).exists() or (
            user is not None and Profile.objects.filter(user=user).exists()) or (
            organisation is not None and Profile.objects.filter(organisation=organisation).exists()):
        raise NotYourTurn(_("There is a profile already."), _("Change the existing profile instead."))
    kinds = ORGANISATION_KINDS if organisation is not None else PERSON_KINDS
    if kind not in kinds:
        raise InvalidPitch(_("Unknown kind '%(kind)s'.") % {"kind": kind},
                           _("Use one of: %(known)s.") % {"known": ", ".join(kinds)}, field="kind")
    check_length(name, limit=200, field="name")
    check_length(city, limit=100, field="city")
    slug = slug or slugify(name)[:80] or f"profile-{Profile.objects.count() + 1}"
    check_slug(slug, taken=Profile.objects.filter(slug=slug).exists())
    profile = Profile.objects.create(
        slug=slug, name=name, kind=kind, organisation=organisation, user=user,
        country=check_countries([country], field="country")[0], city=city, timezone=check_timezone(timezone),
        strengths=check_strengths(strengths), languages=check_languages(languages),
        territories=check_countries(territories, field="territories"), compute_workers=list(compute_workers),
        original_language=texts[0].language if texts else "en")
    check_languages([t.language for t in texts], field="texts")
    for text in texts:
        ProfileText.objects.create(profile=profile, language=normalize_code(text.language), about=text.body,
                                   origin=text.origin, provenance=text.provenance or {})
    for credit in credits:
        add_credit(profile=profile, credit=credit)
    _reindex(profile)
    return profile


def add_credit(*, profile: Profile, credit: Credit) -> PastCredit:
    if credit.year is not None and not 1888 <= credit.year <= 2100:
        raise InvalidPitch(_("A credit's year must be between 1888 and 2100."), _("Give the year of release."),
                           field="credits")
    check_length(credit.name, limit=300, field="credits")
    title = Title.objects.filter(slug=credit.title_slug).first() if credit.title_slug else None
    if credit.title_slug and title is None:
        raise InvalidPitch(_("No catalogue title '%(slug)s'.") % {"slug": credit.title_slug},
                           _("Give the title's slug as in its address, or only its name."), field="credits")
    return PastCredit.objects.create(profile=profile, title=title, name=credit.name, year=credit.year,
                                     strength=credit.strength,
                                     countries=check_countries(credit.countries, field="credits"))


def credit_name(credit: PastCredit) -> str:
    if credit.title is not None:
        text = credit.title.texts.filter(language=credit.title.original_language).first()
        return text.name if text else credit.title.slug
    return credit.name


def display_text(*, texts: Iterable[Any], language: str, original_language: str,
                 name_field: str, body_field: str) -> DisplayText | None:
    """The text for ``language`` by the catalogue's fallback chain, with its marks."""
    requested = normalize_code(language)
    by_language = {t.language: t for t in texts}
    for code in (*fallback_chain(language=requested, original_language=original_language), *sorted(by_language)):
        text = by_language.get(code)
        if text is not None:
            return DisplayText(name=getattr(text, name_field), synopsis=getattr(text, body_field), language=code,
                               requested_language=requested, origin=text.origin, provenance=dict(text.provenance))
    return None


def profile_text(*, profile: Profile, language: str) -> DisplayText | None:
    return display_text(texts=profile.texts.all(), language=language, original_language=profile.original_language,
                        name_field="about", body_field="about")
