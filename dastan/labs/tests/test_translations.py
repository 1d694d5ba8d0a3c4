"""The labs' programme page reads in Persian and Kazakh. The catalogues themselves are
checked by tests/test_catalogues.py."""

from __future__ import annotations

import pytest
from django.test import Client

from dastan.labs.tests.factories import lab_world


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("fa", ("دوره‌ها", "زبان‌های آموزش", "انگلیسی")),
                                                 ("kk", ("Маусымдар", "Оқыту тілдері", "орыс тілі"))])
def test_programme_page_reads_in_persian_and_kazakh(language: str, words: tuple[str, ...]) -> None:
    lab_world()
    client = Client()
    client.cookies["dastan_language"] = language
    html = client.get("/labs/sco-writer-director-lab/").content.decode()
    for word in words:
        assert word in html
