"""/api/v1/labs: programmes and calls (public), applications (the applicant's), selection
(the committee's and the chair's), rooms (the participant's and mentors'), certificates
(public by code). Each view parses, calls one domain function, and returns a schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from dastan.accounts.tokens import OptionalTokenAuth, TokenAuth
from dastan.errors import InvalidInput, NotFound
from dastan.labs import calls, hosting, mentoring, programmes, selection, selectors
from dastan.labs.access import Purpose, access_application, access_room
from dastan.labs.files import add_file
from dastan.labs.models import (
    Application,
    Call,
    CommitteeMember,
    FormField,
    Mentor,
    Programme,
    Session,
)
from dastan.labs.programmes import check_time_zone, person_name, programme_text
from dastan.labs.schemas import (
    AnswersIn,
    ApplicationIn,
    ApplicationOut,
    ApplicationRow,
    CallIn,
    CallOut,
    CertificateOut,
    CommentIn,
    CommentOut,
    ConflictIn,
    DeadlineIn,
    DecisionIn,
    DiffOut,
    DraftIn,
    DraftOut,
    EditionDeskOut,
    EditionIn,
    EditionOut,
    FileOut,
    MentorIn,
    MentorOut,
    NoteIn,
    NoteOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammeTextIn,
    RankOut,
    ResolveIn,
    RoomOut,
    ScoresIn,
    ScriptNoteIn,
    ScriptNoteOut,
    SeatIn,
    SeatOut,
    SessionIn,
    SessionOut,
)
from dastan.labs.screeners import add_application_film, add_rough_cut, is_ready

router = Router(tags=["labs"])
auth = TokenAuth()
optional = OptionalTokenAuth()


def _language(request: HttpRequest, language: str | None) -> str:
    return language or get_language() or "en"


# --- public -------------------------------------------------------------------------------------

@router.get("/programmes", response=list[ProgrammeOut], auth=optional, summary="Programmes, in a language")
def list_programmes(request: HttpRequest, language: str | None = None) -> list[dict[str, Any]]:
    return [selectors.programme_out(p, language=_language(request, language))
            for p in Programme.objects.prefetch_related("texts").order_by("slug")]


@router.get("/programmes/{slug}", response=ProgrammeOut, auth=optional, summary="A programme and its editions")
def get_programme(request: HttpRequest, slug: str, language: str | None = None) -> dict[str, Any]:
    return selectors.programme_detail(slug=slug, language=_language(request, language))


@router.get("/calls/{call_id}", response=CallOut, auth=optional,
            summary="A call: eligibility, form, deadline in the hosts' zone and in ?tz=")
def get_call(request: HttpRequest, call_id: int, tz: str = "UTC", language: str | None = None) -> dict[str, Any]:
    check_time_zone(tz, field="tz")
    return selectors.call_out(selectors.access_call(call_id=call_id), zone=tz,
                              language=_language(request, language))


@router.get("/certificates/{code}", response=CertificateOut, auth=optional, summary="Verify a certificate")
def get_certificate(request: HttpRequest, code: str) -> dict[str, Any]:
    c = mentoring.verify_certificate(code=code)
    edition = c.room.application.call.edition
    return {"code": c.code, "participant": person_name(c.room.application.applicant),
            "programme": programme_text(programme=edition.programme, language=_language(request, None)).name,
            "edition": edition.name, "issued_at": c.issued_at}


# --- the applicant ------------------------------------------------------------------------------

@router.post("/calls/{call_id}/applications", response={201: ApplicationOut}, auth=auth,
             summary="Start (or return) your draft application")
def start_application(request: HttpRequest, call_id: int, body: ApplicationIn) -> Status:
    application = calls.start_application(user=request.user, call=selectors.access_call(call_id=call_id),
                                          country=body.country, career_stage=body.career_stage,
                                          project_stage=body.project_stage, time_zone=body.time_zone)
    return Status(201, selectors.application_out(user=request.user, application_id=application.pk))


@router.get("/applications/{application_id}", response=ApplicationOut, auth=auth,
            summary="An application: to its applicant, and to the committee once submitted")
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return selectors.application_out(user=request.user, application_id=application_id)


@router.patch("/applications/{application_id}", response=ApplicationOut, auth=auth, summary="Save draft answers")
def save_answers(request: HttpRequest, application_id: int, body: AnswersIn) -> dict[str, Any]:
    application = access_application(user=request.user, application_id=application_id, purpose=Purpose.EDIT)
    calls.save_answers(user=request.user, application=application, answers=body.answers)
    return selectors.application_out(user=request.user, application_id=application_id)


@router.post("/applications/{application_id}/files", response={201: FileOut}, auth=auth,
             summary="Add a file, or a film (sent through the media pipeline as a private screener)")
def add_application_file(request: HttpRequest, application_id: int, field: Form[str],
                         file: File[UploadedFile]) -> Status:
    application = access_application(user=request.user, application_id=application_id, purpose=Purpose.EDIT)
    kind = FormField.objects.filter(call=application.call, key=field).values_list("kind", flat=True).first()
    size = int(file.size or 0)
    if kind == FormField.Kind.FILM:
        s = add_application_film(user=request.user, application=application, field_key=field,
                                 filename=file.name or "film", content=file, size_bytes=size)
        return Status(201, {"id": s.pk, "field": field, "filename": s.filename, "kind": "film", "ready": is_ready(s)})
    f = add_file(user=request.user, application=application, field_key=field, filename=file.name or "file",
                 content=file, size_bytes=size)
    return Status(201, {"id": f.pk, "field": field, "filename": f.filename, "kind": "file", "ready": True})


@router.post("/applications/{application_id}/submit", response=ApplicationOut, auth=auth,
             summary="Submit, once, before the deadline")
def submit_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    calls.submit_application(user=request.user, application_id=application_id)
    return selectors.application_out(user=request.user, application_id=application_id)


@router.post("/applications/{application_id}/withdraw", response=ApplicationOut, auth=auth, summary="Withdraw")
def withdraw_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = access_application(user=request.user, application_id=application_id, purpose=Purpose.EDIT)
    calls.withdraw_application(user=request.user, application=application)
    return selectors.application_out(user=request.user, application_id=application_id)


# --- the committee ------------------------------------------------------------------------------

@router.get("/calls/{call_id}/applications", response=list[ApplicationRow], auth=auth,
            summary="Submitted applications: the committee's (without their conflicts) and the hosts'")
def list_applications(request: HttpRequest, call_id: int) -> list[dict[str, Any]]:
    rows = selection.visible_applications(user=request.user, call=selectors.access_call(call_id=call_id))
    return [{"id": a.pk, "applicant": person_name(a.applicant), "country": a.country, "state": a.state,
             "decision": a.decision} for a in rows]


@router.post("/applications/{application_id}/conflict", response={201: ApplicationRow}, auth=auth,
             summary="Declare a conflict of interest: the application is hidden from you from now on")
def declare_conflict(request: HttpRequest, application_id: int, body: ConflictIn) -> Status:
    conflict = selection.declare_conflict(user=request.user, application_id=application_id, reason=body.reason)
    a: Application = conflict.application
    return Status(201, {"id": a.pk, "applicant": "", "country": "", "state": "conflict declared", "decision": ""})


@router.put("/applications/{application_id}/scores", response=dict[str, int], auth=auth,
            summary="Your points per rubric criterion")
def score(request: HttpRequest, application_id: int, body: ScoresIn) -> dict[str, int]:
    rows = selection.score_application(user=request.user, application_id=application_id, points=body.points)
    return {s.criterion: s.points for s in rows}


@router.post("/applications/{application_id}/comments", response={201: CommentOut}, auth=auth,
             summary="A comment for the committee")
def comment(request: HttpRequest, application_id: int, body: CommentIn) -> Status:
    c = selection.add_comment(user=request.user, application_id=application_id, text=body.text)
    return Status(201, {"id": c.pk, "author": person_name(c.author), "text": c.text, "created_at": c.created_at})


@router.get("/calls/{call_id}/ranking", response=list[RankOut], auth=auth, summary="The chair's ranking")
def get_ranking(request: HttpRequest, call_id: int) -> list[dict[str, Any]]:
    ranked = selection.ranking(user=request.user, call=selectors.access_call(call_id=call_id))
    return [{"place": r.place, "application_id": r.application.pk, "applicant": person_name(r.application.applicant),
             "mean_total": r.mean_total, "scorers": r.scorers, "decision": r.application.decision} for r in ranked]


@router.post("/applications/{application_id}/decision", response=ApplicationRow, auth=auth,
             summary="The chair decides: selected, waitlisted or declined, with a reason the applicant reads")
def decide(request: HttpRequest, application_id: int, body: DecisionIn) -> dict[str, Any]:
    a = selection.decide(user=request.user, application_id=application_id, decision=body.decision, reason=body.reason)
    return {"id": a.pk, "applicant": person_name(a.applicant), "country": a.country, "state": a.state,
            "decision": a.decision}


# --- rooms --------------------------------------------------------------------------------------

@router.get("/rooms/{room_id}", response=RoomOut, auth=auth, summary="A participant's room")
def get_room(request: HttpRequest, room_id: int) -> dict[str, Any]:
    return selectors.room_out(user=request.user, room_id=room_id)


@router.post("/rooms/{room_id}/cuts", response={201: FileOut}, auth=auth,
             summary="Upload a rough cut (the media pipeline, private to the room)")
def upload_cut(request: HttpRequest, room_id: int, file: File[UploadedFile]) -> Status:
    room = access_room(user=request.user, room_id=room_id)
    s = add_rough_cut(user=request.user, room=room, filename=file.name or "cut.mp4", content=file)
    return Status(201, {"id": s.pk, "field": "", "filename": s.filename, "kind": "film", "ready": is_ready(s)})


@router.post("/rooms/{room_id}/notes", response={201: NoteOut}, auth=auth,
             summary="A note pinned to a timecode of a cut, or a reply")
def add_note(request: HttpRequest, room_id: int, body: NoteIn) -> Status:
    room = access_room(user=request.user, room_id=room_id)
    if not room.cuts.filter(pk=body.screener_id).exists():
        raise NotFound(_("This room has no cut %(id)s.") % {"id": body.screener_id}, "", field="screener_id")
    note = mentoring.add_note(user=request.user, screener_id=body.screener_id, timecode_ms=body.timecode_ms,
                              text=body.text, parent_id=body.parent_id)
    return Status(201, selectors.note_out(note))


@router.post("/notes/{note_id}/resolve", response=NoteOut, auth=auth, summary="Resolve or reopen a note")
def resolve_note(request: HttpRequest, note_id: int, body: ResolveIn) -> dict[str, Any]:
    return selectors.note_out(mentoring.set_note_resolved(user=request.user, note_id=note_id, resolved=body.resolved))


@router.post("/rooms/{room_id}/drafts", response={201: DraftOut}, auth=auth, summary="A new version of the script")
def add_draft(request: HttpRequest, room_id: int, body: DraftIn) -> Status:
    d = mentoring.add_script_draft(user=request.user, room_id=room_id, text=body.text)
    return Status(201, {"version": d.version, "lines": d.text.count("\n") + 1, "created_at": d.created_at})


@router.get("/rooms/{room_id}/diff", response=DiffOut, auth=auth, summary="The diff between two script versions")
def diff(request: HttpRequest, room_id: int, old: int, new: int) -> dict[str, Any]:
    return {"old": old, "new": new, "lines": mentoring.script_diff(user=request.user, room_id=room_id, old=old,
                                                                   new=new)}


@router.post("/rooms/{room_id}/script-notes", response={201: ScriptNoteOut}, auth=auth,
             summary="A note anchored to a line of a script version")
def add_script_note(request: HttpRequest, room_id: int, body: ScriptNoteIn) -> Status:
    n = mentoring.add_script_note(user=request.user, room_id=room_id, version=body.version, line=body.line,
                                  text=body.text)
    return Status(201, {"id": n.pk, "version": body.version, "line": n.line, "text": n.text,
                        "author": person_name(n.author)})


# --- the hosts' desk ------------------------------------------------------------------------------
# Each operation parses, finds what the path names for the hosts (access_*_for_host checks
# who asks first), and calls the one domain verb, which checks again.

def _desk_out(user: Any, edition_id: int) -> dict[str, Any]:
    desk = hosting.edition_desk(user=user, edition_id=edition_id)
    return {"edition": selectors.edition_out(desk.edition),
            "programme": desk.edition.programme.slug,
            "call_id": desk.call.pk if desk.call else None,
            "committee": [_seat_out(s) for s in desk.committee],
            "sessions": [_session_out(s) for s in desk.sessions],
            "mentors": [_mentor_out(m) for m in desk.mentors],
            "participants": [{"room_id": p.room.pk, "name": p.name, "mentors": [person_name(m.user) for m in p.mentors],
                              "certificate": p.certificate.code if p.certificate else None,
                              "compute_used_hours": p.compute.used_hours,
                              "compute_allowed_hours": p.compute.allowed_hours} for p in desk.participants]}


def _seat_out(seat: CommitteeMember) -> dict[str, Any]:
    return {"username": seat.user.username, "name": person_name(seat.user), "role": seat.role}


def _session_out(session: Session) -> dict[str, Any]:
    return {"id": session.pk, "name": session.name, "starts_at": session.starts_at, "ends_at": session.ends_at,
            "time_zone": session.time_zone, "place": session.place}


def _mentor_out(mentor: Mentor) -> dict[str, Any]:
    return {"id": mentor.pk, "username": mentor.user.username, "name": person_name(mentor.user),
            "expertise": mentor.expertise}


def _committee(call: Call) -> list[dict[str, Any]]:
    return [_seat_out(s) for s in CommitteeMember.objects.filter(call=call).select_related("user")
            .order_by("role", "pk")]


@router.post("/programmes", response={201: ProgrammeOut}, auth=auth,
             summary="Create a programme hosted by organisations you administer")
def host_create_programme(request: HttpRequest, body: ProgrammeIn) -> Status:
    p = programmes.create_programme(by=request.user, slug=body.slug.strip(), kind=body.kind,
                                    hosts=hosting.find_organisations(slugs=body.hosts),
                                    original_language=body.original_language,
                                    texts={body.original_language: (body.name, body.description)})
    return Status(201, selectors.programme_out(p, language=p.original_language))


@router.put("/programmes/{slug}/texts/{language}", response=ProgrammeOut, auth=auth,
            summary="The programme's name and description in a language (hosts)")
def host_set_programme_text(request: HttpRequest, slug: str, language: str,
                            body: ProgrammeTextIn) -> dict[str, Any]:
    p = hosting.access_programme_for_host(user=request.user, slug=slug)
    t = programmes.set_programme_text(by=request.user, programme=p, language=language, name=body.name,
                                      description=body.description, machine=body.machine)
    return selectors.programme_detail(slug=p.slug, language=t.language)  # read again: with the new text


@router.post("/programmes/{slug}/editions", response={201: EditionOut}, auth=auth,
             summary="Add an edition: dates, place or online, time zone, languages, co-hosts (hosts)")
def host_create_edition(request: HttpRequest, slug: str, body: EditionIn) -> Status:
    p = hosting.access_programme_for_host(user=request.user, slug=slug)
    hosts = hosting.find_organisations(slugs=body.hosts) if body.hosts else list(p.hosts.all())
    e = programmes.create_edition(by=request.user, programme=p, name=body.name, starts_on=body.starts_on,
                                  ends_on=body.ends_on, hosts=hosts, time_zone=body.time_zone,
                                  languages=body.languages, place=body.place, online=body.online,
                                  compute_hours_per_participant=body.compute_hours_per_participant)
    return Status(201, selectors.edition_out(e))


@router.get("/editions/{edition_id}/desk", response=EditionDeskOut, auth=auth,
            summary="The hosts' desk of an edition: call, committee, sessions, mentors, participants")
def host_edition_desk(request: HttpRequest, edition_id: int) -> dict[str, Any]:
    return _desk_out(request.user, edition_id)


@router.post("/editions/{edition_id}/call", response={201: CallOut}, auth=auth,
             summary="Open the edition's call: form, rubric, eligibility, deadline in the hosts' zone, file cap")
def host_open_call(request: HttpRequest, edition_id: int, body: CallIn) -> Status:
    edition = hosting.access_edition_for_host(user=request.user, edition_id=edition_id)
    zone = check_time_zone(edition.time_zone)
    opens_at = body.opens_at.replace(tzinfo=zone) if body.opens_at and body.opens_at.tzinfo is None \
        else body.opens_at or timezone.now()
    call = calls.open_call(
        by=request.user, edition=edition, opens_at=opens_at, deadline_local=body.deadline,
        fields=[calls.FieldSpec(f.key, f.kind, f.label, f.required, tuple(f.choices)) for f in body.fields],
        rubric=[c.model_dump() for c in body.rubric], countries=body.countries, career_stages=body.career_stages,
        project_stages=body.project_stages, max_files=body.max_files,
        max_file_bytes=body.max_file_mb * 1024 * 1024)
    return Status(201, selectors.call_out(call, zone=edition.time_zone, language=_language(request, None)))


@router.patch("/calls/{call_id}", response=CallOut, auth=auth, summary="Move the call's deadline (hosts)")
def host_change_deadline(request: HttpRequest, call_id: int, body: DeadlineIn) -> dict[str, Any]:
    call = hosting.access_call_for_host(user=request.user, call_id=call_id)
    calls.change_deadline(by=request.user, call=call, deadline_local=body.deadline)
    return selectors.call_out(call, zone=call.edition.time_zone, language=_language(request, None))


@router.post("/calls/{call_id}/committee", response={201: list[SeatOut]}, auth=auth,
             summary="Seat a person (user name or e-mail) on the committee, as member or chair (hosts)")
def host_seat_committee(request: HttpRequest, call_id: int, body: SeatIn) -> Status:
    call = hosting.access_call_for_host(user=request.user, call_id=call_id)
    person = hosting.find_person(by=request.user, edition=call.edition, identifier=body.person)
    calls.seat_committee(by=request.user, call=call, user=person, chair=body.chair)
    return Status(201, _committee(call))


@router.post("/calls/{call_id}/committee/{username}/chair", response=list[SeatOut], auth=auth,
             summary="Hand the chair to a member; the chair before becomes a member (hosts)")
def host_make_chair(request: HttpRequest, call_id: int, username: str) -> list[dict[str, Any]]:
    call = hosting.access_call_for_host(user=request.user, call_id=call_id)
    person = hosting.find_person(by=request.user, edition=call.edition, identifier=username)
    calls.make_chair(by=request.user, call=call, user=person)
    return _committee(call)


@router.delete("/calls/{call_id}/committee/{username}", response=list[SeatOut], auth=auth,
               summary="Take a person off the committee; their scores stop counting (hosts)")
def host_unseat_committee(request: HttpRequest, call_id: int, username: str) -> list[dict[str, Any]]:
    call = hosting.access_call_for_host(user=request.user, call_id=call_id)
    person = hosting.find_person(by=request.user, edition=call.edition, identifier=username)
    calls.unseat_committee(by=request.user, call=call, user=person)
    return _committee(call)


@router.post("/editions/{edition_id}/sessions", response={201: SessionOut}, auth=auth,
             summary="Add a session at wall-clock times in its time zone (hosts)")
def host_add_session(request: HttpRequest, edition_id: int, body: SessionIn) -> Status:
    edition = hosting.access_edition_for_host(user=request.user, edition_id=edition_id)
    s = mentoring.add_session(by=request.user, edition=edition, name=body.name, starts_local=body.starts_at,
                              ends_local=body.ends_at, time_zone=body.time_zone or edition.time_zone,
                              place=body.place)
    return Status(201, _session_out(s))


@router.delete("/sessions/{session_id}", response={204: None}, auth=auth, summary="Remove a session (hosts)")
def host_remove_session(request: HttpRequest, session_id: int) -> Status:
    session = hosting.access_session_for_host(user=request.user, session_id=session_id)
    mentoring.remove_session(by=request.user, session=session)
    return Status(204, None)


@router.post("/editions/{edition_id}/mentors", response={201: MentorOut}, auth=auth,
             summary="Name a person (user name or e-mail) a mentor of the edition (hosts)")
def host_name_mentor(request: HttpRequest, edition_id: int, body: MentorIn) -> Status:
    edition = hosting.access_edition_for_host(user=request.user, edition_id=edition_id)
    person = hosting.find_person(by=request.user, edition=edition, identifier=body.person)
    m = mentoring.name_mentor(by=request.user, edition=edition, user=person, expertise=body.expertise)
    return Status(201, _mentor_out(m))


@router.delete("/mentors/{mentor_id}", response={204: None}, auth=auth,
               summary="A mentor leaves the edition and its rooms (hosts)")
def host_remove_mentor(request: HttpRequest, mentor_id: int) -> Status:
    mentor = hosting.access_mentor_for_host(user=request.user, mentor_id=mentor_id)
    mentoring.remove_mentor(by=request.user, mentor=mentor)
    return Status(204, None)


@router.post("/rooms/{room_id}/mentors/{mentor_id}", response=list[str], auth=auth,
             summary="Assign one of the edition's mentors to a participant's room (hosts)")
def host_assign_mentor(request: HttpRequest, room_id: int, mentor_id: int) -> list[str]:
    room = hosting.access_room_for_host(user=request.user, room_id=room_id)
    mentor = Mentor.objects.filter(pk=mentor_id, edition=room.application.call.edition).first()
    if mentor is None:
        raise InvalidInput(_("This edition has no mentor %(id)s.") % {"id": mentor_id},
                           _("Name the person a mentor of this edition first."), field="mentor_id")
    mentoring.assign_mentor(by=request.user, room=room, mentor=mentor)
    return [person_name(m.user) for m in room.mentors.select_related("user")]


@router.post("/rooms/{room_id}/certificate", response={201: CertificateOut}, auth=auth,
             summary="Issue the participant's certificate (hosts); issuing again returns the same one")
def host_issue_certificate(request: HttpRequest, room_id: int) -> Status:
    room = hosting.access_room_for_host(user=request.user, room_id=room_id)
    c = mentoring.issue_certificate(by=request.user, room=room)
    edition = room.application.call.edition
    return Status(201, {"code": c.code, "participant": person_name(room.application.applicant),
                        "programme": programme_text(programme=edition.programme, language=_language(request, None)).name,
                        "edition": edition.name, "issued_at": c.issued_at})
