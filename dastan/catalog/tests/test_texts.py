import pytest

from dastan.catalog.selectors import get_title_detail, list_titles
from dastan.catalog.tests.factories import make_title
from dastan.catalog.texts import fallback_chain

pytestmark = pytest.mark.django_db


def test_fallback_chain_is_viewer_language_then_english_then_original() -> None:
    assert fallback_chain(language="kk", original_language="ur") == ("kk", "en", "ur")
    assert fallback_chain(language="zh-hans", original_language="ur") == ("zh-Hans", "en", "ur")


def test_viewer_language_text_is_shown_when_it_exists() -> None:
    make_title(slug="t", names={"ur": "نوری جٹ", "en": "Noori Jatt", "ru": "Нури Джатт"})
    text = get_title_detail(slug="t", language="ru").card.text
    assert (text.name, text.language, text.is_fallback, text.origin) == ("Нури Джатт", "ru", False, "human")


def test_missing_language_falls_back_to_english_and_says_so() -> None:
    make_title(slug="t", names={"ur": "نوری جٹ", "en": "Noori Jatt"})
    text = get_title_detail(slug="t", language="kk").card.text
    assert (text.name, text.language, text.is_fallback) == ("Noori Jatt", "en", True)


def test_without_english_the_original_language_is_shown() -> None:
    make_title(slug="t", names={"ur": "نوری جٹ", "ru": "Нури Джатт"})
    text = get_title_detail(slug="t", language="kk").card.text
    assert (text.name, text.language, text.origin) == ("نوری جٹ", "ur", "original")


def test_machine_translation_is_marked_as_machine() -> None:
    make_title(slug="t", names={"fa": "خانه‌ی پدری", "ur": "آبائی گھر"}, machine=("ur",))
    page = list_titles(language="ur")
    assert page.items[0].text.is_machine
    assert not get_title_detail(slug="t", language="fa").card.text.is_machine
