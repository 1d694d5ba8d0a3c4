"""Who may see and do what in labs: every domain function of this app asks here.

Two kinds of standing meet in labs:

* an organisation's role, through the one permission table (``accounts.permissions``):
  administrators of a host organisation hold ``MANAGE_LABS`` for its editions (open a
  call, seat the committee, name mentors, issue certificates) — that does not let them
  read applications' answers, files or screeners, which are the applicant's and the
  committee's;
* a seat that labs itself gives a person: the applicant of an application, a committee
  member or chair of a call, a mentor of a participant's room.

A committee member who declared a conflict of interest on an application is answered as
if it did not exist (404), like anyone else who may not know it exists; drafts are the
applicant's alone.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from dastan.accounts import permissions
from dastan.accounts.permissions import Action, NotAllowed, NotFoundForUser
from dastan.catalog.models import Organisation
from dastan.labs.models import (
    Application,
    Call,
    CommitteeMember,
    Edition,
    Mentor,
    Programme,
    Room,
    Screener,
)


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def _not_found() -> NotFoundForUser:
    return NotFoundForUser(_("There is no such item here, or it is not yours to see."),
                           _("Check the address; sign in with the account that applied or that sits on "
                             "the committee."))


# --- host organisations -------------------------------------------------------------------------

def manages_edition(*, user: Any, edition: Edition) -> bool:
    return any(permissions.can(user=user, action=Action.MANAGE_LABS, organisation_id=org_id)
               for org_id in edition.hosts.values_list("pk", flat=True))


def check_manage_edition(*, user: Any, edition: Edition) -> None:
    """Raise unless ``user`` administers one of the edition's host organisations."""
    if manages_edition(user=user, edition=edition):
        return
    host = edition.hosts.order_by("pk").first()
    permissions.check(user=user, action=Action.MANAGE_LABS, organisation=host)


def host_organisation_ids(*, user: Any) -> list[int]:
    """The organisations where ``user`` may run labs (``MANAGE_LABS``)."""
    return permissions.organisations_where(user=user, action=Action.MANAGE_LABS)


def manages_programme(*, user: Any, programme: Programme) -> bool:
    """Whether ``user`` administers one of the programme's hosts (the hosts of its editions
    where it names none: a programme made before programmes had hosts). A co-host of one
    edition runs that edition, not the programme's name or its other editions."""
    mine = set(host_organisation_ids(user=user))
    if not mine:
        return False
    hosts = set(programme.hosts.values_list("pk", flat=True)) or set(
        Edition.hosts.through.objects.filter(edition__programme=programme).values_list("organisation_id", flat=True))
    return bool(mine & hosts)


def check_manage_programme(*, user: Any, programme: Programme) -> None:
    """Raise unless ``user`` administers one of the programme's host organisations."""
    if manages_programme(user=user, programme=programme):
        return
    host = (programme.hosts.order_by("pk").first()
            or Organisation.objects.filter(lab_editions__programme=programme).order_by("pk").first())
    permissions.check(user=user, action=Action.MANAGE_LABS, organisation=host)


# --- committee seats ----------------------------------------------------------------------------

def seat_of(*, user: Any, call: Call) -> CommitteeMember | None:
    if not _signed_in(user):
        return None
    return CommitteeMember.objects.filter(call=call, user=user).first()


def access_committee_seat(*, user: Any, call: Call, chair: bool = False) -> CommitteeMember:
    """The person's seat on ``call``'s committee (the chair's where ``chair``); raises
    NotAllowed naming who may."""
    seat = seat_of(user=user, call=call)
    if seat is None:
        if not _signed_in(user):
            raise NotAllowed(_("You need to sign in to do this."),
                             _("Sign in with the account that sits on this call's committee."),
                             code="not_signed_in")
        raise NotAllowed(_("Only the call's committee may do this."),
                         _("Ask the hosts of the programme for a seat on the committee."), code="not_on_committee")
    if chair and seat.role != CommitteeMember.Role.CHAIR:
        raise NotAllowed(_("Only the committee's chair may do this."),
                         _("Ask the chair to decide, or the hosts to name you chair."), code="not_chair")
    return seat


def is_conflicted(*, user: Any, application: Application) -> bool:
    return application.conflicts.filter(member=user).exists()


# --- applications -------------------------------------------------------------------------------

class Purpose(StrEnum):
    READ = "read"      # the applicant, or a committee member without a conflict (submitted only)
    EDIT = "edit"      # the applicant, while a draft
    SCORE = "score"    # a committee member without a conflict, submitted only
    DECIDE = "decide"  # the chair without a conflict, submitted only


