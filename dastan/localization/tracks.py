"""Creating subtitle tracks and changing their cues, keeping every version.

Every write to a cue's text or timing adds a CueRevision naming its author (a person)
or its provenance (an engine), so a reviewer can see who or what wrote each line. A
change to an approved track voids its approvals: what viewers see is always what
people approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from dastan.accounts.permissions import Action
from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title
from dastan.errors import DastanError, InvalidInput
from dastan.i18n import gettext
from dastan.jobs.context import atomic_under_lease
from dastan.localization.access import check_track
from dastan.localization.models import Cue, CueRevision, Review, SubtitleTrack


@dataclass(frozen=True, slots=True)
class CueData:
    """A cue as it travels between modules: integer milliseconds, lines joined by \\n."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str = ""


def check_cues(cues: Sequence[CueData]) -> None:
    """Refuse cue lists no track should hold, naming the first bad cue (1-based)."""
    for n, cue in enumerate(cues, start=1):
        if cue.start_ms < 0 or cue.end_ms <= cue.start_ms:
            raise InvalidInput(
                gettext("Cue %(cue)s ends (%(end)s ms) before or when it starts (%(start)s ms).")
                % {"cue": n, "end": cue.end_ms, "start": cue.start_ms},
                gettext("Give every cue an end time after its start time."), field=f"cues[{n - 1}]")


def create_track(
    *,
    title: Title,
    language: str,
    origin: str,
    cues: Sequence[CueData],
    is_source: bool = False,
    source_track: SubtitleTrack | None = None,
    provenance: dict[str, Any] | None = None,
    author: Any = None,
    state: str = SubtitleTrack.State.IN_REVIEW,
    pivot_language: str = "",
) -> SubtitleTrack:
    """Create (or replace the cues of) the title's track in ``language``.

    Inside a job attempt it commits only while the attempt holds its lease (a cancelled or
    overtaken attempt raises JobCancelled or LeaseLost and changes nothing)."""
    check_cues(cues)
    language = normalize_code(language)
    owner = title.owner
    approvals = owner.machine_track_approvals if owner is not None else 1
    with atomic_under_lease():
        track, _ = SubtitleTrack.objects.update_or_create(
            title=title, language=language,
            defaults={
                "origin": origin, "is_source": is_source, "source_track": source_track,
                "provenance": provenance or {}, "state": state, "pivot_language": pivot_language,
                # A person's own translation still needs one reviewer; machine text needs
                # what the organisation's policy says.
                "approvals_required": max(1, approvals),
            },
        )
        replace_cues(track=track, cues=cues, author=author, provenance=provenance or {},
                     note=f"{origin} draft")
    return track


def replace_cues(*, track: SubtitleTrack, cues: Sequence[CueData], author: Any = None,
                 provenance: dict[str, Any] | None = None, note: str = "") -> None:
    """Set the track's cues to ``cues``, recording a revision for each cue that changed.

    In bulk statements, not a row at a time: a 50,000-cue file written cue by cue held
    SQLite's write lock for half a minute and made a concurrent job fail with "database
    is locked"."""
    check_cues(cues)
    user = author if getattr(author, "is_authenticated", False) else None
    existing = {c.index: c for c in track.cues.all()}
    now = timezone.now()
    added: list[Cue] = []
    updated: list[Cue] = []
    for index, data in enumerate(cues, start=1):
        cue = existing.pop(index, None)
        if cue is not None and (cue.text, cue.start_ms, cue.end_ms, cue.speaker) == (
                data.text, data.start_ms, data.end_ms, data.speaker):
            continue
        if cue is None:
            cue = Cue(track=track, index=index)
            added.append(cue)
        else:
            updated.append(cue)
        cue.start_ms, cue.end_ms, cue.text, cue.speaker = data.start_ms, data.end_ms, data.text, data.speaker
        if cue.pk is not None:
            cue.revision += 1
        cue.updated_at = now  # bulk_update does not apply auto_now
    if existing:
        Cue.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
    Cue.objects.bulk_update(updated, ["start_ms", "end_ms", "text", "speaker", "revision", "updated_at"],
                            batch_size=2000)
    Cue.objects.bulk_create(added, batch_size=2000)  # sets their ids (PostgreSQL, SQLite ≥ 3.35)
    CueRevision.objects.bulk_create(
        [CueRevision(cue=cue, text=cue.text, start_ms=cue.start_ms, end_ms=cue.end_ms, author=user,
                     provenance=provenance or {}, note=note) for cue in [*updated, *added]],
        batch_size=2000)
    if added or updated or existing:
        void_approvals(track)


