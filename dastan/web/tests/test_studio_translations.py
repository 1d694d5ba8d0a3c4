"""The studio desk speaks all eleven interface languages: every string its code and
templates use is in dastan/web/studio_translations.py, the catalogs compile, and the
page reads in Urdu and Chinese."""

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

from dastan.catalog.tests.factories import OrganisationFactory, make_title, member_of
from dastan.translations import LANGS
from dastan.web.studio_translations import STUDIO, STUDIO_PLURALS

WEB = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "_": None, "gettext_lazy": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def studio_strings() -> set[str]:
    """msgids of dastan/web/studio*.py and web/studio/*.html, found as the desk's test finds them."""
    sources = [templatize(p.read_text(), origin=str(p)) for p in (WEB / "templates" / "web" / "studio").glob("*.html")]
    sources += [p.read_text() for p in WEB.glob("studio*.py") if p.name != "studio_translations.py"]
    found: set[str] = set()
    for code in sources:
        for _, _, message, _ in extract_python(BytesIO(code.encode()), KEYWORDS, [], {}):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_studio_string_has_ten_translations_keeping_its_placeholders() -> None:
    table = {**STUDIO, **{ids[0]: tuple(forms[0] for forms in per_lang) for ids, per_lang in STUDIO_PLURALS.items()}}
    used = studio_strings()
    missing = used - set(table)
    assert not missing, f"translate these in dastan/web/studio_translations.py: {sorted(missing)}"
    for msgid, translations in table.items():
        assert len(translations) == len(LANGS), msgid
        wanted = sorted(PLACEHOLDER.findall(msgid))
        for lang, text in zip(LANGS, translations, strict=True):
            assert text.strip(), f"{lang}: empty translation of {msgid!r}"
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"{lang}: placeholders differ in {text!r}"
            assert "%" not in PLACEHOLDER.sub("", text), f"{lang}: stray % in {text!r}"


@pytest.mark.parametrize("code", LANGS)
def test_each_studio_catalog_compiles_cleanly(code: str) -> None:
    po = WEB / "locale" / code / "LC_MESSAGES" / "django.po"
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert (po.parent / "django.mo").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("cookie", "lang"), [("ur", "ur"), ("zh-hans", "zh_Hans")])
def test_the_studio_page_reads_in_urdu_and_chinese(cookie: str, lang: str) -> None:
    studio: Any = OrganisationFactory(name="Lollywood Pictures", slug="lollywood")
    make_title(names={"ur": "مولا جٹ"}, owner=studio, slug="maula-jatt")
    client = Client()
    client.force_login(member_of(studio, username="ayesha"))
    client.cookies["dastan_language"] = cookie
    n = LANGS.index(lang)

    page = client.get("/studio/").content.decode()

    assert STUDIO["Your titles"][n] in page
    assert STUDIO["No film yet"][n] in page
    assert STUDIO["Create the title"][n] in page
