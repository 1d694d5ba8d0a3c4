"""This node's own titles as full-state documents, in a feed peers read since a position.

A title's document is rebuilt only when what it is built from changed (its ``stamp``:
the title row, its texts, licences, credits, genres and current stream), so reading the
feed costs one aggregate query plus the changed titles. A rebuilt document takes the
next feed position and the next sequence number of its title.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet

from dastan.catalog.models import Title
from dastan.federation.models import Peer, RemoteTitle, TitleState
from dastan.media.selectors import stream_tracks
from dastan.rights.codec import format_row
from dastan.rights.models import Licence, ReleaseDate
from dastan.rights.selectors import terms_of

BUILD_BATCH = 500


def _release_stamps(title_ids: list[int] | None) -> dict[int, list[tuple[str, str, str]]]:
    # Release dates have no update time of their own: their values are part of the stamp
    # (few rows: only titles with lagged windows have them).
    rows = ReleaseDate.objects.order_by("title_id", "country", "event")
    if title_ids is not None:
        rows = rows.filter(title_id__in=title_ids)
    found: dict[int, list[tuple[str, str, str]]] = {}
    for title_id, country, event, day in rows.values_list("title_id", "country", "event", "day"):
        found.setdefault(title_id, []).append((country, event, day.isoformat()))
    return found


def _stamps(title_ids: Iterable[int] | None = None) -> dict[int, str]:
    # A peer's titles shown here are its to send, never ours: no echo back to their home.
    rows = Title.objects.order_by().exclude(pk__in=RemoteTitle.objects.values("title_id"))
    ids = None if title_ids is None else list(title_ids)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    releases = _release_stamps(ids)
    values = rows.annotate(
        texts_at=Max("texts__updated_at"), n_texts=Count("texts", distinct=True),
        licences_at=Max("licences__updated_at"), n_licences=Count("licences", distinct=True),
        n_credits=Count("credits", distinct=True), n_genres=Count("genres", distinct=True),
        stream_version=Max("stream__current_id"),
    ).values_list("pk", "is_published", "updated_at", "texts_at", "n_texts", "licences_at", "n_licences",
                  "n_credits", "n_genres", "stream_version")
    return {row[0]: hashlib.sha256(repr((*row[1:], releases.get(row[0], []))).encode()).hexdigest()[:32]
            for row in values}


def _licence_rows(title: Title) -> list[dict[str, Any]]:
    facts = []
    for licence in Licence.objects.filter(title=title, revoked_at__isnull=True).select_related(
            "licensor", "licensee"):
        row = format_row(terms_of(licence), title_slug=title.slug)
        row["ContractID"] = ""  # a contract's reference is its parties' business, not a peer's
        facts.append({"licensor": licence.licensor.name, "row": row})
    return facts


def build_document(title: Title, *, sequence: int, position: int) -> dict[str, Any]:
    """The full state of ``title`` as peers receive it (the shape of schemas.TitleDoc)."""
    tracks = stream_tracks(title=title)
    owner = title.owner
    return {
        "slug": title.slug, "sequence": sequence, "position": position, "published": title.is_published,
        "kind": title.kind, "original_language": title.original_language,
        "country_of_origin": title.country_of_origin, "year": title.year, "runtime_min": title.runtime_min,
        "owner": {"slug": owner.slug, "name": owner.name, "country": owner.country} if owner
        else {"slug": "unknown", "name": "—", "country": ""},
        "texts": [{"language": t.language, "name": t.name, "synopsis": t.synopsis, "origin": t.origin,
                   "provenance": dict(t.provenance)} for t in sorted(title.texts.all(), key=lambda t: t.language)],
        "credits": [{"name": c.person.name, "latin_name": c.person.latin_name, "role": c.role,
                     "character": c.character} for c in title.credits.all()],
        "genres": [{"slug": g.slug, "names": dict(g.names)} for g in title.genres.all()],
        "audio_languages": sorted({a.language for a in tracks.audio}) if tracks else [],
        "subtitle_languages": sorted({s.language for s in tracks.subtitles}) if tracks else [],
        "stream_version": tracks.version if tracks else None,
        "licences": _licence_rows(title),
        "releases": [{"country": r.country, "event": r.event, "day": r.day.isoformat()}
                     for r in sorted(title.release_dates.all(), key=lambda r: (r.country, r.event))],
    }


def refresh_feed() -> int:
    """Give every title whose state changed its new document and feed position; returns
    how many changed. Titles never published are not in the feed; a title unpublished
    after it was is sent once more, unpublished, so peers withdraw it."""
    for attempt in range(3):
        try:
            return _refresh()
        except IntegrityError:  # another process took the same positions: read again
            if attempt == 2:
                raise
    return 0


def _refresh() -> int:
    stamps = _stamps()
    known = dict(TitleState.objects.values_list("title_id", "stamp"))
    published = set(Title.objects.filter(is_published=True).values_list("pk", flat=True))
    changed = [pk for pk, stamp in stamps.items() if known.get(pk) != stamp and (pk in known or pk in published)]
    if not changed:
        return 0
    with transaction.atomic():
        position = TitleState.objects.aggregate(top=Max("position"))["top"] or 0
        states = {s.title_id: s for s in TitleState.objects.select_for_update().filter(title_id__in=changed)}
        for start in range(0, len(changed), BUILD_BATCH):
            batch = changed[start:start + BUILD_BATCH]
            titles = (Title.objects.filter(pk__in=batch).select_related("owner")
                      .prefetch_related("texts", "genres", "credits__person", "release_dates").order_by("pk"))
            new, old = [], []
            for title in titles:
                position += 1
                state = states.get(title.pk)
                sequence = state.sequence + 1 if state else 1
                document = build_document(title, sequence=sequence, position=position)
                if state is None:
                    new.append(TitleState(title=title, position=position, sequence=sequence,
                                          stamp=stamps[title.pk], document=document))
                else:
                    state.position, state.sequence, state.stamp, state.document = (
                        position, sequence, stamps[title.pk], document)
                    old.append(state)
            TitleState.objects.bulk_create(new)
            # Positions are unique: move the old rows out of the way first, then in.
            for state in old:
                TitleState.objects.filter(pk=state.pk).update(position=-state.pk)
            for state in old:
                TitleState.objects.filter(pk=state.pk).update(
                    position=state.position, sequence=state.sequence, stamp=state.stamp, document=state.document)
    return len(changed)


def shared_with(peer: Peer) -> QuerySet[TitleState]:
    """The feed as ``peer`` may read it: every title, or its chosen owners' titles."""
    states = TitleState.objects.all()
    if not peer.share_all:
        states = states.filter(title__owner__in=peer.share_organisations.all())
    return states


def feed_page(*, peer: Peer, since: int, limit: int, refresh: bool = True
              ) -> tuple[list[dict[str, Any]], int, bool]:
    """Documents after position ``since`` for ``peer``: (documents, next position, more?).
    ``refresh`` first brings changed titles into the feed (a caller paging through a feed
    it just refreshed passes False)."""
    if refresh:
        refresh_feed()
    rows = list(shared_with(peer).filter(position__gt=since).order_by("position")
                .values_list("position", "document")[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return [doc for _, doc in rows], (rows[-1][0] if rows else since), more


def pending_for(peer: Peer) -> int:
    """Our documents the peer has not been sent yet (the ledger's 'out of sync')."""
    return shared_with(peer).filter(position__gt=peer.pushed_through).count()


def in_feed(peer: Peer) -> int:
    return shared_with(peer).filter(~Q(position__gt=peer.pushed_through)).count()
