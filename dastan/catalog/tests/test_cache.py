"""The catalogue's read cache: a repeated question is answered without the database, a
change through the services is seen at once, and drafts are never served from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dastan.catalog import selectors, services
from dastan.catalog.errors import TitleNotFound
from dastan.catalog.tests.factories import OrganisationFactory, make_title, member_of

# Real commits: the services invalidate the cache when their transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cache_on(settings: Any) -> Any:
    from django.core.cache import cache

    settings.DASTAN_CATALOG_CACHE_S = 60
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_page_of_titles_is_answered_without_the_database(cache_on: Any) -> None:
    make_title(names={"en": "Maula Jatt", "ru": "Маула Джатт"}, slug="maula-jatt")
    first = selectors.list_titles(language="ru")
    with CaptureQueriesContext(connection) as queries:
        again = selectors.list_titles(language="ru")
    assert again == first
    assert len(queries) == 0


def test_answers_are_kept_per_language(cache_on: Any) -> None:
    make_title(names={"en": "Maula Jatt", "ru": "Маула Джатт"}, slug="maula-jatt")
    assert selectors.list_titles(language="ru").items[0].text.name == "Маула Джатт"
    assert selectors.list_titles(language="en").items[0].text.name == "Maula Jatt"


def test_a_new_text_is_seen_at_once_through_the_services(cache_on: Any) -> None:
    title = make_title(names={"en": "Maula Jatt"}, slug="maula-jatt")
    assert selectors.list_titles(language="ru").items[0].text.name == "Maula Jatt"
    assert selectors.get_title_detail(slug="maula-jatt", language="ru").card.text.name == "Maula Jatt"
    services.set_title_text(by=None, title=title, language="ru", name="Маула Джатт")
    assert selectors.list_titles(language="ru").items[0].text.name == "Маула Джатт"
    assert selectors.get_title_detail(slug="maula-jatt", language="ru").card.text.name == "Маула Джатт"
    assert selectors.search_titles(query="Маула", language="ru")[0].slug == "maula-jatt"


def test_an_unpublished_title_leaves_the_cached_list_at_once(cache_on: Any) -> None:
    title = make_title(names={"en": "Maula Jatt"}, slug="maula-jatt")
    assert selectors.list_titles(language="en").count == 1
    services.update_title(by=None, title=title, is_published=False)
    assert selectors.list_titles(language="en").count == 0


def test_a_draft_seen_by_its_editor_is_not_kept_for_anyone_else(cache_on: Any) -> None:
    studio = OrganisationFactory()
    make_title(names={"en": "Draft"}, slug="draft", published=False, owner=studio)
    editor = member_of(studio)
    assert selectors.get_title_detail(slug="draft", language="en", user=editor).card.slug == "draft"
    with pytest.raises(TitleNotFound):
        selectors.get_title_detail(slug="draft", language="en", user=None)


def test_the_home_page_cards_follow_a_text_change_at_once(cache_on: Any) -> None:
    from django.test import Client

    title = make_title(names={"en": "Maula Jatt"}, slug="maula-jatt")
    assert "Maula Jatt" in Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    services.set_title_text(by=None, title=title, language="en", name="The Legend of Maula Jatt")
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The Legend of Maula Jatt" in page
