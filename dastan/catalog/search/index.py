"""Keeping the search index in step with titles' texts.

Services that change a title's texts call :func:`index_title` in the same transaction;
no signal does it behind their back. :func:`rebuild_search_index` redoes every title
(after a change to the normaliser, or to recover an index restored from an old backup).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from dastan.catalog.models import SearchEntry, Title, TitleText
from dastan.catalog.normalize import search_terms
from dastan.catalog.search.base import backend_for


def _entry(*, title: Title, text: TitleText, field: str, value: str) -> SearchEntry:
    terms = search_terms(value)
    # A synopsis is matched by its words only: consonant keys of running prose would
    # match nearly any short query.
    keys = terms.keys if field == SearchEntry.Field.NAME else ()
    whole = terms.whole if field == SearchEntry.Field.NAME else ""
    lexemes = [f"w:{w}" for w in terms.words] + [f"l:{w}" for w in terms.latin]
    lexemes += [f"k:{k}" for k in keys] + ([f"K:{whole}"] if whole else [])
    return SearchEntry(
        title=title, language=text.language, field=field,
        words=" ".join(terms.words), latin=" ".join(terms.latin), keys=" ".join(keys),
        whole=whole, terms=" ".join(dict.fromkeys(lexemes)),
    )


def index_title(*, title: Title) -> int:
    """Replace the title's index entries with ones built from its current texts.

    Returns how many entries were written. Runs in one transaction, so a search never
    sees a title half indexed.
    """
    backend = backend_for()
    with transaction.atomic():
        old_ids = list(SearchEntry.objects.filter(title=title).values_list("id", flat=True))
        backend.remove(old_ids)
        SearchEntry.objects.filter(id__in=old_ids).delete()
        entries: list[SearchEntry] = []
        for text in TitleText.objects.filter(title=title):
            entries.append(_entry(title=title, text=text, field=SearchEntry.Field.NAME, value=text.name))
            if text.synopsis:
                entries.append(_entry(title=title, text=text, field=SearchEntry.Field.SYNOPSIS,
                                      value=text.synopsis))
        created = SearchEntry.objects.bulk_create(entries)
        backend.add(created)
    return len(created)


def rebuild_search_index(*, titles: Iterable[Title] | None = None) -> int:
    """Re-index the given titles, or all of them; returns the number of entries written."""
    return sum(index_title(title=t) for t in (titles if titles is not None else Title.objects.all()))
