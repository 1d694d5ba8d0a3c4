"""/api/v1/bazaar: profiles, projects, matching, interest, meetings and scripts under
NDA. Each operation parses, calls one domain function (which checks who asks) and
returns a shape; reading the public market needs no token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from dastan.accounts.tokens import OptionalTokenAuth, TokenAuth
from dastan.bazaar import (
    interest,
    matching,
    materials,
    meetings,
    notifications,
    profiles,
    projects,
    scripts,
)
from dastan.bazaar import schemas as s
from dastan.bazaar.access import access_profile, access_project, check_manage, inside_profiles
from dastan.bazaar.models import Profile
from dastan.catalog.models import Organisation
from dastan.errors import InvalidInput
from dastan.net import client_address

router = Router(tags=["bazaar"], auth=TokenAuth())
ANYONE = OptionalTokenAuth()


def _lang(requested: str | None = None) -> str:
    return requested or get_language() or "en"


def _zone(user: Any, requested: str | None) -> str:
    if requested:
        return profiles.check_timezone(requested)
    mine = inside_profiles(user=user)
    first = Profile.objects.filter(pk__in=mine).order_by("pk").first()
    return first.timezone if first else "UTC"


def _acting(user: Any, slug: str) -> Profile:
    profile = access_profile(slug=slug)
    check_manage(user=user, profile=profile)
    return profile


# --- profiles ---------------------------------------------------------------------------------------

@router.get("/profiles", response=list[s.ProfileOut], auth=ANYONE, summary="The market's directory")
def list_profiles(request: HttpRequest, q: str = "", strength: str = "", country: str = "",
                  language: str | None = None) -> list[dict[str, Any]]:
    """``q`` matches names, cities and texts in any script (``Chengdu``, ``成都``)."""
    found = matching.search_profiles(query=q, strength=strength, country_code=country)
    return [s.profile_out(p, _lang(language)) for p in found]


@router.post("/profiles", response={201: s.ProfileOut}, summary="A profile for your organisation, or for yourself")
def create_profile(request: HttpRequest, payload: s.ProfileIn) -> Status[dict[str, Any]]:
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise InvalidInput(f"No organisation '{payload.organisation}'.",
                               "Give the slug of an organisation you belong to.", field="organisation")
        check_manage(user=request.user, profile=Profile(organisation=organisation, name=organisation.name))
    profile = profiles.create_profile(
        name=payload.name, kind=payload.kind, country=payload.country, organisation=organisation,
        user=None if organisation else request.user, slug=payload.slug, city=payload.city,
        timezone=payload.timezone, strengths=payload.strengths, languages=payload.languages,
        territories=payload.territories, texts=[profiles.Text(t.language, t.text, t.origin) for t in payload.texts],
        credits=[profiles.Credit(name=c.name, title_slug=c.title, year=c.year, strength=c.strength,
                                 countries=tuple(c.countries)) for c in payload.credits])
    return Status(201, s.profile_out(profile, _lang()))


@router.get("/profiles/{slug}", response=s.ProfileOut, auth=ANYONE, summary="One profile")
def get_profile(request: HttpRequest, slug: str, language: str | None = None) -> dict[str, Any]:
    return s.profile_out(access_profile(slug=slug), _lang(language))


@router.get("/profiles/{slug}/matches", response=list[s.MatchOut], auth=ANYONE,
            summary="Projects that need what this profile offers, with the reasons")
def projects_for_partner(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [s.match_out(m) for m in matching.projects_for_partner(user=request.user, profile_slug=slug)]


@router.get("/profiles/{slug}/slots", response=list[s.SlotOut], auth=ANYONE,
            summary="The profile's free meeting slots, in your time zone (or tz)")
def open_slots(request: HttpRequest, slug: str, tz: str | None = None) -> list[dict[str, Any]]:
    zone = _zone(request.user, tz)
    return [s.slot_out(slot, zone) for slot in meetings.open_slots(profile=access_profile(slug=slug))]


@router.post("/profiles/{slug}/slots", response={201: list[s.SlotOut]}, summary="Publish meeting slots")
def publish_slots(request: HttpRequest, slug: str, payload: s.SlotsIn) -> Status[list[dict[str, Any]]]:
    profile = access_profile(slug=slug)
    made = meetings.publish_slots(user=request.user, profile=profile, starts=payload.starts,
                                  duration_min=payload.duration_min, event=payload.event)
    return Status(201, [s.slot_out(slot, profile.timezone) for slot in made])


# --- projects ---------------------------------------------------------------------------------------

class ProjectFilters(Schema):
    q: str = ""
    country: list[str] = []
    stage: str = ""
    language: str = ""
    budget_min: int | None = None
    budget_max: int | None = None
    currency: str = ""


@router.get("/projects", response=list[s.ProjectOut], auth=ANYONE,
            summary="Projects you may see; search in any script, filter by countries, stage, budget, language")
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> list[dict[str, Any]]:
    found = matching.search_projects(user=request.user, filters=matching.Filters(
        query=filters.q, countries=tuple(filters.country), stage=filters.stage, language=filters.language,
        budget_min=filters.budget_min, budget_max=filters.budget_max, currency=filters.currency))
    return [s.project_out(p, _lang()) for p in found]


@router.post("/projects", response={201: s.ProjectOut}, summary="Pitch a project")
def create_project(request: HttpRequest, payload: s.ProjectIn) -> Status[dict[str, Any]]:
    owner = access_profile(slug=payload.owner)
    project = projects.create_project(
        user=request.user, owner=owner, title=payload.title, slug=payload.slug,
        pitch=projects.Pitch(logline=payload.logline, language=payload.language, synopsis=payload.synopsis),
        format=payload.format, stage=payload.stage, genre=payload.genre, budget_min=payload.budget_min,
        budget_max=payload.budget_max, currency=payload.currency,
        financing_secured_pct=payload.financing_secured_pct, languages=payload.languages,
        countries=payload.countries, needs=[n.dict() for n in payload.needs],
        attached=[p.dict() for p in payload.attached], visibility=payload.visibility, invited=payload.invited)
    return Status(201, s.project_out(project, _lang()))


@router.get("/projects/{slug}", response=s.ProjectOut, auth=ANYONE, summary="One project, if you may see it")
def get_project(request: HttpRequest, slug: str, language: str | None = None) -> dict[str, Any]:
    return s.project_out(access_project(user=request.user, slug=slug), _lang(language))


@router.patch("/projects/{slug}", response=s.ProjectOut, summary="Change a project (recorded in its history)")
def update_project(request: HttpRequest, slug: str, payload: s.ProjectPatch) -> dict[str, Any]:
    project = access_project(user=request.user, slug=slug)
    values = payload.dict(exclude_unset=True)
    logline, language, synopsis = values.pop("logline", None), values.pop("language", None), values.pop("synopsis", "")
    pitch = projects.Pitch(logline=logline, language=language or project.original_language,
                           synopsis=synopsis) if logline else None
    changed = projects.update_project(user=request.user, project_id=project.pk, pitch=pitch, **values)
    return s.project_out(changed, _lang())


@router.get("/projects/{slug}/history", response=list[s.ChangeOut], summary="The project's revisions")
def history(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    project = access_project(user=request.user, slug=slug)
    return [s.change_out(c) for c in projects.project_history(user=request.user, project_id=project.pk)]


@router.get("/projects/{slug}/partners", response=list[s.MatchOut], auth=ANYONE,
            summary="Partners whose strengths meet the project's needs, with the reasons")
def partners(request: HttpRequest, slug: str, country: list[str] = Query([])) -> list[dict[str, Any]]:  # noqa: B008
    project = access_project(user=request.user, slug=slug)
    return [s.match_out(m) for m in matching.partners_for_project(user=request.user, project_id=project.pk,
                                                                  countries=country)]


@router.post("/projects/{slug}/interest", response={201: s.InterestOut}, summary="Express interest in a project")
def express_interest(request: HttpRequest, slug: str, payload: s.InterestIn) -> Status[dict[str, Any]]:
    project = access_project(user=request.user, slug=slug)
    made = interest.express_interest(user=request.user, project_id=project.pk,
                                     sender=_acting(request.user, payload.sender), message=payload.message)
    return Status(201, s.interest_out(made))


@router.post("/projects/{slug}/scripts", response={201: s.ScriptOut},
             summary="Add a script (PDF or Fountain), shared with nobody yet")
def add_script(request: HttpRequest, slug: str, name: Form[str], file: File[UploadedFile],
               allow_download: Form[bool] = False) -> Status[Any]:
    project = access_project(user=request.user, slug=slug)
    script = scripts.add_script(user=request.user, project_id=project.pk, name=name, content=file.read(),
                                filename=file.name or "script.pdf", allow_download=allow_download)
    return Status(201, script)


@router.post("/projects/{slug}/materials", response={201: s.MaterialOut},
             summary="Attach a teaser, rough cut or lookbook that went through the media pipeline (private)")
def attach_material(request: HttpRequest, slug: str, payload: s.MaterialIn) -> Status[dict[str, Any]]:
    project = access_project(user=request.user, slug=slug)
    made = materials.attach_material(user=request.user, project_id=project.pk, kind=payload.kind,
                                     label=payload.label, title_slug=payload.title)
    return Status(201, s.material_out(made))


@router.get("/projects/{slug}/materials", response=list[s.MaterialOut],
            summary="The project's teasers, cuts and lookbooks, for the owner's people")
def list_materials(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    project = access_project(user=request.user, slug=slug)
    return [s.material_out(m) for m in materials.project_materials(user=request.user, project_id=project.pk)]


# --- interest, meetings, notifications -------------------------------------------------------------

@router.get("/interests", response=list[s.InterestOut], summary="Interest your profiles sent and received")
def list_interests(request: HttpRequest) -> list[dict[str, Any]]:
    return [s.interest_out(i) for i in interest.interests_for(user=request.user)]


@router.post("/interests/{interest_id}/decision", response=s.InterestOut,
             summary="Accept, or decline with a reason from the list")
def decide(request: HttpRequest, interest_id: int, payload: s.DecisionIn) -> dict[str, Any]:
    return s.interest_out(interest.decide_interest(user=request.user, interest_id=interest_id,
                                                   accept=payload.accept, reason=payload.reason, note=payload.note))


@router.post("/slots/{slot_id}/book", response={201: s.MeetingOut}, summary="Book a slot (one booking wins)")
def book(request: HttpRequest, slot_id: int, payload: s.BookIn) -> Status[dict[str, Any]]:
    project = access_project(user=request.user, slug=payload.project) if payload.project else None
    guest = _acting(request.user, payload.guest)
    meeting = meetings.book_slot(user=request.user, slot_id=slot_id, guest=guest, project=project,
                                 notes=payload.notes)
    return Status(201, s.meeting_out(meeting, guest.timezone))


@router.get("/meetings", response=list[s.MeetingOut], summary="Your profiles' meetings, in your time zone")
def list_meetings(request: HttpRequest, tz: str | None = None) -> list[dict[str, Any]]:
    zone = _zone(request.user, tz)
    return [s.meeting_out(m, zone) for m in meetings.meetings_for(user=request.user)]


@router.get("/meetings/{meeting_id}/ics", summary="The meeting as an iCalendar file")
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meetings.access_meeting(user=request.user, meeting_id=meeting_id)
    response = HttpResponse(meetings.meeting_ics(meeting=meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@router.get("/notifications", response=list[s.NotificationOut], summary="Your bazaar notifications")
def list_notifications(request: HttpRequest) -> list[Any]:
    return notifications.notifications_for(user=request.user)


# --- scripts under NDA ------------------------------------------------------------------------------

@router.post("/scripts/{script_id}/grants", response={201: s.GrantOut}, summary="Share a script with a person")
def share(request: HttpRequest, script_id: int, payload: s.GrantIn) -> Status[dict[str, Any]]:
    grant = scripts.share_script(user=request.user, script_id=script_id,
                                 recipient=scripts.user_named(payload.recipient), until=payload.until)
    return Status(201, {"id": grant.pk, "recipient": grant.recipient.get_username(), "expires_at": grant.expires_at,
                        "revoked_at": grant.revoked_at})


@router.delete("/grants/{grant_id}", response=s.GrantOut, summary="Revoke a recipient's access now")
def revoke(request: HttpRequest, grant_id: int) -> dict[str, Any]:
    grant = scripts.revoke_grant(user=request.user, grant_id=grant_id)
    return {"id": grant.pk, "recipient": grant.recipient.get_username(), "expires_at": grant.expires_at,
            "revoked_at": grant.revoked_at}


@router.post("/scripts/{script_id}/nda", response={201: s.NdaOut}, summary="Accept the script's NDA")
def accept(request: HttpRequest, script_id: int, payload: s.NdaIn) -> Status[Any]:
    record = scripts.accept_nda(user=request.user, script_id=script_id, text_shown=payload.text_shown,
                                affirmed=payload.affirmed, ip=client_address(request) or None,
                                user_agent=request.headers.get("User-Agent", ""))
    return Status(201, record)


@router.get("/scripts/{script_id}/download", summary="Your own marked copy as PDF, where the owner allows it")
def download(request: HttpRequest, script_id: int) -> HttpResponse:
    name, data = scripts.download_copy(user=request.user, script_id=script_id, ip=client_address(request) or None)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/scripts/{script_id}/audit", response=list[s.EventOut], summary="Every view and download, for the owner")
def audit(request: HttpRequest, script_id: int) -> list[dict[str, Any]]:
    return [s.event_out(e) for e in scripts.audit_log(user=request.user, script_id=script_id)]


@router.get("/scripts/{script_id}/nda-records", summary="The NDA acceptance records as CSV, for the owner")
def nda_records(request: HttpRequest, script_id: int) -> HttpResponse:
    response = HttpResponse(scripts.nda_records_csv(user=request.user, script_id=script_id),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nda-records-{script_id}.csv"'
    return response
