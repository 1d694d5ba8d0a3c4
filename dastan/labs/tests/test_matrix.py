"""The labs permissions matrix: every labs standing against the application's and the
room's pages and API, before and after the chair's decision. Expected statuses are
written out per identity; every answer is also checked for what it must not carry (the
applicants' answers, the committee's comments, the decision's reason, the mentors'
notes) and for server errors.

Identities: anonymous, the applicant, another applicant, a committee member, a member
who declared a conflict on the applicant's application, the chair, a mentor, and an
administrator of a host organisation (who runs the edition but reads no application).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Title
from dastan.labs import calls, mentoring, selection
from dastan.labs.files import add_file
from dastan.labs.models import Room, Screener
from dastan.labs.tests.factories import LabWorld, before_deadline, lab_world

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "applicant", "other", "member", "conflicted", "chair", "mentor", "host_admin"]
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


def walk(world: LabWorld, method: str, path: str, expected: dict[str, int], *, body: Any = None,
         api: bool = True) -> list[str]:
    problems = []
    for who in WHO:
        response = _request(world, who, method, path, body, api=api)
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
