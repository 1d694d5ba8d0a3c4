"""The CLI speaks the operator's language, chosen from the environment as gettext chooses
it (LANGUAGE, then LC_ALL, LC_MESSAGES, LANG), else English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dastan.cli import operator_language


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "ur_PK.UTF-8"}, "ur"),
    ({"LANGUAGE": "kk:ru", "LANG": "en_US.UTF-8"}, "kk"),
    ({"LANGUAGE": "de:fa_IR", "LANG": "en_US.UTF-8"}, "fa"),  # German is not one of Dastan's: the next
    ({"LC_MESSAGES": "hi_IN.UTF-8", "LANG": "ru_RU.UTF-8"}, "hi"),
    ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),  # LC_ALL wins, and C is English
    ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
    ({"LANG": "uz_UZ.UTF-8@cyrillic"}, "uz"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_operators_language_comes_from_the_environment(environ: dict[str, str], language: str) -> None:
    assert operator_language(environ) == language


def _dastan(*args: str, lang: str, home: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DASTAN_", "DJANGO_", "LC_")) and k not in ("LANG", "LANGUAGE")}
    env.update({"LANG": lang, "DASTAN_HOME": str(home), "DASTAN_DATABASE_URL": f"sqlite:///{home}/empty.sqlite3",
                **settings})
    return subprocess.run([sys.executable, "-m", "dastan.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(("lang", "error", "fix"), [
    ("ru_RU.UTF-8", "ошибка: База данных", "  что сделать: Выполните `dastan manage migrate`"),
    ("ur_PK.UTF-8", "خرابی: ڈیٹا بیس", "  حل: اسی DASTAN_DATABASE_URL پر `dastan manage migrate`"),
])
def test_a_worker_on_an_empty_database_says_so_in_the_operators_language(
        tmp_path: Path, lang: str, error: str, fix: str) -> None:
    done = _dastan("worker", "--can", "asr", lang=lang, home=tmp_path)
    assert done.returncode == 2
    first, second = done.stderr.strip().splitlines()[-2:]
    assert first.startswith(error), done.stderr
    assert second.startswith(fix), done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("lang", "error", "fix"), [
    ("ru_RU.UTF-8", "ошибка: Нет файла {path}.", "  что сделать: Укажите путь к файлу эвейлов CSV или TSV."),
    ("ur_PK.UTF-8", "خرابی: فائل {path} موجود نہیں۔", "  حل: CSV یا TSV ایویلز فائل کا راستہ دیں۔"),
    ("C.UTF-8", "error: No file {path}.", "  fix: Give the path of a CSV or TSV avails file."),
])
def test_an_avails_import_of_a_missing_file_is_refused_in_the_operators_language(
        tmp_path: Path, lang: str, error: str, fix: str) -> None:
    missing = tmp_path / "avails.csv"
    done = _dastan("avails", "import", str(missing), lang=lang, home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-2:] == [error.format(path=missing), fix], done.stderr


@pytest.mark.parametrize(("lang", "problem"), [
    ("ru_RU.UTF-8", "Параметры движка «apertium» ему не подходят: "),
    ("ur_PK.UTF-8", "انجن 'apertium' کے اختیارات اس کے مطابق نہیں: "),
])
def test_an_engine_setting_that_does_not_fit_is_named_in_the_operators_language(
        tmp_path: Path, lang: str, problem: str) -> None:
    done = _dastan("models", lang=lang, home=tmp_path, DASTAN_ENGINES='{"OPTIONS": {"apertium": {"voice": "x"}}}')
    assert done.returncode == 0, done.stderr
    assert problem in done.stdout and "DASTAN_ENGINES['OPTIONS']['apertium']" in done.stdout, done.stdout
