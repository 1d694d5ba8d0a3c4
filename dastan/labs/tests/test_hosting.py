"""The hosts' desk: an administrator of a host organisation creates a programme, its
texts, an edition, the call (form, rubric, eligibility, deadline in the hosts' zone, file
cap), seats the committee and hands the chair over, adds sessions in their zones, names
and assigns mentors and issues certificates, through the API and through the pages; bad
input is refused with the fix and stores nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation
from dastan.labs import calls, selection
from dastan.labs.models import (
    Call,
    CommitteeMember,
    Edition,
    FormField,
    Mentor,
    Programme,
    ProgrammeText,
    Room,
    Session,
)
from dastan.labs.tests.factories import (
    LabWorld,
    before_deadline,
    lab_world,
    submitted_application,
    user,
)

pytestmark = pytest.mark.django_db

CALL = {
    "deadline": "2099-03-01T18:00",
    "fields": [
        {"kind": "text", "label": "Logline", "required": True},
        {"kind": "file", "label": "Treatment (PDF)"},
    ],
    "rubric": [{"label": "Story", "max": 10}],
    "countries": ["PK", "KZ"],
    "career_stages": ["first film"],
    "max_files": 2,
    "max_file_mb": 50,
}


def stored() -> list[Any]:
    """What a host's request could store, to compare before and after a refusal."""
    return [
        Programme.objects.count(),
        ProgrammeText.objects.count(),
        Edition.objects.count(),
        Call.objects.count(),
        FormField.objects.count(),
        list(CommitteeMember.objects.order_by("pk").values_list("user", "role")),
        Session.objects.count(),
        Mentor.objects.count(),
        list(Call.objects.values_list("deadline", flat=True)),
    ]


def api(world: LabWorld, who: str = "host_admin") -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=world.people[who])}"})


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    return client.generic(
        method,
        f"/api/v1/labs{path}",
        json.dumps(body) if body is not None else "",
        content_type="application/json",
    )


@pytest.fixture
def world(settings: Any) -> LabWorld:
    settings.DASTAN_API_ANON_RATE = settings.DASTAN_API_TOKEN_RATE = "100000/m"
    w = lab_world()
    for name, full in (
        ("juror", "Zarina Nurlanovna"),
        ("juror2", "Farid Hosseini"),
        ("coach", "Anil Mehta"),
    ):
        w.people[name] = user(name, full)
    w.people["juror"].email = "zarina@example.org"
    w.people["juror"].save()
    return w


