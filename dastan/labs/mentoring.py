"""After selection: mentors, the participant's room (timecoded notes on rough cuts, script
drafts with versions, diffs and line notes), the edition's sessions as a calendar file,
and certificates of participation as PDF with a verification address."""

from __future__ import annotations

import difflib
import io
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from dastan.accounts.permissions import NotAllowed
from dastan.catalog.models import Title
from dastan.errors import InvalidInput, NotFound
from dastan.jobs.models import ComputeRecord
from dastan.jobs.remote import ledger
from dastan.labs import typesetting
from dastan.labs.access import access_room, access_schedule, check_manage_edition
from dastan.labs.errors import AlreadyThere, ComputeExhausted
from dastan.labs.models import (
    Certificate,
    Edition,
    Mentor,
    Note,
    Room,
    Screener,
    ScriptDraft,
    ScriptNote,
    Session,
)
from dastan.labs.programmes import check_time_zone, check_wall_clock, person_name, programme_text

NOTE_MAX = 4000
MAX_TIMECODE_MS = 48 * 3600 * 1000
SCRIPT_MAX = 400_000


# --- mentors and sessions -----------------------------------------------------------------------

def name_mentor(*, by: Any, edition: Edition, user: User, expertise: str = "") -> Mentor:
    """Name ``user`` a mentor of ``edition``; raises AlreadyThere when they are one."""
    if by is not None:
        check_manage_edition(user=by, edition=edition)
    if Mentor.objects.filter(edition=edition, user=user).exists():
        raise AlreadyThere(_("%(person)s is already a mentor of this edition.") % {"person": person_name(user)},
                           _("Assign them to participants' rooms from the list of participants."), field="person")
    return Mentor.objects.create(edition=edition, user=user, expertise=expertise.strip()[:200])


@transaction.atomic
def remove_mentor(*, by: Any, mentor: Mentor) -> None:
    """The mentor leaves the edition and every room of it; their notes stay in the rooms."""
    check_manage_edition(user=by, edition=mentor.edition)
    mentor.delete()


def assign_mentor(*, by: Any, room: Room, mentor: Mentor) -> None:
    edition = room.application.call.edition
    if by is not None:
        check_manage_edition(user=by, edition=edition)
    if mentor.edition_id != edition.pk:
        raise InvalidInput(_("This mentor is not a mentor of the room's edition."),
                           _("Name them a mentor of this edition first."), field="mentor")
    room.mentors.add(mentor)


def add_session(*, by: Any, edition: Edition, name: str, starts_local: datetime, ends_local: datetime,
                time_zone: str, place: str = "") -> Session:
    """A session at wall-clock times in ``time_zone`` (naive datetimes). Raises
    InvalidInput naming the fix (no name, an unknown zone, an end before the start)."""
    if by is not None:
        check_manage_edition(user=by, edition=edition)
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput(_("A session needs a name of 1 to 200 characters."),
                           _("Name it as the schedule should show it, e.g. 'Opening: the pitch'."), field="name")
    zone = check_time_zone(time_zone)
    check_wall_clock(starts_local, field="starts_at")
    check_wall_clock(ends_local, field="ends_at")
    if starts_local.tzinfo is not None or ends_local.tzinfo is not None:
        raise InvalidInput(_("Give the session's times as wall-clock times in its zone."), "", field="starts_at")
    starts, ends = starts_local.replace(tzinfo=zone), ends_local.replace(tzinfo=zone)
    if ends <= starts:
        raise InvalidInput(_("The session ends before it starts."), _("Set the end after the start."),
                           field="ends_at")
    return Session.objects.create(edition=edition, name=name, starts_at=starts, ends_at=ends,
                                  time_zone=time_zone, place=place.strip()[:200])


def remove_session(*, by: Any, session: Session) -> None:
    check_manage_edition(user=by, edition=session.edition)
    session.delete()


def calendar_file(*, user: Any, edition: Edition, language: str = "en") -> bytes:
    """The edition's sessions as an iCalendar file, each event in its own time zone (with
    VTIMEZONE components), for the participants, mentors and hosts' administrators."""
    access_schedule(user=user, edition=edition)
    calendar = Calendar()
    calendar.add("prodid", "-//Dastan//labs//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{programme_text(programme=edition.programme, language=language).name} "
                                 f"{edition.name}")
    for session in edition.sessions.all():
        zone = check_time_zone(session.time_zone)
        event = Event()
        event.add("uid", f"labs-session-{session.pk}@dastan")
        event.add("summary", session.name)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("dtstamp", session.starts_at)
        if session.place:
            event.add("location", session.place)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


