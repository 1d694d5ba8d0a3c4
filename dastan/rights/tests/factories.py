"""Rows and values for the rights tests: factory_boy for rows, ``terms()`` for values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, cast

import factory
from django.contrib.auth import get_user_model

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.rights.actions import amend_licence, claim_seat, grant_licence, record_release
from dastan.rights.index import rebuild_availability
from dastan.rights.mappings import save_mapping
from dastan.rights.models import (
    Availability,
    AvailsMapping,
    Licence,
    LicenceRevision,
    LicenceSeat,
    ReleaseDate,
)
from dastan.rights.selectors import terms_of
from dastan.rights.terms import LicenceTerms, LicenceType, Quality
from dastan.rights.territories import TerritorySet
from dastan.rights.windows import Boundary, OnDate, Window


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.Sequence(lambda n: f"studio-{n}")
    kind = Organisation.Kind.STUDIO
    country = "KZ"


class TitleFactory(factory.django.DjangoModelFactory[Title]):
    class Meta:
        model = Title

    slug = factory.Sequence(lambda n: f"film-{n}")
    original_language = "kk"
    country_of_origin = "KZ"
    owner = factory.SubFactory(OrganisationFactory)
    is_published = True


class UserFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(None)  # unusable: signs in only once a test sets one


def make_title(**kwargs: Any) -> Title:
    return cast(Title, TitleFactory(**kwargs))


def make_user(**kwargs: Any) -> Any:
    return UserFactory(**kwargs)


def owner_of(title: Title) -> Organisation:
    assert title.owner is not None
    return title.owner


def distributor_of(org: Organisation, *, role: str = Membership.Role.DISTRIBUTOR) -> Any:
    user = make_user()
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def terms(ref: str = "KZ-SVOD-14", *, title_id: int = 1, territories: tuple[str, ...] = ("KZ",),
          excluded: tuple[str, ...] = (), start: Boundary | date = date(2027, 3, 1),
          end: Boundary | date | None = date(2027, 8, 31), licence_type: LicenceType = LicenceType.SVOD,
          **kwargs: Any) -> LicenceTerms:
    start_b = OnDate(start) if isinstance(start, date) else start
    end_b = OnDate(end) if isinstance(end, date) else end
    return LicenceTerms(ref=ref, title_id=title_id, licence_type=licence_type,
                        territories=TerritorySet.of(territories, excluded),
                        window=Window(start_b, end_b), **kwargs)


class LicenceFactory(factory.django.DjangoModelFactory[Licence]):
    """An SVOD licence of a title in Central Asia but Turkmenistan for the summer of 2027, granted by the
    title's owner to a distributor through :mod:`~dastan.rights.actions.grant_licence`: checked, with its
    first revision and its availability rows, as every licence is. Other terms
    (``view_cap=300``, ``exclusive=True``, ...) pass through to :class:`LicenceTerms`."""

    class Meta:
        model = Licence

    ref = factory.Sequence(lambda n: f"KZ-SVOD-{n}")
    title = factory.SubFactory(TitleFactory)
    licensor = factory.SelfAttribute("title.owner")
    licensee = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.DISTRIBUTOR)
    licence_type = LicenceType.SVOD.value
    territories_included = factory.LazyFunction(lambda: ["Central Asia"])
    territories_excluded = factory.LazyFunction(list)  # none excluded (valid since rights 0003)
    start_date = date(2027, 3, 1)
    end_date = date(2027, 8, 31)

    @classmethod
    def _create(cls, model_class: type[Licence], *args: Any, **kwargs: Any) -> Licence:
        title, licensor, licensee = kwargs.pop("title"), kwargs.pop("licensor"), kwargs.pop("licensee")
        licence_terms = terms(kwargs.pop("ref"), title_id=title.pk, territories=tuple(kwargs.pop("territories_included")),
                              excluded=tuple(kwargs.pop("territories_excluded")),
                              start=kwargs.pop("start_date"), end=kwargs.pop("end_date"),
                              licence_type=LicenceType(kwargs.pop("licence_type")),
                              licensee=licensee.slug if licensee is not None else "", **kwargs)
        return grant_licence.execute(terms=licence_terms, licensor=licensor)


class LicenceRevisionFactory(factory.django.DjangoModelFactory[LicenceRevision]):
    """A licence's second revision: its contract reference amended through
    :mod:`~dastan.rights.actions.amend_licence` (revisions are only ever written by the
    actions, with the terms they stored)."""

    class Meta:
        model = LicenceRevision

    licence = factory.SubFactory(LicenceFactory)
    note = "contract signed"
    contract_reference = factory.Sequence(lambda n: f"C-2027-{n:04d}")

    @classmethod
    def _create(cls, model_class: type[LicenceRevision], *args: Any, **kwargs: Any) -> LicenceRevision:
        licence = kwargs["licence"]
        amended = replace(terms_of(licence), contract_reference=kwargs["contract_reference"])
        licence = amend_licence.execute(licence=licence, terms=amended, note=kwargs["note"])
        return licence.revisions.get(number=licence.revision)


class ReleaseDateFactory(factory.django.DjangoModelFactory[ReleaseDate]):
    """A title's theatrical release in Kazakhstan, recorded through the action so its
    licences' windows are re-resolved."""

    class Meta:
        model = ReleaseDate

    title = factory.SubFactory(TitleFactory)
    country = "KZ"
    event = "theatrical"
    day = date(2027, 1, 15)

    @classmethod
    def _create(cls, model_class: type[ReleaseDate], *args: Any, **kwargs: Any) -> ReleaseDate:
        return record_release.execute(**kwargs)


