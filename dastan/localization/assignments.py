"""Who translates and who reviews what by when: a task's translator and reviewer, their due
dates, progress (cues done / total) and state; a translator's queue across titles and
organisations; a manager's view of who is late; reminders.

Assigning and reminding are ``ASSIGN_TASKS``, asked of the one permission model about the
title's owner. A studio's people assign anyone who may work on the track (its own people
and those of a house commissioned for it now). A commissioned house's managers hold that
right only within the commission (``permissions.COMMISSIONABLE``), and assign their own
house's people only: a commission lends the house work, not the studio's staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.accounts.permissions import ROLE_ACTIONS, Action, can, organisations_where
from dastan.catalog.models import Organisation
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.localization.access import (
    check_track,
    commissioned_pairs,
    commissioned_q,
    contractors_for,
    may,
)
from dastan.localization.models import DeclaredLanguagePair, SubtitleTrack, TranslationTask
from dastan.localization.notifications import notify
from dastan.localization.tracks import translated_by

TRANSLATOR, REVIEWER = "translator", "reviewer"
ROLES = (TRANSLATOR, REVIEWER)
_WORK = {TRANSLATOR: Action.TRANSLATE, REVIEWER: Action.REVIEW}
_DONE = (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED)


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task as a queue shows it."""

    task_id: int
    track_id: int
    title: str
    organisation: str
    language: str
    route: tuple[str, ...]
    state: str
    assignee: str
    due_at: datetime | None
    cues_done: int
    cues_total: int
    is_late: bool
    reason: str
    reviewer: str = ""
    review_due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone who may take a track's translation or review."""

    username: str
    organisation: str
    declares_pair: bool  # they declared the track's language pair (source → target)


def _late(task: TranslationTask, now: datetime) -> bool:
    translating = task.state == TranslationTask.State.OPEN and task.due_at is not None and task.due_at < now
    reviewing = (task.track.state == SubtitleTrack.State.IN_REVIEW and task.review_due_at is not None
                 and task.review_due_at < now)
    return translating or reviewing


def _views(tasks: QuerySet[TranslationTask], now: datetime) -> list[TaskView]:
    rows = tasks.select_related("track", "track__title", "organisation", "assignee", "reviewer").annotate(
        total=Count("track__cues", distinct=True),
        done=Count("track__cues", filter=~Q(track__cues__text=""), distinct=True))
    return [TaskView(
        task_id=t.pk, track_id=t.track_id, title=t.track.title.slug,
        organisation=t.organisation.name if t.organisation else "", language=t.track.language,
        route=tuple(t.track.provenance.get("route") or ()), state=t.state,
        assignee=t.assignee.get_username() if t.assignee else "", due_at=t.due_at,
        cues_done=t.done, cues_total=t.total,  # type: ignore[attr-defined]
        is_late=_late(t, now), reason=t.reason,
        reviewer=t.reviewer.get_username() if t.reviewer else "", review_due_at=t.review_due_at)
        for t in rows.order_by("due_at", "pk")]


def task_view(*, task: TranslationTask) -> TaskView:
    return _views(TranslationTask.objects.filter(pk=task.pk), timezone.now())[0]


def translator_queue(*, user: Any, now: datetime | None = None) -> list[TaskView]:
    """Open tasks ``user`` may work on, across titles and organisations: assigned to them,
    or unassigned at an organisation where they translate, or under a current commission
    of their house."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = organisations_where(user=user, action=Action.TRANSLATE)
    pairs = commissioned_pairs(user=user, action=Action.TRANSLATE)
    reachable = Q(organisation__in=orgs) | commissioned_q(pairs, prefix="track__")
    tasks = TranslationTask.objects.filter(reachable, Q(assignee=user) | Q(assignee__isnull=True),
                                           state=TranslationTask.State.OPEN)
    return _views(tasks, now or timezone.now())


def late_tasks(*, user: Any, now: datetime | None = None) -> list[TaskView]:
    """Tasks past a due date (the translation's, or the review's while the track waits for
    it) that ``user`` assigns: at their organisations, and on their house's commissions."""
    now = now or timezone.now()
    orgs = organisations_where(user=user, action=Action.ASSIGN_TASKS)
    pairs = commissioned_pairs(user=user, action=Action.ASSIGN_TASKS)
    mine = Q(organisation__in=orgs) | commissioned_q(pairs, prefix="track__")
    late = Q(state=TranslationTask.State.OPEN, due_at__lt=now) | Q(
        track__state=SubtitleTrack.State.IN_REVIEW, review_due_at__lt=now)
    return _views(TranslationTask.objects.filter(mine, late), now)


# --- assigning ---------------------------------------------------------------------------------

def _houses_of_assigner(*, by: Any, track: SubtitleTrack) -> list[int] | None:
    """Raise unless ``by`` may assign this track's work. None when they assign for the
    title's owner; otherwise the commissioned houses they assign for (their own people only)."""
    check_track(user=by, track=track, action=Action.ASSIGN_TASKS)
    if can(user=by, action=Action.ASSIGN_TASKS, organisation_id=track.title.owner_id):
        return None
    return [house for house in contractors_for(title_id=track.title_id, language=track.language)
            if can(user=by, action=Action.ASSIGN_TASKS, organisation_id=house)]


