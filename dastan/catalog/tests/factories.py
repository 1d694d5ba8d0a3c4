"""Rows for catalog tests. Titles go through the services, so they are indexed for search
exactly as in production."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth import get_user_model

from dastan.accounts.models import Membership
from dastan.catalog import services
from dastan.catalog.models import Credit, Genre, Organisation, Person, SearchEntry, Title, TitleText
from dastan.catalog.search.index import index_title


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


class GenreFactory(factory.django.DjangoModelFactory[Genre]):
    """A genre named in English and Russian (genres belong to the node, not to an organisation)."""

    class Meta:
        model = Genre
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"drama-{n}")
    names = factory.LazyAttribute(lambda o: {"en": o.slug.replace("-", " ").title(), "ru": "Драма"})


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    """Someone credited on titles, named in their own script."""

    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Мадина Султанова {n}")
    latin_name = factory.Sequence(lambda n: f"Madina Sultanova {n}")
    country = "KZ"


class TitleTextFactory(factory.django.DjangoModelFactory[TitleText]):
    """A title's name in Russian, a person's translation, written through the service so
    the title is re-indexed for search."""

    class Meta:
        model = TitleText

    title = factory.SubFactory(TitleFactory)
    language = "ru"
    name = factory.Sequence(lambda n: f"Караван {n}")
    synopsis = "Караван идёт через степь."
    origin = TitleText.Origin.HUMAN

    @classmethod
    def _create(cls, model_class: type[TitleText], *args: Any, **kwargs: Any) -> TitleText:
        return services.set_title_text(by=None, **kwargs)


class CreditFactory(factory.django.DjangoModelFactory[Credit]):
    class Meta:
        model = Credit

    title = factory.SubFactory(TitleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.DIRECTOR
    order = 0


class SearchEntryFactory(factory.django.DjangoModelFactory[SearchEntry]):
    """A title's indexed name in its original language. Entries are only ever written by
    the index (:func:`~dastan.catalog.search.index.index_title`), which also keeps the
    database's full-text table in step; this returns the one it wrote."""

    class Meta:
        model = SearchEntry

    title = factory.SubFactory(TitleFactory)
    language = factory.SelfAttribute("title.original_language")
    field = SearchEntry.Field.NAME

    @classmethod
    def _create(cls, model_class: type[SearchEntry], *args: Any, **kwargs: Any) -> SearchEntry:
        index_title(title=kwargs["title"])
        return SearchEntry.objects.get(**kwargs)


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
