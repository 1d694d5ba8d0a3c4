"""Pages of labs: the public programme and call pages, the applicant's application, the
committee's review and the chair's ranking, the participant's room, private files and
screeners, calendars and certificates. Each view calls the domain functions (which check
who asks) and renders; refusals are pages through dastan.web.errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from dastan.catalog.languages import LANGUAGES
from dastan.errors import DastanError, InvalidInput, NotFound
from dastan.labs import calls, mentoring, selection, selectors
from dastan.labs.access import (
    Purpose,
    access_application,
    access_room,
    committee_may_see,
    manages_edition,
    mentor_of,
    seat_of,
)
from dastan.labs.files import access_file, add_file
from dastan.labs.models import Application, Edition, FormField, Note, Programme, Room, Screener
from dastan.labs.programmes import (
    access_programme,
    alumni,
    check_time_zone,
    outcomes,
    programme_text,
)
from dastan.labs.screeners import (
    add_application_film,
    check_screener_request,
    master_for,
    player_for,
)
from dastan.media import links
from dastan.media.playback import content_type_for

TZ_COOKIE = "dastan_tz"


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    response = render(request, template, {**context, "interface_languages": LANGUAGES}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def viewer_zone(request: HttpRequest, fallback: str = "UTC") -> str:
    """The viewer's time zone: ?tz=, else the cookie labs.js sets from the browser, else ``fallback``."""
    # The cookie is written by labs.js with encodeURIComponent ("Asia%2FShanghai").
    for candidate in (request.GET.get("tz", ""), unquote(request.COOKIES.get(TZ_COOKIE, ""))):
        if candidate:
            try:
                check_time_zone(candidate)
            except InvalidInput:
                continue
            return candidate
    return fallback


# --- public -------------------------------------------------------------------------------------

