"""The labs pages speak all eleven interface languages: every string their templates use
is in dastan/labs/interface_translations.py, the catalogs compile, and a page reads in
Persian and Kazakh."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from django.test import Client
from django.utils.translation.template import templatize

from dastan.labs.interface_translations import LABS
from dastan.labs.tests.factories import lab_world
from dastan.translations import LANGS

LABS_DIR = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "_": None, "gettext_lazy": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def template_strings() -> set[str]:
    found: set[str] = set()
    for path in (LABS_DIR / "templates" / "labs").glob("*.html"):
        code = templatize(path.read_text(), origin=str(path))
        for _, _, message, _ in extract_python(BytesIO(code.encode()), KEYWORDS, [], {}):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_labs_page_string_has_ten_translations_keeping_its_placeholders() -> None:
    missing = template_strings() - set(LABS)
    assert not missing, f"translate these in dastan/labs/interface_translations.py: {sorted(missing)}"
    for msgid, translations in LABS.items():
        assert len(translations) == len(LANGS), msgid
        wanted = sorted(PLACEHOLDER.findall(msgid))
        for lang, text in zip(LANGS, translations, strict=True):
            assert text.strip(), f"{lang}: empty translation of {msgid!r}"
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"{lang}: placeholders differ in {text!r}"


@pytest.mark.parametrize("code", LANGS)
def test_each_labs_catalog_compiles_cleanly(code: str) -> None:
    po = LABS_DIR / "locale" / code / "LC_MESSAGES" / "django.po"
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert (po.parent / "django.mo").exists()


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
