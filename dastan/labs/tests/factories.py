"""A labs world for tests: a programme co-hosted by two organisations, an edition in
Karachi's time zone, its call with a form and rubric, a committee of three (one chair),
a mentor, and applicants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.labs import calls, mentoring, selection
from dastan.labs.calls import FieldSpec, open_call, seat_committee
from dastan.labs.files import add_file
from dastan.labs.mentoring import name_mentor
from dastan.labs.models import (
    Application,
    ApplicationFile,
    Call,
    Certificate,
    Comment,
    CommitteeMember,
    Conflict,
    Edition,
    FormField,
    Mentor,
    Note,
    Programme,
    ProgrammeText,
    Room,
    Score,
    Screener,
    ScriptDraft,
    ScriptNote,
    Session,
)
from dastan.labs.programmes import create_edition, create_programme

DEADLINE_LOCAL = datetime(2099, 3, 1, 18, 0)  # 18:00 in Asia/Karachi = 13:00 UTC
RUBRIC = [{"key": "story", "label": "Story", "max": 10}, {"key": "voice", "label": "Voice", "max": 10}]
FIELDS = [
    FieldSpec("logline", "text", "Logline", required=True),
    FieldSpec("statement", "long_text", "Director's statement"),
    FieldSpec("format", "choice", "Format", choices=("feature", "short", "series")),
    FieldSpec("treatment", "file", "Treatment (PDF)"),
    FieldSpec("project", "project", "Bazaar project"),
    FieldSpec("film", "film", "Previous film or rough cut"),
]


def user(username: str, full_name: str = "") -> User:
    first, _, last = (full_name or username.title()).partition(" ")
    return User.objects.create_user(username, password="x" * 12, first_name=first, last_name=last)


@dataclass
class LabWorld:
    programme: Programme
    edition: Edition
    call: Call
    hosts: list[Organisation]
    people: dict[str, User] = field(default_factory=dict)
    mentor: Mentor | None = None


def lab_world(*, opens_at: datetime | None = None, max_files: int = 3) -> LabWorld:
    hosts = [Organisation.objects.create(name="Karachi Film Society", slug="kfs", kind="school", country="PK"),
             Organisation.objects.create(name="Almaty Film School", slug="afs", kind="school", country="KZ")]
    programme = create_programme(by=None, slug="sco-writer-director-lab", kind="lab", hosts=hosts,
                                 original_language="en", texts={
        "en": ("SCO Writer-Director Lab", "Six months with a mentor, from treatment to rough cut."),
        "ru": ("Лаборатория сценаристов и режиссёров ШОС", "Шесть месяцев с наставником."),
        "fa": ("کارگاه نویسنده-کارگردان سازمان همکاری شانگهای", "شش ماه با یک راهنما، از طرح تا تدوین اولیه."),
        "kk": ("ШЫҰ сценарист-режиссёрлер зертханасы", "Тәлімгермен алты ай: тритменттен алғашқы монтажға дейін."),
    }, machine=("kk",))
    edition = create_edition(by=None, programme=programme, name="2099", starts_on=date(2099, 4, 1),
                             ends_on=date(2099, 9, 30), hosts=hosts, time_zone="Asia/Karachi",
                             languages=["en", "ru", "ur"], place="Karachi")
    call = open_call(by=None, edition=edition, opens_at=opens_at or timezone.now() - timedelta(days=1),
                     deadline_local=DEADLINE_LOCAL, fields=FIELDS, rubric=RUBRIC,
                     countries=["PK", "KZ", "CN", "BY", "IN"], career_stages=["first film", "second film"],
                     max_files=max_files)
    world = LabWorld(programme, edition, call, hosts)
    for name, full in (("chair", "Chen Jing"), ("member", "Madina Sultanova"), ("conflicted", "Cyrus Rahimi"),
                       ("mentor", "Mira Nair-Khan"), ("host_admin", "Hamid Admin"),
                       ("applicant", "Ayesha Khan"), ("other", "Oleg Volkov"), ("late", "Li Wei")):
        world.people[name] = user(name, full)
    seat_committee(by=None, call=call, user=world.people["chair"], chair=True)
    seat_committee(by=None, call=call, user=world.people["member"])
    seat_committee(by=None, call=call, user=world.people["conflicted"])
    world.mentor = name_mentor(by=None, edition=edition, user=world.people["mentor"], expertise="editing")
    Membership.objects.create(user=world.people["host_admin"], organisation=hosts[0], role=Membership.Role.ADMIN)
    return world


def before_deadline(call: Call, minutes: int = 1) -> Any:
    return call.deadline - timedelta(minutes=minutes)


def submitted_application(world: LabWorld, *, who: str = "applicant", logline: str = "A ferry.") -> Application:
    """``who``'s application to the world's call: started half an hour before the deadline,
    answered, and submitted a minute before it."""
    person = world.people[who]
    application = calls.start_application(user=person, call=world.call, country="PK", career_stage="first film",
                                          now=before_deadline(world.call, 30))
    calls.save_answers(user=person, application=application, answers={"logline": logline})
    calls.submit_application(user=person, application_id=application.pk, now=before_deadline(world.call))
    return application


# --- for tests/test_permissions_matrix.py ---------------------------------------------------------

def lab_matrix_things(*, host: Organisation) -> dict[str, Any]:
    """Labs objects hosted by ``host`` for the node-wide matrix: an open call, a submitted
    and selected application (answers marked SECRET-LABS-ANSWER) with a file and a
    screener, a draft, a room with a cut, a note (SECRET-LABS-NOTE), a script draft and a
    certificate. Their people (applicants, committee, mentor) are none of the matrix's
    identities. Returns the ids the matrix's paths name as {labs.…}."""
    programme = create_programme(by=None, slug="matrix-lab", kind="lab", hosts=[host],
                                 texts={"en": ("Matrix Lab", "A lab.")})
    edition = create_edition(by=None, programme=programme, name="2099", starts_on=date(2099, 1, 1),
                             ends_on=date(2099, 6, 1), hosts=[host], time_zone="Asia/Karachi", languages=["en"],
                             place="Karachi")
    call = open_call(by=None, edition=edition, opens_at=timezone.now() - timedelta(days=1),
                     deadline_local=datetime(2099, 1, 1, 18, 0), fields=FIELDS, rubric=RUBRIC,
                     career_stages=["first film"])
    applicant, drafter, chair, mentor, member = (user(n) for n in ("lab-applicant", "lab-drafter", "lab-chair",
                                                                   "lab-mentor", "lab-member"))
    seat_committee(by=None, call=call, user=chair, chair=True)
    seat_committee(by=None, call=call, user=member)
    application = calls.start_application(user=applicant, call=call, country="PK", career_stage="first film")
    calls.save_answers(user=applicant, application=application, answers={"logline": "SECRET-LABS-ANSWER"})
    stored = add_file(user=applicant, application=application, field_key="treatment", filename="t.pdf",
                      content=SimpleUploadedFile("t.pdf", b"SECRET-LABS-ANSWER"), size_bytes=18)
    screener_title = Title.objects.create(slug="labs-screener-matrix", original_language="en", country_of_origin="PK")
    screener = Screener.objects.create(title=screener_title, purpose=Screener.Purpose.APPLICATION,
                                       application=application, field_key="film", filename="film.mp4")
    calls.submit_application(user=applicant, application_id=application.pk)
    draft = calls.start_application(user=drafter, call=call, country="PK", career_stage="first film")
    calls.save_answers(user=drafter, application=draft, answers={"logline": "SECRET-LABS-ANSWER draft"})
    selection.decide(user=chair, application_id=application.pk, decision="selected", reason="Yes.")
    room = Room.objects.get(application=application)
    named = mentoring.name_mentor(by=None, edition=edition, user=mentor)
    mentoring.assign_mentor(by=None, room=room, mentor=named)
    cut_title = Title.objects.create(slug="labs-cut-matrix", original_language="en", country_of_origin="PK")
    cut = Screener.objects.create(title=cut_title, purpose=Screener.Purpose.ROUGH_CUT, room=room, filename="cut.mp4")
    note = mentoring.add_note(user=mentor, screener_id=cut.pk, timecode_ms=5000, text="SECRET-LABS-NOTE")
    mentoring.add_script_draft(user=applicant, room_id=room.pk, text="INT. SECRET-LABS-NOTE - DAY\n")
    session = mentoring.add_session(by=None, edition=edition, name="Opening", starts_local=datetime(2099, 1, 2, 10),
                                    ends_local=datetime(2099, 1, 2, 12), time_zone="Asia/Karachi")
    certificate = mentoring.issue_certificate(by=None, room=room)
    # An edition without its call yet, for the hosts' "open the call".
    fresh = create_edition(by=None, programme=programme, name="2100", starts_on=date(2100, 1, 1),
                           ends_on=date(2100, 6, 1), hosts=[host], time_zone="Asia/Karachi", languages=["en"],
                           place="Karachi")
    return {"labs.programme": programme.slug, "labs.call": call.pk, "labs.edition": edition.pk,
            "labs.application": application.pk, "labs.draft": draft.pk, "labs.file": stored.pk,
            "labs.screener": screener.pk, "labs.room": room.pk, "labs.note": note.pk,
            "labs.certificate": certificate.code, "labs.mentor": named.pk, "labs.session": session.pk,
            "labs.fresh": fresh.pk}


def lab_fingerprint() -> list[Any]:
    """What a labs request could change, for the matrix's before/after comparison."""
    return [list(Application.objects.order_by("pk").values_list("pk", "state", "answers", "decision")),
            ApplicationFile.objects.count(), Screener.objects.count(), Conflict.objects.count(),
            list(Score.objects.order_by("pk").values_list("pk", "points")), Comment.objects.count(),
            list(Note.objects.order_by("pk").values_list("pk", "resolved")), ScriptDraft.objects.count(),
            ScriptNote.objects.count(),
            # the hosts' things
            list(Programme.objects.order_by("pk").values_list("slug", "kind")),
            list(ProgrammeText.objects.order_by("pk").values_list("pk", "name", "description")),
            list(Edition.objects.order_by("pk").values_list("pk", "name")),
            list(Call.objects.order_by("pk").values_list("pk", "deadline")), FormField.objects.count(),
            list(CommitteeMember.objects.order_by("pk").values_list("user_id", "role")),
            list(Session.objects.order_by("pk").values_list("pk")), list(Mentor.objects.order_by("pk").values_list("pk")),
            list(Room.mentors.through.objects.order_by("pk").values_list("room_id", "mentor_id")),
            list(Certificate.objects.order_by("pk").values_list("pk"))]