@require_GET
def programmes(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    rows = [(p, programme_text(programme=p, language=language))
            for p in Programme.objects.prefetch_related("texts").order_by("slug")]
    return _page(request, "labs/programmes.html", {"programmes": rows})


@require_GET
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    p = access_programme(slug=slug)
    editions = list(p.editions.prefetch_related("hosts").select_related("call"))
    return _page(request, "labs/programme.html", {
        "programme": p, "text": programme_text(programme=p, language=get_language() or "en"),
        "editions": editions, "alumni": alumni(programme=p, today=selectors.today()),
        "outcomes": outcomes(programme=p)})


@require_GET
def call_page(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.access_call(call_id=call_id)
    zone = viewer_zone(request, call.edition.time_zone)
    mine = (Application.objects.filter(call=call, applicant=request.user).first()
            if request.user.is_authenticated else None)
    return _page(request, "labs/call.html", {
        "call": call, "info": selectors.call_out(call, zone=zone, language=get_language() or "en"),
        "zone": zone, "mine": mine, "needs_tz": TZ_COOKIE not in request.COOKIES and "tz" not in request.GET})


@require_GET
def certificate_page(request: HttpRequest, code: str) -> HttpResponse:
    certificate = mentoring.verify_certificate(code=code)
    edition = certificate.room.application.call.edition
    return _page(request, "labs/certificate.html", {
        "certificate": certificate, "edition": edition,
        "programme_name": programme_text(programme=edition.programme, language=get_language() or "en").name})


# --- the applicant ------------------------------------------------------------------------------

@require_POST
@login_required
def apply(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.access_call(call_id=call_id)
    application = calls.start_application(
        user=request.user, call=call, country=request.POST.get("country", ""),
        career_stage=request.POST.get("career_stage", ""), project_stage=request.POST.get("project_stage", ""),
        time_zone=request.POST.get("time_zone") or viewer_zone(request))
    return HttpResponseRedirect(reverse("labs:application", kwargs={"application_id": application.pk}))


@require_GET
@login_required
def application_page(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(user=request.user, application_id=application_id)
    own = application.applicant_id == request.user.pk
    seat = seat_of(user=request.user, call=application.call)
    judging = seat is not None and not own and committee_may_see(user=request.user, application=application)
    screeners = [(s, player_for(request=request, screener_id=s.pk)) for s in application.screeners.all()]
    mine = {s.criterion: s.points for s in application.scores.filter(member_id=request.user.pk)} if judging else {}
    response = _page(request, "labs/application.html", {
        "application": application, "call": application.call, "own": own, "judging": judging, "seat": seat,
        "fields": [(f, application.answers.get(f.key, "")) for f in application.call.fields.all()],
        "files": application.files.all(), "screeners": screeners,
        "rubric": [(c, mine.get(c["key"], "")) for c in application.call.rubric],
        "comments": application.comments.select_related("author") if judging else [],
        "deadline": calls.deadline_in(call=application.call, zone=application.time_zone),
        "file_kinds": (FormField.Kind.FILE, FormField.Kind.FILM),
        "room": Room.objects.filter(application=application).first() if own else None})
    links.remember_viewer(request, response)
    return response


@require_POST
@login_required
def application_save(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant's form: save answers (and a file), then submit or withdraw if asked."""
    application = access_application(user=request.user, application_id=application_id, purpose=Purpose.EDIT)
    action = request.POST.get("action", "save")
    if action == "withdraw":
        calls.withdraw_application(user=request.user, application=application)
    else:
        keys = set(application.call.fields.exclude(kind__in=[FormField.Kind.FILE, FormField.Kind.FILM])
                   .values_list("key", flat=True))
        calls.save_answers(user=request.user, application=application,
                           answers={k: v for k, v in request.POST.items() if k in keys})
        kinds = dict(application.call.fields.values_list("key", "kind"))
        for key in request.FILES:
            upload = request.FILES[key]
            if not isinstance(upload, UploadedFile):
                continue
            add = add_application_film if kinds.get(key) == FormField.Kind.FILM else add_file
            add(user=request.user, application=application, field_key=key, filename=upload.name or key,
                content=upload, size_bytes=int(upload.size or 0))
        if action == "submit":
            calls.submit_application(user=request.user, application_id=application.pk)
    return HttpResponseRedirect(reverse("labs:application", kwargs={"application_id": application.pk}))


@require_GET
@login_required
def file_download(request: HttpRequest, file_id: int) -> HttpResponseBase:
    row = access_file(user=request.user, file_id=file_id)
    response = FileResponse(default_storage.open(row.storage_name, "rb"), as_attachment=True, filename=row.filename)
    response["Cache-Control"] = "private, no-store"
    return response


# --- the committee ------------------------------------------------------------------------------

@require_POST
@login_required
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    """A member's scores and comment, or their conflict."""
    if request.POST.get("action") == "conflict":
        application = access_application(user=request.user, application_id=application_id, purpose=Purpose.SCORE)
        selection.declare_conflict(user=request.user, application_id=application_id,
                                   reason=request.POST.get("reason", ""))
        return HttpResponseRedirect(reverse("labs:committee", kwargs={"call_id": application.call_id}))
    application = access_application(user=request.user, application_id=application_id, purpose=Purpose.SCORE)
    points: dict[str, int] = {}
    for criterion in application.call.rubric:
        raw = request.POST.get(f"score-{criterion['key']}", "").strip()
        if raw:
            if not raw.isdigit():
                raise InvalidInput(f"'{raw}' is not a number of points.", "Give a whole number.",
                                   field=criterion["key"])
            points[criterion["key"]] = int(raw)
    if points:
        selection.score_application(user=request.user, application_id=application_id, points=points)
    if request.POST.get("comment", "").strip():
        selection.add_comment(user=request.user, application_id=application_id, text=request.POST["comment"])
    return HttpResponseRedirect(reverse("labs:application", kwargs={"application_id": application_id}))


@require_GET
@login_required
def committee(request: HttpRequest, call_id: int) -> HttpResponse:
    call = selectors.access_call(call_id=call_id)
    rows = list(selection.visible_applications(user=request.user, call=call))
    seat = seat_of(user=request.user, call=call)
    is_chair = seat is not None and seat.role == seat.Role.CHAIR
    return _page(request, "labs/committee.html", {
        "call": call, "rows": rows, "seat": seat, "manages": manages_edition(user=request.user, edition=call.edition),
        "ranking": selection.ranking(user=request.user, call=call) if is_chair else [],
        "decisions": Application.Decision.choices[1:]})


@require_POST
@login_required
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selection.decide(user=request.user, application_id=application_id,
                                   decision=request.POST.get("decision", ""), reason=request.POST.get("reason", ""))
    return HttpResponseRedirect(reverse("labs:committee", kwargs={"call_id": application.call_id}))


# --- screeners ----------------------------------------------------------------------------------

def _json_error(exc: DastanError) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def screener_master(request: HttpRequest, screener_id: int) -> HttpResponse:
    try:
        text = master_for(request=request, screener_id=screener_id)
    except DastanError as exc:
        return _json_error(exc)
    response = HttpResponse(text, content_type=content_type_for("x.m3u8"))
    response["Cache-Control"] = "private, no-store"
    links.remember_viewer(request, response)
    return response


@require_GET
def screener_file(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    try:
        name = check_screener_request(request=request, token=token, path=path)
    except DastanError as exc:
        return _json_error(exc)
    if not default_storage.exists(name):
        return JsonResponse({"code": "not_found", "message": "No such media file.", "hint": "Reload the page."},
                            status=404)
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type_for(name))
    response["Cache-Control"] = "private, no-store"
    return response


# --- rooms --------------------------------------------------------------------------------------

@require_GET
@login_required
def room_page(request: HttpRequest, room_id: int) -> HttpResponse:
    room = access_room(user=request.user, room_id=room_id)
    cuts = list(Screener.objects.filter(room=room))
    current = cuts[0] if cuts else None
    notes = list(current.notes.select_related("author").filter(parent__isnull=True)) if current else []
    drafts = list(room.drafts.all())
    diff = (mentoring.script_diff(user=request.user, room_id=room.pk, old=drafts[-2].version,
                                  new=drafts[-1].version) if len(drafts) > 1 else [])
    response = _page(request, "labs/room.html", {
        "room": room, "cut": current, "player": player_for(request=request, screener_id=current.pk) if current else None,
        "notes": notes, "is_mentor": mentor_of(user=request.user, room=room) is not None,
        "mentors": room.mentors.select_related("user"), "drafts": drafts, "diff": diff,
        "latest": drafts[-1] if drafts else None,
        "latest_lines": drafts[-1].text.split("\n") if drafts else [],
        "script_notes": drafts[-1].notes.select_related("author") if drafts else [],
        "edition": room.application.call.edition, "compute": mentoring.compute_use(room=room)})
    links.remember_viewer(request, response)
    return response


@require_POST
@login_required
def room_note(request: HttpRequest, room_id: int) -> HttpResponse:
    room = access_room(user=request.user, room_id=room_id)
    back = HttpResponseRedirect(reverse("labs:room", kwargs={"room_id": room.pk}))
    resolve = request.POST.get("resolve", "")
    if resolve.isdigit():
        note = Note.objects.filter(pk=int(resolve), screener__room=room).first()
        if note is None:
            raise NotFound("This room has no such note.", "", field="resolve")
        mentoring.set_note_resolved(user=request.user, note_id=note.pk, resolved=request.POST.get("resolved") == "1")
        return back
    screener = room.cuts.filter(pk=request.POST.get("screener", "0") or 0).first()
    if screener is None:
        raise InvalidInput("This room has no such cut.", "Upload a rough cut first.", field="screener")
    parent = request.POST.get("parent", "")
    mentoring.add_note(user=request.user, screener_id=screener.pk,
                       timecode_ms=mentoring.parse_timecode(request.POST.get("timecode", "0")),
                       text=request.POST.get("text", ""), parent_id=int(parent) if parent.isdigit() else None)
    return back


@require_GET
@login_required
def schedule_ics(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None:
        raise NotFound("There is no such edition.", "")
    body = mentoring.calendar_file(user=request.user, edition=edition, language=get_language() or "en")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{edition.programme.slug}-{edition.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def certificate_pdf(request: HttpRequest, room_id: int) -> HttpResponse:
    certificate = mentoring.access_certificate(user=request.user, room_id=room_id)
    url = request.build_absolute_uri(reverse("labs:certificate", kwargs={"code": certificate.code}))
    response = HttpResponse(mentoring.certificate_pdf(certificate=certificate, verify_url=url),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

