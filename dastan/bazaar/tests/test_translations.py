"""The bazaar speaks all eleven interface languages: every string its pages, vocabularies
and matching reasons use is in dastan/bazaar/interface_translations.py with its
placeholders kept, the catalogs compile, and a project page reads in Urdu and Chinese."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_python
from django.test import Client
from django.utils.translation.template import templatize

from dastan.bazaar.interface_translations import BAZAAR
from dastan.bazaar.tests.factories import org_profile, project
from dastan.translations import LANGS

APP = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "_": None, "gettext_lazy": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def page_strings() -> set[str]:
    sources = [templatize(p.read_text(), origin=str(p)) for p in (APP / "templates" / "bazaar").glob("*.html")]
    sources += [(APP / name).read_text() for name in ("taxonomy.py", "matching.py", "views.py")]
    found: set[str] = set()
    for code in sources:
        for _, _, message, _ in extract_python(BytesIO(code.encode()), KEYWORDS, [], {}):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_bazaar_string_has_ten_translations_keeping_its_placeholders() -> None:
    missing = page_strings() - set(BAZAAR)
    assert not missing, f"translate these in dastan/bazaar/interface_translations.py: {sorted(missing)}"
    for msgid, translations in BAZAAR.items():
        assert len(translations) == len(LANGS), msgid
        for lang, text in zip(LANGS, translations, strict=True):
            assert text.strip(), f"{lang}: empty translation of {msgid!r}"
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), (lang, text)


@pytest.mark.parametrize("code", LANGS)
def test_each_bazaar_catalog_compiles_cleanly(code: str) -> None:
    po = APP / "locale" / code / "LC_MESSAGES" / "django.po"
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert (po.parent / "django.mo").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("cookie", "lang", "direction"), [("ur", "ur", "rtl"), ("zh-hans", "zh_Hans", "ltr")])
def test_a_project_page_reads_in_urdu_and_chinese(cookie: str, lang: str, direction: str) -> None:
    owner, user = org_profile(name="Lollywood Pictures", country="PK")
    film: Any = project(owner=owner, user=user, title="Noori", visibility="public", stage="financing",
                        needs=[{"strength": "vfx", "countries": ["CN"]}], language="ur",
                        logline="لاہور سے سمرقند تک ایک قافلے کی کہانی")
    client = Client()
    client.cookies["dastan_language"] = cookie
    page = client.get(f"/bazaar/projects/{film.slug}/").content.decode()
    n = LANGS.index(lang)
    assert f'dir="{direction}"' in page
    for msgid in ("Looking for", "Financing", "Budget", "VFX"):
        assert BAZAAR[msgid][n] in page, msgid
