"""The sign-in page reads in Urdu and Chinese. The desk's and sign-in's catalogues
(dastan/localization/locale, dastan/accounts/locale) are checked by tests/test_catalogues.py."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_sign_in_page_reads_in_urdu_and_chinese() -> None:
    client = Client()
    client.cookies["dastan_language"] = "ur"
    assert "اسٹوڈیوز، تقسیم کاروں اور نشریاتی اداروں" in client.get("/studio/login/").content.decode()
    client.cookies["dastan_language"] = "zh-hans"
    assert "供制片公司、发行商和广播机构的人员使用" in client.get("/studio/login/").content.decode()


@pytest.mark.django_db
def test_the_sign_in_pages_title_is_a_noun_and_its_button_a_verb_in_russian() -> None:
    client = Client()
    client.cookies["dastan_language"] = "ru"
    page = client.get("/studio/login/").content.decode()
    assert "<h1>Вход</h1>" in page
    assert '<button type="submit">Войти</button>' in page
