"""Writing the catalog: organisations, titles, their texts, genres, people and credits.

Each public function checks its input first (raising an error that names the field and
the fix), then writes in one transaction and re-indexes the title for search. ``by`` is
the user acting; ``None`` means the system itself (demo data, imports) and skips the
membership check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, check
from dastan.catalog import cache as catalog_cache
from dastan.catalog.countries import COUNTRIES
from dastan.catalog.errors import InvalidTitle, OrganisationNotFound
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Credit, Genre, Organisation, Person, Title, TitleText
from dastan.catalog.search import index_title
from dastan.errors import InvalidInput

# A season belongs to a series, an episode to a season; films and series stand alone.
PARENT_KIND = {Title.Kind.SEASON: Title.Kind.SERIES, Title.Kind.EPISODE: Title.Kind.SEASON}


def check_country(code: str, *, field: str) -> str:
    """The ISO 3166-1 alpha-2 code in upper case, or :class:`InvalidTitle`."""
    upper = (code or "").strip().upper()
    if upper not in COUNTRIES:
        raise InvalidTitle(gettext("'%(code)s' is not a country code.") % {"code": code},
                           gettext("Use the two-letter ISO 3166-1 code, such as PK, KZ, RU, IN, IR, CN or UZ."),
                           field=field)
    return upper


def check_language(code: str, *, field: str) -> str:
    try:
        return normalize_code(code)
    except InvalidInput as exc:  # re-raised naming the caller's field
        raise InvalidTitle(exc.message, exc.hint, field=field) from exc


def find_organisation(slug: str, *, field: str = "owner") -> Organisation:
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise OrganisationNotFound(slug, field=field) from None


def find_genres(slugs: Iterable[str]) -> list[Genre]:
    wanted = list(dict.fromkeys(slugs))
    genres = list(Genre.objects.filter(slug__in=wanted))
    missing = sorted(set(wanted) - {g.slug for g in genres})
    if missing:
        raise InvalidTitle(gettext("Unknown genre: %(genres)s.") % {"genres": ", ".join(missing)},
                           gettext("Use genre slugs from GET /api/v1/catalog/genres."), field="genres")
    return genres


def _check_parent(*, kind: str, parent: Title | None, number: int | None) -> None:
    expected = PARENT_KIND.get(Title.Kind(kind))
    if expected is None and parent is not None:
        raise InvalidTitle(gettext("A series cannot belong to another title.") if kind == Title.Kind.SERIES
                           else gettext("A film cannot belong to another title."),
                           # Translators: parent is the name of a field: keep it.
                           gettext("Leave 'parent' empty, or make this a season or an episode."), field="parent")
    if expected is not None:
        season = kind == Title.Kind.SEASON
        if parent is None or parent.kind != expected:
            raise InvalidTitle(gettext("A season must belong to a series.") if season
                               else gettext("An episode must belong to a season."),
                               gettext("Set 'parent' to the slug of its series.") if season
                               else gettext("Set 'parent' to the slug of its season."), field="parent")
        if number is None:
            raise InvalidTitle(gettext("A season needs its number.") if season
                               else gettext("An episode needs its number."),
                               # Translators: number is the name of a field: keep it.
                               gettext("Set 'number' (1 for the first season).") if season
                               else gettext("Set 'number' (1 for the first episode)."), field="number")


def create_organisation(*, name: str, slug: str, kind: str, country: str, website: str = "") -> Organisation:
    if Organisation.objects.filter(slug=slug).exists():
        raise InvalidTitle(gettext("An organisation '%(slug)s' exists already.") % {"slug": slug},
                           gettext("Choose another slug."), field="slug")
    return Organisation.objects.create(name=name, slug=slug, kind=Organisation.Kind(kind),
                                       country=check_country(country, field="country"), website=website)


def create_title(
    *, by: Any | None, owner: Organisation, slug: str, kind: str, original_language: str,
    country_of_origin: str, name: str, synopsis: str = "", year: int | None = None,
    runtime_min: int | None = None, genres: Iterable[Genre] = (), parent: Title | None = None,
    number: int | None = None, is_published: bool = False,
) -> Title:
    """Create a title with its name in its original language, and index it for search.

    Raises :class:`~dastan.accounts.permissions.NotAllowed` when ``by`` may not edit for
    ``owner``, :class:`InvalidTitle` for a taken slug, an unknown language or country, or a
    season/episode without the right parent.
    """
    if by is not None:
        check(user=by, action=Action.EDIT_CATALOG, organisation=owner, field="owner")
    if Title.objects.filter(slug=slug).exists():
        raise InvalidTitle(gettext("The slug '%(slug)s' is taken by another title.") % {"slug": slug},
                           gettext("Choose another slug, for example with the year added."), field="slug")
    if not name.strip():
        raise InvalidTitle(gettext("The title needs a name."), gettext("Set 'name' in the original language."),
                           field="name")
    language = check_language(original_language, field="original_language")
    country = check_country(country_of_origin, field="country_of_origin")
    _check_parent(kind=kind, parent=parent, number=number)
    with transaction.atomic():
        title = Title.objects.create(
            kind=Title.Kind(kind), slug=slug, parent=parent, number=number, original_language=language,
            country_of_origin=country, year=year, runtime_min=runtime_min, owner=owner,
            is_published=is_published,
        )
        title.genres.set(list(genres))
        TitleText.objects.create(title=title, language=language, name=name.strip(), synopsis=synopsis,
                                 origin=TitleText.Origin.ORIGINAL)
        index_title(title=title)
        changed()
    return title


UPDATABLE = ("year", "runtime_min", "is_published", "country_of_origin", "number")


def update_title(*, by: Any | None, title: Title, genres: Iterable[Genre] | None = None,
                 **changes: Any) -> Title:
    """Change the listed fields of ``title`` (see :data:`UPDATABLE`) and its genres."""
    if by is not None:
        check(user=by, action=Action.EDIT_CATALOG, organisation=title.owner, hidden=not title.is_published,
              field="owner")
        if "is_published" in changes:
            check(user=by, action=Action.PUBLISH, organisation=title.owner)
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise InvalidTitle(gettext("'%(field)s' cannot be changed here.") % {"field": unknown[0]},
                           gettext("Change one of: %(fields)s; texts go to /texts/<language>.")
                           % {"fields": ", ".join(UPDATABLE)},
                           field=unknown[0])
    if "country_of_origin" in changes:
        changes["country_of_origin"] = check_country(changes["country_of_origin"], field="country_of_origin")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(title, name, value)
        title.save()
        if genres is not None:
            title.genres.set(list(genres))
        changed()
    return title


def set_title_text(
    *, by: Any | None, title: Title, language: str, name: str, synopsis: str = "",
    origin: str = TitleText.Origin.HUMAN, provenance: dict[str, Any] | None = None,
) -> TitleText:
    """Write the title's name and synopsis in ``language`` and re-index the title.

    Machine text must say which engine made it (``provenance["engine"]``), so viewers can
    be told; the original-language text stays marked original.
    """
    if by is not None:
        check(user=by, action=Action.TRANSLATE_CATALOG, organisation=title.owner,
              hidden=not title.is_published, field="language")
    code = check_language(language, field="language")
    if not name.strip():
        raise InvalidTitle(gettext("The text needs a name."),
                           gettext("Set 'name' to the title's name in this language."), field="name")
    if origin not in TitleText.Origin.values:
        # Translators: original, human and machine are values of the field: keep them.
        raise InvalidTitle(gettext("'%(origin)s' is not an origin.") % {"origin": origin},
                           gettext("Use original, human or machine."), field="origin")
    if origin == TitleText.Origin.MACHINE and not (provenance or {}).get("engine"):
        raise InvalidTitle(gettext("A machine translation must name the engine that made it."),
                           gettext("Set provenance to {\"engine\": ..., \"model\": ..., \"version\": ...}."),
                           field="provenance")
    if code == title.original_language:
        origin = TitleText.Origin.ORIGINAL
    with transaction.atomic():
        text, _ = TitleText.objects.update_or_create(
            title=title, language=code,
            defaults={"name": name.strip(), "synopsis": synopsis, "origin": origin,
                      "provenance": provenance or {}},
        )
        index_title(title=title)
        changed()
    return text


def ensure_genre(*, slug: str, names: dict[str, str]) -> Genre:
    genre, _ = Genre.objects.update_or_create(slug=slug, defaults={"names": names})
    changed()
    return genre


def add_credit(*, title: Title, name: str, role: str, latin_name: str = "", country: str = "",
               character: str = "", order: int = 0) -> Credit:
    """Credit a person (found by name, or created) on ``title``; idempotent per role."""
    person, _ = Person.objects.get_or_create(name=name, defaults={"latin_name": latin_name, "country": country})
    credit, _ = Credit.objects.update_or_create(
        title=title, person=person, role=Credit.Role(role),
        defaults={"character": character, "order": order},
    )
    changed()
    return credit


def changed() -> None:
    """Tell the catalogue's read cache that what viewers see has changed, once the
    current transaction commits (a reader in between would cache the old state under the
    new version)."""
    transaction.on_commit(catalog_cache.bump_version)
