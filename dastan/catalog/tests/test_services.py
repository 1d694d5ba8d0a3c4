from typing import Any

import pytest

from dastan.accounts.models import Membership
from dastan.accounts.permissions import NotAllowed as NotAMember
from dastan.catalog import services
from dastan.catalog.errors import InvalidTitle
from dastan.catalog.models import Title
from dastan.catalog.tests.factories import OrganisationFactory, UserFactory, make_title, member_of

pytestmark = pytest.mark.django_db


def _create(by: Any, owner: Any, **overrides: Any) -> Title:
    fields: dict[str, Any] = {"slug": "new-film", "kind": "film", "original_language": "kk",
                    "country_of_origin": "KZ", "name": "Дала әні"}
    fields.update(overrides)
    return services.create_title(by=by, owner=owner, **fields)


def test_a_member_creates_a_title_with_its_original_text() -> None:
    studio = OrganisationFactory()
    title = _create(member_of(studio), studio)
    text = title.texts.get()
    assert (text.language, text.name, text.origin) == ("kk", "Дала әні", "original")


def test_a_stranger_cannot_create_a_title_for_a_studio_and_is_told_whom_to_ask() -> None:
    studio = OrganisationFactory(name="Steppe Pictures")
    with pytest.raises(NotAMember, match="not a member of Steppe Pictures") as info:
        _create(UserFactory(), studio)
    assert "Ask an administrator of Steppe Pictures" in info.value.hint
    assert not Title.objects.exists()


def test_a_viewer_member_cannot_edit_and_is_told_which_role_is_needed() -> None:
    studio = OrganisationFactory(name="Steppe Pictures")
    with pytest.raises(NotAMember, match="Your role at Steppe Pictures") as info:
        _create(member_of(studio, role=Membership.Role.VIEWER), studio)
    assert "editor" in info.value.hint


def test_a_season_without_a_series_is_refused_naming_the_parent_field() -> None:
    with pytest.raises(InvalidTitle, match="must belong to a series") as info:
        _create(None, OrganisationFactory(), kind="season", number=1)
    assert info.value.field == "parent"


def test_an_episode_belongs_to_a_season_of_a_series() -> None:
    series = make_title(slug="s", names={"ru": "Северный ветер"}, kind="series")
    season = make_title(slug="s1", names={"ru": "Сезон 1"}, kind="season", parent=series, number=1)
    episode = make_title(slug="s1e1", names={"ru": "Лёд"}, kind="episode", parent=season, number=1)
    assert episode.parent is not None and episode.parent.parent == series


def test_unknown_country_and_language_name_their_fields() -> None:
    with pytest.raises(InvalidTitle, match="'XX' is not a country code") as info:
        _create(None, OrganisationFactory(), country_of_origin="XX")
    assert info.value.field == "country_of_origin"
    with pytest.raises(InvalidTitle, match="'de' is not one of Dastan's languages") as info:
        _create(None, OrganisationFactory(), original_language="de")
    assert info.value.field == "original_language"


def test_machine_text_without_its_engine_is_refused() -> None:
    title = make_title(slug="t", names={"fa": "باغ"})
    with pytest.raises(InvalidTitle, match="must name the engine") as info:
        services.set_title_text(by=None, title=title, language="ur", name="باغ", origin="machine")
    assert info.value.field == "provenance"


def test_a_taken_slug_is_refused() -> None:
    make_title(slug="taken", names={"en": "One"})
    with pytest.raises(InvalidTitle, match="'taken' is taken"):
        _create(None, OrganisationFactory(), slug="taken")
