"""The labs' programme page reads in Persian and Kazakh, and a refusal in Russian. The
catalogues themselves are checked by tests/test_catalogues.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from dastan.accounts.permissions import NotAllowed
from dastan.labs.access import access_committee_seat
from dastan.labs.tests.factories import lab_world, user


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


@pytest.mark.django_db
def test_a_refusal_and_its_hint_read_in_the_persons_language() -> None:
    world = lab_world()
    with translation.override("ru"), pytest.raises(NotAllowed) as refused:
        access_committee_seat(user=user("stranger"), call=world.call)
    assert refused.value.message == "Это может делать только комиссия приёма заявок."
    assert refused.value.hint == "Попросите организаторов программы включить вас в комиссию."
