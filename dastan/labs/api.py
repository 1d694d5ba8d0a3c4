"""/api/v1/labs: programmes and calls (public), applications (the applicant's), selection
(the committee's and the chair's), rooms (the participant's and mentors'), certificates
(public by code). Each view parses, calls one domain function, and returns a schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from dastan.accounts.tokens import OptionalTokenAuth, TokenAuth
from dastan.errors import NotFound
from dastan.labs import calls, mentoring, selection, selectors
from dastan.labs.access import Purpose, access_application, access_room
from dastan.labs.files import add_file
from dastan.labs.models import Application, FormField, Programme
from dastan.labs.programmes import check_time_zone, person_name, programme_text
from dastan.labs.schemas import (
    AnswersIn,
    ApplicationIn,
    ApplicationOut,
    ApplicationRow,
    CallOut,
    CertificateOut,
    CommentIn,
    CommentOut,
    ConflictIn,
    DecisionIn,
    DiffOut,
    DraftIn,
    DraftOut,
    FileOut,
    NoteIn,
    NoteOut,
    ProgrammeOut,
    RankOut,
    ResolveIn,
    RoomOut,
    ScoresIn,
    ScriptNoteIn,
    ScriptNoteOut,
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
