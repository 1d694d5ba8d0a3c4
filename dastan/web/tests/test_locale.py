"""The eleven interface catalogs: complete, compiled, and covering every string the pages use."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

LOCALE = Path(__file__).resolve().parents[2] / "locale"
WEB = Path(__file__).resolve().parents[1]
CATALOGS = ("en", "ru", "zh_Hans", "hi", "ur", "fa", "kk", "uz", "ky", "tg", "be")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def messages(code: str) -> dict[str, str]:
    with (LOCALE / code / "LC_MESSAGES" / "django.po").open("rb") as f:
        catalog = read_po(f)
    assert not [m.id for m in catalog if m.id and m.fuzzy], f"{code}: fuzzy entries"
    return {str(m.id): str(m.string) for m in catalog if m.id}


def strings_used_by_the_pages() -> set[str]:
    found: set[str] = set()
    sources = [(p, templatize(p.read_text(), origin=str(p))) for p in (WEB / "templates").rglob("*.html")]
    sources += [(p, p.read_text()) for p in WEB.glob("*.py")]
    for path, code in sources:
        for _, func, message, _ in extract_python(BytesIO(code.encode()), {"gettext": None, "_": None, "gettext_lazy": None}, [], {}):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("code", CATALOGS)
def test_every_interface_string_is_translated_with_its_placeholders(code: str) -> None:
    translated = messages(code)
    assert set(translated) == set(messages("en")), f"{code} has other messages than en"
    untranslated = [m for m, s in translated.items() if not s.strip()]
    assert not untranslated, f"{code}: untranslated {untranslated}"
    for msgid, msgstr in translated.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), (code, msgid)


def test_every_string_the_pages_use_is_in_the_catalogs() -> None:
    # The studio desk's strings live in the web app's own catalogue (dastan/web/locale),
    # checked by tests/test_catalogues.py.
    with (WEB / "locale" / "ru" / "LC_MESSAGES" / "django.po").open("rb") as f:
        studio = {str(m.id) for m in read_po(f) if m.id}
    missing = strings_used_by_the_pages() - set(messages("en")) - studio
    assert not missing, f"Run makemessages in dastan/web and translate: {sorted(missing)}"


@pytest.mark.parametrize("code", CATALOGS)
def test_catalog_compiles_and_the_committed_mo_matches_it(code: str, tmp_path: Path) -> None:
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with (LOCALE / code / "LC_MESSAGES" / "django.mo").open("rb") as f:
        compiled = {str(m.id): str(m.string) for m in read_mo(f) if m.id}
    assert compiled == messages(code), f"{code}: django.mo is stale; run `dastan manage compilemessages`"


def test_translations_are_not_copies_of_english() -> None:
    english = messages("en")
    for code in CATALOGS[1:]:
        same = [m for m, s in messages(code).items() if s == english[m]]
        # A few words are the same in Latin-script Uzbek ("Film", "Katalog" is not) and that is fine.
        assert len(same) <= 2, (code, same)
