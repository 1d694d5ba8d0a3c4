"""The apps' gettext catalogues (dastan/<app>/locale/<lang>/LC_MESSAGES/django.po) are the
source of the interface's translations: every string an app's pages and code use is in
its catalogue, translated and not fuzzy, in each of the ten languages; placeholders and
plural forms are kept; and the committed django.mo is the compiled django.po.

A translator edits the .po (Poedit, Weblate); `make messages` extracts new strings into
it and compiles the .mo. The project catalogue (dastan/locale) is checked by
dastan/web/tests/test_locale.py.
"""

from __future__ import annotations

import gettext
import re
import subprocess
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from babel.core import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

DASTAN = Path(__file__).resolve().parents[1] / "dastan"
LANGUAGES = [to_locale(code) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# Which sources each app catalogue translates (globs under dastan/). Templates go through
# Django's templatize, as makemessages does, so {% translate %} and {% blocktranslate %} count.
SOURCES: dict[str, tuple[str, ...]] = {
    "web": ("web/studio*.py", "web/templates/web/studio/*.html", "federation/remote_play.py"),
    "localization": ("localization/*.py", "localization/templates/**/*.html"),
    "accounts": ("accounts/*.py", "accounts/templates/**/*.html"),
    "bazaar": ("bazaar/templates/bazaar/*.html", "bazaar/taxonomy.py", "bazaar/matching.py", "bazaar/views.py"),
    "labs": ("labs/templates/labs/*.html",),
    # model choice labels are the admin's and the API's, not pages'
    "dubbing": ("dubbing/templates/**/*.html", "dubbing/[!m]*.py"),
}
KEYWORDS = {
    "_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def strings_used(app: str) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every translatable string in the app's sources."""
    found: set[tuple[str | None, str]] = set()
    for pattern in SOURCES[app]:
        for path in sorted(DASTAN.glob(pattern)):
            code = templatize(path.read_text(), origin=str(path)) if path.suffix == ".html" else path.read_text()
            for _, message, _, context in extract("python", BytesIO(code.encode()), keywords=KEYWORDS):
                found.add((context, message if isinstance(message, str) else message[0]))
    return found


def catalogue(app: str, language: str) -> Catalog:
    with (DASTAN / app / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as f:
        return read_po(f)


def entries(cat: Catalog) -> Iterator[Message]:
    return (m for m in cat if m.id)


def forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string or "",)


def key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    context = message.context
    if isinstance(context, bytes):  # babel's read_mo leaves the context undecoded
        context = context.decode()
    return context, msgid


CATALOGUES = [(app, language) for app in SOURCES for language in LANGUAGES]


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_every_string_the_app_uses_is_translated_in_its_catalogue(app: str, language: str) -> None:
    cat = catalogue(app, language)
    translated = {key(m) for m in entries(cat) if all(s.strip() for s in forms(m)) and not m.fuzzy}
    missing = sorted(strings_used(app) - translated, key=str)
    assert not missing, (f"dastan/{app}/locale/{language}/LC_MESSAGES/django.po lacks (or has empty or fuzzy) "
                         f"translations of {missing}; run `make messages`, translate, run it again")


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_each_entry_keeps_its_placeholders_and_the_languages_plural_forms(app: str, language: str) -> None:
    cat = catalogue(app, language)
    # The header's rule gives the same form as CLDR's for every n, however it is written.
    expected_rule = get_plural(Locale.parse(language))
    assert cat.num_plurals == expected_rule.num_plurals, f"{language}: Plural-Forms has {cat.num_plurals} forms"
    ours, cldr = gettext.c2py(cat.plural_expr), gettext.c2py(expected_rule.plural_expr)
    assert [ours(n) for n in range(1000)] == [cldr(n) for n in range(1000)], f"{language}: Plural-Forms differs"
    for message in entries(cat):
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        if len(ids) == 2:
            assert len(forms(message)) == cat.num_plurals, f"{language}: {ids[0]!r} needs {cat.num_plurals} forms"
        for text in forms(message):
            if "python-format" in message.flags or wanted:
                assert sorted(PLACEHOLDER.findall(text)) == wanted, f"{language}: placeholders of {text!r}"
                assert "%" not in PLACEHOLDER.sub("", text.replace("%%", "")), f"{language}: stray % in {text!r}"


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_the_committed_mo_is_the_compiled_po(app: str, language: str, tmp_path: Path) -> None:
    po = DASTAN / app / "locale" / language / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    with po.with_suffix(".mo").open("rb") as f:
        compiled = {key(m): forms(m) for m in read_mo(f) if m.id}
    written = {key(m): forms(m) for m in entries(catalogue(app, language)) if not m.fuzzy}
    assert compiled == written, f"{po.with_suffix('.mo')} is stale: run `make messages`"


@pytest.mark.parametrize(("context", "msgid", "russian"), [
    (None, "Editor", "Редактор"), ("film crew role", "Editor", "Монтажёр"),
    (None, "Sign in", "Вход"), ("button or link", "Sign in", "Войти"),
    (None, "Withdraw", "Снять с показа"), ("an application", "Withdraw", "Отозвать"),
    (None, "Made by", "Автор"), ("content credentials", "Made by", "Чем сделано"),
    (None, "Verification", "Проверка результата"), ("content credentials", "Verification", "Проверка подлинности"),
])
def test_a_word_with_two_meanings_keeps_both_translations_once_the_catalogues_are_merged(
        context: str | None, msgid: str, russian: str) -> None:
    # Django merges every app's catalogue into one; without a context the first app's
    # translation would be the only one (the studio's subtitle editor read "Монтажёр").
    with translation.override("ru"):
        assert (translation.pgettext(context, msgid) if context else translation.gettext(msgid)) == russian