class LicenceSeatFactory(factory.django.DjangoModelFactory[LicenceSeat]):
    """A viewer's seat of a festival licence capped at 300 seats, claimed through the action."""

    class Meta:
        model = LicenceSeat

    licence = factory.SubFactory(LicenceFactory, licence_type=LicenceType.FESTIVAL.value, view_cap=300,
                                 ref=factory.Sequence(lambda n: f"KZ-FEST-{n}"))
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class: type[LicenceSeat], *args: Any, **kwargs: Any) -> LicenceSeat:
        seat = claim_seat.execute(licence_ref=kwargs["licence"].ref, user=kwargs["user"])
        assert seat is not None  # the licence is capped
        return seat


class AvailabilityFactory(factory.django.DjangoModelFactory[Availability]):
    """A licence's row of the availability index for one of its countries: the index is
    only ever rebuilt from the licence (:func:`~dastan.rights.index.rebuild_availability`)."""

    class Meta:
        model = Availability

    licence = factory.SubFactory(LicenceFactory)
    title = factory.SelfAttribute("licence.title")
    country = "KZ"

    @classmethod
    def _create(cls, model_class: type[Availability], *args: Any, **kwargs: Any) -> Availability:
        rebuild_availability(licence=kwargs["licence"])
        return Availability.objects.get(licence=kwargs["licence"], country=kwargs["country"])


class AvailsMappingFactory(factory.django.DjangoModelFactory[AvailsMapping]):
    """A distributor's avails header mapped to Dastan's columns, saved for an organisation
    through :func:`~dastan.rights.mappings.save_mapping`."""

    class Meta:
        model = AvailsMapping

    organisation = factory.SubFactory(OrganisationFactory)
    distributor = factory.Sequence(lambda n: f"Steppe Pictures {n}")
    header = factory.LazyFunction(lambda: ["Avail ID", "Film", "Country", "Avail Start", "Avail End", "Notes"])
    columns = factory.LazyFunction(lambda: {"Avail ID": "LicenceRef", "Film": "Title", "Country": "Territory",
                                            "Avail Start": "Start", "Avail End": "End", "Notes": ""})

    @classmethod
    def _create(cls, model_class: type[AvailsMapping], *args: Any, **kwargs: Any) -> AvailsMapping:
        return save_mapping(user=None, **kwargs)


__all__ = [
    "AvailabilityFactory",
    "AvailsMappingFactory",
    "LicenceFactory",
    "LicenceRevisionFactory",
    "LicenceSeatFactory",
    "OrganisationFactory",
    "Quality",
    "ReleaseDateFactory",
    "TitleFactory",
    "UserFactory",
    "distributor_of",
    "terms",
]
