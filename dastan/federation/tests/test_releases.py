"""Release dates travel with their title: a licence window counted from a release
("theatrical+90") resolves on the peer as on the home node, so the peer's catalogue says
"coming on <day>" and plays the title from that day on; moving the release on the home
node sends the title again."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

import pytest

from dastan.catalog.models import Organisation, Title
from dastan.federation.feed import refresh_feed
from dastan.federation.models import Peer, RemoteTitle, TitleState
from dastan.federation.receive import apply_document
from dastan.federation.schemas import TitleDoc
from dastan.federation.selectors import remote_marks
from dastan.federation.tests.test_corpus import document
from dastan.rights.actions import grant_licence, record_release
from dastan.rights.tests.factories import terms
from dastan.rights.windows import AfterEvent
from dastan.signing import keys

pytestmark = pytest.mark.django_db

LAGGED = {
    "licensor": "Lahore Films",
    "row": {
        "LicenceRef": "PK-KZ-LAG",
        "Title": "zindagi",
        "LicenseType": "SVOD",
        "Territory": "KZ",
        "Start": "theatrical+90",
        "End": "Open",
        "Exclusive": "No",
    },
}


def at(day: date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def receive(peer: Peer, sequence: int, **changes: Any) -> Title:
    apply_document(
        peer=peer,
        document=TitleDoc.model_validate(document(sequence=sequence, licences=[LAGGED], **changes)),
    )
    return RemoteTitle.objects.get(peer=peer).title


def test_a_window_counted_from_a_release_says_coming_on_its_day_then_plays_from_that_day(
    peer: tuple[Peer, keys.PrivateKey],
) -> None:
    the_peer, _ = peer
    title = receive(the_peer, 1)
    # Without the release date the window cannot open: not listed, no day to announce.
    [mark] = remote_marks(title_ids=[title.pk], territory="KZ", at=at(date(2027, 1, 1))).values()
    assert (mark.listed, mark.coming_on, mark.decision.code) == (False, None, "pending_release")

    title = receive(
        the_peer,
        2,
        releases=[
            {"country": "KZ", "event": "theatrical", "day": "2026-12-01"},
            {"country": "UZ", "event": "theatrical", "day": "2026-11-01"},
        ],
    )
    opens = date(2026, 12, 1) + dt.timedelta(days=90)  # 1 March 2027
    [mark] = remote_marks(title_ids=[title.pk], territory="KZ", at=at(date(2027, 1, 1))).values()
    assert (mark.listed, mark.coming_on, mark.decision.allowed) == (True, opens, False)
    # The day before it is still coming; from its first hour in Almaty it plays.
    [mark] = remote_marks(
        title_ids=[title.pk], territory="KZ", at=at(opens - dt.timedelta(days=1))
    ).values()
    assert mark.coming_on == opens
    [mark] = remote_marks(title_ids=[title.pk], territory="KZ", at=at(opens, hour=0)).values()
    assert mark.decision.allowed and mark.coming_on is None
    # The licence does not cover Uzbekistan, whatever its release.
    [mark] = remote_marks(title_ids=[title.pk], territory="UZ", at=at(opens)).values()
    assert not mark.listed


def test_the_home_node_sends_its_release_dates_and_sends_the_title_again_when_one_moves() -> None:
    studio = Organisation.objects.create(
        name="Lahore Films", slug="lahore-films", kind="studio", country="PK"
    )
    title = Title.objects.create(
        slug="zindagi",
        original_language="ur",
        country_of_origin="PK",
        owner=studio,
        is_published=True,
    )
    title.texts.create(language="ur", name="زندگی گلزار ہے", origin="original")
    grant_licence.execute(
        terms=terms(
            "PK-KZ-LAG",
            title_id=title.pk,
            territories=("KZ",),
            start=AfterEvent("theatrical", 90),
            end=None,
        ),
        licensor=studio,
    )
    record_release.execute(title=title, country="KZ", event="theatrical", day=date(2026, 12, 1))
    assert refresh_feed() == 1
    state = TitleState.objects.get(title=title)
    assert state.document["releases"] == [
        {"country": "KZ", "event": "theatrical", "day": "2026-12-01"}
    ]
    assert state.document["licences"][0]["row"]["Start"] == "theatrical+90"
    TitleDoc.model_validate(state.document)  # what a peer receives fits the schema

    assert refresh_feed() == 0
    record_release.execute(title=title, country="KZ", event="theatrical", day=date(2026, 11, 20))
    assert refresh_feed() == 1
    state.refresh_from_db()
    assert state.sequence == 2 and state.document["releases"][0]["day"] == "2026-11-20"