def committee_may_see(*, user: Any, application: Application) -> bool:
    """A submitted (or later withdrawn) application, to a committee member who declared no
    conflict on it."""
    if application.state == Application.State.DRAFT or application.submitted_at is None:
        return False
    return seat_of(user=user, call=application.call) is not None and not is_conflicted(
        user=user, application=application)


def check_application(*, user: Any, application: Application, purpose: Purpose) -> None:
    """Raise unless ``user`` may do ``purpose`` with ``application``: NotFoundForUser (404)
    for anyone who may not even read it (another applicant, a conflicted member, anyone
    with a draft that is not theirs), NotAllowed (403) for a reader who may not do it."""
    own = _signed_in(user) and application.applicant_id == user.pk
    reader = own or committee_may_see(user=user, application=application)
    if not reader:
        raise _not_found()
    if purpose == Purpose.READ:
        return
    if purpose == Purpose.EDIT:
        if not own:
            raise NotAllowed(_("Only the applicant may change an application."), "", code="not_applicant")
        return
    if own and seat_of(user=user, call=application.call) is None:
        raise NotAllowed(_("Only the call's committee may do this."),
                         _("Applicants read their decision on this page once the chair decides."),
                         code="not_on_committee")
    if own:  # a committee member who applied to their own call: a conflict by definition
        raise NotAllowed(_("You cannot judge your own application."),
                         _("Declare the conflict; the rest of the committee decides."), code="own_application")
    access_committee_seat(user=user, call=application.call, chair=purpose == Purpose.DECIDE)


def access_application(*, user: Any, application_id: int, purpose: Purpose = Purpose.READ) -> Application:
    """The application with ``application_id`` when ``user`` may do ``purpose`` with it."""
    application = (Application.objects.select_related("call__edition__programme", "applicant")
                   .filter(pk=application_id).first())
    if application is None:
        raise _not_found()
    check_application(user=user, application=application, purpose=purpose)
    return application


def access_call_applications(*, user: Any, call: Call) -> tuple[CommitteeMember | None, bool]:
    """Whether ``user`` may list the call's applications: its committee (each member sees
    the submitted ones they have no conflict on) or the hosts' administrators (who see
    names and states, not answers). Returns (seat, manages)."""
    seat = seat_of(user=user, call=call)
    manages = manages_edition(user=user, edition=call.edition)
    if seat is None and not manages:
        access_committee_seat(user=user, call=call)
    return seat, manages


# --- rooms and screeners ------------------------------------------------------------------------

def mentor_of(*, user: Any, room: Room) -> Mentor | None:
    if not _signed_in(user):
        return None
    return room.mentors.filter(user=user).first()


def access_room(*, user: Any, room_id: int, mentor: bool = False) -> Room:
    """The room with ``room_id`` when ``user`` is its participant or one of its mentors
    (only a mentor where ``mentor``); anyone else is told it does not exist."""
    room = Room.objects.select_related("application__call__edition__programme", "application__applicant") \
        .filter(pk=room_id).first()
    if room is None:
        raise _not_found()
    is_participant = _signed_in(user) and room.application.applicant_id == user.pk
    is_mentor = mentor_of(user=user, room=room) is not None
    if not (is_participant or is_mentor):
        raise _not_found()
    if mentor and not is_mentor:
        raise NotAllowed(_("Only the room's mentors may do this."), "", code="not_mentor")
    return room


def check_screener(*, user: Any, screener: Screener) -> None:
    """Raise unless ``user`` may play ``screener``: an application's film to its applicant
    and the committee members without a conflict; a rough cut to the participant and the
    room's mentors. Nobody else, whatever their role elsewhere."""
    if screener.application is not None:
        check_application(user=user, application=screener.application, purpose=Purpose.READ)
    elif screener.room_id is not None:
        access_room(user=user, room_id=screener.room_id)
    else:
        raise _not_found()


def access_screener(*, user: Any, screener_id: int) -> Screener:
    screener = (Screener.objects.select_related("title", "application__call", "room__application")
                .filter(pk=screener_id).first())
    if screener is None:
        raise _not_found()
    check_screener(user=user, screener=screener)
    return screener


def access_schedule(*, user: Any, edition: Edition) -> None:
    """An edition's sessions are its participants', mentors' and hosts' administrators'."""
    if not _signed_in(user):
        raise _not_found()
    if (Room.objects.filter(application__call__edition=edition, application__applicant=user).exists()
            or Mentor.objects.filter(edition=edition, user=user).exists()
            or manages_edition(user=user, edition=edition)):
        return
    raise _not_found()
