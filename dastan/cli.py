"""`dastan`: the one command for every entry point.

Each app may add subcommands in its own ``cli.py`` with ``register(subparsers)``; this
module owns the common ones (demo, serve, worker, jobs, models, bench, manage).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue (Django's own needs the settings, read later)."""
    return message


APP_CLIS = ("jobs", "catalog", "media", "localization", "rights", "federation", "bazaar", "credentials")

# Translators: keep the commands and the variable names; the columns line up in a terminal.
DESCRIPTION = gettext_noop("""\
Dastan — streaming, localization and rights for the film industries of the SCO region.

Start here:
  dastan demo                 set up a demo node (SQLite, local files) and serve it
  dastan serve                run the web site, the API and a job worker
  dastan worker --can asr     run a job worker on this machine for the named capabilities
  dastan jobs                 list jobs with their state and progress
  dastan models               list speech, translation and voice engines found here
  dastan manage migrate       any Django management command

Settings come from environment variables (DASTAN_HOME, DASTAN_DATABASE_URL,
DASTAN_BROKER_URL, DASTAN_MEDIA_ROOT, ...); see the README.
""")


def operator_language(environ: Mapping[str, str]) -> str:
    """The supported language the operator's environment asks for, as gettext reads it:
    LANGUAGE (a colon-separated list), else LC_ALL, LC_MESSAGES, LANG; English when none
    names one of Dastan's languages ("C" and "POSIX" are English)."""
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant, to_language

    wanted = [name for name in environ.get("LANGUAGE", "").split(":") if name]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(variable):
            wanted.append(environ[variable])
            break
    for name in wanted:
        # ru_RU.UTF-8, uz_UZ@cyrillic, zh_CN.GB2312: the language and the country only
        locale_name = name.split(".")[0].split("@")[0]
        if locale_name in ("", "C", "POSIX"):
            continue
        try:
            return get_supported_language_variant(to_language(locale_name))
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dastan.settings")
    import django

    django.setup()


class _OperatorsUsage(argparse.HelpFormatter):
    """argparse's word before the synopsis, in the operator's language: the standard library
    takes it from its own gettext domain, which has no catalogue for Dastan's languages."""

    def _format_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None) -> str:
        from django.utils.translation import gettext

        if prefix is None:
            # Translators: the word before a command's synopsis in `--help`; keep the colon and the space.
            prefix = gettext("usage: ")
        return super()._format_usage(usage, actions, groups, prefix)


class HelpFormatter(_OperatorsUsage, argparse.HelpFormatter):
    pass


class RawDescriptionHelpFormatter(_OperatorsUsage, argparse.RawDescriptionHelpFormatter):
    pass


class ArgumentParser(argparse.ArgumentParser):
    """argparse's own fixed words (the section titles, -h's help, the error line) in the
    operator's language. Sub-commands' parsers are of this class too (add_subparsers makes
    them of the parent's class); an app's cli.py asking for argparse's raw-description
    formatter gets this module's, which differs only in the usage word."""

    def __init__(self, *, formatter_class: type[argparse.HelpFormatter] = HelpFormatter, **kwargs: Any) -> None:
        from django.utils.translation import gettext

        if formatter_class is argparse.RawDescriptionHelpFormatter:
            formatter_class = RawDescriptionHelpFormatter
        super().__init__(formatter_class=formatter_class, **kwargs)
        # Translators: the heading over a command's arguments that are given by position in `--help`.
        self._positionals.title = gettext("positional arguments")
        # Translators: the heading over a command's options (--name) in `--help`.
        self._optionals.title = gettext("options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = gettext("show this help message and exit")

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        from django.utils.translation import gettext

        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            # Translators: %(arguments)s are the words of the command line that no option takes.
            self.error(gettext("unrecognized arguments: %(arguments)s") % {"arguments": " ".join(extras)})
        return parsed

    def error(self, message: str) -> NoReturn:
        from django.utils.translation import gettext

        self.print_usage(sys.stderr)
        # Translators: argparse's refusal of a command line; %(prog)s is the command, such as "dastan jobs".
        self.exit(2, gettext("%(prog)s: error: %(message)s") % {"prog": self.prog, "message": message} + "\n")


def build_parser() -> argparse.ArgumentParser:
    from django.utils.translation import gettext

    parser = ArgumentParser(prog="dastan", description=gettext(DESCRIPTION), formatter_class=RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from dastan import commands

    commands.register(sub)
    for label in APP_CLIS:  # imported here: each needs Django set up first
        importlib.import_module(f"dastan.{label}.cli").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["dastan manage", *args_list[1:]])
        return 0
    setup_django()
    from django.utils import translation

    # The operator reads help, errors and progress in the language of their terminal.
    with translation.override(operator_language(os.environ)):
        parser = build_parser()
        args = parser.parse_args(args_list)
        func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return 0
        return _run(func, args)


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from django.utils.translation import gettext

    from dastan.errors import DastanError

    try:
        return func(args) or 0
    except DastanError as exc:
        # Translators: the line a command prints when it fails, before what went wrong.
        print(gettext("error: %(message)s") % {"message": exc.message}, file=sys.stderr)
        if exc.hint:
            # Translators: the line under "error:" that says what to do; keep the two spaces before it.
            print(gettext("  fix: %(hint)s") % {"hint": exc.hint}, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
