"""The studio desk reads in Urdu and Chinese. Its catalogue (dastan/web/locale) is checked
by tests/test_catalogues.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dastan.catalog.tests.factories import OrganisationFactory, make_title, member_of


@pytest.mark.django_db
@pytest.mark.parametrize(("cookie", "words"), [("ur", ("آپ کے ٹائٹل", "ابھی کوئی فلم نہیں", "ٹائٹل بنائیں")),
                                               ("zh-hans", ("您的作品", "尚无影片", "创建作品"))])
def test_the_studio_page_reads_in_urdu_and_chinese(cookie: str, words: tuple[str, ...]) -> None:
    studio: Any = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    make_title(names={"ur": "مولا جٹ"}, owner=studio, slug="maula-jatt")
    client = Client()
    client.force_login(member_of(studio, username="ayesha"))
    client.cookies["dastan_language"] = cookie

    page = client.get("/studio/").content.decode()

    for word in words:
        assert word in page, word
