"""`dastan credentials verify FILE [--manifest SIDECAR.c2pa]`: check a file's content credentials."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from dastan.credentials.manifests import verify_file
from dastan.credentials.services import verify_upload


def register(sub: Any) -> None:
    creds = sub.add_parser("credentials", help=gettext("check the C2PA content credentials of a file"))
    verbs = creds.add_subparsers(dest="credentials_command", metavar="VERB")
    p = verbs.add_parser("verify", help=gettext("verify a file against its embedded or sidecar manifest"),
                         description=gettext("Exit status 0 when the manifest verifies and matches the file, "
                                     "1 when it is missing or the file was changed."))
    p.add_argument("file", type=Path, help=gettext("the file to check"))
    p.add_argument("--manifest", type=Path, help=gettext("a sidecar manifest (.c2pa); default: embedded, or the "
                                                 "one this node issued for exactly these bytes"))
    p.set_defaults(func=cmd_verify)
    creds.set_defaults(func=lambda args: creds.print_help() or 0)


def cmd_verify(args: argparse.Namespace) -> int:
    if args.manifest is not None:
        result = verify_file(path=args.file, manifest=args.manifest.read_bytes())
    else:
        result, _ = verify_upload(path=args.file)
    words = {"file": args.file.name, "state": result.state}
    # Translators: %(state)s is the credentials' state, such as Trusted; NOT stands out in a terminal.
    print(gettext("%(file)s: %(state)s (verifies)") % words if result.ok
          else gettext("%(file)s: %(state)s (does NOT verify)") % words)
    if result.signer:
        print(gettext("signed by: %(signer)s") % {"signer": result.signer})
    for failure in result.failures:
        print("  " + gettext("problem: %(problem)s") % {"problem": failure})
    if result.summary:
        print(json.dumps(result.summary, ensure_ascii=False, indent=2))
    return 0 if result.ok else 1