# --- the compute allowance ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ComputeUse:
    """A participant's compute in the compute ledger's own figures: weighted minutes of
    verified work (``dastan.jobs.remote.ledger``: a 1080p encoded minute counts 1, counted
    only once its output was accepted or re-done and matched), as hours."""

    used_minutes: float
    allowed_minutes: float  # 0: no allowance set (unlimited by the programme)
    records: int = 0

    @property
    def used_hours(self) -> float:
        return round(self.used_minutes / 60, 2)

    @property
    def allowed_hours(self) -> float:
        return round(self.allowed_minutes / 60, 2)

    @property
    def exhausted(self) -> bool:
        return self.allowed_minutes > 0 and self.used_minutes >= self.allowed_minutes


def compute_use(*, room: Room) -> ComputeUse:
    """What the compute ledger counted for the participant's cuts in this edition (the
    jobs on their cuts' titles: only accepted or verified output, exactly as the ledger's
    page and CSV count it), against the edition's allowance per participant. Work done on
    the node's own machines leaves no ledger record and uses none of the pool."""
    edition = room.application.call.edition
    titles = [str(pk) for pk in room.cuts.values_list("title_id", flat=True)]
    counted = ComputeRecord.objects.filter(verification__in=ledger.COUNTED, job__target_id__in=titles,
                                           job__target_type=ContentType.objects.get_for_model(Title)) \
        .aggregate(minutes=Sum("minutes"), records=Count("id"))
    return ComputeUse(used_minutes=float(counted["minutes"] or 0.0),
                      allowed_minutes=edition.compute_hours_per_participant * 60.0,
                      records=int(counted["records"] or 0))


def check_compute_left(*, room: Room) -> None:
    use = compute_use(room=room)
    if use.exhausted:
        raise ComputeExhausted(
            _("Your compute allowance for this edition is used up (%(used)s of %(allowed)s hours).")
            % {"used": use.used_hours, "allowed": use.allowed_hours},
            _("Ask the programme's hosts to raise the allowance, or send a shorter cut."))


# --- notes on rough cuts ------------------------------------------------------------------------

def _room_screener(*, user: Any, screener_id: int) -> tuple[Room, Screener]:
    screener = Screener.objects.filter(pk=screener_id, room__isnull=False).first()
    if screener is None or screener.room_id is None:
        raise NotFound(_("There is no such cut."), "")
    room = access_room(user=user, room_id=screener.room_id)
    return room, screener


def add_note(*, user: Any, screener_id: int, timecode_ms: int, text: str, parent_id: int | None = None) -> Note:
    """A note pinned to ``timecode_ms`` of a rough cut, by a mentor or (a reply) the
    participant; a reply sits at its parent's timecode."""
    _room, screener = _room_screener(user=user, screener_id=screener_id)
    text = text.strip()
    if not text or len(text) > NOTE_MAX:
        raise InvalidInput(_("A note needs between 1 and %(max)s characters.") % {"max": NOTE_MAX}, "", field="text")
    parent = None
    if parent_id is not None:
        parent = Note.objects.filter(pk=parent_id, screener=screener).first()
        if parent is None:
            raise InvalidInput(_("There is no such note to reply to on this cut."), "", field="parent")
        timecode_ms = parent.timecode_ms
    if not 0 <= timecode_ms <= MAX_TIMECODE_MS:
        raise InvalidInput(_("A timecode lies between 0 and 48 hours."), "", field="timecode_ms")
    return Note.objects.create(screener=screener, author=user, parent=parent, timecode_ms=timecode_ms, text=text)


def set_note_resolved(*, user: Any, note_id: int, resolved: bool) -> Note:
    note = Note.objects.filter(pk=note_id).first()
    if note is None:
        raise NotFound(_("There is no such note."), "")
    _room_screener(user=user, screener_id=note.screener_id)
    note.resolved = resolved
    note.save(update_fields=["resolved"])
    return note


