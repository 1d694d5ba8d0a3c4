"""`dastan avails import FILE [--dry-run]`, `dastan avails export`, `dastan rights decide`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, ngettext


def register(sub: Any) -> None:
    # Translators: avails: the film trade's files listing which rights are available where and when.
    avails = sub.add_parser("avails", help=gettext("import or export licences as CSV/TSV avails files"),
                            description=gettext("Avails files hold one licence per row; the columns are "
                            "described in dastan/rights/AVAILS.md."))
    verbs = avails.add_subparsers(dest="avails_command", metavar="VERB")
    p = verbs.add_parser("import", help=gettext("check every row, then store all of them or none"),
                         description=gettext("Every bad row is reported with its line number; if any row "
                         "is bad nothing is stored. --dry-run lists what would change."))
    p.add_argument("file", type=Path, help=gettext("the CSV or TSV avails file"))
    p.add_argument("--dry-run", action="store_true", help=gettext("check and list changes; store nothing"))
    p.add_argument("--map", action="append", default=[], metavar="HEADER=COLUMN",
                   help=gettext("read the file's column HEADER as COLUMN (HEADER= to skip it); "
                        "otherwise the mapping is proposed from the header"))
    p.add_argument("--distributor", default="", metavar="NAME",
                   help=gettext("read the file with the mapping saved for this distributor (otherwise one saved "
                        "for the same header is used, if any)"))
    p.add_argument("--save-mapping", default="", metavar="NAME",
                   help=gettext("save the mapping this import used for the distributor NAME"))
    p.add_argument("--organisation", default="", metavar="SLUG",
                   help=gettext("whose mapping to save (default: the owner of the file's titles)"))
    p.set_defaults(func=cmd_import)
    p = verbs.add_parser("mappings", help=gettext("list the distributors' saved column mappings"))
    p.set_defaults(func=cmd_mappings)
    p = verbs.add_parser("export", help=gettext("write current licences as CSV (or TSV)"))
    p.add_argument("--title", action="append", default=[], help=gettext("only this title's licences (slug)"))
    p.add_argument("--tsv", action="store_true", help=gettext("tab-separated instead of comma-separated"))
    p.add_argument("-o", "--output", type=Path, help=gettext("write to this file instead of standard output"))
    p.set_defaults(func=cmd_export)
    avails.set_defaults(func=lambda args: avails.print_help() or 0)

    rights = sub.add_parser("rights", help=gettext("ask whether a title may play in a country, and why"))
    verbs = rights.add_subparsers(dest="rights_command", metavar="VERB")
    p = verbs.add_parser("decide", help=gettext("the playback decision for a title in a country now (or --at)"))
    # Translators: the title is a film or series; its slug is the short name in its address, such as maula-jatt.
    p.add_argument("title", help=gettext("title slug"))
    p.add_argument("territory", help=gettext("ISO 3166-1 alpha-2 country code"))
    p.add_argument("--at", help=gettext("ISO date-time (default: now)"))
    p.set_defaults(func=cmd_decide)
    rights.set_defaults(func=lambda args: rights.print_help() or 0)


def cmd_import(args: argparse.Namespace) -> int:
    from dastan.errors import InvalidInput
    from dastan.rights.avails import import_avails, parse_column_choices
    from dastan.rights.errors import AvailsRejected

    if not args.file.exists():
        raise InvalidInput(gettext("No file %(path)s.") % {"path": args.file},
                           gettext("Give the path of a CSV or TSV avails file."))
    try:
        plan = import_avails(text=args.file.read_text(encoding="utf-8-sig"), dry_run=args.dry_run,
                             columns=parse_column_choices(args.map), distributor=args.distributor,
                             save_mapping=args.save_mapping, organisation=args.organisation)
    except AvailsRejected as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise
    if args.dry_run and plan.mapping is not None:
        for line in plan.mapping.lines():
            print(line)
    for row in plan.rows():
        print(row)
    words = {"summary": plan.summary()}
    print(gettext("Would import: %(summary)s") % words if args.dry_run else gettext("Imported: %(summary)s") % words)
    if args.save_mapping and not args.dry_run:
        print(gettext("Saved the mapping for %(distributor)s: its next file reads the same way "
                      "(--distributor '%(distributor)s').") % {"distributor": args.save_mapping.strip()})
    return 0


def cmd_mappings(args: argparse.Namespace) -> int:
    from dastan.rights.mappings import visible_mappings

    found = list(visible_mappings(user=None))
    if not found:
        print(gettext("No saved mappings; `dastan avails import FILE --save-mapping NAME` saves one."))
    for mapping in found:
        columns = ", ".join(f"{cell} → {column}" if column else gettext("%(cell)s: not read") % {"cell": cell}
                            for cell, column in mapping.columns.items())
        print(f"{mapping.distributor} ({mapping.organisation.slug}, {mapping.updated_at:%Y-%m-%d}): {columns}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from dastan.catalog.models import Title
    from dastan.rights.avails import export_avails

    ids = list(Title.objects.filter(slug__in=args.title).values_list("pk", flat=True)) if args.title else None
    text = export_avails(title_ids=ids, delimiter="\t" if args.tsv else ",")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        count = text.count("\n") - 1
        print(ngettext("Wrote %(count)s licence to %(path)s", "Wrote %(count)s licences to %(path)s", count)
              % {"count": count, "path": args.output})
    else:
        sys.stdout.write(text)
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from datetime import datetime

    from django.shortcuts import get_object_or_404

    from dastan.catalog.models import Title
    from dastan.rights.selectors import decide_playback_for

    title = get_object_or_404(Title, slug=args.title)
    at = datetime.fromisoformat(args.at) if args.at else None
    decision = decide_playback_for(title=title, territory=args.territory, at=at)
    words = {"reason": decision.reason}
    # Translators: the verdict is in capitals so that it stands out in a terminal.
    print(gettext("ALLOWED: %(reason)s") % words if decision.allowed else gettext("REFUSED: %(reason)s") % words)
    if decision.allowed:
        print(gettext("  audio: %(audio)s; subtitles: %(subtitles)s; up to %(height)s lines") % {
            "audio": ", ".join(decision.allowed_audio), "subtitles": ", ".join(decision.allowed_subtitles),
            "height": decision.max_height})
    return 0 if decision.allowed else 1