class EditConflict(DastanError):
    """Someone else saved the cue after the revision this edit was made on."""

    code = "edit_conflict"
    status = 409


@transaction.atomic
def edit_cue(*, cue: Cue, author: Any, text: str | None = None, start_ms: int | None = None,
             end_ms: int | None = None, speaker: str | None = None, note: str = "edited",
             base_revision: int | None = None) -> Cue:
    """A person's change to one cue; records a revision and voids the track's approvals.
    Raises NotAllowed (or NotFound, for a draft of another organisation) unless ``author``
    may edit the organisation's subtitles.

    ``base_revision``: the cue's revision the edit was made on (the editor sends it). If
    someone saved the cue since, nothing changes and EditConflict says who and what they
    wrote, so the person can merge by hand: no one's edit is silently overwritten."""
    check_track(user=author, track=cue.track, action=Action.TRANSLATE)
    cue = Cue.objects.select_for_update().select_related("track", "track__title").get(pk=cue.pk)
    if base_revision is not None and base_revision != cue.revision:
        last = cue.revisions.select_related("author").order_by("-created_at", "-id").first()
        who = (last.author.get_username() if last and last.author else gettext("someone"))
        raise EditConflict(
            gettext("%(who)s saved cue %(cue)s while you were editing it (revision %(revision)s, you started "
                    "from %(base)s); their text: «%(text)s».")
            % {"who": who, "cue": cue.index, "revision": cue.revision, "base": base_revision, "text": cue.text},
            gettext("Your text is kept in the editor: merge it with theirs and save again."), field="base_revision")
    new = CueData(
        start_ms=cue.start_ms if start_ms is None else start_ms,
        end_ms=cue.end_ms if end_ms is None else end_ms,
        text=cue.text if text is None else text,
        speaker=cue.speaker if speaker is None else speaker,
    )
    check_cues([new])
    if (new.text, new.start_ms, new.end_ms, new.speaker) == (cue.text, cue.start_ms, cue.end_ms, cue.speaker):
        return cue
    cue.text, cue.start_ms, cue.end_ms, cue.speaker = new.text, new.start_ms, new.end_ms, new.speaker
    cue.dub_overrun_ms = None
    cue.revision += 1
    cue.save()
    user = author if getattr(author, "is_authenticated", False) else None
    CueRevision.objects.create(cue=cue, text=cue.text, start_ms=cue.start_ms, end_ms=cue.end_ms,
                               author=user, note=note)
    void_approvals(cue.track)
    return cue


def void_approvals(track: SubtitleTrack) -> None:
    Review.objects.filter(track=track, is_current=True).update(is_current=False)
    if track.state in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        track.state = SubtitleTrack.State.IN_REVIEW
        track.save(update_fields=["state", "updated_at"])


def translated_by(track: SubtitleTrack, user: Any) -> bool:
    """Whether ``user`` wrote this person-made track's text (their own review would not count)."""
    return track.origin == SubtitleTrack.Origin.HUMAN and track.cues.filter(revisions__author=user).exists()


def cue_data(track: SubtitleTrack) -> list[CueData]:
    return [CueData(c.start_ms, c.end_ms, c.text, c.speaker) for c in track.cues.all()]
