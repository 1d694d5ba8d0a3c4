"""Approved subtitle tracks become WebVTT renditions in the film's HLS master."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.db import transaction
from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.catalog.models import Title
from dastan.credentials.services import issue_for_subtitles, manifest_url
from dastan.errors import InvalidInput
from dastan.i18n import gettext, ngettext
from dastan.localization.access import check_track
from dastan.localization.errors import LocalizationError
from dastan.localization.models import Review, SubtitleTrack, TranslationTask, VoiceTrack
from dastan.localization.notifications import notify
from dastan.localization.subtitles.cue import Cue
from dastan.localization.subtitles.webvtt import write_webvtt
from dastan.media.package import with_timestamp_map


class TrackNotApproved(LocalizationError):
    code = "track_not_approved"
    status = 409


def viewer_label(track: SubtitleTrack) -> str:
    """What viewers read about who made the track: 'machine-translated (apertium),
    reviewed by Amina K.'."""
    reviewers = [r.reviewer.get_full_name() or r.reviewer.get_username()
                 for r in track.reviews.filter(is_current=True, verdict=Review.Verdict.APPROVE)
                 .select_related("reviewer")]
    made = {
        SubtitleTrack.Origin.MACHINE: f"machine-translated ({track.provenance.get('engine', 'engine')})",
        SubtitleTrack.Origin.ASR: "machine-transcribed",
        SubtitleTrack.Origin.HUMAN: "translated by people",
        SubtitleTrack.Origin.UPLOAD: "from the studio",
    }[SubtitleTrack.Origin(track.origin)]
    return f"{made}, reviewed by {', '.join(reviewers)}" if reviewers else made


def track_cues(track: SubtitleTrack) -> list[Cue]:
    return [Cue(index=c.index, start_ms=c.start_ms, end_ms=c.end_ms,
                lines=tuple(line for line in c.text.split("\n") if line.strip()), speaker=c.speaker)
            for c in track.cues.all() if c.text.strip()]


def has_stream(title: Title) -> bool:
    from dastan.media.models import Version

    return Version.objects.filter(title=title).exists()


def publish_track(*, track: SubtitleTrack, by: Any | None = None) -> SubtitleTrack:
    """Add the approved track to the film's HLS as a WebVTT rendition (a new stream
    version, video untouched). Raises TrackNotApproved for a track people have not
    approved: viewers never see unapproved text."""
    if by is not None:  # None: the approval that just happened, already checked
        # The studio's own: a commissioned house translates and reviews, the studio publishes.
        check_track(user=by, track=track, action=Action.REVIEW, owner_only=True)
    from dastan.media.renditions import add_subtitle_rendition

    if track.state not in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        raise TrackNotApproved(
            gettext("The %(language)s subtitles of '%(title)s' are not approved (%(state)s).")
            % {"language": track.language, "title": track.title.slug, "state": track.get_state_display()},
            ngettext("They need %(count)s approval(s) in the review desk before viewers see them.",
                     "They need %(count)s approval(s) in the review desk before viewers see them.",
                     track.approvals_required) % {"count": track.approvals_required})
    with TemporaryDirectory(prefix="dastan-vtt-") as tmp:
        vtt = Path(tmp) / f"{track.language}.vtt"
        # Signed exactly as the stream serves it (with its timestamp map), so the segment a
        # player fetches verifies against the manifest the master names.
        vtt.write_text(with_timestamp_map(write_webvtt(cues=track_cues(track), language=track.language)),
                       encoding="utf-8")
        manifest = ""
        if track.is_machine_made:  # issue 16: C2PA content credentials of machine-made text
            manifest = _credential(track, vtt.read_text(encoding="utf-8"))
        add_subtitle_rendition(title=track.title, language=track.language, vtt_file=vtt,
                               machine_made=track.is_machine_made, label=viewer_label(track),
                               c2pa_manifest=manifest)
    track.state = SubtitleTrack.State.PUBLISHED
    track.published_at = timezone.now()
    track.save(update_fields=["state", "published_at", "updated_at"])
    return track


class TrackNotPublished(LocalizationError):
    code = "track_not_published"
    status = 409


