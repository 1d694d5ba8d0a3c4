"""The whole path through the domain functions: a call is open, three people apply (one
late, refused with the deadline shown), a member declares a conflict and loses the
application, scores rank, the chair decides with reasons the applicants read, and the
selected participant gets a room with mentors, notes, script drafts and a certificate."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from dastan.accounts.permissions import NotAllowed, NotFoundForUser
from dastan.errors import InvalidInput
from dastan.labs import calls, mentoring, selection
from dastan.labs.access import access_application
from dastan.labs.errors import (
    ApplicationState,
    CallClosed,
    InvalidAnswer,
    NotEligible,
    TooManyFiles,
)
from dastan.labs.files import access_file, add_file
from dastan.labs.models import Application, Room
from dastan.labs.tests.factories import before_deadline, lab_world

pytestmark = pytest.mark.django_db


def apply(world, who: str, *, country: str, zone: str, logline: str, now: datetime | None = None) -> Application:
    application = calls.start_application(user=world.people[who], call=world.call, country=country,
                                          career_stage="first film", time_zone=zone,
                                          now=now or before_deadline(world.call, 60))
    calls.save_answers(user=world.people[who], application=application,
                       answers={"logline": logline, "format": "feature", "project": "caravan-to-samarkand"})
    return application


def test_three_apply_one_late_conflict_hides_scores_rank_decisions_carry_reasons() -> None:
    world = lab_world()
    p = world.people
    ayesha = apply(world, "applicant", country="PK", zone="Asia/Karachi", logline="A caravan at dawn.")
    oleg = apply(world, "other", country="BY", zone="Europe/Minsk", logline="A winter in Minsk.")
    li = apply(world, "late", country="CN", zone="Asia/Shanghai", logline="Late but good.")
    calls.submit_application(user=p["applicant"], application_id=ayesha.pk, now=before_deadline(world.call))
    calls.submit_application(user=p["other"], application_id=oleg.pk, now=before_deadline(world.call, 5))
    with pytest.raises(CallClosed, match=r"\(Asia/Karachi\).*\(Asia/Shanghai\)"):
        calls.submit_application(user=p["late"], application_id=li.pk,
                                 now=world.call.deadline + timedelta(minutes=1))
    assert Application.objects.get(pk=li.pk).state == Application.State.DRAFT
    assert ayesha.bazaar_project == "caravan-to-samarkand"  # the plain reference, for the bazaar

    # Submitted once: a second submit is refused, answers no longer change.
    with pytest.raises(ApplicationState):
        calls.submit_application(user=p["applicant"], application_id=ayesha.pk, now=before_deadline(world.call))
    with pytest.raises(ApplicationState):
        calls.save_answers(user=p["applicant"], application=Application.objects.get(pk=ayesha.pk),
                           answers={"logline": "changed"})

    # Another applicant never sees Ayesha's application; drafts reach no committee.
    with pytest.raises(NotFoundForUser):
        access_application(user=p["other"], application_id=ayesha.pk)
    with pytest.raises(NotFoundForUser):
        access_application(user=p["member"], application_id=li.pk)

    selection.declare_conflict(user=p["conflicted"], application_id=ayesha.pk, reason="my cousin")
    with pytest.raises(NotFoundForUser):
        access_application(user=p["conflicted"], application_id=ayesha.pk)
    with pytest.raises(NotFoundForUser):
        selection.score_application(user=p["conflicted"], application_id=ayesha.pk, points={"story": 9})
    assert [a.pk for a in selection.visible_applications(user=p["conflicted"], call=world.call)] == [oleg.pk]
    assert [a.pk for a in selection.visible_applications(user=p["member"], call=world.call)] == [ayesha.pk, oleg.pk]

    selection.score_application(user=p["member"], application_id=ayesha.pk, points={"story": 9, "voice": 8})
    selection.score_application(user=p["chair"], application_id=ayesha.pk, points={"story": 7, "voice": 8})
    selection.score_application(user=p["member"], application_id=oleg.pk, points={"story": 5, "voice": 6})
    selection.score_application(user=p["conflicted"], application_id=oleg.pk, points={"story": 4, "voice": 4})
    with pytest.raises(InvalidInput, match="0 to 10"):
        selection.score_application(user=p["member"], application_id=oleg.pk, points={"story": 11})
    selection.add_comment(user=p["member"], application_id=ayesha.pk, text="Strong visual voice.")

    with pytest.raises(NotAllowed, match="chair"):
        selection.ranking(user=p["member"], call=world.call)
    ranked = selection.ranking(user=p["chair"], call=world.call)
    assert [(r.application.pk, r.mean_total, r.scorers) for r in ranked] == [(ayesha.pk, 16.0, 2), (oleg.pk, 9.5, 2)]

    with pytest.raises(InvalidInput, match="reason"):
        selection.decide(user=p["chair"], application_id=oleg.pk, decision="declined", reason=" ")
    with pytest.raises(NotAllowed):
        selection.decide(user=p["member"], application_id=oleg.pk, decision="declined", reason="No.")
    selection.decide(user=p["chair"], application_id=ayesha.pk, decision="selected",
                     reason="A distinct voice and a clear plan for the shoot.")
    selection.decide(user=p["chair"], application_id=oleg.pk, decision="waitlisted",
                     reason="Close to the line; we will write if a place opens.")
    mine = access_application(user=p["other"], application_id=oleg.pk)
    assert (mine.decision, mine.decision_reason) == ("waitlisted", "Close to the line; we will write if a place opens.")
    with pytest.raises(ApplicationState, match="decided"):
        calls.withdraw_application(user=p["other"], application=mine)

    room = Room.objects.get(application=ayesha)
    assert room is not None
    assert not Room.objects.filter(application=oleg).exists()


def test_eligibility_form_answers_and_withdrawal() -> None:
    world = lab_world()
    p = world.people
    with pytest.raises(InvalidInput, match="ISO 3166-1"):
        calls.start_application(user=p["applicant"], call=world.call, country="Pakistan", career_stage="first film",
                                now=before_deadline(world.call))
    with pytest.raises(NotEligible, match="PK, KZ, CN, BY, IN"):
        calls.start_application(user=p["applicant"], call=world.call, country="US", career_stage="first film",
                                now=before_deadline(world.call))
    with pytest.raises(NotEligible, match="career stages"):
        calls.start_application(user=p["applicant"], call=world.call, country="PK", career_stage="veteran",
                                now=before_deadline(world.call))
    application = calls.start_application(user=p["applicant"], call=world.call, country="PK",
                                          career_stage="first film", now=before_deadline(world.call))
    with pytest.raises(InvalidAnswer, match="feature, short, series"):
        calls.save_answers(user=p["applicant"], application=application, answers={"format": "opera"})
    with pytest.raises(InvalidAnswer, match="no question"):
        calls.save_answers(user=p["applicant"], application=application, answers={"budget": "1"})
    with pytest.raises(InvalidAnswer, match="Logline"):
        calls.submit_application(user=p["applicant"], application_id=application.pk, now=before_deadline(world.call))
    calls.withdraw_application(user=p["applicant"], application=application)
    assert Application.objects.get(pk=application.pk).state == Application.State.WITHDRAWN
    with pytest.raises(NotFoundForUser):
        calls.withdraw_application(user=p["other"], application=application)


def test_files_are_capped_and_private_to_applicant_and_unconflicted_committee() -> None:
    world = lab_world(max_files=1)
    p = world.people
    application = apply(world, "applicant", country="PK", zone="Asia/Karachi", logline="x")
    stored = add_file(user=p["applicant"], application=application, field_key="treatment", filename="t.pdf",
                      content=SimpleUploadedFile("t.pdf", b"%PDF-1.4 treatment"), size_bytes=18)
    with pytest.raises(TooManyFiles, match="at most 1"):
        add_file(user=p["applicant"], application=application, field_key="treatment", filename="t2.pdf",
                 content=SimpleUploadedFile("t2.pdf", b"%PDF"), size_bytes=4)
    with pytest.raises(NotFoundForUser):
        access_file(user=p["member"], file_id=stored.pk)  # a draft: the committee does not see it yet
    calls.submit_application(user=p["applicant"], application_id=application.pk, now=before_deadline(world.call))
    assert access_file(user=p["member"], file_id=stored.pk).pk == stored.pk
    selection.declare_conflict(user=p["conflicted"], application_id=application.pk)
    for who in ("conflicted", "other", "host_admin", "mentor"):
        with pytest.raises(NotFoundForUser):
            access_file(user=p[who], file_id=stored.pk)


def test_room_notes_script_versions_calendar_and_certificate() -> None:
    world = lab_world()
    p = world.people
    application = apply(world, "applicant", country="PK", zone="Asia/Karachi", logline="x")
    calls.submit_application(user=p["applicant"], application_id=application.pk, now=before_deadline(world.call))
    selection.decide(user=p["chair"], application_id=application.pk, decision="selected", reason="Yes.")
    room = Room.objects.get(application=application)
    assert world.mentor is not None
    with pytest.raises(NotAllowed):
        mentoring.assign_mentor(by=p["member"], room=room, mentor=world.mentor)
    mentoring.assign_mentor(by=p["host_admin"], room=room, mentor=world.mentor)

    one = mentoring.add_script_draft(user=p["applicant"], room_id=room.pk,
                                     text="INT. CARAVANSERAI - NIGHT\n\nAYESHA\nWe leave at dawn.\n")
    two = mentoring.add_script_draft(user=p["applicant"], room_id=room.pk,
                                     text="INT. CARAVANSERAI - NIGHT\n\nAYESHA\nWe leave before dawn.\n")
    assert (one.version, two.version) == (1, 2)
    diff = mentoring.script_diff(user=p["mentor"], room_id=room.pk, old=1, new=2)
    assert "-We leave at dawn." in diff and "+We leave before dawn." in diff
    note = mentoring.add_script_note(user=p["mentor"], room_id=room.pk, version=2, line=4, text="Why before?")
    assert note.line == 4
    with pytest.raises(InvalidInput, match="lines 1 to"):
        mentoring.add_script_note(user=p["mentor"], room_id=room.pk, version=2, line=99, text="?")
    with pytest.raises(NotAllowed):
        mentoring.add_script_draft(user=p["mentor"], room_id=room.pk, text="mine")
    with pytest.raises(NotFoundForUser):
        mentoring.script_diff(user=p["member"], room_id=room.pk, old=1, new=2)

    mentoring.add_session(by=p["host_admin"], edition=world.edition, name="Opening: the writer's room",
                          starts_local=datetime(2099, 4, 1, 10, 0), ends_local=datetime(2099, 4, 1, 12, 0),
                          time_zone="Asia/Karachi", place="Karachi Arts Council")
    mentoring.add_session(by=p["host_admin"], edition=world.edition, name="Editing clinic",
                          starts_local=datetime(2099, 5, 3, 15, 0), ends_local=datetime(2099, 5, 3, 17, 0),
                          time_zone="Asia/Almaty")
    ics = mentoring.calendar_file(user=p["applicant"], edition=world.edition).decode()
    assert "DTSTART;TZID=Asia/Karachi:20990401T100000" in ics
    assert "DTSTART;TZID=Asia/Almaty:20990503T150000" in ics
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Asia/Karachi" in ics
    with pytest.raises(NotFoundForUser):
        mentoring.calendar_file(user=p["other"], edition=world.edition)

    with pytest.raises(NotAllowed):
        mentoring.issue_certificate(by=p["mentor"], room=room)
    certificate = mentoring.issue_certificate(by=p["host_admin"], room=room)
    pdf = mentoring.certificate_pdf(certificate=certificate, verify_url=f"https://node.example/labs/c/{certificate.code}/")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Ayesha Khan" in text and "SCO Writer-Director Lab" in text and certificate.code in text
    assert mentoring.verify_certificate(code=certificate.code).pk == certificate.pk
    p["applicant"].first_name, p["applicant"].last_name = "Айгерим", "Нұрланқызы"  # Kazakh Cyrillic prints too
    p["applicant"].save()
    certificate.refresh_from_db()
    pdf = mentoring.certificate_pdf(certificate=certificate, verify_url="https://node.example/")
    assert "Айгерим Нұрланқызы" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_timecodes_read_and_written() -> None:
    assert mentoring.parse_timecode("1:05") == 65_000
    assert mentoring.parse_timecode("1:02:03.5") == 3_723_500
    assert mentoring.format_timecode(65_000) == "0:01:05.0"
    with pytest.raises(InvalidInput, match="minutes:seconds"):
        mentoring.parse_timecode("soon")
    with pytest.raises(InvalidInput, match="minutes:seconds"):
        mentoring.parse_timecode("inf")