def test_a_host_admin_runs_a_new_programme_through_the_api(world: LabWorld) -> None:
    host = api(world)
    r = send(
        host,
        "POST",
        "/programmes",
        {
            "slug": "dubbing-workshop",
            "kind": "workshop",
            "hosts": ["kfs"],
            "original_language": "en",
            "name": "Dubbing Workshop",
            "description": "Two weeks in the booth.",
        },
    )
    assert r.status_code == 201, r.content
    assert (
        r.json()["name"] == "Dubbing Workshop"
        and Programme.objects.get(slug="dubbing-workshop").hosts.get().slug == "kfs"
    )
    r = send(
        host,
        "PUT",
        "/programmes/dubbing-workshop/texts/ur",
        {"name": "ڈبنگ ورکشاپ", "description": ""},
    )
    assert r.status_code == 200 and r.json()["name"] == "ڈبنگ ورکشاپ"
    r = send(
        host,
        "POST",
        "/programmes/dubbing-workshop/editions",
        {
            "name": "2099, Lahore",
            "starts_on": "2099-05-01",
            "ends_on": "2099-05-14",
            "time_zone": "Asia/Karachi",
            "languages": ["ur", "en"],
            "place": "Lahore",
            "hosts": ["kfs", "afs"],
            "compute_hours_per_participant": 2,
        },
    )
    assert r.status_code == 201, r.content
    edition_id = r.json()["id"]
    assert r.json()["hosts"] == ["Almaty Film School", "Karachi Film Society"]

    r = send(host, "POST", f"/editions/{edition_id}/call", CALL)
    assert r.status_code == 201, r.content
    call = r.json()
    # 18:00 in Karachi is 13:00 UTC; the form's keys come from the labels.
    assert datetime.fromisoformat(call["deadline"]) == datetime(2099, 3, 1, 13, 0, tzinfo=UTC)
    assert "(Asia/Karachi)" in call["deadline_hosts"]
    assert [(f["key"], f["kind"], f["required"]) for f in call["fields"]] == [
        ("logline", "text", True),
        ("treatment-pdf", "file", False),
    ]
    assert (
        call["max_files"] == 2
        and call["countries"] == ["PK", "KZ"]
        and call["rubric"][0]["key"] == "story"
    )
    assert (
        send(Client(), "GET", f"/calls/{call['id']}?tz=Asia/Shanghai")
        .json()["deadline_yours"]
        .endswith("(Asia/Shanghai)")
    )

    assert (
        send(
            host, "POST", f"/calls/{call['id']}/committee", {"person": "zarina@example.org"}
        ).status_code
        == 201
    )
    r = send(host, "POST", f"/calls/{call['id']}/committee", {"person": "juror2", "chair": True})
    assert [(s["username"], s["role"]) for s in r.json()] == [
        ("juror2", "chair"),
        ("juror", "member"),
    ]
    r = send(host, "POST", f"/calls/{call['id']}/committee/juror/chair")
    assert {s["username"]: s["role"] for s in r.json()} == {"juror": "chair", "juror2": "member"}
    r = send(host, "DELETE", f"/calls/{call['id']}/committee/juror2")
    assert [s["username"] for s in r.json()] == ["juror"]

    r = send(
        host,
        "POST",
        f"/editions/{edition_id}/sessions",
        {
            "name": "Booth day",
            "starts_at": "2099-05-02T10:00",
            "ends_at": "2099-05-02T13:00",
            "time_zone": "Asia/Almaty",
        },
    )
    assert r.status_code == 201 and r.json()["starts_at"].startswith("2099-05-02T10:00:00+05:00")
    assert send(host, "DELETE", f"/sessions/{r.json()['id']}").status_code == 204
    r = send(
        host,
        "POST",
        f"/editions/{edition_id}/mentors",
        {"person": "coach", "expertise": "voice direction"},
    )
    assert r.status_code == 201
    desk = send(host, "GET", f"/editions/{edition_id}/desk").json()
    assert (
        desk["call_id"] == call["id"]
        and desk["sessions"] == []
        and desk["mentors"][0]["name"] == "Anil Mehta"
    )
    assert send(host, "DELETE", f"/mentors/{desk['mentors'][0]['id']}").status_code == 204

    # The Almaty school co-hosts this edition only: its administrator runs the edition's desk,
    # not the programme's name or its other editions.
    world.people["afs_admin"] = user("afs_admin", "Aidana Admin")
    Membership.objects.create(
        user=world.people["afs_admin"], organisation=world.hosts[1], role=Membership.Role.ADMIN
    )
    cohost = api(world, "afs_admin")
    assert send(cohost, "GET", f"/editions/{edition_id}/desk").status_code == 200
    assert (
        send(cohost, "PUT", "/programmes/dubbing-workshop/texts/kk", {"name": "Дубляж"}).status_code
        == 403
    )
    assert (
        send(
            cohost,
            "POST",
            "/programmes/dubbing-workshop/editions",
            {
                "name": "2100",
                "starts_on": "2100-05-01",
                "ends_on": "2100-05-14",
                "time_zone": "Asia/Almaty",
                "languages": ["kk"],
                "place": "Almaty",
                "hosts": ["afs"],
            },
        ).status_code
        == 403
    )
    page = Client()
    page.force_login(world.people["afs_admin"])
    home = page.get("/labs/host/").content.decode()
    assert "Editions you co-host" in home and f"/labs/host/editions/{edition_id}/" in home


def test_hosts_assign_mentors_and_issue_certificates_to_selected_participants(
    world: LabWorld,
) -> None:
    p = world.people
    application = submitted_application(world)
    selection.decide(
        user=p["chair"], application_id=application.pk, decision="selected", reason="Yes."
    )
    room = Room.objects.get(application=application)
    host = api(world)
    assert world.mentor is not None
    r = send(host, "POST", f"/rooms/{room.pk}/mentors/{world.mentor.pk}")
    assert r.status_code == 200 and r.json() == ["Mira Nair-Khan"]
    first = send(host, "POST", f"/rooms/{room.pk}/certificate")
    again = send(host, "POST", f"/rooms/{room.pk}/certificate")
    assert (
        first.status_code == again.status_code == 201
        and first.json()["code"] == again.json()["code"]
    )
    assert first.json()["participant"] == "Ayesha Khan"
    desk = send(host, "GET", f"/editions/{world.edition.pk}/desk").json()
    assert desk["participants"][0]["certificate"] == first.json()["code"]
    # Another organisation's administrator, a member and the participant are told nothing.
    other = user("other-admin", "Olga Admin")
    Membership.objects.create(
        user=other,
        organisation=Organisation.objects.create(
            name="Minsk Studio", slug="minsk", kind="studio", country="BY"
        ),
        role=Membership.Role.ADMIN,
    )
    world.people["other_admin"] = other
    for who in ("other_admin", "member", "applicant"):
        assert send(api(world, who), "POST", f"/rooms/{room.pk}/certificate").status_code == 404, (
            who
        )
        assert (
            send(api(world, who), "GET", f"/editions/{world.edition.pk}/desk").status_code == 403
        ), who


