"""The rights app's own gettext catalogues (dastan/rights/locale): every string its pages,
chart, decisions and errors use is translated in all ten languages, with the same
placeholders, and the committed .mo files are the .po files compiled."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation.template import templatize

from dastan.rights.chart import build_chart
from dastan.rights.svg import chart_svg, tiles_svg

from .test_chart import LICENCES, TODAY

RIGHTS = Path(__file__).resolve().parents[1]
LOCALE = RIGHTS / "locale"
LANGUAGES = ("ru", "zh_Hans", "hi", "ur", "fa", "kk", "uz", "ky", "tg", "be")
PLACEHOLDER = re.compile(r"%\(\w+\)s")
KEYWORDS = {"gettext": None, "gettext_lazy": None, "_": None, "ngettext": (1, 2), "ngettext_lazy": (1, 2),
            "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2)}

Key = tuple[str, str]  # (context, msgid); a plural's msgid is its singular


def strings_the_rights_app_uses() -> dict[Key, tuple[str, ...]]:
    """Every message of the app's templates and modules, as makemessages would find it
    (templates through Django's templatize), with its plural form if it has one."""
    sources = [(p, templatize(p.read_text(), origin=str(p))) for p in (RIGHTS / "templates").rglob("*.html")]
    sources += [(p, p.read_text()) for p in RIGHTS.rglob("*.py")
                if "tests" not in p.parts and "migrations" not in p.parts]
    found: dict[Key, tuple[str, ...]] = {}
    for _, code in sources:
        for _, message, _, context in extract("python", BytesIO(code.encode()), keywords=KEYWORDS):
            forms = (message,) if isinstance(message, str) else tuple(message)
            found[(context or "", forms[0])] = forms
    return found


def catalogue(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as f:
        return read_po(f)


def test_the_rights_app_has_strings_to_translate() -> None:
    used = strings_the_rights_app_uses()
    assert ("", "Availability of %(title)s") in used and ("availability", "available") in used
    assert used[("", "%(count)s seat")] == ("%(count)s seat", "%(count)s seats")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_the_rights_app_uses_is_translated_with_its_placeholders(language: str) -> None:
    used = strings_the_rights_app_uses()
    messages = {(m.context or "", m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue(language) if m.id}
    missing = sorted(set(used) - set(messages))
    assert not missing, f"{language}: not in dastan/rights/locale/{language}: {missing}"
    stale = sorted(set(messages) - set(used))
    assert not stale, f"{language}: no longer used by the code: {stale}"
    for key, forms in used.items():
        message = messages[key]
        assert not message.fuzzy, (language, key)
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        assert strings and all(s.strip() for s in strings), f"{language}: untranslated {key}"
        wanted = sorted(set(PLACEHOLDER.findall(forms[-1])))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == wanted, (language, key, string)
            assert ("<" in string) == ("<" in forms[0]), (language, key, string)  # markup kept


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_po_compiled(language: str, tmp_path: Path) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    result = subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(folder / "django.po")],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with (folder / "django.mo").open("rb") as f:
        compiled = _entries(read_mo(f))
    written = _entries(catalogue(language))
    assert compiled == written, f"{language}: django.mo is stale; compile dastan/rights/locale again"


def _entries(messages: Catalog) -> dict[tuple[str, str], tuple[str, ...]]:
    out = {}
    for m in messages:
        if not m.id:
            continue
        context = m.context.decode() if isinstance(m.context, bytes) else m.context or ""
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        out[(context, msgid)] = (m.string,) if isinstance(m.string, str) else tuple(m.string or ())
    return out


def test_django_finds_the_rights_catalogue_for_the_chart() -> None:
    with translation.override("ru"):  # the chart's words are written as it is built
        chart = build_chart(title_id=1, licences=LICENCES, today=TODAY)
        svg = chart_svg(chart, title="Дала желі") + tiles_svg(chart.tiles)
    assert "Доступность: Дала желі" in svg and "Лицензии" in svg and "Казахстан" in svg
    assert "сегодня, 24 ноября 2026\u202fг." in svg and "доступно" in svg
    assert "Availability" not in svg and "Kazakhstan" not in svg and "today" not in svg


def test_urdu_dates_and_territories_come_from_cldr_in_urdu() -> None:
    from dastan.rights.formats import format_day
    from dastan.rights.territories import TerritorySet

    with translation.override("ur"):
        assert format_day(date(2027, 3, 1)) == "1 مارچ، 2027"
        assert TerritorySet.of(["Central Asia"], ["TM"]).describe() == "وسطی ایشیا، سوائے ترکمانستان"
    assert TerritorySet.of(["Central Asia"], ["TM"]).describe() == "Central Asia except Turkmenistan"


def test_the_charts_month_axis_names_months_as_the_language_does() -> None:
    from dastan.rights.formats import month_label

    with translation.override("ru"):
        assert month_label(5) == "май"  # alone on the axis: not the date's "мая"
    with translation.override("ur"):
        assert month_label(5) == "مئی" and month_label(5, narrow=True) == "م"  # CLDR's narrow is Latin
    assert month_label(5) == "May"