def format_timecode(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{seconds:02d}.{millis // 100:d}"


def parse_timecode(text: str) -> int:
    """'1:02:03.5', '02:03' or '123.5' (seconds) as milliseconds; raises InvalidInput."""
    try:
        parts = [float(p) for p in text.strip().split(":")]
    except ValueError as exc:
        raise InvalidInput(_("'%(text)s' is not a timecode.") % {"text": text},
                           _("Write it as minutes:seconds, e.g. 1:05."), field="timecode") from exc
    if not 1 <= len(parts) <= 3 or any(not math.isfinite(p) or p < 0 for p in parts):
        raise InvalidInput(_("'%(text)s' is not a timecode.") % {"text": text},
                           _("Write it as minutes:seconds, e.g. 1:05."), field="timecode")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return round(seconds * 1000)


# --- the script lab -----------------------------------------------------------------------------

@transaction.atomic
def add_script_draft(*, user: Any, room_id: int, text: str) -> ScriptDraft:
    room = access_room(user=user, room_id=room_id)
    if room.application.applicant_id != user.pk:
        raise NotAllowed(_("Only the participant adds drafts of their script."), "", code="not_participant")
    if not text.strip() or len(text) > SCRIPT_MAX:
        raise InvalidInput(_("A draft needs between 1 and %(max)s characters of Fountain.") % {"max": SCRIPT_MAX},
                           "", field="text")
    last = room.drafts.order_by("-version").first()
    return ScriptDraft.objects.create(room=room, version=(last.version + 1) if last else 1,
                                      text=text.replace("\r\n", "\n"))


def script_diff(*, user: Any, room_id: int, old: int, new: int) -> list[str]:
    """Unified diff lines between two versions of the room's script."""
    room = access_room(user=user, room_id=room_id)
    drafts = {d.version: d for d in room.drafts.filter(version__in=[old, new])}
    if old not in drafts or new not in drafts:
        raise NotFound(_("This room has no draft version %(v)s.") % {"v": new if old in drafts else old},
                       _("Versions: %(list)s.") % {"list": ", ".join(str(v) for v in
                                                                      room.drafts.values_list("version", flat=True))})
    return list(difflib.unified_diff(drafts[old].text.splitlines(), drafts[new].text.splitlines(),
                                     f"v{old}", f"v{new}", lineterm=""))


def add_script_note(*, user: Any, room_id: int, version: int, line: int, text: str) -> ScriptNote:
    room = access_room(user=user, room_id=room_id)
    draft = room.drafts.filter(version=version).first()
    if draft is None:
        raise NotFound(_("This room has no draft version %(v)s.") % {"v": version}, "")
    lines = draft.text.count("\n") + 1
    if not 1 <= line <= lines:
        raise InvalidInput(_("Version %(v)s has lines 1 to %(n)s.") % {"v": version, "n": lines}, "", field="line")
    if not text.strip():
        raise InvalidInput(_("The note is empty."), "", field="text")
    return ScriptNote.objects.create(draft=draft, author=user, line=line, text=text.strip())


# --- certificates -------------------------------------------------------------------------------

def issue_certificate(*, by: Any, room: Room) -> Certificate:
    """The room's certificate; ``by`` (None: the node, e.g. the demo) must administer a host."""
    if by is not None:
        check_manage_edition(user=by, edition=room.application.call.edition)
    certificate, _created = Certificate.objects.get_or_create(room=room, defaults={"issued_by": by})
    return certificate


def verify_certificate(*, code: str) -> Certificate:
    """A certificate is public by its code (what its holder hands to others)."""
    certificate = (Certificate.objects.select_related("room__application__applicant",
                                                      "room__application__call__edition__programme")
                   .filter(code=code).first())
    if certificate is None:
        raise NotFound(_("No certificate has this code."), _("Check the code printed on the certificate."))
    return certificate


def access_certificate(*, user: Any, room_id: int) -> Certificate:
    """The room's certificate, for its participant or the hosts' administrators."""
    room = Room.objects.select_related("application__call__edition").filter(pk=room_id).first()
    if room is None:
        raise NotFound(_("There is no such item here, or it is not yours to see."), "")
    if getattr(user, "pk", None) != room.application.applicant_id:
        try:
            check_manage_edition(user=user, edition=room.application.call.edition)
        except NotAllowed as exc:
            raise NotFound(_("There is no such item here, or it is not yours to see."), "") from exc
    certificate = Certificate.objects.filter(room=room).first()
    if certificate is None:
        raise NotFound(_("No certificate has been issued for this participant yet."),
                       _("The hosts issue certificates when the edition ends."))
    return certificate


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """A one-page landscape certificate naming the participant, the programme and
    edition, the hosts, and the address where anyone can verify it. Every line is set by
    :mod:`dastan.labs.typesetting`: an Urdu, Persian or Hindi name is shaped and in its
    reading order, and copies out of the PDF as it was typed."""
    application = certificate.room.application
    edition = application.call.edition
    programme = programme_text(programme=edition.programme, language="en").name
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    pdf.setTitle(f"Certificate of participation - {programme}")
    middle = width / 2
    hosts = ", ".join(edition.hosts.order_by("name").values_list("name", flat=True))
    where = "online" if edition.online else edition.place
    for y, text, size, bold in (
            (height - 120, "Certificate of participation", 28, True),
            (height - 190, "This certifies that", 16, False),
            (height - 230, person_name(application.applicant), 24, True),
            (height - 270, f"took part in {programme}, {edition.name}", 16, False),
            (height - 295, f"{edition.starts_on:%d %B %Y} - {edition.ends_on:%d %B %Y}, {where}", 16, False),
            (height - 320, f"hosted by {hosts}", 16, False),
            (80, f"Verify this certificate: {verify_url}", 11, False),
            (62, f"Code {certificate.code} - issued {certificate.issued_at:%Y-%m-%d}", 11, False)):
        typesetting.draw_centred(pdf, middle, y, text, size=size, bold=bold)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