BAD: list[tuple[str, str, str, Any, int, str, str]] = [
    # (what, method, path (with {edition}/{call}/{programme}), body, status, code, words in the message)
    (
        "deadline in the past",
        "POST",
        "/editions/{fresh}/call",
        {**CALL, "deadline": "2020-01-01T18:00"},
        422,
        "invalid_input",
        "is in the past",
    ),
    (
        "no questions",
        "POST",
        "/editions/{fresh}/call",
        {**CALL, "fields": []},
        422,
        "invalid_input",
        "at least one question",
    ),
    (
        "a choice without choices",
        "POST",
        "/editions/{fresh}/call",
        {**CALL, "fields": [{"kind": "choice", "label": "Format", "choices": ["feature"]}]},
        422,
        "invalid_input",
        "fewer than two choices",
    ),
    (
        "two questions with one key",
        "POST",
        "/editions/{fresh}/call",
        {
            **CALL,
            "fields": [
                {"kind": "text", "label": "Logline"},
                {"kind": "long_text", "label": "logline"},
            ],
        },
        422,
        "invalid_input",
        "Two questions have the key 'logline'",
    ),
    (
        "files asked with a cap of 0",
        "POST",
        "/editions/{fresh}/call",
        {**CALL, "max_files": 0},
        422,
        "invalid_input",
        "cap on files is 0",
    ),
    (
        "a deadline with a zone",
        "POST",
        "/editions/{fresh}/call",
        {**CALL, "deadline": "2099-03-01T18:00:00Z"},
        422,
        "invalid_input",
        "without a zone",
    ),
    (
        "a second call",
        "POST",
        "/editions/{edition}/call",
        CALL,
        409,
        "already_there",
        "already has its call",
    ),
    (
        "an unknown zone",
        "POST",
        "/programmes/{programme}/editions",
        {
            "name": "2101",
            "starts_on": "2101-01-01",
            "ends_on": "2101-02-01",
            "time_zone": "Asia/Karachii",
            "languages": ["en"],
            "place": "Karachi",
        },
        422,
        "invalid_input",
        "'Asia/Karachii' is not a time zone",
    ),
    (
        "a session in an unknown zone",
        "POST",
        "/editions/{edition}/sessions",
        {
            "name": "Pitch",
            "starts_at": "2099-04-02T10:00",
            "ends_at": "2099-04-02T12:00",
            "time_zone": "Mars/Olympus",
        },
        422,
        "invalid_input",
        "'Mars/Olympus' is not a time zone",
    ),
    (
        "a session that ends before it starts",
        "POST",
        "/editions/{edition}/sessions",
        {"name": "Pitch", "starts_at": "2099-04-02T10:00", "ends_at": "2099-04-02T09:00"},
        422,
        "invalid_input",
        "ends before it starts",
    ),
    (
        "a duplicate member",
        "POST",
        "/calls/{call}/committee",
        {"person": "member"},
        409,
        "already_there",
        "Madina Sultanova already sits on this committee",
    ),
    (
        "a second chair",
        "POST",
        "/calls/{call}/committee",
        {"person": "juror", "chair": True},
        409,
        "already_there",
        "already has a chair: Chen Jing",
    ),
    (
        "an unknown account",
        "POST",
        "/calls/{call}/committee",
        {"person": "nobody-here"},
        422,
        "invalid_input",
        "No one on this node has the account 'nobody-here'",
    ),
    (
        "a duplicate mentor",
        "POST",
        "/editions/{edition}/mentors",
        {"person": "mentor"},
        409,
        "already_there",
        "already a mentor of this edition",
    ),
    (
        "a taken address",
        "POST",
        "/programmes",
        {"slug": "sco-writer-director-lab", "hosts": ["kfs"], "name": "X"},
        409,
        "already_there",
        "already has the address",
    ),
    (
        "a reserved address",
        "POST",
        "/programmes",
        {"slug": "host", "hosts": ["kfs"], "name": "X"},
        422,
        "invalid_input",
        "cannot be a programme's address",
    ),
    (
        "an unknown co-host",
        "POST",
        "/programmes",
        {"slug": "new-lab", "hosts": ["kfs", "nowhere"], "name": "X"},
        422,
        "invalid_input",
        "No organisation has the address 'nowhere'",
    ),
    (
        "a year nobody plans in",
        "POST",
        "/editions/{fresh}/call",
        {**CALL, "deadline": "9999-12-31T23:00"},
        422,
        "invalid_input",
        "9999 is not a year",
    ),
    (
        "a negative compute allowance",
        "POST",
        "/programmes/{programme}/editions",
        {
            "name": "2101",
            "starts_on": "2101-01-01",
            "ends_on": "2101-02-01",
            "time_zone": "Asia/Karachi",
            "languages": ["en"],
            "place": "Karachi",
            "compute_hours_per_participant": -5,
        },
        422,
        "invalid_input",
        "compute allowance",
    ),
    (
        "a moved deadline in the past",
        "PATCH",
        "/calls/{call}",
        {"deadline": "2021-06-01T10:00"},
        422,
        "invalid_input",
        "is in the past",
    ),
]


