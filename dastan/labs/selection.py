"""Selection: conflicts of interest, scores against the call's rubric, comments, the
chair's ranking and decisions, each decision with a reason its applicant reads.

A member who declares a conflict on an application no longer sees or scores it; their
scores on it, if any, are removed and no longer count. The ranking orders submitted
applications by the mean of the members' totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dastan.errors import InvalidInput
from dastan.labs.access import (
    Purpose,
    access_application,
    access_call_applications,
    access_committee_seat,
)
from dastan.labs.errors import ApplicationState
from dastan.labs.models import Application, Call, Comment, Conflict, Room, Score


@transaction.atomic
def declare_conflict(*, user: Any, application_id: int, reason: str = "") -> Conflict:
    """The member's conflict on an application: from now on it is hidden from them."""
    application = access_application(user=user, application_id=application_id, purpose=Purpose.SCORE)
    Score.objects.filter(application=application, member=user).delete()
    conflict, _created = Conflict.objects.get_or_create(application=application, member=user,
                                                        defaults={"reason": reason[:300]})
    return conflict


def visible_applications(*, user: Any, call: Call) -> QuerySet[Application]:
    """The applications of ``call`` ``user`` may list: for a committee member, the submitted
    ones without their conflict; for the hosts' administrators, every one that is not a
    draft (names and states)."""
    seat, _manages = access_call_applications(user=user, call=call)
    rows = call.applications.exclude(submitted_at__isnull=True).select_related("applicant")
    if seat is not None:
        rows = rows.exclude(conflicts__member=user)
    return rows.order_by("pk")


@transaction.atomic
def score_application(*, user: Any, application_id: int, points: dict[str, int]) -> list[Score]:
    """The member's points per rubric criterion (each 0..max); replaces their earlier ones."""
    application = access_application(user=user, application_id=application_id, purpose=Purpose.SCORE)
    if application.state != Application.State.SUBMITTED:
        raise ApplicationState(_("This application was withdrawn; it is not scored."), "", code="withdrawn")
    rubric = {c["key"]: int(c["max"]) for c in application.call.rubric}
    for key, value in points.items():
        if key not in rubric:
            raise InvalidInput(_("The rubric has no criterion '%(key)s'.") % {"key": key},
                               _("Criteria: %(list)s.") % {"list": ", ".join(rubric)}, field=key)
        if not 0 <= int(value) <= rubric[key]:
            raise InvalidInput(_("'%(key)s' is scored from 0 to %(max)s.") % {"key": key, "max": rubric[key]},
                               "", field=key)
    return [Score.objects.update_or_create(application=application, member=user, criterion=key,
                                           defaults={"points": int(value)})[0] for key, value in points.items()]


def add_comment(*, user: Any, application_id: int, text: str) -> Comment:
    application = access_application(user=user, application_id=application_id, purpose=Purpose.SCORE)
    if not text.strip():
        raise InvalidInput(_("The comment is empty."), _("Write something for the committee."), field="text")
    return Comment.objects.create(application=application, author=user, text=text.strip())


@dataclass(frozen=True, slots=True)
class RankedApplication:
    application: Application
    mean_total: float | None
    scorers: int
    place: int


def ranking(*, user: Any, call: Call) -> list[RankedApplication]:
    """The chair's ranking of submitted applications the chair has no conflict on, by the
    mean of each member's total (unscored last)."""
    access_committee_seat(user=user, call=call, chair=True)
    rows = list(call.applications.filter(state=Application.State.SUBMITTED).exclude(conflicts__member=user)
                .select_related("applicant").prefetch_related("scores"))
    ranked = []
    for application in rows:
        totals: dict[int, int] = {}
        for score in application.scores.all():
            totals[score.member_id] = totals.get(score.member_id, 0) + score.points
        mean = sum(totals.values()) / len(totals) if totals else None
        ranked.append((application, mean, len(totals)))
    ranked.sort(key=lambda r: (r[1] is None, -(r[1] or 0), r[0].pk))
    return [RankedApplication(a, m, n, place) for place, (a, m, n) in enumerate(ranked, start=1)]


@transaction.atomic
def decide(*, user: Any, application_id: int, decision: str, reason: str) -> Application:
    """The chair's decision with the reason the applicant will read; a selected applicant
    gets a room for mentoring."""
    application = access_application(user=user, application_id=application_id, purpose=Purpose.DECIDE)
    if decision not in (Application.Decision.SELECTED, Application.Decision.WAITLISTED,
                        Application.Decision.DECLINED):
        raise InvalidInput(_("'%(value)s' is not a decision.") % {"value": decision},
                           _("Decide selected, waitlisted or declined."), field="decision")
    if not reason.strip():
        raise InvalidInput(_("Every decision needs a reason the applicant will read."),
                           _("Write one or two sentences for the applicant."), field="reason")
    if application.state != Application.State.SUBMITTED:
        raise ApplicationState(_("This application was withdrawn; there is nothing to decide."), "",
                               code="withdrawn")
    application.decision = decision
    application.decision_reason = reason.strip()
    application.decided_at = timezone.now()
    application.decided_by = user
    application.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])
    if decision == Application.Decision.SELECTED:
        Room.objects.get_or_create(application=application)
    return application
