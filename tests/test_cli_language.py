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


# The help's own words (argparse's: usage, the section titles, -h's line) and Dastan's
# texts of each command and option, as a terminal in that language shows them.
HELP = {
    "ru_RU.UTF-8": {
        "usage": "использование: ", "positionals": "позиционные аргументы:", "options": "параметры:",
        "-h": "-h, --help показать эту справку и выйти",
        "demo": "создать демонстрационный узел с примерами фильмов и запустить его",
        "jobs": "Сначала самые новые задания, с состоянием, ходом выполнения и ошибкой, если есть.",
        "--limit": "не больше стольких заданий (по умолчанию 30)",
        "error": "dastan: ошибка: нераспознанные аргументы: --colour",
    },
    "ur_PK.UTF-8": {
        "usage": "استعمال: ", "positionals": "ترتیبی دلائل:", "options": "اختیارات:",
        "-h": "-h, --help یہ مدد دکھائیں اور باہر نکلیں",
        "demo": "نمونہ فلموں کے ساتھ ڈیمو نوڈ تیار کریں اور اسے چلائیں",
        "jobs": "سب سے نئے جاب پہلے، حالت، پیش رفت اور کسی خرابی کے ساتھ۔",
        "--limit": "زیادہ سے زیادہ اتنے جاب (طے شدہ 30)",
        "error": "dastan: خرابی: ناقابل شناخت دلائل: --colour",
    },
}


def _spaced(lines: list[str]) -> list[str]:
    """The lines without the columns' padding, which follows the longest option's width."""
    return [" ".join(line.split()) for line in lines]


@pytest.mark.parametrize("lang", list(HELP))
def test_dastan_help_is_in_the_operators_language(tmp_path: Path, lang: str) -> None:
    words = HELP[lang]
    done = _dastan("--help", lang=lang, home=tmp_path, COLUMNS="200")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(words["usage"] + "dastan "), done.stdout
    assert words["positionals"] in lines and words["options"] in lines, done.stdout
    assert words["-h"] in _spaced(lines), done.stdout
    assert any(line.split(None, 1) == ["demo", words["demo"]] for line in lines), done.stdout
    assert "usage:" not in done.stdout and "show this help message" not in done.stdout


@pytest.mark.parametrize("lang", list(HELP))
def test_a_subcommands_help_is_in_the_operators_language(tmp_path: Path, lang: str) -> None:
    words = HELP[lang]
    done = _dastan("jobs", "--help", lang=lang, home=tmp_path, COLUMNS="200")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(words["usage"] + "dastan jobs "), done.stdout
    assert words["jobs"] in lines and words["options"] in lines, done.stdout
    assert any(line.split(None, 2)[:1] == ["--limit"] and line.split(None, 2)[2] == words["--limit"]
               for line in lines if line.strip()), done.stdout
    assert "options:" not in done.stdout and "at most this many jobs" not in done.stdout


@pytest.mark.parametrize("lang", list(HELP))
def test_a_command_line_argparse_refuses_is_refused_in_the_operators_language(tmp_path: Path, lang: str) -> None:
    done = _dastan("jobs", "--colour", lang=lang, home=tmp_path, COLUMNS="200")
    assert done.returncode == 2
    usage, error = [line for line in done.stderr.splitlines() if not line.startswith("AXES")][-2:]
    assert usage.startswith(HELP[lang]["usage"] + "dastan "), done.stderr
    assert error == HELP[lang]["error"], done.stderr


def test_the_help_stays_english_where_the_operator_reads_english(tmp_path: Path) -> None:
    done = _dastan("jobs", "--help", lang="C.UTF-8", home=tmp_path, COLUMNS="200")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: dastan jobs ")
    assert "-h, --help show this help message and exit" in _spaced(done.stdout.splitlines())
    assert "The newest jobs first, with state, progress and any error." in done.stdout
