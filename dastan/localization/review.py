"""People decide: approving a track, sending it back, commenting on a cue.

A track is approved when as many people as the organisation's policy requires approved
its current text. Whoever translated a track cannot be the one to approve it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.accounts.permissions import ROLE_ACTIONS, Action
from dastan.errors import PermissionDenied
from dastan.i18n import gettext, ngettext
from dastan.localization.access import check_track
from dastan.localization.errors import LocalizationError
from dastan.localization.models import Cue, CueComment, Review, SubtitleTrack
from dastan.localization.pivots import continue_route
from dastan.localization.subtitles.qc import ERROR
from dastan.localization.tracks import translated_by


class TrackNotReviewable(LocalizationError):
    code = "track_not_reviewable"
    status = 409


class QcErrorsBlockApproval(LocalizationError):
    code = "qc_errors_block_approval"
    status = 409


def current_approvals(track: SubtitleTrack) -> int:
    return track.reviews.filter(is_current=True, verdict=Review.Verdict.APPROVE).count()


@transaction.atomic
def approve_track(*, track: SubtitleTrack, reviewer: Any, comment: str = "",
                  override_reason: str = "") -> SubtitleTrack:
    """Record ``reviewer``'s approval; the track becomes approved when enough people did.

    A track with QC errors (``selectors.qc_for_track``) is not approved unless the
    reviewer gives ``override_reason``: a broadcaster may accept a 7.5 s cue, but someone
    must have said why. The override (who, why, which errors) is kept in the track's
    ``provenance["qc_overrides"]``. Raises QcErrorsBlockApproval, TrackNotReviewable,
    PermissionDenied.
    """
    check_track(user=reviewer, track=track, action=Action.REVIEW)
    if track.state not in (SubtitleTrack.State.IN_REVIEW, SubtitleTrack.State.CHANGES_REQUESTED):
        raise TrackNotReviewable(
            gettext("The %(language)s track is '%(state)s', not in review.")
            % {"language": track.language, "state": track.get_state_display()},
            gettext("Only a track with text waiting for review can be approved."))
    if translated_by(track, reviewer):
        raise PermissionDenied(
            gettext("You translated this track, so your approval cannot count."),
            gettext("Ask another reviewer of the organisation to approve it."))
    errors = _qc_errors(track)
    if errors and not override_reason.strip():
        raise QcErrorsBlockApproval(
            # Translators: %(first)s is the first QC finding, e.g. "Cue 3: the cue has no text."
            ngettext("The %(language)s track has %(count)s QC error(s), the first: %(first)s",
                     "The %(language)s track has %(count)s QC error(s), the first: %(first)s", len(errors))
            % {"language": track.language, "count": len(errors), "first": errors[0]},
            # Translators: override_reason is the name of a field in the API; keep it as it is.
            gettext("Fix the cues in the review desk, or approve with a reason for "
                    "accepting them (override_reason); the reason is recorded."), field="override_reason")
    if errors:
        _record_override(track=track, reviewer=reviewer, reason=override_reason.strip(), errors=errors)
    Review.objects.update_or_create(
        track=track, reviewer=reviewer, is_current=True,
        defaults={"verdict": Review.Verdict.APPROVE, "comment": comment})
    if current_approvals(track) >= track.approvals_required and _owner_approved(track):
        track.state = SubtitleTrack.State.APPROVED
        from dastan.localization.translation import remember_track

        remember_track(track=track)
        track.save(update_fields=["state", "provenance", "updated_at"])
        continue_route(track=track)  # the next language of a human pivot route starts from it
        from dastan.localization.dubbing import voice_after_approval

        voice_after_approval(track=track, by=reviewer)  # a voice ordered with it, whichever route made it
    else:
        track.state = SubtitleTrack.State.IN_REVIEW
    track.save(update_fields=["state", "provenance", "updated_at"])
    return track


def _owner_approved(track: SubtitleTrack) -> bool:
    """At least one current approval by the owner's own reviewers: a commissioned house's
    approvals count towards the number, but the studio's policy decides publication."""
    owner_id = track.title.owner_id
    approvers = track.reviews.filter(is_current=True, verdict=Review.Verdict.APPROVE).values_list("reviewer",
                                                                                                  flat=True)
    reviewer_roles = [role for role, actions in ROLE_ACTIONS.items() if Action.REVIEW in actions]
    return Membership.objects.filter(user__in=approvers, organisation_id=owner_id, role__in=reviewer_roles).exists()


def _qc_errors(track: SubtitleTrack) -> list[str]:
    from dastan.localization.selectors import qc_for_track

    return [issue.message for issue in qc_for_track(track=track) if issue.severity == ERROR]


def _record_override(*, track: SubtitleTrack, reviewer: Any, reason: str, errors: list[str]) -> None:
    overrides = list(track.provenance.get("qc_overrides", []))
    overrides.append({"reviewer": getattr(reviewer, "username", str(reviewer)), "reason": reason,
                      "at": timezone.now().isoformat(), "errors": errors[:50],
                      "error_count": len(errors)})
    track.provenance = {**track.provenance, "qc_overrides": overrides}


@transaction.atomic
def request_changes(*, track: SubtitleTrack, reviewer: Any, comment: str) -> SubtitleTrack:
    check_track(user=reviewer, track=track, action=Action.REVIEW)
    if not comment.strip():
        raise LocalizationError(gettext("Sending a track back needs a comment."),
                                gettext("Say what the translator should change."), field="comment")
    Review.objects.filter(track=track, is_current=True).update(is_current=False)
    Review.objects.create(track=track, reviewer=reviewer, verdict=Review.Verdict.CHANGES, comment=comment)
    track.state = SubtitleTrack.State.CHANGES_REQUESTED
    track.save(update_fields=["state", "updated_at"])
    return track


def comment_on_cue(*, cue: Cue, author: Any, text: str) -> CueComment:
    check_track(user=author, track=cue.track, action=Action.TRANSLATE)
    return CueComment.objects.create(cue=cue, author=author, text=text)
