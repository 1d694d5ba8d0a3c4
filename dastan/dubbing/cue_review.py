"""Per-cue review of a human dub: a listener hears each cue's chosen take against the
picture and approves it, or sends it back with a note the actor reads in the booth at
that cue. The dub as a whole is approved only when no chosen take is sent back and the
mix holds the takes chosen now (``check_takes_reviewed``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.dubbing.errors import DubbingError
from dastan.dubbing.mixing import chosen_takes
from dastan.dubbing.models import CastRole, HumanDub, Take
from dastan.dubbing.synthetic import synthetic_speakers
from dastan.errors import InvalidInput, NotFound
from dastan.i18n import gettext, ngettext
from dastan.localization.access import check_track

VERDICTS = {"approve": Take.Review.APPROVED, "send_back": Take.Review.SENT_BACK}


def access_take(*, user: Any, take_id: int, action: Action) -> Take:
    """The take, if ``user`` may do ``action`` on its track (NotFound otherwise, for
    people who may not know the track exists)."""
    take = Take.objects.select_related("track__title__owner", "cue").filter(pk=take_id).first()
    if take is None:
        raise NotFound(
            gettext("There is no take #%(take)s.") % {"take": take_id},
            gettext("Open the dub's review desk to see its takes."),
        )
    check_track(user=user, track=take.track, action=action)
    return take


def review_take(*, by: Any, take: Take, verdict: str, note: str = "") -> Take:
    """Approve ``take``, or send it back to the actor with ``note`` (required: the actor
    must know what to change). Raises NotAllowed without REVIEW, InvalidInput for an
    unknown verdict or a send-back without a note."""
    check_track(user=by, track=take.track, action=Action.REVIEW)
    if verdict not in VERDICTS:
        raise InvalidInput(
            gettext("'%(verdict)s' is not a verdict on a take.") % {"verdict": verdict},
            gettext("Use approve or send_back."), field="verdict",
        )
    note = " ".join(note.split())[:500]
    if verdict == "send_back" and not note:
        raise InvalidInput(
            gettext("Sending a take back needs a note for the actor."),
            gettext("Say what to change, e.g. 'start on the cut' or 'softer, she is whispering'."),
            field="note",
        )
    take.review, take.review_note = VERDICTS[verdict], note
    take.reviewed_by, take.reviewed_at = by, timezone.now()
    take.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    return take


def check_takes_reviewed(dub: HumanDub) -> None:
    """Raise DubbingError (409) when a booth dub cannot be approved as it is: a chosen
    take was sent back to its actor, or a cue has a new chosen take the mix lacks."""
    if dub.source != "booth":
        return
    synthetic = synthetic_speakers(list(CastRole.objects.filter(track=dub.track)))
    chosen = {i: t for i, t in chosen_takes(dub.track).items() if t.cue.speaker not in synthetic}
    back = [t for i, t in sorted(chosen.items()) if t.review == Take.Review.SENT_BACK]
    if back:
        first = back[0]
        raise DubbingError(
            (gettext("Cue %(cue)s was sent back to the actor: “%(note)s”.") if len(back) == 1 else
             # Translators: %(count)s other cues were sent back too.
             ngettext("Cue %(cue)s was sent back to the actor: “%(note)s” (and %(count)s more).",
                      "Cue %(cue)s was sent back to the actor: “%(note)s” (and %(count)s more).", len(back) - 1))
            % {"cue": first.cue.index, "note": first.review_note, "count": len(back) - 1},
            gettext("Wait for a new take, or approve that take on the review desk; then mix again."),
            status=409,
        )
    changed = [
        i for i, t in sorted(chosen.items()) if dub.cue_sources.get(str(i)) != f"take:{t.pk}"
    ]
    if changed:
        raise DubbingError(
            gettext("Cue %(cues)s has a newer take than the mix.") % {"cues": ", ".join(str(i) for i in changed)},
            gettext("Mix again so the dub holds the takes chosen now, then approve it."),
            status=409,
        )
