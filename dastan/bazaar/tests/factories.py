"""Rows for the bazaar's tests, made through its services as production makes them."""

from __future__ import annotations

from itertools import count
from typing import Any

from dastan.accounts.models import Membership
from dastan.bazaar.models import Profile, Project
from dastan.bazaar.profiles import Credit, Text, create_profile
from dastan.bazaar.projects import Pitch, create_project
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory

_n = count(1)


def org_profile(*, name: str, kind: str = "studio", country: str = "PK", role: str = "admin",
                username: str | None = None, **fields: Any) -> tuple[Profile, Any]:
    """An organisation, its profile, and one member with ``role``."""
    n = next(_n)
    org: Any = OrganisationFactory(name=name, slug=f"org-{n}", country=country)
    user: Any = UserFactory(username=username or f"member-{n}")
    Membership.objects.create(user=user, organisation=org, role=role)
    profile = create_profile(name=name, kind=kind if kind != "studio" else "studio", country=country,
                             organisation=org, slug=fields.pop("slug", f"p-{n}"), **fields)
    return profile, user


def person_profile(*, name: str, kind: str = "writer", country: str = "IR", username: str | None = None,
                   **fields: Any) -> tuple[Profile, Any]:
    n = next(_n)
    user: Any = UserFactory(username=username or f"person-{n}", first_name=name.split()[0],
                            last_name=" ".join(name.split()[1:]))
    profile = create_profile(name=name, kind=kind, country=country, user=user, slug=fields.pop("slug", f"p-{n}"),
                             **fields)
    return profile, user


def project(*, owner: Profile, user: Any, title: str = "", logline: str = "A story.", language: str = "en",
            stage: str = "development", format: str = "feature", **fields: Any) -> Project:
    n = next(_n)
    return create_project(user=user, owner=owner, title=title or f"Project {n}", slug=fields.pop("slug", f"pr-{n}"),
                          pitch=Pitch(logline=logline, language=language), format=format, stage=stage, **fields)


__all__ = ["Credit", "Text", "org_profile", "person_profile", "project"]
