"""Rows for catalog tests. Titles go through the services, so they are indexed for search
exactly as in production."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from dastan.accounts.models import Membership
from dastan.catalog import services
from dastan.catalog.models import Organisation, Title


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Studio {n}")
    slug = factory.Sequence(lambda n: f"studio-{n}")
    kind = Organisation.Kind.STUDIO
    country = "PK"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(None)  # unusable: signs in only once a test sets one


class TitleFactory(factory.django.DjangoModelFactory[Title]):
    """A title of a real organisation, made through the service as the API makes it: named
    in its original language and indexed for search. ``name`` defaults from the slug."""

    class Meta:
        model = Title

    owner = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"film-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = Title.Kind.FILM
    original_language = "ur"
    country_of_origin = "PK"
    is_published = True

    @classmethod
    def _create(cls, model_class: type[Title], *args: Any, **kwargs: Any) -> Title:
        return services.create_title(by=None, **kwargs)


def member_of(organisation: Any, *, role: str = Membership.Role.EDITOR, username: str | None = None,
              password: str | None = None) -> Any:
    """A person with ``role`` in ``organisation``; with ``password``, one who can sign in
    through the login page (browser tests)."""
    user: Any = UserFactory(username=username) if username else UserFactory()
    if password is not None:
        user.set_password(password)
        user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


_counter = iter(range(1, 10_000))


def make_title(
    *, names: dict[str, str], original_language: str | None = None, owner: Any = None,
    slug: str | None = None, country: str = "PK", kind: str = "film", published: bool = True,
    synopses: dict[str, str] | None = None, machine: tuple[str, ...] = (), **fields: Any,
) -> Title:
    """A title named ``names`` ({language: name}); the first language is the original one
    unless ``original_language`` says otherwise. Languages in ``machine`` are marked
    machine-made."""
    synopses = synopses or {}
    original = original_language or next(iter(names))
    owner = owner if owner is not None else OrganisationFactory()
    title = services.create_title(
        by=None, owner=owner, slug=slug or f"title-{next(_counter)}", kind=kind,
        original_language=original, country_of_origin=country, name=names[original],
        synopsis=synopses.get(original, ""), is_published=published, **fields,
    )
    for language, name in names.items():
        if language != original:
            services.set_title_text(
                by=None, title=title, language=language, name=name, synopsis=synopses.get(language, ""),
                origin="machine" if language in machine else "human",
                provenance={"engine": "test-mt"} if language in machine else None,
            )
    return title