def _check_person(*, track: SubtitleTrack, person: Any, role: str, houses: list[int] | None) -> None:
    """InvalidInput, nothing stored, when ``person`` cannot take ``role`` on ``track``."""
    if role not in ROLES:
        raise InvalidInput(gettext("'%(role)s' is not a task role.") % {"role": role},
                           gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(ROLES)}, field="role")
    owner = track.title.owner.name if track.title.owner else gettext("its owner")
    name = person.get_username()
    if not may(user=person, track=track, action=_WORK[role]):
        values = {"name": name, "owner": owner}
        if role == TRANSLATOR:
            message = gettext("%(name)s may not translate this track: they are not a translator of %(owner)s "
                              "nor of a house commissioned for it.")
            hint = gettext("Choose a translator of the studio or of a commissioned house, or commission their "
                           "house first.")
        else:
            message = gettext("%(name)s may not review this track: they are not a reviewer of %(owner)s "
                              "nor of a house commissioned for it.")
            hint = gettext("Choose a reviewer of the studio or of a commissioned house, or commission their "
                           "house first.")
        raise InvalidInput(message % values, hint, field="assignee")
    if houses is not None and not any(can(user=person, action=_WORK[role], organisation_id=h) for h in houses):
        house_names = ", ".join(Organisation.objects.filter(pk__in=houses).values_list("name", flat=True))
        values = {"name": name, "houses": house_names or gettext("your house"), "owner": owner}
        if role == TRANSLATOR:
            message = gettext("%(name)s is not a translator of %(houses)s: on a commission, a house assigns its "
                              "own people.")
            hint = gettext("Choose one of your house's translators; %(owner)s assigns its own people.")
        else:
            message = gettext("%(name)s is not a reviewer of %(houses)s: on a commission, a house assigns its "
                              "own people.")
            hint = gettext("Choose one of your house's reviewers; %(owner)s assigns its own people.")
        raise InvalidInput(message % values, hint % values, field="assignee")
    if role == REVIEWER and translated_by(track, person):
        raise InvalidInput(gettext("%(name)s translated this track, so their review would not count.")
                           % {"name": name}, gettext("Choose another reviewer."), field="assignee")


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def assign_task(*, task: TranslationTask, assignee: Any, by: Any, due_at: datetime | None = None,
                role: str = TRANSLATOR) -> TranslationTask:
    """Give the task's translation (``role="translator"``) or review (``"reviewer"``) to
    ``assignee``, with a due date, and tell them. Assigning a translator to a track that
    has text (a machine draft, a track sent back) opens the task for them again.

    Raises NotAllowed/NotFound unless ``by`` may assign the track's work; InvalidInput when
    the track is already approved, or the person may not take the role (not a translator
    or reviewer of the owner or of a commissioned house; outside the assigning house's own
    people; a reviewer who translated it)."""
    track = task.track
    houses = _houses_of_assigner(by=by, track=track)
    _check_person(track=track, person=assignee, role=role, houses=houses)
    if track.state in _DONE:
        # Translators: %(state)s is the track's state in lower case, e.g. "approved" or "published".
        raise InvalidInput(gettext("The %(language)s track is %(state)s: nobody has work on it.")
                           % {"language": track.language, "state": track.get_state_display().lower()},
                           gettext("Withdraw it first, or send it back from the review desk."), field="track")
    when = _aware(due_at)
    # The notification's values; it is written in the assignee's language (notify).
    values = {"title": track.title.slug, "language": track.language, "due": f"{when:%Y-%m-%d %H:%M}" if when else ""}
    if role == TRANSLATOR:
        task.assignee, task.assigned_at, task.state = assignee, timezone.now(), TranslationTask.State.OPEN
        task.due_at = when or task.due_at
        task.save(update_fields=["assignee", "assigned_at", "due_at", "state"])
        # Translators: %(title)s is the title's slug, %(language)s a language code (kk), %(due)s a
        # date and time (2026-12-01 18:00).
        text = (gettext("You are asked to translate %(title)s into %(language)s, due %(due)s UTC.") if when
                else gettext("You are asked to translate %(title)s into %(language)s."))
        notify(user=assignee, text=text % values, url=f"/studio/editor/{track.pk}/")
    else:
        task.reviewer, task.review_due_at = assignee, when or task.review_due_at
        task.save(update_fields=["reviewer", "review_due_at"])
        text = (gettext("You are asked to review the %(language)s subtitles of %(title)s, due %(due)s UTC.")
                if when else gettext("You are asked to review the %(language)s subtitles of %(title)s."))
        notify(user=assignee, text=text % values, url=f"/studio/review/{track.pk}/")
    return task


def task_for(track: SubtitleTrack) -> TranslationTask:
    """The track's task; a machine draft gets one when someone is first assigned to it."""
    task, _ = TranslationTask.objects.get_or_create(track=track, defaults={
        "organisation": track.title.owner, "state": TranslationTask.State.SUBMITTED,
        "reason": f"Check the {track.provenance.get('engine') or track.origin} draft into {track.language}"})
    return task


