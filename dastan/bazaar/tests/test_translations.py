"""The bazaar's project page reads in Urdu (right to left) and Chinese. The catalogues
themselves are checked by tests/test_catalogues.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dastan.bazaar.tests.factories import org_profile, project


@pytest.mark.django_db
@pytest.mark.parametrize(("cookie", "direction", "words"), [
    ("ur", "rtl", ("تلاش ہے", "مالی معاونت", "بجٹ", "VFX")), ("zh-hans", "ltr", ("正在寻找", "融资", "预算", "视效"))])
def test_a_project_page_reads_in_urdu_and_chinese(cookie: str, direction: str, words: tuple[str, ...]) -> None:
    owner, user = org_profile(name="Lollywood Pictures", country="PK")
    film: Any = project(owner=owner, user=user, title="Noori", visibility="public", stage="financing",
                        needs=[{"strength": "vfx", "countries": ["CN"]}], language="ur",
                        logline="لاہور سے سمرقند تک ایک قافلے کی کہانی")
    client = Client()
    client.cookies["dastan_language"] = cookie
    page = client.get(f"/bazaar/projects/{film.slug}/").content.decode()
    assert f'dir="{direction}"' in page
    for word in words:
        assert word in page, word
