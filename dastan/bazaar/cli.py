"""`dastan bazaar trace FILE`: whose copy of a script a leaked PDF or page image is."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from dastan.bazaar.scripts import trace_leak


def register(sub: Any) -> None:
    bazaar = sub.add_parser("bazaar", help=gettext("the co-production market: trace a leaked script page"))
    verbs = bazaar.add_subparsers(dest="bazaar_command", metavar="VERB")
    p = verbs.add_parser("trace", help=gettext("name the recipient whose copy a leaked PDF, PNG or JPEG came from"),
                         description=gettext("Reads the invisible per-copy mark of a whole page (the PDF, a "
                                     "rendering, a screenshot or a compressed, scaled image of it) and "
                                     "compares it with every copy this node made."))
    p.add_argument("file", type=Path, help=gettext("the leaked PDF, PNG or JPEG"))
    p.set_defaults(func=cmd_trace)
    bazaar.set_defaults(func=lambda args: bazaar.print_help() or 0)


def cmd_trace(args: argparse.Namespace) -> int:
    found = trace_leak(path=args.file)
    grant = found.grant
    person = grant.recipient.get_full_name() or grant.recipient.get_username()
    account = grant.recipient.get_username() + (", " + grant.organisation_name if grant.organisation_name else "")
    # Translators: a leaked script traced to its copy; the correlations are numbers between 0 and 1.
    print(gettext("%(file)s: the copy of '%(script)s' made for %(person)s (account %(account)s), shared %(day)s; "
                  "mark correlation %(correlation)s, next best copy %(runner_up)s") % {
        "file": args.file, "script": grant.script.name, "person": person, "account": account,
        "day": f"{grant.created_at:%Y-%m-%d}", "correlation": f"{found.correlation:.2f}",
        "runner_up": f"{found.runner_up:.2f}"})
    return 0
