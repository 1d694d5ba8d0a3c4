"""People decide: approving a track, sending it back, commenting on a cue.

A track is approved when as many people as the organisation's policy requires approved
its current text. Whoever translated a track cannot be the one to approve it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dastan.accounts.permissions import Action
from dastan.errors import PermissionDenied
from dastan.localization.access import check_track
from dastan.localization.errors import LocalizationError
from dastan.localization.models import Cue, CueComment, Review, SubtitleTrack


class TrackNotReviewable(LocalizationError):
    code = "track_not_reviewable"
    status = 409




def _translated_by(track: SubtitleTrack, user: Any) -> bool:
    return track.origin == SubtitleTrack.Origin.HUMAN and track.cues.filter(revisions__author=user).exists()


def current_approvals(track: SubtitleTrack) -> int:
    return track.reviews.filter(is_current=True, verdict=Review.Verdict.APPROVE).count()


@transaction.atomic
def approve_track(*, track: SubtitleTrack, reviewer: Any, comment: str = "") -> SubtitleTrack:
    """Record ``reviewer``'s approval; the track becomes approved when enough people did."""
    check_track(user=reviewer, track=track, action=Action.REVIEW)
    if track.state not in (SubtitleTrack.State.IN_REVIEW, SubtitleTrack.State.CHANGES_REQUESTED):
        raise TrackNotReviewable(
            f"The {track.language} track is '{track.get_state_display()}', not in review.",
            "Only a track with text waiting for review can be approved.")
    if _translated_by(track, reviewer):
        raise PermissionDenied(
            "You translated this track, so your approval cannot count.",
            "Ask another reviewer of the organisation to approve it.")
    Review.objects.update_or_create(
        track=track, reviewer=reviewer, is_current=True,
        defaults={"verdict": Review.Verdict.APPROVE, "comment": comment})
    if current_approvals(track) >= track.approvals_required:
        track.state = SubtitleTrack.State.APPROVED
        from dastan.localization.translation import remember_track

        remember_track(track=track)
    else:
        track.state = SubtitleTrack.State.IN_REVIEW
    track.save(update_fields=["state", "updated_at"])
    return track


@transaction.atomic
def request_changes(*, track: SubtitleTrack, reviewer: Any, comment: str) -> SubtitleTrack:
    check_track(user=reviewer, track=track, action=Action.REVIEW)
    if not comment.strip():
        raise LocalizationError("Sending a track back needs a comment.",
                                "Say what the translator should change.", field="comment")
    Review.objects.filter(track=track, is_current=True).update(is_current=False)
    Review.objects.create(track=track, reviewer=reviewer, verdict=Review.Verdict.CHANGES, comment=comment)
    track.state = SubtitleTrack.State.CHANGES_REQUESTED
    track.save(update_fields=["state", "updated_at"])
    return track


def comment_on_cue(*, cue: Cue, author: Any, text: str) -> CueComment:
    check_track(user=author, track=cue.track, action=Action.TRANSLATE)
    return CueComment.objects.create(cue=cue, author=author, text=text)
