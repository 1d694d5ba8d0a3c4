"""The review desk and sign-in page speak all eleven interface languages."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from django.test import Client
from django.utils.translation.template import templatize

from dastan.localization.interface_translations import DESK, DESK_PLURALS, SIGN_IN
from dastan.translations import LANGS

DASTAN = Path(__file__).resolve().parents[2]
KEYWORDS = {"gettext": None, "_": None, "gettext_lazy": None, "ngettext": (1, 2)}


def strings_used(app: str) -> set[str]:
    root = DASTAN / app
    sources = [templatize(p.read_text(), origin=str(p)) for p in (root / "templates").rglob("*.html")]
    sources += [p.read_text() for p in root.glob("*.py")]
    found: set[str] = set()
    for code in sources:
        for _, _, message, _ in extract_python(BytesIO(code.encode()), KEYWORDS, [], {}):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize(("app", "table"), [("localization", {**DESK, **{k[0]: v for k, v in DESK_PLURALS.items()}}),
                                            ("accounts", SIGN_IN)])
def test_every_string_of_the_desk_and_sign_in_has_ten_translations(app: str, table: dict[str, object]) -> None:
    missing = strings_used(app) - set(table)
    assert not missing, f"translate these in dastan/localization/interface_translations.py: {sorted(missing)}"
    assert all(len(v) == len(LANGS) for v in table.values())  # type: ignore[arg-type]


@pytest.mark.parametrize("app", ["localization", "accounts"])
@pytest.mark.parametrize("code", LANGS)
def test_each_app_catalog_compiles_cleanly(app: str, code: str) -> None:
    po = DASTAN / app / "locale" / code / "LC_MESSAGES" / "django.po"
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_the_sign_in_page_reads_in_urdu_and_chinese() -> None:
    client = Client()
    client.cookies["dastan_language"] = "ur"
    assert "اسٹوڈیوز، تقسیم کاروں اور نشریاتی اداروں" in client.get("/studio/login/").content.decode()
    client.cookies["dastan_language"] = "zh-hans"
    assert "供制片公司、发行商和广播机构的人员使用" in client.get("/studio/login/").content.decode()
