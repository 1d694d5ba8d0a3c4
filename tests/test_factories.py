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
from django.db import models

from dastan.catalog.models import Organisation, Title

DASTAN = Path(__file__).resolve().parent.parent / "dastan"
# The apps whose rows all come from DjangoModelFactory classes (the others build theirs
# through their services, in helper functions of the same file).
EVERY_MODEL_HAS_A_FACTORY = ("accounts", "bazaar", "catalog", "credentials", "dubbing", "federation", "jobs", "labs", "localization", "media", "rights", "signing")


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
    """What ``row`` points to as its organisation: its foreign keys to organisations, and
    the owners of the titles it points to."""
    found: list[Organisation | None] = []
    for f in row._meta.concrete_fields:
        if not isinstance(f, models.ForeignKey):
            continue
        if f.related_model is Organisation:
            found.append(getattr(row, f.name))
        elif f.related_model is Title and getattr(row, f.name) is not None:  # not an episode's parent
            found.append(getattr(row, f.name).owner)
    return found


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
        organisations = _organisations_of(row)
        assert all(o is not None and o.pk for o in organisations), (
            f"{factory_class.__name__} made a {type(row).__name__} that belongs to no organisation: "
            f"set its organisation (or its title's owner) with a SubFactory")


def test_every_model_of_the_apps_built_by_factories_has_one() -> None:
    made = {f._meta.model for f in _factories()}
    missing = [f"{m._meta.app_label}.{m.__name__}" for label in EVERY_MODEL_HAS_A_FACTORY
               for m in apps.get_app_config(label).get_models() if m not in made]
    assert not missing, (f"No factory makes {', '.join(missing)}: add one to that app's "
                         f"tests/factories.py (tests/test_factories.py then checks it).")
