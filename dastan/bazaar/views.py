"""The bazaar's pages. Each view parses the request, calls the domain functions (which
check who asks; a refusal becomes a page through dastan.web.errors) and renders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dastan.bazaar import interest, matching, materials, meetings, notifications, projects, scripts
from dastan.bazaar.access import (
    access_profile,
    access_project,
    can_manage,
    inside_profiles,
    is_inside,
    managed_profiles,
)
from dastan.bazaar.compute import shared_workers
from dastan.bazaar.models import Interest, Profile
from dastan.bazaar.profiles import credit_name, profile_text
from dastan.bazaar.taxonomy import (
    DECLINE_REASONS,
    FORMATS,
    PROFILE_KINDS,
    STAGES,
    STRENGTHS,
    VISIBILITIES,
)
from dastan.catalog.languages import LANGUAGES
from dastan.errors import DastanError
from dastan.net import client_address

View = Callable[..., HttpResponse]


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, f"bazaar/{template}", {
        "interface_languages": LANGUAGES, "strengths": STRENGTHS, "stages": STAGES, "formats": FORMATS,
        "kinds": PROFILE_KINDS, "visibilities": VISIBILITIES, **context}, status=status)


def _zone(request: HttpRequest) -> str:
    """The zone of the first profile the person speaks for; UTC for a person with none."""
    first = Profile.objects.filter(pk__in=inside_profiles(user=request.user)).order_by("pk").first()
    return first.timezone if first else "UTC"


def _back(request: HttpRequest, default: str) -> str:
    """The page a form came from, if it is one of ours (never another site)."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return reverse(default)