@pytest.mark.parametrize(
    ("what", "method", "path", "body", "status", "code", "words"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_input_is_refused_naming_the_fix_and_nothing_is_stored(
    world: LabWorld,
    what: str,
    method: str,
    path: str,
    body: Any,
    status: int,
    code: str,
    words: str,
) -> None:
    fresh = Edition.objects.create(
        programme=world.programme,
        name="2100",
        starts_on=world.edition.starts_on,
        ends_on=world.edition.ends_on,
        time_zone="Asia/Karachi",
        languages=["en"],
        place="Karachi",
    )
    fresh.hosts.set(world.hosts)
    before = stored()
    r = send(
        api(world),
        method,
        path.format(
            fresh=fresh.pk,
            edition=world.edition.pk,
            call=world.call.pk,
            programme=world.programme.slug,
        ),
        body,
    )
    assert (r.status_code, r.json()["code"]) == (status, code), r.content
    assert words in r.json()["message"], r.json()
    assert r.json()["hint"], f"{what}: the refusal names no fix"
    assert stored() == before


def test_an_applicant_cannot_sit_on_the_committee_of_their_call(world: LabWorld) -> None:
    calls.start_application(
        user=world.people["applicant"],
        call=world.call,
        country="PK",
        career_stage="first film",
        now=before_deadline(world.call, 30),
    )
    before = stored()
    r = send(api(world), "POST", f"/calls/{world.call.pk}/committee", {"person": "applicant"})
    assert (
        r.status_code == 422
        and "applied to this call" in r.json()["message"]
        and stored() == before
    )


def test_unseating_a_member_takes_their_scores_out_of_the_ranking(world: LabWorld) -> None:
    p = world.people
    application = submitted_application(world)
    selection.score_application(
        user=p["member"], application_id=application.pk, points={"story": 2, "voice": 2}
    )
    selection.score_application(
        user=p["chair"], application_id=application.pk, points={"story": 8, "voice": 8}
    )
    assert selection.ranking(user=p["chair"], call=world.call)[0].mean_total == 10
    calls.unseat_committee(by=p["host_admin"], call=world.call, user=p["member"])
    assert selection.ranking(user=p["chair"], call=world.call)[0].mean_total == 16


# --- the pages ----------------------------------------------------------------------------------


def page_client(world: LabWorld, who: str = "host_admin") -> Client:
    client = Client()
    client.force_login(world.people[who])
    return client


def test_the_pages_create_a_programme_an_edition_a_call_and_its_committee(world: LabWorld) -> None:
    host = page_client(world)
    assert "Karachi Film Society" in host.get("/labs/host/").content.decode()
    r = host.post(
        "/labs/host/programmes",
        {
            "name": "Documentary Lab",
            "slug": "doc-lab",
            "kind": "lab",
            "original_language": "en",
            "hosts": ["kfs"],
            "cohosts": "afs",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/labs/host/programmes/doc-lab/"
    assert sorted(Programme.objects.get(slug="doc-lab").hosts.values_list("slug", flat=True)) == [
        "afs",
        "kfs",
    ]
    r = host.post(
        "/labs/host/programmes/doc-lab/editions",
        {
            "name": "2099, Tashkent",
            "starts_on": "2099-06-01",
            "ends_on": "2099-06-20",
            "time_zone": "Asia/Tashkent",
            "place": "Tashkent",
            "languages": ["uz", "ru"],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    edition = Edition.objects.get(programme__slug="doc-lab")
    deadline = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT18:00")
    r = host.post(
        f"/labs/host/editions/{edition.pk}/call",
        {
            "deadline": deadline,
            "q1-label": "Logline",
            "q1-kind": "text",
            "q1-required": "on",
            "q2-label": "Format",
            "q2-kind": "choice",
            "q2-choices": "feature, short",
            "rubric": "Story | 10\nCraft | 5",
            "countries": "UZ, KZ",
            "max_files": "2",
            "max_file_mb": "100",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    call = Call.objects.get(edition=edition)
    assert list(call.fields.values_list("key", "kind", "choices")) == [
        ("logline", "text", []),
        ("format", "choice", ["feature", "short"]),
    ]
    assert call.rubric == [
        {"key": "story", "label": "Story", "max": 10},
        {"key": "craft", "label": "Craft", "max": 5},
    ]
    assert call.deadline.astimezone(ZoneInfo("Asia/Tashkent")).hour == 18
    for person, chair in (("juror", "on"), ("juror2", "")):
        assert (
            host.post(
                f"/labs/host/calls/{call.pk}/committee",
                {"action": "seat", "person": person, "chair": chair},
            ).status_code
            == 302
        )
    assert set(CommitteeMember.objects.filter(call=call).values_list("user__username", "role")) == {
        ("juror", "chair"),
        ("juror2", "member"),
    }
    page = host.get(f"/labs/host/editions/{edition.pk}/").content.decode()
    assert "Zarina Nurlanovna" in page and "Farid Hosseini" in page and "The call is open." in page
    public = Client().get(f"/labs/calls/{call.pk}/").content.decode()
    assert "Logline" in public and "Format" in public


def test_a_page_refusal_comes_back_beside_its_form_with_the_input_kept_and_nothing_stored(
    world: LabWorld,
) -> None:
    host = page_client(world)
    fresh = Edition.objects.create(
        programme=world.programme,
        name="2100",
        starts_on=world.edition.starts_on,
        ends_on=world.edition.ends_on,
        time_zone="Asia/Karachi",
        languages=["en"],
        place="Karachi",
    )
    fresh.hosts.set(world.hosts)
    before = stored()
    r = host.post(
        f"/labs/host/editions/{fresh.pk}/call",
        {"deadline": "2099-03-01T18:00", "rubric": "Story | 10", "countries": "PK, KZ"},
    )
    html = r.content.decode()
    assert (
        r.status_code == 422
        and "A call needs at least one question." in html
        and "labs-form-error" in html
    )
    assert 'value="PK, KZ"' in html and stored() == before
    r = host.post(
        f"/labs/host/calls/{world.call.pk}/committee", {"action": "seat", "person": "member"}
    )
    assert (
        r.status_code == 409
        and "already sits on this committee" in r.content.decode()
        and stored() == before
    )
    r = host.post(
        f"/labs/host/editions/{world.edition.pk}/sessions",
        {
            "action": "add",
            "name": "Pitch",
            "starts_at": "2099-04-02T10:00",
            "ends_at": "2099-04-02T12:00",
            "time_zone": "Asia/Karachii",
        },
    )
    assert (
        r.status_code == 422 and "is not a time zone" in r.content.decode() and stored() == before
    )
    # Another organisation's administrator is refused the page itself, not shown a form error.
    assert (
        page_client(world, "member").get(f"/labs/host/editions/{world.edition.pk}/").status_code
        == 403
    )
    assert (
        page_client(world, "member")
        .post(f"/labs/host/calls/{world.call.pk}/committee", {"person": "juror"})
        .status_code
        == 403
    )
    assert stored() == before


def test_a_session_keeps_its_own_zone_in_the_calendar(world: LabWorld) -> None:
    host = page_client(world)
    r = host.post(
        f"/labs/host/editions/{world.edition.pk}/sessions",
        {
            "action": "add",
            "name": "Sound clinic",
            "starts_at": "2099-04-03T09:30",
            "ends_at": "2099-04-03T11:00",
            "time_zone": "Europe/Minsk",
            "place": "online",
        },
    )
    assert r.status_code == 302
    session = Session.objects.get(name="Sound clinic")
    assert session.starts_at == datetime(2099, 4, 3, 6, 30, tzinfo=UTC)  # 09:30 in Minsk
    ics = host.get(f"/labs/editions/{world.edition.pk}/schedule.ics").content.decode()
    assert "DTSTART;TZID=Europe/Minsk:20990403T093000" in ics
    assert "Europe/Minsk" in host.get(f"/labs/host/editions/{world.edition.pk}/").content.decode()
