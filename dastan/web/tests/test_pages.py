"""Server-rendered pages, through Django's test client on the real database."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from dastan.catalog.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_demo(io.StringIO())


def page(client: Client, url: str, language: str | None = None) -> str:
    if language:
        client.cookies["dastan_language"] = language
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_catalog_lists_demo_titles_in_the_viewers_language(client: Client, demo: None) -> None:
    html = page(client, "/", "ru")
    assert '<html lang="ru" dir="ltr">' in html
    assert "Нури Джатт" in html and "Каталог" in html


def test_urdu_pages_are_right_to_left_and_mark_machine_translation(client: Client, demo: None) -> None:
    html = page(client, "/", "ur")
    assert '<html lang="ur" dir="rtl">' in html
    assert "آبائی گھر" in html and "مشینی ترجمہ" in html


def test_chinese_page_has_the_bcp47_language_tag(client: Client, demo: None) -> None:
    html = page(client, "/", "zh-hans")
    assert '<html lang="zh-Hans" dir="ltr">' in html and "努里·贾特" in html


def test_fallback_text_says_which_language_it_is_in(client: Client, demo: None) -> None:
    html = page(client, "/titles/song-of-the-steppe/", "hi")
    assert "Song of the Steppe" in html and "अंग्रेज़ी में दिखाया गया" in html


def test_language_switcher_remembers_the_choice_in_a_cookie(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    assert response.status_code == 302 and response.cookies["dastan_language"].value == "fa"
    assert '<html lang="fa" dir="rtl">' in client.get("/").content.decode()


def test_search_page_finds_across_scripts(client: Client, demo: None) -> None:
    html = page(client, "/search/?q=Noori+Jatt", "ur")
    assert "/titles/noori-jatt/" in html and "نوری جٹ" in html


def test_search_page_says_when_nothing_matches(client: Client, demo: None) -> None:
    assert "nothing-like-this" in page(client, "/search/?q=nothing-like-this", "en")


def test_title_page_shows_credits_and_episodes(client: Client, demo: None) -> None:
    html = page(client, "/titles/north-wind-s1/", "en")
    assert "The Ice Breaks" in html and "Episode 1" in html and "North Wind" in html
    html = page(client, "/titles/noori-jatt/", "en")
    assert "Bilal Ahmad" in html and "Director" in html and "153 min" in html


def test_unknown_title_is_a_404_page(client: Client) -> None:
    response = client.get("/titles/no-such-film/")
    assert response.status_code == 404 and "no-such-film" in response.content.decode()
