"""The editor's cue operations beyond a single edit: split a cue at the playhead, merge a
cue with the next, mark a cue finished, hand the track in.

Each takes the revision the person's screen showed, like ``tracks.edit_cue``: a cue someone
else saved meanwhile is not split or merged on stale text (EditConflict). Every change is
kept as a CueRevision naming its author.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.errors import InvalidInput
from dastan.i18n import gettext, ngettext
from dastan.localization.access import check_track
from dastan.localization.models import Cue, CueRevision, SubtitleTrack, TranslationTask
from dastan.localization.tracks import CueData, EditConflict, check_cues, void_approvals

# Indices move out of the way through a range no cue uses, so the (track, index)
# uniqueness holds after every row on SQLite and PostgreSQL alike.
_PARK = 1_000_000


def _locked(cue: Cue, base_revision: int | None) -> Cue:
    fresh = Cue.objects.select_for_update().select_related("track", "track__title").get(pk=cue.pk)
    if base_revision is not None and base_revision != fresh.revision:
        raise EditConflict(
            gettext("Cue %(cue)s was saved by someone else while you were editing it; their text: «%(text)s».")
            % {"cue": fresh.index, "text": fresh.text},
            gettext("Reload the cue, then split or merge again."), field="base_revision")
    return fresh


def _shift_after(track: SubtitleTrack, index: int, by: int) -> None:
    later = Cue.objects.filter(track=track, index__gt=index)
    later.update(index=F("index") + _PARK)
    Cue.objects.filter(track=track, index__gt=_PARK).update(index=F("index") - _PARK + by)


def _revise(cue: Cue, user: Any, note: str) -> None:
    CueRevision.objects.create(cue=cue, text=cue.text, start_ms=cue.start_ms, end_ms=cue.end_ms,
                               author=user if getattr(user, "is_authenticated", False) else None, note=note)


@transaction.atomic
def split_cue(*, cue: Cue, by: Any, at_ms: int, text_before: str, text_after: str,
              base_revision: int | None = None) -> tuple[Cue, Cue]:
    """Split ``cue`` at ``at_ms`` (the playhead) into two cues holding ``text_before`` and
    ``text_after`` (the editor splits the text at the caret). Raises InvalidInput when
    ``at_ms`` is not inside the cue, EditConflict, NotAllowed."""
    check_track(user=by, track=cue.track, action=Action.TRANSLATE)
    cue = _locked(cue, base_revision)
    if not cue.start_ms < at_ms < cue.end_ms:
        raise InvalidInput(
            gettext("The playhead (%(at)s ms) is not inside cue %(cue)s (%(start)s–%(end)s ms).")
            % {"at": at_ms, "cue": cue.index, "start": cue.start_ms, "end": cue.end_ms},
            gettext("Move the playhead into the cue you want to split."), field="at_ms")
    check_cues([CueData(cue.start_ms, at_ms, text_before), CueData(at_ms, cue.end_ms, text_after)])
    _shift_after(cue.track, cue.index, 1)
    second = Cue.objects.create(track=cue.track, index=cue.index + 1, start_ms=at_ms, end_ms=cue.end_ms,
                                text=text_after.strip(), speaker=cue.speaker)
    cue.end_ms, cue.text = at_ms, text_before.strip()
    cue.revision += 1
    cue.confirmed = False
    cue.save()
    _revise(cue, by, f"split at {at_ms} ms")
    _revise(second, by, f"split from cue {cue.index}")
    void_approvals(cue.track)
    return cue, second


@transaction.atomic
def merge_with_next(*, cue: Cue, by: Any, base_revision: int | None = None,
                    next_revision: int | None = None) -> Cue:
    """Merge ``cue`` and the one after it into one cue spanning both, texts joined by a
    line break. The later cue's text is kept in the merged cue's revision note. Raises
    InvalidInput for the last cue, EditConflict, NotAllowed."""
    check_track(user=by, track=cue.track, action=Action.TRANSLATE)
    cue = _locked(cue, base_revision)
    following = Cue.objects.select_for_update().filter(track=cue.track, index=cue.index + 1).first()
    if following is None:
        raise InvalidInput(gettext("Cue %(cue)s is the last cue; there is nothing after it to merge.")
                           % {"cue": cue.index},
                           gettext("Merge a cue with the one that follows it."), field="cue_id")
    _locked(following, next_revision)
    cue.text = "\n".join(t for t in (cue.text.strip(), following.text.strip()) if t)
    cue.end_ms = max(cue.end_ms, following.end_ms)
    cue.revision += 1
    cue.confirmed = False
    cue.save()
    _revise(cue, by, f"merged with cue {following.index} («{following.text[:150]}»)")
    following.delete()
    _shift_after(cue.track, cue.index, -1)
    void_approvals(cue.track)
    return cue


@transaction.atomic
def confirm_cue(*, cue: Cue, by: Any, confirmed: bool = True) -> Cue:
    """Mark the cue finished (or not): the task's progress counts finished cues."""
    check_track(user=by, track=cue.track, action=Action.TRANSLATE)
    if not cue.text.strip() and confirmed:
        raise InvalidInput(gettext("Cue %(cue)s has no text yet.") % {"cue": cue.index},
                           gettext("Type its translation, then approve it."), field="cue_id")
    Cue.objects.filter(pk=cue.pk).update(confirmed=confirmed)
    cue.confirmed = confirmed
    return cue


@transaction.atomic
def submit_track(*, track: SubtitleTrack, by: Any) -> SubtitleTrack:
    """The translator hands the track in as it stands in the editor: it goes to review and
    the task is done. Raises InvalidInput while a cue is empty (naming it), NotAllowed."""
    check_track(user=by, track=track, action=Action.TRANSLATE)
    empty = list(track.cues.filter(text="").values_list("index", flat=True)[:5])
    if empty:
        more = len(empty) - 1
        message = (ngettext("Cue %(cue)s has no text yet (and %(more)s more).",
                            "Cue %(cue)s has no text yet (and %(more)s more).", more)
                   if more else gettext("Cue %(cue)s has no text yet.")) % {"cue": empty[0], "more": more}
        raise InvalidInput(message,
                           gettext("Translate every cue, or merge a cue with nothing said into its neighbour."),
                           field="cues")
    track.origin = SubtitleTrack.Origin.HUMAN
    track.provenance = {**track.provenance, "engine": "human", "translator": by.get_username()}
    track.state = SubtitleTrack.State.IN_REVIEW
    track.approvals_required = max(1, track.approvals_required)
    track.save(update_fields=["origin", "provenance", "state", "approvals_required", "updated_at"])
    TranslationTask.objects.filter(track=track).update(
        state=TranslationTask.State.SUBMITTED, submitted_at=timezone.now(), assignee=by)
    return track
