"""The hosts' desk: what the administrators of a programme's host organisations read to
run it — the programmes they run, an edition's call, committee, sessions, mentors and
participants — and the look-ups their forms need (a person by user name or e-mail, an
organisation by its address).

The verbs themselves are the domain's (``programmes.create_programme``,
``calls.open_call``, ``calls.seat_committee``, ``mentoring.add_session`` …); each checks
who asks. The readers here check too, before reading anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext as _

from dastan.accounts.permissions import NotAllowed
from dastan.catalog.models import Organisation
from dastan.errors import InvalidInput, NotFound
from dastan.labs.access import check_manage_edition, check_manage_programme, host_organisation_ids
from dastan.labs.mentoring import ComputeUse, compute_use
from dastan.labs.models import (
    Call,
    Certificate,
    CommitteeMember,
    Edition,
    Mentor,
    Programme,
    Room,
    Session,
)
from dastan.labs.programmes import access_programme


def _no_edition() -> NotFound:
    return NotFound(
        _("There is no such edition."), _("The programmes you run are listed at /labs/host/.")
    )


def find_person(*, by: Any, edition: Edition, identifier: str) -> User:
    """The account ``identifier`` names (a user name, or an e-mail address), for the
    edition's hosts to seat or name; raises InvalidInput naming the fix."""
    check_manage_edition(user=by, edition=edition)
    identifier = identifier.strip()
    found = (
        list(
            User.objects.filter(
                Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
            )[:2]
        )
        if identifier
        else []
    )
    if len(found) != 1:
        raise InvalidInput(
            _("No one on this node has the account '%(who)s'.") % {"who": identifier[:150]},
            _("Ask them to create an account, then add them by its user name or e-mail address."),
            field="person",
        )
    return found[0]


def find_organisations(*, slugs: list[str]) -> list[Organisation]:
    """Host organisations by their addresses; raises InvalidInput naming an unknown one."""
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s.strip()))
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted)}
    for slug in wanted:
        if slug not in found:
            raise InvalidInput(
                _("No organisation has the address '%(slug)s'.") % {"slug": slug[:80]},
                _("Use the organisation's address as in its catalogue page, e.g. lahore-lights."),
                field="hosts",
            )
    return [found[s] for s in wanted]


def host_organisations(*, user: Any) -> list[Organisation]:
    """The organisations ``user`` may name as hosts of what they create."""
    return list(
        Organisation.objects.filter(pk__in=host_organisation_ids(user=user)).order_by("name")
    )


def programmes_run_by(*, user: Any) -> list[Programme]:
    """The programmes ``user`` runs: hosted by an organisation where they hold MANAGE_LABS
    (or, for a programme that names no hosts, one of its editions is)."""
    mine = host_organisation_ids(user=user)
    if not mine:
        return []
    return list(
        Programme.objects.filter(
            Q(hosts__in=mine) | Q(hosts__isnull=True, editions__hosts__in=mine)
        )
        .distinct()
        .prefetch_related("texts", "editions")
        .order_by("slug")
    )


def editions_cohosted_by(*, user: Any) -> list[Edition]:
    """Editions ``user``'s organisations co-host in programmes they do not run."""
    mine = host_organisation_ids(user=user)
    run = {p.pk for p in programmes_run_by(user=user)}
    return list(
        Edition.objects.filter(hosts__in=mine)
        .exclude(programme_id__in=run)
        .distinct()
        .select_related("programme")
        .order_by("-starts_on")
    )


def access_programme_for_host(*, user: Any, slug: str) -> Programme:
    programme = access_programme(slug=slug)
    check_manage_programme(user=user, programme=programme)
    return programme


def access_edition_for_host(*, user: Any, edition_id: int) -> Edition:
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None:
        raise _no_edition()
    check_manage_edition(user=user, edition=edition)
    return edition


def access_call_for_host(*, user: Any, call_id: int) -> Call:
    call = Call.objects.select_related("edition__programme").filter(pk=call_id).first()
    if call is None:
        raise NotFound(
            _("There is no such call."), _("The programmes you run are listed at /labs/host/.")
        )
    check_manage_edition(user=user, edition=call.edition)
    return call


def access_session_for_host(*, user: Any, session_id: int) -> Session:
    session = Session.objects.select_related("edition").filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("There is no such session."), "")
    check_manage_edition(user=user, edition=session.edition)
    return session


def access_mentor_for_host(*, user: Any, mentor_id: int) -> Mentor:
    mentor = Mentor.objects.select_related("edition", "user").filter(pk=mentor_id).first()
    if mentor is None:
        raise NotFound(_("There is no such mentor."), "")
    check_manage_edition(user=user, edition=mentor.edition)
    return mentor


def access_room_for_host(*, user: Any, room_id: int) -> Room:
    """A participant's room for the hosts' administrators (to assign mentors and issue the
    certificate: not to read its cuts or notes, which stay the participant's and mentors')."""
    room = (
        Room.objects.select_related("application__call__edition", "application__applicant")
        .filter(pk=room_id)
        .first()
    )
    if room is None:
        raise NotFound(_("There is no such participant."), "")
    try:
        check_manage_edition(user=user, edition=room.application.call.edition)
    except NotAllowed as exc:  # whether a room exists is not for outsiders to learn
        raise NotFound(_("There is no such participant."), "") from exc
    return room


def committee_seat(*, call: Call, user: User) -> CommitteeMember:
    seat = CommitteeMember.objects.filter(call=call, user=user).first()
    if seat is None:
        raise InvalidInput(
            _("%(person)s does not sit on this committee.")
            % {"person": user.get_full_name() or user.username},
            "",
            field="person",
        )
    return seat


@dataclass(frozen=True, slots=True)
class Participant:
    room: Room
    name: str
    mentors: list[Mentor]
    certificate: Certificate | None
    compute: ComputeUse


@dataclass(frozen=True, slots=True)
class EditionDesk:
    edition: Edition
    call: Call | None
    committee: list[CommitteeMember]
    sessions: list[Session]
    mentors: list[Mentor]
    participants: list[Participant]


def edition_desk(*, user: Any, edition_id: int) -> EditionDesk:
    """Everything the hosts run of one edition (no application's answers, files, cuts or
    notes: those stay the applicants', committee's and mentors')."""
    edition = access_edition_for_host(user=user, edition_id=edition_id)
    call = Call.objects.filter(edition=edition).prefetch_related("fields").first()
    committee = (
        list(
            CommitteeMember.objects.filter(call=call).select_related("user").order_by("role", "pk")
        )
        if call
        else []
    )
    rooms = (
        Room.objects.filter(application__call__edition=edition)
        .select_related("application__applicant", "application__call__edition")
        .prefetch_related("mentors__user")
        .order_by("pk")
    )
    certificates = {c.room_id: c for c in Certificate.objects.filter(room__in=rooms)}
    participants = [
        Participant(
            room,
            room.application.applicant.get_full_name() or room.application.applicant.username,
            list(room.mentors.all()),
            certificates.get(room.pk),
            compute_use(room=room),
        )
        for room in rooms
    ]
    return EditionDesk(
        edition=edition,
        call=call,
        committee=committee,
        sessions=list(edition.sessions.all()),
        mentors=list(edition.mentors.select_related("user").order_by("pk")),
        participants=participants,
    )
