"""Gettext catalogs kept as Python tables, for an app's own interface strings.

A table maps each English msgid to its translations in ``LANGS`` order; plural entries
map (singular, plural) to each language's forms. ``write_app_catalogs`` writes and
compiles ``<app>/locale/<lang>/LC_MESSAGES/django.po`` and ``.mo``, which Django merges
with the project's catalogs in ``dastan/locale``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

LANGS = ("ru", "zh_Hans", "hi", "ur", "fa", "kk", "uz", "ky", "tg", "be")

FIXED_DATE = datetime(2026, 11, 24, tzinfo=UTC)

Table = Mapping[str, tuple[str, ...]]
Plurals = Mapping[tuple[str, str], tuple[tuple[str, ...], ...]]


def write_app_catalogs(*, app_dir: Path, table: Table, plurals: Plurals | None = None) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    for n, lang in enumerate(LANGS):
        # Fixed dates: the same table always writes the same files (no churn in git).
        catalog = Catalog(locale="zh_Hans_CN" if lang == "zh_Hans" else lang, project="Dastan",
                          domain="django", charset="utf-8", creation_date=FIXED_DATE, revision_date=FIXED_DATE)
        for msgid, translations in table.items():
            catalog.add(msgid, translations[n], flags=("python-format",) if "%" in msgid else ())
        for ids, forms in (plurals or {}).items():
            # As many forms as the language's plural rule has (Chinese 1, Russian 3, ...).
            wanted = catalog.num_plurals
            chosen = tuple(forms[n][:wanted]) + (forms[n][-1],) * max(0, wanted - len(forms[n]))
            catalog.add(ids, chosen, flags=("python-format",))
        folder = app_dir / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "django.po").open("wb") as po:
            write_po(po, catalog, width=0, omit_header=False)
        with (folder / "django.mo").open("wb") as mo:
            write_mo(mo, catalog)
