"""The pages through the test client: the programme in Persian and Kazakh, the call with
the deadline in the viewer's zone, the applicant's form, the committee's scoring and the
chair's decisions, the decision as the applicant reads it, the calendar and certificate."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from icalendar import Calendar
from pypdf import PdfReader

from dastan.bazaar.tests.factories import org_profile, project
from dastan.labs import calls, mentoring, programmes
from dastan.labs.models import Application, Room
from dastan.labs.selection import decide
from dastan.labs.tests.factories import before_deadline, lab_world

pytestmark = pytest.mark.django_db


def client_for(user: Any = None, language: str = "en", tz: str = "") -> Client:
    client = Client()
    client.cookies["dastan_language"] = language
    if tz:
        client.cookies["dastan_tz"] = tz
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("language", "name", "direction"), [
    ("fa", "کارگاه نویسنده-کارگردان سازمان همکاری شانگهای", 'dir="rtl"'),
    ("kk", "ШЫҰ сценарист-режиссёрлер зертханасы", 'dir="ltr"')])
def test_programme_page_in_the_viewers_language_marks_machine_text(language: str, name: str, direction: str) -> None:
    lab_world()
    page = client_for(language=language).get("/labs/sco-writer-director-lab/")
    assert page.status_code == 200
    html = page.content.decode()
    assert name in html and direction in html
    assert ("note-machine" in html) == (language == "kk")  # the Kazakh text is machine-made


def test_call_page_shows_deadline_in_hosts_and_viewers_zone() -> None:
    world = lab_world()
    html = client_for(tz="Asia/Shanghai").get(f"/labs/calls/{world.call.pk}/").content.decode()
    assert "March 1, 2099, 6 p.m. (Asia/Karachi)" in html
    assert "March 1, 2099, 9 p.m. (Asia/Shanghai)" in html
    ru = client_for(language="ru").get(f"/labs/calls/{world.call.pk}/?tz=Europe/Minsk").content.decode()
    assert "1 марта 2099 г. 16:00 (Europe/Minsk)" in ru


def test_apply_save_submit_score_decide_and_read_the_reason_through_pages(settings: Any) -> None:
    world = lab_world()
    p = world.people
    applicant = client_for(p["applicant"], tz="Asia/Karachi")
    response = applicant.post(f"/labs/calls/{world.call.pk}/apply",
                              {"country": "PK", "career_stage": "first film", "time_zone": "Asia/Karachi"})
    application = Application.objects.get(applicant=p["applicant"])
    assert response.status_code == 302 and response["Location"] == f"/labs/applications/{application.pk}/"
    bad = applicant.post(f"/labs/applications/{application.pk}/save", {"format": "opera", "action": "save"})
    assert bad.status_code == 422 and "feature, short, series" in bad.content.decode()
    applicant.post(f"/labs/applications/{application.pk}/save",
                   {"logline": "A caravan at dawn.", "format": "feature", "action": "save",
                    "treatment": SimpleUploadedFile("treatment.txt", b"TREATMENT: the caravan")})
    applicant.post(f"/labs/applications/{application.pk}/save", {"logline": "A caravan at dawn.", "action": "submit"})
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED

    member = client_for(p["member"])
    page = member.get(f"/labs/applications/{application.pk}/").content.decode()
    assert "A caravan at dawn." in page and 'id="scoring"' in page
    stored = application.files.get()
    download = member.get(f"/labs/files/{stored.pk}")
    assert b"".join(download.streaming_content) == b"TREATMENT: the caravan"  # type: ignore[attr-defined]
    assert client_for(p["other"]).get(f"/labs/files/{stored.pk}").status_code == 404
    member.post(f"/labs/applications/{application.pk}/review", {"score-story": "8", "score-voice": "7",
                                                                "comment": "Clear."})
    assert client_for(p["other"]).get(f"/labs/applications/{application.pk}/").status_code == 404

    conflicted = client_for(p["conflicted"])
    conflicted.post(f"/labs/applications/{application.pk}/review", {"action": "conflict", "reason": "friend"})
    assert conflicted.get(f"/labs/applications/{application.pk}/").status_code == 404
    assert "A caravan" not in conflicted.get(f"/labs/calls/{world.call.pk}/committee/").content.decode()

    chair = client_for(p["chair"])
    ranking = chair.get(f"/labs/calls/{world.call.pk}/committee/").content.decode()
    assert "15.0" in ranking and "Ayesha Khan" in ranking
    chair.post(f"/labs/applications/{application.pk}/decide",
               {"decision": "selected", "reason": "A distinct voice and a clear plan."})
    mine = applicant.get(f"/labs/applications/{application.pk}/").content.decode()
    assert "Selected" in mine and "A distinct voice and a clear plan." in mine
    assert Room.objects.filter(application=application).exists()


def test_calendar_and_certificate_downloads() -> None:
    world = lab_world()
    p = world.people
    application = calls.start_application(user=p["applicant"], call=world.call, country="PK",
                                          career_stage="first film", now=before_deadline(world.call, 5))
    calls.save_answers(user=p["applicant"], application=application, answers={"logline": "x"})
    calls.submit_application(user=p["applicant"], application_id=application.pk, now=before_deadline(world.call))
    decide(user=p["chair"], application_id=application.pk, decision="selected", reason="Yes.")
    room = Room.objects.get(application=application)
    mentoring.add_session(by=None, edition=world.edition, name="Opening", starts_local=datetime(2099, 4, 1, 10),
                          ends_local=datetime(2099, 4, 1, 12), time_zone="Asia/Karachi")
    ics = client_for(p["applicant"]).get(f"/labs/editions/{world.edition.pk}/schedule.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    event = next(c for c in Calendar.from_ical(ics.content).walk("VEVENT"))
    starts: Any = event["dtstart"].dt  # type: ignore[union-attr]
    assert str(starts.tzinfo) == "Asia/Karachi" and starts.hour == 10
    assert client_for(p["member"]).get(f"/labs/editions/{world.edition.pk}/schedule.ics").status_code == 404

    certificate = mentoring.issue_certificate(by=p["host_admin"], room=room)
    pdf = client_for(p["applicant"]).get(f"/labs/rooms/{room.pk}/certificate.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"http://testserver/labs/certificates/{certificate.code}/" in text
    verify = Client().get(f"/labs/certificates/{certificate.code}/").content.decode()
    assert "Ayesha Khan" in verify
    assert client_for(p["other"]).get(f"/labs/rooms/{room.pk}/certificate.pdf").status_code == 404


def test_outcomes_link_to_public_bazaar_projects_only() -> None:
    world = lab_world()
    owner, producer = org_profile(name="Caravan Films", country="PK")
    public = project(owner=owner, user=producer, title="The Caravan", slug="the-caravan", visibility="public")
    private = project(owner=owner, user=producer, title="The Quiet One", slug="the-quiet-one", visibility="members")
    for made in (public, private):
        programmes.record_outcome(by=None, edition=world.edition, label=made.title, bazaar_project=made.slug)
    html = client_for().get("/labs/sco-writer-director-lab/").content.decode()
    assert 'href="/bazaar/projects/the-caravan/"' in html
    assert "the-quiet-one" in html and 'href="/bazaar/projects/the-quiet-one/"' not in html