def _flash_errors(view: View) -> View:
    """A form's refusal returns to the page it came from with the sentence and the hint."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DastanError as exc:
            if exc.status in (401, 403, 404, 410):
                raise
            messages.error(request, f"{exc.message} {exc.hint}".strip())
            return redirect(_back(request, "bazaar:market"))
    return wrapped


@require_GET
def market(request: HttpRequest) -> HttpResponse:
    get = request.GET
    def number(name: str) -> int | None:
        value = get.get(name, "").strip()
        return int(value) if value.isdigit() else None

    filters = matching.Filters(query=get.get("q", ""), stage=get.get("stage", ""),
                               language=get.get("language", ""), budget_min=number("budget_min"),
                               budget_max=number("budget_max"),
                               countries=tuple(c for c in get.get("countries", "").upper().replace(",", " ").split()
                                               if len(c) == 2))
    found = matching.search_projects(user=request.user, filters=filters)
    lang = get_language() or "en"
    rows = [(p, projects.pitch_text(project=p, language=lang)) for p in found]
    return _page(request, "market.html", rows=rows, filters=filters, form=get,
                 profiles=matching.search_profiles(query=filters.query)[:12] if filters.query else [])


@require_GET
def project_page(request: HttpRequest, slug: str) -> HttpResponse:
    project = access_project(user=request.user, slug=slug)
    lang = get_language() or "en"
    inside = is_inside(user=request.user, profile=project.owner)
    context: dict[str, Any] = {"project": project, "pitch": projects.pitch_text(project=project, language=lang),
                               "inside": inside, "manager": can_manage(user=request.user, profile=project.owner)}
    if inside:
        context["partners"] = matching.partners_for_project(user=request.user, project_id=project.pk, limit=5)
        context["history"] = projects.project_history(user=request.user, project_id=project.pk)[:10]
        context["received"] = project.interests.select_related("sender").order_by("-created_at")
        context["scripts"] = project.scripts.all()
        context["materials"] = [(m, materials.kind_label(m.kind))
                                for m in materials.project_materials(user=request.user, project_id=project.pk)]
        context["reasons"] = DECLINE_REASONS
    senders = [p for p in managed_profiles(user=request.user) if p.pk != project.owner_id]
    context["senders"] = senders
    context["sent"] = Interest.objects.filter(project=project, sender__in=senders).select_related("sender")
    return _page(request, "project.html", **context)


@require_POST
@login_required
@_flash_errors
def send_interest(request: HttpRequest, slug: str) -> HttpResponse:
    project = access_project(user=request.user, slug=slug)
    sender = access_profile(slug=request.POST.get("sender", ""))
    interest.express_interest(user=request.user, project_id=project.pk, sender=sender,
                              message=request.POST.get("message", ""))
    messages.success(request, _("Your interest is sent. You will see the decision here and by mail."))
    return redirect("bazaar:project", slug=project.slug)


@require_GET
def profile_page(request: HttpRequest, slug: str) -> HttpResponse:
    profile = access_profile(slug=slug)
    lang = get_language() or "en"
    guests = [p for p in managed_profiles(user=request.user) if p.pk != profile.pk]
    zone = guests[0].timezone if guests else profile.timezone
    slots = [(slot, meetings.in_zone(slot=slot, zone=profile.timezone), meetings.in_zone(slot=slot, zone=zone))
             for slot in meetings.open_slots(profile=profile, after=timezone.now())[:20]]
    return _page(request, "profile.html", profile=profile, about=profile_text(profile=profile, language=lang),
                 credits=[(c, credit_name(c)) for c in profile.credits.select_related("title")],
                 slots=slots, guests=guests, zone=zone, workers=shared_workers(profile=profile),
                 matches=matching.projects_for_partner(user=request.user, profile_slug=slug, limit=5))


@require_POST
@login_required
@_flash_errors
def book(request: HttpRequest, slot_id: int) -> HttpResponse:
    guest = access_profile(slug=request.POST.get("guest", ""))
    meetings.book_slot(user=request.user, slot_id=slot_id, guest=guest, notes=request.POST.get("notes", ""))
    messages.success(request, _("The meeting is booked; both sides have it in their calendar and by mail."))
    return redirect("bazaar:meetings")


@require_GET
@login_required
def interests_page(request: HttpRequest) -> HttpResponse:
    mine = {p.pk for p in managed_profiles(user=request.user)}
    rows = list(interest.interests_for(user=request.user))
    return _page(request, "interests.html", sent=[i for i in rows if i.project.owner_id not in mine],
                 received=[i for i in rows if i.project.owner_id in mine], reasons=DECLINE_REASONS)


@require_POST
@login_required
@_flash_errors
def decide(request: HttpRequest, interest_id: int) -> HttpResponse:
    accept = request.POST.get("verdict") == "accept"
    interest.decide_interest(user=request.user, interest_id=interest_id, accept=accept,
                             reason=request.POST.get("reason", ""), note=request.POST.get("note", ""))
    messages.success(request, _("Decision sent; the sender sees it with your reason."))
    return redirect(_back(request, "bazaar:interests"))


@require_GET
@login_required
def meetings_page(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    mine = set(inside_profiles(user=request.user))
    days: dict[date, list[dict[str, Any]]] = {}
    for meeting in meetings.meetings_for(user=request.user):
        other = meeting.guest if meeting.host_id in mine else meeting.host
        local = meetings.in_zone(slot=meeting.slot, zone=zone)
        theirs = meetings.in_zone(slot=meeting.slot, zone=other.timezone)
        days.setdefault(local.start.date(), []).append(
            {"meeting": meeting, "other": other, "local": local, "theirs": theirs})
    return _page(request, "meetings.html", days=sorted(days.items()), zone=zone)


@require_GET
@login_required
def notifications_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "notifications.html", rows=notifications.notifications_for(user=request.user))


def _ip(request: HttpRequest) -> str | None:
    return client_address(request) or None


@require_GET
@login_required
def script_page(request: HttpRequest, script_id: int) -> HttpResponse:
    reader = scripts.open_script(user=request.user, script_id=script_id, ip=_ip(request))
    script = reader.grant.script
    if not reader.accepted:
        return _page(request, "nda.html", script=script, grant=reader.grant)
    user: Any = request.user
    who = user.get_full_name() or user.get_username()
    org = reader.grant.organisation_name
    return _page(request, "viewer.html", script=script, grant=reader.grant, reader=f"{who}, {org}" if org else who,
                 pages=range(1, script.pages + 1), now=timezone.now())


@require_POST
@login_required
def accept_nda(request: HttpRequest, script_id: int) -> HttpResponse:
    try:
        scripts.accept_nda(user=request.user, script_id=script_id, text_shown=request.POST.get("text_shown", ""),
                           affirmed=request.POST.get("affirmed") == "yes", ip=_ip(request),
                           user_agent=request.headers.get("User-Agent", ""))
    except DastanError as exc:
        if exc.status in (401, 403, 404, 410):
            raise
        messages.error(request, f"{exc.message} {exc.hint}".strip())
    return redirect("bazaar:script", script_id=script_id)


@require_GET
@login_required
def script_page_image(request: HttpRequest, script_id: int, page: int) -> HttpResponse:
    png = scripts.view_page(user=request.user, script_id=script_id, page=page, ip=_ip(request))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def script_download(request: HttpRequest, script_id: int) -> HttpResponse:
    name, data = scripts.download_copy(user=request.user, script_id=script_id, ip=_ip(request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def script_audit(request: HttpRequest, script_id: int) -> HttpResponse:
    events = scripts.audit_log(user=request.user, script_id=script_id)
    grants = scripts.recipients_of(user=request.user, script_id=script_id)
    return _page(request, "audit.html", script=grants[0].script if grants else
                 scripts.access_script_as_owner(user=request.user, script_id=script_id),
                 events=events, grants=grants, now=timezone.now())



