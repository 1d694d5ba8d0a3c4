"""Keeping peers in step: push our changed documents to each accepted peer's inbox (low
latency), pull each peer's feed since the last cursor (catches up whatever a push
missed). Both carry the same full-state documents, applied idempotently, and the cursor
moves only after a page is stored — so a node stopped mid-sync picks up where it was and
ends with the same titles, none twice.

A peer that fails is retried with exponential backoff (2, 4, 8 … seconds, at most an
hour); its ledger says what failed and when the next try is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from dastan.errors import DastanError
from dastan.federation.feed import feed_page, refresh_feed
from dastan.federation.models import LicenceAnswer, Peer
from dastan.federation.receive import apply_documents, parse_documents
from dastan.federation.schemas import FeedPage, InboxAnswer
from dastan.federation.transport import call, refusal_words

PAGE_SIZE = 200
PUSH_BATCH = 200
BACKOFF_BASE_S = 2
BACKOFF_MAX_S = 3600


class SyncFailed(Exception):
    """One exchange with a peer failed; the reason goes to its ledger."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    peer: str
    pushed: int
    pulled: int
    error: str = ""


def backoff_s(retries: int) -> int:
    return int(min(BACKOFF_BASE_S ** max(retries, 1), BACKOFF_MAX_S))


def _send(peer: Peer, method: str, url: str, **kwargs: object) -> requests.Response:
    try:
        response = call(method, url, timeout=30, **kwargs)  # type: ignore[arg-type]
    except requests.RequestException as exc:
        # Translators: %(error)s is the network library's own message, in English.
        raise SyncFailed(gettext("%(url)s did not answer: %(error)s") % {"url": url, "error": exc}) from exc
    if response.status_code >= 400:
        Peer.objects.filter(pk=peer.pk).update(refused=F("refused") + 1)
        # Translators: %(method)s is GET or POST; %(said)s is the other node's refusal.
        raise SyncFailed(gettext("%(method)s %(url)s answered %(status)s: %(said)s")
                         % {"method": method, "url": url, "status": response.status_code,
                            "said": refusal_words(response)})
    return response


def push(peer: Peer) -> int:
    """Send the peer every document it has not been sent; returns how many it took."""
    refresh_feed()
    total = 0
    while True:
        documents, last, more = feed_page(peer=peer, since=peer.pushed_through, limit=PUSH_BATCH, refresh=False)
        if not documents:
            return total
        Peer.objects.filter(pk=peer.pk).update(sent=F("sent") + len(documents))
        response = _send(peer, "POST", f"{peer.url}/federation/inbox", json_body={"documents": documents})
        answer = parse_documents(response.json(), InboxAnswer)
        _record_answers(peer, answer)
        peer.pushed_through = last
        Peer.objects.filter(pk=peer.pk).update(pushed_through=last,
                                               acknowledged=F("acknowledged") + len(answer.results))
        total += len(documents)
        if not more:
            return total


def _record_answers(peer: Peer, answer: InboxAnswer) -> None:
    for result in answer.results:
        for verdict in result.licences:
            LicenceAnswer.objects.update_or_create(
                peer=peer, title_slug=result.slug, ref=verdict.ref,
                defaults={"verdict": verdict.verdict, "reason": verdict.reason[:500], "sequence": result.sequence})


def pull(peer: Peer, *, page_size: int = PAGE_SIZE) -> int:
    """Read the peer's feed since our cursor, a page at a time; returns documents read."""
    total = 0
    while True:
        query = urlencode({"since": peer.cursor, "limit": page_size})
        response = _send(peer, "GET", f"{peer.url}/federation/feed?{query}")
        page = parse_documents(response.json(), FeedPage)
        apply_documents(peer=peer, documents=page.documents)
        peer.cursor = page.next  # only after the page is stored: a crash re-reads it, harmlessly
        Peer.objects.filter(pk=peer.pk).update(cursor=page.next)
        total += len(page.documents)
        if not page.more or not page.documents:
            return total


def sync_peer(peer: Peer, *, now: dt.datetime | None = None, page_size: int = PAGE_SIZE) -> SyncReport:
    """Push, then pull; on failure, count a retry and schedule the next with backoff."""
    now = now or timezone.now()
    pushed = pulled = 0
    try:
        pushed = push(peer)
        pulled = pull(peer, page_size=page_size)
    except (SyncFailed, DastanError, requests.RequestException, ValueError) as exc:
        # a failure of one peer is its ledger's, not the others'
        retries = peer.retries + 1
        Peer.objects.filter(pk=peer.pk).update(
            retries=retries, retry_at=now + dt.timedelta(seconds=backoff_s(retries)),
            last_error=f"{type(exc).__name__}: {exc}"[:500])
        return SyncReport(str(peer), pushed, pulled, str(exc))
    Peer.objects.filter(pk=peer.pk).update(retries=0, retry_at=None, last_error="", last_sync_at=timezone.now())
    return SyncReport(str(peer), pushed, pulled)


def sync_all(*, force: bool = False, page_size: int = PAGE_SIZE) -> list[SyncReport]:
    """Sync every accepted peer whose retry time has come (all of them with ``force``)."""
    now = timezone.now()
    reports = []
    for peer in Peer.objects.filter(state=Peer.State.ACCEPTED).order_by("pk"):
        if force or peer.retry_at is None or peer.retry_at <= now:
            reports.append(sync_peer(peer, now=now, page_size=page_size))
    return reports


def resync(*, peer: Peer, since: int = 0) -> SyncReport:
    """Read the peer's feed again from position ``since`` (0: everything) and send it ours
    again from there: documents already here are answered 'older' and change nothing."""
    Peer.objects.filter(pk=peer.pk).update(cursor=since, pushed_through=min(peer.pushed_through, since),
                                           retry_at=None)
    peer.refresh_from_db()
    return sync_peer(peer)
