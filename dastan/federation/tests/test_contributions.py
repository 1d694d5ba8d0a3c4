"""Localization flows back: a peer's Chinese subtitles for this node's film arrive, signed,
in the review desk as a contribution with their provenance; once this node's reviewer
approves and publishes them, they are in the film's master playlist for every viewer."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.federation.models import Peer
from dastan.federation.tests.conftest import post
from dastan.localization.models import SubtitleTrack
from dastan.localization.publishing import publish_track
from dastan.localization.review import approve_track
from dastan.localization.selectors import tracks_awaiting_review
from dastan.signing import keys

pytestmark = pytest.mark.django_db(transaction=True)

OFFER = {"title": "zindagi", "language": "zh-hans", "origin": "human",
         "cues": [{"start_ms": 300, "end_ms": 1800, "text": "我们到了卡拉奇。"},
                  {"start_ms": 2000, "end_ms": 3500, "text": "天亮了。"}],
         "provenance": {"translator": "Li Wei", "engine": "human"}}


def test_a_peers_subtitles_reach_the_review_desk_and_after_approval_the_master_playlist(
        film: Title, peer: tuple[Peer, keys.PrivateKey]) -> None:
    _, key = peer
    reviewer = User.objects.create_user("amina", password="x" * 12)
    Membership.objects.create(user=reviewer, organisation=Organisation.objects.get(slug="lahore-films"), role="reviewer")

    response = post("/federation/contributions", json.dumps(OFFER).encode(), key=key)
    assert response.status_code == 202, response.content
    [track] = tracks_awaiting_review(user=reviewer)
    assert (track.language, track.state, track.origin) == ("zh-Hans", SubtitleTrack.State.IN_REVIEW, "human")
    assert track.provenance["contributed_by"]["node"] == "Lahore" and track.provenance["translator"] == "Li Wei"
    assert "zh-Hans" not in Client().get("/media/watch/zindagi/master.m3u8").content.decode()

    # The same offer again is refused: the title has its track in that language now.
    again = post("/federation/contributions", json.dumps(OFFER).encode(), key=key)
    assert again.status_code == 409 and "already" in again.json()["message"]
    # An offer for a title this node does not have is refused, and stores nothing.
    missing = post("/federation/contributions", json.dumps({**OFFER, "title": "nope"}).encode(), key=key)
    assert missing.status_code == 404 and SubtitleTrack.objects.count() == 1

    publish_track(track=approve_track(track=track, reviewer=reviewer))
    master = Client().get("/media/watch/zindagi/master.m3u8").content.decode()
    assert 'TYPE=SUBTITLES' in master and 'LANGUAGE="zh-Hans"' in master, master
