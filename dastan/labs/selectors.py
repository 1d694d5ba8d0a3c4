"""Reads for pages and the API: a programme with its editions, a call with its deadline in
two zones, an application or a room as their readers may see them. Each asks
:mod:`dastan.labs.access` (through the domain's ``access_*``) before reading."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dastan.errors import NotFound
from dastan.labs.access import Purpose, access_application, access_room
from dastan.labs.calls import deadline_in, is_open
from dastan.labs.mentoring import format_timecode
from dastan.labs.models import Application, Call, Edition, Note, Programme, Room, Screener
from dastan.labs.programmes import access_programme, person_name, programme_text
from dastan.labs.screeners import is_ready


def edition_out(edition: Edition) -> dict[str, Any]:
    call = Call.objects.filter(edition=edition).first()
    return {"id": edition.pk, "name": edition.name, "starts_on": edition.starts_on, "ends_on": edition.ends_on,
            "place": edition.place, "online": edition.online, "time_zone": edition.time_zone,
            "languages": list(edition.languages), "hosts": [h.name for h in edition.hosts.order_by("name")],
            "call_id": call.pk if call else None}


def programme_out(programme: Programme, *, language: str) -> dict[str, Any]:
    text = programme_text(programme=programme, language=language)
    return {"slug": programme.slug, "kind": programme.kind, "name": text.name, "description": text.description,
            "language": text.language, "machine_translated": text.is_machine,
            "editions": [edition_out(e) for e in programme.editions.all()]}


def programme_detail(*, slug: str, language: str) -> dict[str, Any]:
    return programme_out(access_programme(slug=slug), language=language)


def access_call(*, call_id: int) -> Call:
    """Calls are public (their programme's page links them)."""
    call = Call.objects.select_related("edition__programme").filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("There is no such call."), _("The list of programmes is at /labs/."))
    return call


def call_out(call: Call, *, zone: str, language: str) -> dict[str, Any]:
    return {"id": call.pk, "programme": programme_text(programme=call.edition.programme, language=language).name,
            "edition": call.edition.name, "opens_at": call.opens_at, "deadline": call.deadline,
            "deadline_hosts": deadline_in(call=call, zone=call.edition.time_zone).text,
            "deadline_yours": deadline_in(call=call, zone=zone).text, "open": is_open(call=call),
            "countries": call.countries, "career_stages": call.career_stages,
            "project_stages": call.project_stages, "max_files": call.max_files,
            "max_file_bytes": call.max_file_bytes,
            "fields": [{"key": f.key, "kind": f.kind, "label": f.label, "required": f.required,
                        "choices": list(f.choices)} for f in call.fields.all()],
            "rubric": list(call.rubric)}


def _file_rows(application: Application) -> list[dict[str, Any]]:
    rows = [{"id": f.pk, "field": f.field_key, "filename": f.filename, "kind": "file", "ready": True}
            for f in application.files.all()]
    rows += [{"id": s.pk, "field": s.field_key, "filename": s.filename, "kind": "film", "ready": is_ready(s)}
             for s in application.screeners.all()]
    return rows


def application_out(*, user: Any, application_id: int) -> dict[str, Any]:
    a = access_application(user=user, application_id=application_id, purpose=Purpose.READ)
    room = Room.objects.filter(application=a).first()
    return {"id": a.pk, "call_id": a.call_id, "applicant": person_name(a.applicant), "state": a.state,
            "country": a.country, "career_stage": a.career_stage, "project_stage": a.project_stage,
            "answers": a.answers, "bazaar_project": a.bazaar_project, "submitted_at": a.submitted_at,
            "decision": a.decision, "decision_reason": a.decision_reason, "files": _file_rows(a),
            "room_id": room.pk if room else None}


def note_out(note: Note) -> dict[str, Any]:
    return {"id": note.pk, "screener_id": note.screener_id, "author": person_name(note.author),
            "timecode_ms": note.timecode_ms, "timecode": format_timecode(note.timecode_ms), "text": note.text,
            "resolved": note.resolved, "parent_id": note.parent_id}


def room_out(*, user: Any, room_id: int) -> dict[str, Any]:
    room = access_room(user=user, room_id=room_id)
    cuts = list(Screener.objects.filter(room=room))
    notes = Note.objects.filter(screener__room=room).select_related("author")
    return {"id": room.pk, "participant": person_name(room.application.applicant),
            "programme": programme_text(programme=room.application.call.edition.programme, language="en").name,
            "edition": room.application.call.edition.name,
            "mentors": [person_name(m.user) for m in room.mentors.select_related("user")],
            "cuts": [{"id": s.pk, "field": "", "filename": s.filename, "kind": "film", "ready": is_ready(s)}
                     for s in cuts],
            "notes": [note_out(n) for n in notes],
            "drafts": [{"version": d.version, "lines": d.text.count("\n") + 1, "created_at": d.created_at}
                       for d in room.drafts.all()]}


def today() -> Any:
    return timezone.localdate()
