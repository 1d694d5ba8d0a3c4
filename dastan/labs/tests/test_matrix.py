"""The labs permissions matrix: every labs standing against the application's and the
room's pages and API, before and after the chair's decision. Expected statuses are
written out per identity; every answer is also checked for what it must not carry (the
applicants' answers, the committee's comments, the decision's reason, the mentors'
notes) and for server errors.

Identities: anonymous, the applicant, another applicant, a committee member, a member
who declared a conflict on the applicant's application, the chair, a mentor, an
administrator of a host organisation (who runs the edition but reads no application),
and an administrator of an organisation that hosts nothing here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation, Title
from dastan.labs import calls, mentoring, selection
from dastan.labs.files import add_file
from dastan.labs.models import Edition, Room, Screener, Session
from dastan.labs.tests.factories import LabWorld, before_deadline, lab_world, user

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "applicant", "other", "member", "conflicted", "chair", "mentor", "host_admin", "other_admin"]
# What each must never read: A is the applicant's, B the other applicant's.
SECRETS = {
    "ANSWER-A": {"applicant", "member", "chair"},
    "ANSWER-B": {"other", "member", "conflicted", "chair"},
    "COMMENT-A": {"member", "chair"},
    "NOTE-A": {"applicant", "mentor"},
}


def _apply(world: LabWorld, who: str, marker: str) -> Any:
    application = calls.start_application(user=world.people[who], call=world.call, country="PK",
                                          career_stage="first film", now=before_deadline(world.call, 30))
    calls.save_answers(user=world.people[who], application=application, answers={"logline": marker})
    add_file(user=world.people[who], application=application, field_key="treatment", filename="t.txt",
             content=SimpleUploadedFile("t.txt", marker.encode()), size_bytes=len(marker))
    calls.submit_application(user=world.people[who], application_id=application.pk, now=before_deadline(world.call))
    return application


@pytest.fixture
def world(settings: Any) -> tuple[LabWorld, dict[str, Any]]:
    settings.DASTAN_API_ANON_RATE = settings.DASTAN_API_TOKEN_RATE = "100000/m"
    world = lab_world()
    world.people["other_admin"] = user("other_admin", "Olga Other")
    Membership.objects.create(user=world.people["other_admin"], role=Membership.Role.ADMIN, organisation=(
        Organisation.objects.create(name="Minsk Film Studio", slug="minsk-studio", kind="studio", country="BY")))
    a = _apply(world, "applicant", "ANSWER-A")
    b = _apply(world, "other", "ANSWER-B")
    selection.declare_conflict(user=world.people["conflicted"], application_id=a.pk)
    selection.add_comment(user=world.people["member"], application_id=a.pk, text="COMMENT-A")
    mentoring.add_session(by=None, edition=world.edition, name="Opening", starts_local=datetime(2099, 4, 1, 10),
                          ends_local=datetime(2099, 4, 1, 12), time_zone="Asia/Karachi")
    return world, {"a": a.pk, "b": b.pk, "call": world.call.pk, "file_a": a.files.get().pk,
                   "edition": world.edition.pk}


def _request(world: LabWorld, who: str, method: str, path: str, body: Any, *, api: bool) -> Any:
    client = Client()
    if who != "anonymous":
        if api:
            client = Client(headers={"Authorization": f"Bearer {issue_api_token(user=world.people[who])}"})
        else:
            client.force_login(world.people[who])
    if body is None:
        return client.generic(method, path)
    if api:
        return client.generic(method, path, json.dumps(body), content_type="application/json")
    return client.post(path, body)


class _Undo(Exception):
    pass


def walk(world: LabWorld, method: str, path: str, expected: dict[str, int], *, body: Any = None,
         api: bool = True, undo: bool = False) -> list[str]:
    """Each identity's request; with ``undo``, each one's changes are rolled back, so that
    every identity meets the same world (a host's "seat X" would otherwise make the next
    identity's "seat X" a duplicate)."""
    problems = []
    for who in WHO:
        try:
            with transaction.atomic():
                response = _request(world, who, method, path, body, api=api)
                if undo:
                    raise _Undo
        except _Undo:
            pass
        text = b"".join(response.streaming_content).decode(errors="replace") if response.streaming \
            else response.content.decode(errors="replace")
        want = expected.get(who, expected.get("*", 0))
        if response.status_code >= 500 or response.status_code != want:
            problems.append(f"{method} {path} as {who}: {response.status_code}, expected {want}")
        leaked = [m for m, readers in SECRETS.items() if who not in readers and m in text]
        if leaked:
            problems.append(f"{method} {path} as {who} leaked {leaked}")
    return problems


def test_before_the_decision_each_standing_sees_only_its_own(world: tuple[LabWorld, dict[str, Any]]) -> None:
    w, ids = world
    a, call = ids["a"], ids["call"]
    reader = {"anonymous": 401, "applicant": 200, "member": 200, "chair": 200, "*": 404}
    problems = walk(w, "GET", f"/api/v1/labs/applications/{a}", reader)
    problems += walk(w, "GET", f"/labs/applications/{a}/", {**reader, "anonymous": 302}, api=False)
    problems += walk(w, "GET", f"/labs/files/{ids['file_a']}", {**reader, "anonymous": 302}, api=False)
    problems += walk(w, "PUT", f"/api/v1/labs/applications/{a}/scores",
                     {"anonymous": 401, "applicant": 403, "member": 200, "chair": 200, "*": 404},
                     body={"points": {"story": 6}})
    problems += walk(w, "GET", f"/api/v1/labs/calls/{call}/applications",
                     {"anonymous": 401, "member": 200, "conflicted": 200, "chair": 200, "host_admin": 200,
                      "*": 403})
    problems += walk(w, "GET", f"/api/v1/labs/calls/{call}/ranking", {"anonymous": 401, "chair": 200, "*": 403})
    problems += walk(w, "GET", f"/labs/calls/{call}/committee/",
                     {"anonymous": 302, "member": 200, "conflicted": 200, "chair": 200, "host_admin": 200,
                      "*": 403}, api=False)
    problems += walk(w, "POST", f"/api/v1/labs/applications/{a}/decision",
                     {"anonymous": 401, "applicant": 403, "member": 403, "chair": 200, "*": 404},
                     body={"decision": "declined", "reason": "x"})
    problems += walk(w, "GET", f"/api/v1/labs/calls/{call}?tz=Asia/Shanghai", {"*": 200})
    assert not problems, "\n".join(problems)


def test_after_the_decision_the_room_is_the_participants_and_mentors(
        world: tuple[LabWorld, dict[str, Any]]) -> None:
    w, ids = world
    selection.decide(user=w.people["chair"], application_id=ids["a"], decision="selected",
                     reason="REASON-A: a distinct voice.")
    selection.decide(user=w.people["chair"], application_id=ids["b"], decision="declined",
                     reason="REASON-B: not this year.")
    room = Room.objects.get(application_id=ids["a"])
    assert w.mentor is not None
    mentoring.assign_mentor(by=None, room=room, mentor=w.mentor)
    cut = Screener.objects.create(title=_title(), purpose="rough_cut", room=room, filename="cut.mp4")
    mentoring.add_note(user=w.people["mentor"], screener_id=cut.pk, timecode_ms=4000, text="NOTE-A")

    SECRETS["REASON-A"] = {"applicant", "member", "chair"}
    SECRETS["REASON-B"] = {"other", "member", "conflicted", "chair"}
    try:
        problems = walk(w, "GET", f"/api/v1/labs/applications/{ids['a']}",
                        {"anonymous": 401, "applicant": 200, "member": 200, "chair": 200, "*": 404})
        problems += walk(w, "GET", f"/api/v1/labs/applications/{ids['b']}",
                         {"anonymous": 401, "other": 200, "member": 200, "conflicted": 200, "chair": 200, "*": 404})
        room_readers = {"anonymous": 302, "applicant": 200, "mentor": 200, "*": 404}
        problems += walk(w, "GET", f"/labs/rooms/{room.pk}/", room_readers, api=False)
        problems += walk(w, "GET", f"/api/v1/labs/rooms/{room.pk}", {**room_readers, "anonymous": 401})
        problems += walk(w, "POST", f"/api/v1/labs/rooms/{room.pk}/notes",
                         {"anonymous": 401, "applicant": 201, "mentor": 201, "*": 404},
                         body={"screener_id": cut.pk, "timecode_ms": 9000, "text": "reply"})
        problems += walk(w, "GET", f"/labs/editions/{ids['edition']}/schedule.ics",
                         {"anonymous": 302, "applicant": 200, "mentor": 200, "host_admin": 200, "*": 404}, api=False)
        problems += walk(w, "POST", f"/api/v1/labs/applications/{ids['a']}/withdraw",
                         {"anonymous": 401, "applicant": 409, "member": 403, "chair": 403, "*": 404})
    finally:
        SECRETS.pop("REASON-A")
        SECRETS.pop("REASON-B")
    assert not problems, "\n".join(problems)


def _title() -> Title:
    return Title.objects.create(slug="labs-cut-test", original_language="en", country_of_origin="PK")


def test_the_hosts_desk_is_the_host_admins_alone(world: tuple[LabWorld, dict[str, Any]]) -> None:
    """Every hosts' operation and page: the host's administrator may, nobody else — not
    another organisation's administrator, not the committee, not the applicant — and the
    desk shows no application's answers, comments or notes to the host."""
    w, ids = world
    selection.decide(user=w.people["chair"], application_id=ids["a"], decision="selected", reason="Yes.")
    room = Room.objects.get(application_id=ids["a"])
    assert w.mentor is not None
    cut = Screener.objects.create(title=_title(), purpose="rough_cut", room=room, filename="cut.mp4")
    mentoring.assign_mentor(by=None, room=room, mentor=w.mentor)
    mentoring.add_note(user=w.people["mentor"], screener_id=cut.pk, timecode_ms=4000, text="NOTE-A")
    fresh = Edition.objects.create(programme=w.programme, name="2100", starts_on=w.edition.starts_on,
                                   ends_on=w.edition.ends_on, time_zone="Asia/Karachi", languages=["en"],
                                   place="Karachi")
    fresh.hosts.set(w.hosts)
    session = Session.objects.get(edition=w.edition)
    slug, edition, call, mentor = w.programme.slug, w.edition.pk, ids["call"], w.mentor.pk
    host = {"anonymous": 401, "host_admin": 200, "*": 403}
    made = {**host, "host_admin": 201}
    hidden = {"anonymous": 401, "host_admin": 201, "*": 404}
    api_cases: list[tuple[str, str, dict[str, int], Any]] = [
        ("POST", "/programmes", {**made, "other_admin": 403}, {"slug": "new-lab", "hosts": ["kfs"], "name": "New"}),
        ("PUT", f"/programmes/{slug}/texts/ru", host, {"name": "Лаборатория"}),
        ("POST", f"/programmes/{slug}/editions", made, {"name": "2101", "starts_on": "2101-01-01",
                                                        "ends_on": "2101-02-01", "time_zone": "Asia/Karachi",
                                                        "languages": ["en"], "place": "Karachi"}),
        ("GET", f"/editions/{edition}/desk", host, None),
        ("POST", f"/editions/{fresh.pk}/call", made, {"deadline": "2099-12-01T18:00", "rubric": [
            {"label": "Story", "max": 10}], "fields": [{"kind": "text", "label": "Logline"}]}),
        ("PATCH", f"/calls/{call}", host, {"deadline": "2099-03-02T18:00"}),
        ("POST", f"/calls/{call}/committee", made, {"person": "other_admin"}),
        ("POST", f"/calls/{call}/committee/member/chair", host, None),
        ("DELETE", f"/calls/{call}/committee/member", host, None),
        ("POST", f"/editions/{edition}/sessions", made, {"name": "Pitch", "starts_at": "2099-04-02T10:00",
                                                         "ends_at": "2099-04-02T12:00"}),
        ("DELETE", f"/sessions/{session.pk}", {**host, "host_admin": 204}, None),
        ("POST", f"/editions/{edition}/mentors", made, {"person": "other_admin"}),
        ("DELETE", f"/mentors/{mentor}", {**host, "host_admin": 204}, None),
        ("POST", f"/rooms/{room.pk}/mentors/{mentor}", {**hidden, "host_admin": 200}, None),
        ("POST", f"/rooms/{room.pk}/certificate", hidden, None),
    ]
    problems = []
    for method, path, expected, body in api_cases:
        problems += walk(w, method, "/api/v1/labs" + path, expected, body=body, undo=True)
    page = {"anonymous": 302, "host_admin": 302, "*": 403}
    page_cases: list[tuple[str, str, dict[str, int], Any]] = [
        ("GET", "/labs/host/", {"anonymous": 302, "*": 200}, None),
        ("POST", "/labs/host/programmes", page, {"name": "New", "slug": "new-lab", "kind": "lab", "hosts": "kfs"}),
        ("GET", f"/labs/host/programmes/{slug}/", {**page, "host_admin": 200}, None),
        ("POST", f"/labs/host/programmes/{slug}/texts", page, {"language": "kk", "name": "Зертхана"}),
        ("POST", f"/labs/host/programmes/{slug}/editions", page, {
            "name": "2102", "starts_on": "2102-01-01", "ends_on": "2102-02-01", "time_zone": "Asia/Karachi",
            "languages": "en", "place": "Karachi"}),
        ("GET", f"/labs/host/editions/{edition}/", {**page, "host_admin": 200}, None),
        ("POST", f"/labs/host/editions/{fresh.pk}/call", page, {"deadline": "2099-12-01T18:00",
                                                                "q1-label": "Logline", "rubric": "Story | 10"}),
        ("POST", f"/labs/host/calls/{call}/deadline", page, {"deadline": "2099-03-02T18:00"}),
        ("POST", f"/labs/host/calls/{call}/committee", page, {"action": "seat", "person": "other_admin"}),
        ("POST", f"/labs/host/editions/{edition}/sessions", page, {
            "action": "add", "name": "Pitch", "starts_at": "2099-04-02T10:00", "ends_at": "2099-04-02T12:00"}),
        ("POST", f"/labs/host/editions/{edition}/mentors", page, {"action": "add", "person": "other_admin"}),
        ("POST", f"/labs/host/rooms/{room.pk}/certificate", {**page, "*": 404}, {}),
    ]
    for method, path, expected, body in page_cases:
        problems += walk(w, method, path, expected, body=body, api=False, undo=True)
    assert not problems, "\n".join(problems)