@transaction.atomic
def withdraw_track(*, track: SubtitleTrack, by: Any, reason: str) -> SubtitleTrack:
    """Take a published language away from viewers: a new stream version without its
    subtitles, and without the voice made from them (``media.renditions.
    remove_subtitle_rendition``), so the next master playlist no longer lists it. The
    track goes back to its translator, sent back with ``reason``: its approvals void, the
    withdrawal kept in its reviews and provenance, its task open again and its translator
    told. Like publishing, the studio's own act (a commissioned house may not).

    Raises NotAllowed/NotFound, TrackNotPublished, InvalidInput without a reason; then
    nothing has changed."""
    check_track(user=by, track=track, action=Action.REVIEW, owner_only=True)
    if track.state != SubtitleTrack.State.PUBLISHED:
        raise TrackNotPublished(
            gettext("The %(language)s subtitles of '%(title)s' are not published (%(state)s): viewers do not "
                    "see them, so there is nothing to withdraw.")
            % {"language": track.language, "title": track.title.slug, "state": track.get_state_display()},
            gettext("Send the track back from the review desk instead."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(gettext("Withdrawing a language needs a reason."),
                           gettext("Say why viewers should no longer see it; the translator reads it."),
                           field="reason")
    from dastan.media.models import AudioRendition
    from dastan.media.renditions import remove_subtitle_rendition

    voice = VoiceTrack.objects.filter(subtitle_track=track, state=VoiceTrack.State.PUBLISHED).first()
    voiced = list(AudioRendition.objects.filter(title=track.title, provenance__subtitles_track=track.pk)
                  .values_list("pk", flat=True)) if voice else []
    version = remove_subtitle_rendition(title=track.title, language=track.language, audio_rendition_ids=voiced,
                                        note=f"withdrew {track.language} subtitles: {reason}")
    Review.objects.filter(track=track, is_current=True).update(is_current=False)
    Review.objects.create(track=track, reviewer=by, verdict=Review.Verdict.CHANGES,
                          comment=f"Withdrawn from viewers: {reason}")
    withdrawals = [*track.provenance.get("withdrawals", []), {
        "by": by.get_username(), "at": timezone.now().isoformat(), "reason": reason,
        "version": version.number if version else None, "voice": bool(voice)}]
    track.provenance = {**track.provenance, "withdrawals": withdrawals}
    track.state, track.published_at = SubtitleTrack.State.CHANGES_REQUESTED, None
    track.save(update_fields=["provenance", "state", "published_at", "updated_at"])
    if voice is not None:  # made from the withdrawn text: a listener approves it again, or it is made anew
        voice.state, voice.published_at = VoiceTrack.State.IN_REVIEW, None
        voice.save(update_fields=["state", "published_at"])
    task = TranslationTask.objects.filter(track=track).select_related("assignee").first()
    if task is not None:
        task.state = TranslationTask.State.OPEN
        task.save(update_fields=["state"])
        if task.assignee is not None:
            # Translators: %(reason)s is the reason as its withdrawer wrote it.
            notify(user=task.assignee, url=f"/studio/editor/{track.pk}/",
                   text=gettext("The %(language)s subtitles of %(title)s were withdrawn from viewers: %(reason)s")
                   % {"language": track.language, "title": track.title.slug, "reason": reason})
    return track


# --- issue 16: content credentials of machine-made subtitles ---------------------------------------
def _credential(track: SubtitleTrack, vtt_text: str) -> str:
    """Sign the text as published; returns the sidecar manifest's URL for the master."""
    reviewers = [r.reviewer.get_full_name() or r.reviewer.get_username()
                 for r in track.reviews.filter(is_current=True, verdict=Review.Verdict.APPROVE)
                 .select_related("reviewer")]
    made = track.provenance or {}
    credential = issue_for_subtitles(
        title=track.title, language=track.language, subject=f"subtitles:{track.pk}", vtt_text=vtt_text,
        made_by=[{"engine": str(made.get("engine", track.origin)), "model": str(made.get("model", "")),
                  "version": str(made.get("version", ""))}],
        source={"source_track": track.source_track_id, "pivot_language": track.pivot_language},
        approved_by=reviewers)
    return manifest_url(credential)
