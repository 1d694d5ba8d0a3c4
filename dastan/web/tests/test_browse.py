"""Home page browsing through Django's test client: filters by country and genre, a
language nothing is streamed in yet, pages that keep the filters, and "new in my
language" only where there is something new."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from dastan.catalog.demo import load_demo
from dastan.catalog.models import Title, TitleText

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_demo(io.StringIO())


def get(client: Client, url: str, language: str = "en") -> str:
    client.cookies["dastan_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_country_filter_keeps_only_titles_made_there_and_names_countries_in_the_viewers_language(
        client: Client, demo: None) -> None:
    html = get(client, "/?country=KZ", "ru")
    assert "Песня степи" in html and "Нури Джатт" not in html
    assert '<option value="KZ" selected>Казахстан</option>' in html


def test_genre_filter_keeps_only_titles_of_that_genre(client: Client, demo: None) -> None:
    html = get(client, "/?genre=comedy")
    assert "Any Excuse for a Wedding" in html and "Noori Jatt" not in html


def test_language_filter_shows_nothing_until_a_track_in_that_language_is_published(
        client: Client, demo: None) -> None:
    html = get(client, "/?available_in=kk")
    assert "No titles yet." in html
    assert '<option value="kk" lang="kk" selected>Қазақ тілі</option>' in html


def test_new_in_my_language_is_absent_when_nothing_was_published_in_it(client: Client, demo: None) -> None:
    assert "New in my language" not in get(client, "/")


def test_next_page_link_keeps_the_filters(client: Client, demo: None) -> None:
    for n in range(30):
        title = Title.objects.create(slug=f"steppe-{n}", kind=Title.Kind.FILM, original_language="kk",
                                     country_of_origin="KZ", is_published=True)
        TitleText.objects.create(title=title, language="kk", name=f"Дала {n}", origin="original")
    html = get(client, "/?country=KZ")
    assert 'href="?country=KZ&amp;page=2"' in html
