"""Rows and values for the rights tests: factory_boy for rows, ``terms()`` for values."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import factory
from django.contrib.auth import get_user_model

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
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


__all__ = [
    "OrganisationFactory",
    "Quality",
    "TitleFactory",
    "UserFactory",
    "distributor_of",
    "terms",
]
