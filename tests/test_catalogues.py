"""The apps' gettext catalogues (dastan/<app>/locale/<lang>/LC_MESSAGES/django.po) are the
source of the interface's translations: every string an app's pages and code use is in
its catalogue, translated and not fuzzy, in each of the ten languages; placeholders and
plural forms are kept; and the committed django.mo is the compiled django.po.

A translator edits the .po (Poedit, Weblate); `make messages` extracts new strings into
it and compiles the .mo. The project catalogue (dastan/locale) holds the strings of the
apps without a catalogue of their own.
"""

from __future__ import annotations

import functools
import gettext
import re
import subprocess
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from babel.core import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

from dastan.accounts.models import NodeOperator

DASTAN = Path(__file__).resolve().parents[1] / "dastan"
LANGUAGES = [to_locale(code) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# Each source file's strings belong to the catalogue makemessages gives them: the nearest
# folder above with a locale/ (dastan/web/locale for dastan/web/...), else the project's
# (dastan/locale). Templates go through Django's templatize, as makemessages does.
# Source files whose strings may still lack translations: none now. A file listed here is
# skipped by the completeness checks; the list may only shrink.
NOT_YET_TRANSLATED: tuple[str, ...] = ()
SKIPPED_APPS: tuple[str, ...] = ()
KEYWORDS = {
    "_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None,
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}
# Babel's table of gettext rules, except where it disagrees with CLDR: Persian has "one"
# (0 and 1) and "other", as Django's own catalogue says.
PLURAL_RULES = {"fa": (2, "(n > 1)")}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def sources() -> Iterator[Path]:
    for path in sorted(DASTAN.rglob("*.py")) + sorted(DASTAN.glob("**/templates/**/*.html")):
        parts = path.relative_to(DASTAN).parts
        if "tests" not in parts and "migrations" not in parts and parts[0] not in SKIPPED_APPS:
            yield path


def catalogue_folder(path: Path) -> str:
    """The folder under dastan/ whose locale/ makemessages writes this file's strings to ("" for dastan/locale)."""
    for folder in path.parents:
        if folder == DASTAN:
            break
        if (folder / "locale").is_dir():
            return folder.relative_to(DASTAN).as_posix()
    return ""


@functools.cache
def strings_of(path: Path) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every translatable string in one source file."""
    code = templatize(path.read_text(), origin=str(path)) if path.suffix == ".html" else path.read_text()
    return {(context, message if isinstance(message, str) else message[0])
            for _, message, _, context in extract("python", BytesIO(code.encode()), keywords=KEYWORDS)}


@functools.cache
def strings_used(folder: str) -> dict[tuple[str | None, str], str]:
    """The strings whose translations belong in the folder's catalogue, each with a file that uses it."""
    used: dict[tuple[str | None, str], str] = {}
    for path in sources():
        name = path.relative_to(DASTAN).as_posix()
        if name not in NOT_YET_TRANSLATED and catalogue_folder(path) == folder:
            used.update(dict.fromkeys(strings_of(path) - set(used), name))
    return used


@functools.cache
def catalogue(folder: str, language: str) -> Catalog:
    with (DASTAN / folder / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as f:
        return read_po(f)


def cat_path(folder: str, language: str) -> Path:
    return DASTAN / folder / "locale" / language / "LC_MESSAGES" / "django.po"


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


FOLDERS = sorted({catalogue_folder(path) for path in sources()} | {""})
CATALOGUES = [(folder, language) for folder in FOLDERS for language in LANGUAGES]


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_every_string_the_code_uses_is_translated_in_its_catalogue(app: str, language: str) -> None:
    cat = catalogue(app, language)
    translated = {key(m) for m in entries(cat) if all(s.strip() for s in forms(m)) and not m.fuzzy}
    missing = {f"{msgid!r}" + (f" (context {context!r})" if context else "") + f" from {where}"
               for (context, msgid), where in strings_used(app).items() if (context, msgid) not in translated}
    assert not missing, (f"{cat_path(app, language)} lacks, or has an empty or fuzzy translation of: "
                         + "; ".join(sorted(missing)) + ". Run `make messages`, translate, run it again.")


def test_the_list_of_untranslated_files_only_names_files_with_untranslated_strings() -> None:
    for name in NOT_YET_TRANSLATED:
        path = DASTAN / name
        assert path.exists(), f"{name} is gone: remove it from NOT_YET_TRANSLATED"
        done = [lang for lang in LANGUAGES
                if strings_of(path) <= {key(m) for m in entries(catalogue(catalogue_folder(path), lang))
                                        if all(s.strip() for s in forms(m)) and not m.fuzzy}]
        assert done != LANGUAGES, f"{name} is translated now: remove it from NOT_YET_TRANSLATED"


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_each_entry_keeps_its_placeholders_and_the_languages_plural_forms(app: str, language: str) -> None:
    cat = catalogue(app, language)
    # The header's rule picks the same form as the language's rule for every n, however it is written.
    rule = get_plural(Locale.parse(language))
    num_plurals, expression = PLURAL_RULES.get(language, (rule.num_plurals, rule.plural_expr))
    assert cat.num_plurals == num_plurals, f"{language}: Plural-Forms has {cat.num_plurals} forms, not {num_plurals}"
    ours, expected = gettext.c2py(cat.plural_expr), gettext.c2py(expression)
    assert [ours(n) for n in range(1000)] == [expected(n) for n in range(1000)], f"{language}: Plural-Forms differs"
    for message in entries(cat):
        if message.fuzzy:
            continue  # msgmerge's guess from a similar string: not compiled, not shown
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        if len(ids) == 2:
            assert len(forms(message)) == cat.num_plurals, f"{language}: {ids[0]!r} needs {cat.num_plurals} forms"
        for text in forms(message):
            if not text:
                continue  # not translated yet: the test above names it if a page uses it
            if "python-format" in message.flags or wanted:
                assert sorted(PLACEHOLDER.findall(text)) == wanted, f"{language}: placeholders of {text!r}"
                assert "%" not in PLACEHOLDER.sub("", text.replace("%%", "")), f"{language}: stray % in {text!r}"


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_translations_are_not_copies_of_the_english(app: str, language: str) -> None:
    messages = list(entries(catalogue(app, language)))
    same = [m.id for m in messages if m.string == m.id and _has_words(m.id)]
    # A word or two may be the same (Latin-script Uzbek's "Film", "festival"), not more
    # than one entry in fifty; acronyms (SVOD, VFX) and placeholders alone do not count.
    assert len(same) <= max(2, len(messages) // 50), f"{cat_path(app, language)}: left in English: {same}"


def _has_words(text: str) -> bool:
    """True when ``text`` holds a word to translate: not only placeholders, signs and acronyms."""
    words = re.findall(r"[^\W\d_]+", PLACEHOLDER.sub("", text))
    return any(not word.isupper() for word in words)


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_the_committed_mo_is_the_compiled_po(app: str, language: str, tmp_path: Path) -> None:
    po = cat_path(app, language)
    checked = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    with po.with_suffix(".mo").open("rb") as f:
        compiled = {key(m): forms(m) for m in read_mo(f) if m.id}
    # msgfmt leaves out fuzzy entries and those not translated yet
    written = {key(m): forms(m) for m in entries(catalogue(app, language)) if not m.fuzzy and all(forms(m))}
    assert compiled == written, f"{po.with_suffix('.mo')} is stale: run `make messages`"


@pytest.mark.parametrize(("context", "msgid", "russian"), [
    (None, "Editor", "Редактор"), ("film crew role", "Editor", "Монтажёр"),
    (None, "Sign in", "Вход"), ("button or link", "Sign in", "Войти"),
    (None, "Withdraw", "Снять с показа"), ("an application", "Withdraw", "Отозвать"),
    (None, "Made by", "Автор"), ("content credentials", "Made by", "Чем сделано"),
    (None, "Verification", "Проверка результата"), ("content credentials", "Verification", "Проверка подлинности"),
    (None, "Shared", "Открыт доступ"), ("peer nodes", "Shared", "Передано"),
    (None, "End", "Конец"), ("peer nodes", "End", "Завершить"),
])
def test_a_word_with_two_meanings_keeps_both_translations_once_the_catalogues_are_merged(
        context: str | None, msgid: str, russian: str) -> None:
    # Django merges every app's catalogue into one; without a context the first app's
    # translation would be the only one (the studio's subtitle editor read "Монтажёр").
    with translation.override("ru"):
        assert (translation.pgettext(context, msgid) if context else translation.gettext(msgid)) == russian


@pytest.mark.django_db
def test_the_peers_page_reads_in_russian_with_its_own_words_for_shared_and_refused(client: Any) -> None:
    operator = User.objects.create_user("operator", password="x" * 12)
    NodeOperator.objects.create(user=operator)
    client.force_login(operator)
    client.cookies["dastan_language"] = "ru"
    page = client.get("/federation/peers/").content.decode()
    assert "<h1>Узлы-партнёры</h1>" in page
    # the peers' columns, not the market's «Открыт доступ» and «Отказано»
    assert "<th>Передано</th>" in page and "<th>Отклонено</th>" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_string_has_one_translation_across_the_catalogues(language: str) -> None:
    # Django merges every catalogue into one (dastan/locale first, then the apps in
    # INSTALLED_APPS order), so a second translation of the same msgid is never shown:
    # make them agree, or give the string a context (pgettext) where the meanings differ.
    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    differ = []
    for folder in FOLDERS:
        for message in entries(catalogue(folder, language)):
            if isinstance(message.id, str) and isinstance(message.string, str) and message.string and not message.fuzzy:
                first = seen.setdefault(key(message), (folder or "project", message.string))
                if first[1] != message.string:
                    differ.append(f"{message.id!r}: {first[0]} {first[1]!r}, {folder} {message.string!r}")
    assert not differ, f"{language}: " + "; ".join(differ)
