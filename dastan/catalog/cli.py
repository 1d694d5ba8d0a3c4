"""`dastan search` and `dastan reindex`: the catalog's search from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from django.utils.translation import gettext, ngettext


def register(sub: Any) -> None:
    p = sub.add_parser(
        # Translators: a title is a film or series in the catalogue, not a heading; the search finds a name written in any alphabet.
        "search", help=gettext("find titles by name in any script"),
        description=gettext("The same search as /search/ and /api/v1/catalog/search: 'Maula Jatt', "
        "'مولا جٹ' and 'Маула Джатт' find the same title."),
    )
    p.add_argument("query")
    p.add_argument("--language", default="en", help=gettext("language to show names in (default en)"))
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "reindex", help=gettext("rebuild the title search index"),
        description=gettext("Rebuild every title's search entries (after restoring a backup, or after an "
        "upgrade that changed how names are normalised). Safe to run at any time."),
    )
    p.set_defaults(func=cmd_reindex)


def cmd_search(args: argparse.Namespace) -> int:
    from dastan.catalog.selectors import search_titles

    cards = search_titles(query=args.query, language=args.language)
    for card in cards:
        note = f" [{card.text.language}, {card.text.origin}]" if card.text.is_fallback or card.text.is_machine else ""
        print(f"{card.slug:32} {card.text.name}{note}")
    if not cards:
        print(gettext("No titles match '%(query)s'.") % {"query": args.query})
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    from dastan.catalog.search import rebuild_search_index

    count = rebuild_search_index()
    print(ngettext("Indexed %(count)s text.", "Indexed %(count)s texts.", count) % {"count": count})
    return 0