@transaction.atomic
def assign_on_track(*, track: SubtitleTrack, assignee: Any, by: Any, role: str = TRANSLATOR,
                    due_at: datetime | None = None) -> TranslationTask:
    """:func:`assign_task` for a track, whichever route made it (an engine's draft has no
    task until someone is assigned to it). A refusal stores nothing."""
    _houses_of_assigner(by=by, track=track)  # before a task is made for someone who may not
    return assign_task(task=task_for(track), assignee=assignee, by=by, due_at=due_at, role=role)


def waiting_on(task: TranslationTask) -> tuple[Any, str, datetime | None]:
    """Who the track waits for now: (person or None, role, their due date)."""
    if task.track.state == SubtitleTrack.State.IN_REVIEW:
        return task.reviewer, REVIEWER, task.review_due_at
    if task.track.state in _DONE or task.state != TranslationTask.State.OPEN:
        return None, "", None
    return task.assignee, TRANSLATOR, task.due_at


def remind(*, task: TranslationTask, by: Any) -> Any:
    """Remind whoever the track waits for (its translator, or its reviewer while it is in
    review); returns them. InvalidInput when nobody is assigned to that step, or the
    assigner is a house's manager and that person is not of their house."""
    track = task.track
    houses = _houses_of_assigner(by=by, track=track)
    person, role, due_at = waiting_on(task)
    if person is None:
        if role == TRANSLATOR:
            raise InvalidInput(gettext("Nobody is assigned to its translation yet, so there is nobody to remind."),
                               gettext("Assign a translator first."), field="assignee")
        if role == REVIEWER:
            raise InvalidInput(gettext("Nobody is assigned to its review yet, so there is nobody to remind."),
                               gettext("Assign a reviewer first."), field="assignee")
        raise InvalidInput(gettext("The %(language)s track waits for nobody: there is nothing to remind of.")
                           % {"language": track.language}, gettext("Nothing to do."), field="assignee")
    _check_person(track=track, person=person, role=role, houses=houses)
    values = {"title": track.title.slug, "language": track.language,
              "due": f"{due_at:%Y-%m-%d %H:%M}" if due_at else ""}
    if role == TRANSLATOR:
        text = (gettext("Reminder: translate %(title)s into %(language)s. It was due %(due)s UTC.") if due_at
                else gettext("Reminder: translate %(title)s into %(language)s."))
    else:
        text = (gettext("Reminder: review the %(language)s subtitles of %(title)s. They were due %(due)s UTC.")
                if due_at else gettext("Reminder: review the %(language)s subtitles of %(title)s."))
    url = f"/studio/editor/{track.pk}/" if role == TRANSLATOR else f"/studio/review/{track.pk}/"
    notify(user=person, text=text % values, url=url)
    return person


def remind_on_track(*, track: SubtitleTrack, by: Any) -> Any:
    """:func:`remind` for a track (the title page's rows are languages, not tasks)."""
    _houses_of_assigner(by=by, track=track)
    task = TranslationTask.objects.filter(track=track).select_related("track", "assignee", "reviewer").first()
    if task is None:
        raise InvalidInput(gettext("Nobody is assigned to the %(language)s track yet, so there is nobody to remind.")
                           % {"language": track.language},
                           gettext("Assign a translator or a reviewer first."), field="assignee")
    return remind(task=task, by=by)


def candidates(*, track: SubtitleTrack, role: str, by: Any) -> list[Candidate]:
    """The people ``by`` may assign to ``role`` on ``track``: those who declared the track's
    language pair first, then the others who may do the work. A house's manager sees their
    own house's people only."""
    houses = _houses_of_assigner(by=by, track=track)
    orgs: set[int] = set(houses) if houses is not None else {
        *([track.title.owner_id] if track.title.owner_id else []),
        *contractors_for(title_id=track.title_id, language=track.language)}
    roles = [r for r, actions in ROLE_ACTIONS.items() if _WORK[role] in actions]
    members = (Membership.objects.filter(organisation_id__in=orgs, role__in=roles)
               .select_related("user", "organisation").order_by("user__username"))
    source = track.source_track.language if track.source_track else ""
    declared = set(DeclaredLanguagePair.objects.filter(source_language=source, target_language=track.language)
                   .values_list("user_id", flat=True))
    seen: dict[int, Candidate] = {}
    for m in members:
        if role == REVIEWER and translated_by(track, m.user):
            continue
        seen.setdefault(m.user_id, Candidate(m.user.get_username(), m.organisation.name, m.user_id in declared))
    return sorted(seen.values(), key=lambda c: (not c.declares_pair, c.username))


def person(username: str, *, field: str = "assignee") -> Any:
    """The node's person named ``username`` (InvalidInput naming the field when unknown)."""
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise InvalidInput(gettext("There is no person '%(username)s' on this node.") % {"username": username},
                           gettext("Choose someone from the list."), field=field)
    return found
