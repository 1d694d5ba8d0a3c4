"""Who translates what by when: a task's assignee, due date, progress (cues done of
all) and state; a translator's queue across titles and organisations; a manager's view
of who is late; reminders.

Assigning and reminding are the ordering organisation's acts (``ORDER_LOCALIZATION`` on
the title's owner); the assignee must be someone who may translate the track — a member
of the owner, or of a house commissioned for it now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dastan.accounts.permissions import Action, organisations_where
from dastan.errors import InvalidInput
from dastan.localization.access import check_track, commissioned_pairs, commissioned_q, may
from dastan.localization.models import TranslationTask
from dastan.localization.notifications import notify


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


def _views(tasks: QuerySet[TranslationTask], now: datetime) -> list[TaskView]:
    rows = tasks.select_related("track", "track__title", "organisation", "assignee").annotate(
        total=Count("track__cues", distinct=True),
        done=Count("track__cues", filter=~Q(track__cues__text=""), distinct=True))
    return [TaskView(
        task_id=t.pk, track_id=t.track_id, title=t.track.title.slug,
        organisation=t.organisation.name if t.organisation else "", language=t.track.language,
        route=tuple(t.track.provenance.get("route") or ()), state=t.state,
        assignee=t.assignee.get_username() if t.assignee else "", due_at=t.due_at,
        cues_done=t.done, cues_total=t.total,  # type: ignore[attr-defined]
        is_late=bool(t.due_at and t.due_at < now and t.state == TranslationTask.State.OPEN),
        reason=t.reason) for t in rows.order_by("due_at", "pk")]


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
    """Open tasks past their due date at the organisations where ``user`` orders work."""
    now = now or timezone.now()
    orgs = organisations_where(user=user, action=Action.ORDER_LOCALIZATION)
    return _views(TranslationTask.objects.filter(organisation__in=orgs, state=TranslationTask.State.OPEN,
                                                 due_at__lt=now), now)


def assign_task(*, task: TranslationTask, assignee: Any, by: Any, due_at: datetime | None = None) -> TranslationTask:
    """Give the task to ``assignee`` (with a due date), and tell them. Raises NotAllowed
    unless ``by`` orders localization for the title's owner, InvalidInput when the
    assignee may not translate this track."""
    track = task.track
    check_track(user=by, track=track, action=Action.ORDER_LOCALIZATION)
    if not may(user=assignee, track=track, action=Action.TRANSLATE):
        raise InvalidInput(
            f"{assignee.get_username()} may not translate this track: they are not a translator of "
            f"{track.title.owner.name if track.title.owner else 'its owner'} nor of a house commissioned for it.",
            "Choose a translator of the studio or of a commissioned house, or commission their house first.",
            field="assignee")
    task.assignee, task.assigned_at = assignee, timezone.now()
    if due_at is not None:
        task.due_at = due_at if timezone.is_aware(due_at) else timezone.make_aware(due_at, UTC)
    task.save(update_fields=["assignee", "assigned_at", "due_at"])
    due = f", due {task.due_at:%Y-%m-%d %H:%M} UTC" if task.due_at else ""
    notify(user=assignee, text=f"You are asked to translate {track.title.slug} into {track.language}{due}.",
           url=f"/studio/editor/{track.pk}/")
    return task


def remind(*, task: TranslationTask, by: Any) -> None:
    """Remind the assignee (or, unassigned, nobody yet: InvalidInput says so)."""
    check_track(user=by, track=task.track, action=Action.ORDER_LOCALIZATION)
    if task.assignee is None:
        raise InvalidInput("Nobody is assigned to this task yet, so there is nobody to remind.",
                           "Assign a translator first.", field="assignee")
    due = f" It was due {task.due_at:%Y-%m-%d %H:%M} UTC." if task.due_at else ""
    notify(user=task.assignee, text=f"Reminder: {task.track.title.slug} into {task.track.language}.{due}",
           url=f"/studio/editor/{task.track_id}/")
