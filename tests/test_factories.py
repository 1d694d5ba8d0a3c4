"""Every app's factories (``dastan/<app>/tests/factories.py``) make rows that save and pass
the models' own validation, and belong to a real organisation where the row has one: a
field added to a model without a default, or a choice renamed, fails here and not in some
unrelated test."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import factory
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from dastan.catalog.models import Organisation, Title

DASTAN = Path(__file__).resolve().parent.parent / "dastan"
# Every app's models each have a DjangoModelFactory (the services' helper functions of the
# same files build richer worlds on top of them).
EVERY_MODEL_HAS_A_FACTORY = ("accounts", "bazaar", "catalog", "credentials", "dubbing", "federation", "jobs", "labs",
                             "localization", "media", "rights", "signing")
def _factory_modules() -> list[Any]:
    return [importlib.import_module(f"dastan.{path.parent.parent.name}.tests.factories")
            for path in sorted(DASTAN.glob("*/tests/factories.py"))]


def _factories() -> list[type[factory.django.DjangoModelFactory[Any]]]:
    found = []
    for module in _factory_modules():
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory)
                    and value.__module__ == module.__name__ and value._meta.model is not None):
                found.append(value)
    return found


def _organisations_of(row: models.Model) -> list[Organisation | None]:
    """What ``row`` points to as its organisation: its foreign keys to organisations, the
    owners of the titles it points to, and the organisations it names many-to-many (a
    programme's hosts)."""
    if isinstance(row, Organisation):
        return [row]
    found: list[Organisation | None] = []
    for f in row._meta.concrete_fields:
        if not isinstance(f, models.ForeignKey):
            continue
        if f.related_model is Organisation:
            found.append(getattr(row, f.name))
        elif f.related_model is Title and getattr(row, f.name) is not None:  # not an episode's parent
            found.append(getattr(row, f.name).owner)
    for m2m in row._meta.many_to_many:
        if m2m.related_model is Organisation:
            found.extend(getattr(row, m2m.name).all())
    return found


def _belongs_to(row: models.Model, depth: int = 6) -> set[Organisation]:
    """The real organisations ``row`` belongs to: its own, or else its parents' (a cue's
    through its track's title, a take's through its cue), following foreign keys up."""
    own = {o for o in _organisations_of(row) if o is not None and o.pk}
    if own or depth == 0:
        return own
    found: set[Organisation] = set()
    for f in row._meta.concrete_fields:
        parent = getattr(row, f.name) if isinstance(f, models.ForeignKey) else None
        if parent is not None and f.related_model not in (get_user_model(), type(row)):
            found |= _belongs_to(parent, depth - 1)
    return found


# The models whose rows belong to no organisation by design, and why: the factory test
# checks everything else of theirs, but not that (nor that their organisation keys are set).
BELONG_TO_NO_ORGANISATION: dict[str, str] = {
    "auth.User": "a person's account; they join organisations through accounts.Membership rows",
    "accounts.ApiToken": "a person's own token: it acts with whatever roles they hold, in every organisation",
    "accounts.NodeOperator": "runs the node itself; it gives no role inside any organisation",
    "accounts.LanguagePreference": "a person's interface language, whoever they work for",
    "catalog.Genre": "genres are the node's vocabulary, shared by every organisation's titles",
    "catalog.Person": "a credited person is shared by the titles of every organisation that credits them",
    "federation.NodeKey": "the node's own signing key",
    "federation.Peer": "another node, peered by this node's operator, not by an organisation",
    "federation.LicenceAnswer": "a peer's answer about a licence fact, named by slug and ref (the licence may be "
                                "gone); the node's operator reads it",
    "jobs.WorkerNode": "a local worker of the node itself, serving every organisation's jobs",
    "signing.SeenNonce": "a signed request's nonce, kept against replay whoever signed it",
    "signing.RefusedRequest": "a refused request: who it claimed to be is not to be believed",
    "dubbing.DisclosureRule": "a territory's rule for machine-made voices is the node's, set by its operator",
    "labs.Screener": "its catalogue title is ownerless on purpose, so no organisation's people can play it "
                     "(the lab's hosts reach it through its application or room, never through the title)",
    "localization.DeclaredLanguagePair": "a translator's own statement of what they translate, whoever they work for",
    "localization.Notification": "a line for one person, whichever organisation's work it is about",
    "bazaar.Notification": "a line for one person, whichever profile's business it is about",
}


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Factories that store a file (a bazaar script) store it here, not in the node's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", _factories(), ids=lambda f: f"{f.__module__.split('.')[1]}.{f.__name__}")
def test_each_factory_makes_a_valid_saved_row_of_a_real_organisation(
        factory_class: type[factory.django.DjangoModelFactory[Any]]) -> None:
    first, second = factory_class.create(), factory_class.create()  # two: sequences keep rows unique

    for row in (first, second):
        row.full_clean()
        assert type(row).objects.filter(pk=row.pk).exists()
        if row._meta.label in BELONG_TO_NO_ORGANISATION:
            continue
        organisations = _organisations_of(row)
        assert all(o is not None and o.pk for o in organisations) and _belongs_to(row), (
            f"{factory_class.__name__} made a {type(row).__name__} that belongs to no organisation: "
            f"set its organisation (or its title's owner, or its parent's) with a SubFactory, or say in "
            f"BELONG_TO_NO_ORGANISATION why it has none")


def test_each_model_said_to_belong_to_no_organisation_has_a_factory() -> None:
    made = {f._meta.model._meta.label for f in _factories()}
    assert not set(BELONG_TO_NO_ORGANISATION) - made, "BELONG_TO_NO_ORGANISATION names a model no factory makes"


def test_every_model_of_the_apps_built_by_factories_has_one() -> None:
    made = {f._meta.model for f in _factories()}
    missing = [f"{m._meta.app_label}.{m.__name__}" for label in EVERY_MODEL_HAS_A_FACTORY
               for m in apps.get_app_config(label).get_models() if m not in made]
    assert not missing, (f"No factory makes {', '.join(missing)}: add one to that app's "
                         f"tests/factories.py (tests/test_factories.py then checks it).")
