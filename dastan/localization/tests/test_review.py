"""Approving a track: QC errors stop an approval unless the reviewer says why, and the
reason is kept with the track."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dastan.accounts.models import Membership
from dastan.catalog.models import Title
from dastan.localization.models import SubtitleTrack
from dastan.localization.review import QcErrorsBlockApproval, approve_track
from dastan.localization.tracks import CueData, create_track

pytestmark = pytest.mark.django_db
TOO_LONG = "This single line of text is far longer than any broadcaster allows on screen at once"


def _track(title: Title, text: str) -> SubtitleTrack:
    return create_track(title=title, language="en", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                        cues=[CueData(1000, 4000, text, "")])


def test_a_track_with_qc_errors_is_not_approved_without_a_reason(film_title: Title, member: Callable[..., Any]) -> None:
    reviewer, _ = member("rana", Membership.Role.REVIEWER)
    track = _track(film_title, TOO_LONG)
    with pytest.raises(QcErrorsBlockApproval, match=r"^The en track has \d+ QC error\(s\), the first: Cue 1"):
        approve_track(track=track, reviewer=reviewer)
    track.refresh_from_db()
    assert track.state == SubtitleTrack.State.IN_REVIEW and not track.reviews.exists()


def test_a_reviewer_overriding_qc_errors_has_the_reason_recorded(film_title: Title, member: Callable[..., Any]) -> None:
    reviewer, _ = member("rana", Membership.Role.REVIEWER)
    track = approve_track(track=_track(film_title, TOO_LONG), reviewer=reviewer,
                          override_reason="The broadcaster accepts long lines for this festival cut.")
    track.refresh_from_db()
    assert track.state == SubtitleTrack.State.APPROVED
    (override,) = track.provenance["qc_overrides"]
    assert override["reviewer"] == "rana"
    assert override["reason"] == "The broadcaster accepts long lines for this festival cut."
    assert override["errors"][0].startswith("Cue 1")


def test_a_clean_track_is_approved_without_a_reason(film_title: Title, member: Callable[..., Any]) -> None:
    reviewer, _ = member("rana", Membership.Role.REVIEWER)
    track = approve_track(track=_track(film_title, "The caravan came."), reviewer=reviewer)
    assert track.state == SubtitleTrack.State.APPROVED
    assert "qc_overrides" not in track.provenance


def test_the_api_carries_the_override_reason(film_title: Title, member: Callable[..., Any]) -> None:
    _, client = member("rana", Membership.Role.REVIEWER)
    track = _track(film_title, TOO_LONG)
    url = f"/api/v1/localization/tracks/{track.pk}/approve"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "qc_errors_block_approval"
    approved = client.post(url, {"override_reason": "Festival cut."}, content_type="application/json")
    assert approved.status_code == 200
    assert approved.json()["provenance"]["qc_overrides"][0]["reason"] == "Festival cut."
