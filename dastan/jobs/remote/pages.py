"""The compute pages: the workers an operator manages (enrol, rename, drain, pause,
resume, revoke, delete, share, the audit trail and its notices, refused requests) and
the compute ledger (charts, CSV). They call the same functions as the CLI."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from dastan.accounts.permissions import Action, NotAllowed, is_operator, organisations_where
from dastan.catalog.models import Organisation
from dastan.errors import DastanError
from dastan.jobs.models import SharingAgreement, WorkerAudit
from dastan.jobs.remote import enrolment, ledger, sharing
from dastan.signing.models import RefusedRequest

ACTIONS = {"drain": "draining", "pause": "paused", "resume": "active", "revoke": "revoked"}


def _managed_orgs(user: Any) -> list[int] | None:
    """None for operators (everything); else the organisations ``user`` manages compute for,
    refusing (403) a person who manages none."""
    if is_operator(user):
        return None
    orgs = organisations_where(user=user, action=Action.MANAGE_COMPUTE)
    if not orgs:
        raise NotAllowed(gettext("Only an organisation's administrators and the node's operators manage workers."),
                         gettext("Ask an administrator of your organisation for the admin role."))
    return orgs


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    orgs = _managed_orgs(request.user)
    workers = list(enrolment.managed_workers(user=request.user))
    audit = WorkerAudit.objects.select_related("actor")
    agreements = SharingAgreement.objects.select_related("lender", "borrower")
    organisations = Organisation.objects.order_by("name")
    if orgs is not None:
        audit = audit.filter(organisation_id__in=orgs)
        agreements = agreements.filter(lender_id__in=orgs)
        organisations = organisations.filter(pk__in=orgs)
    return {"workers": workers, "audit": list(audit[:100]), "notices": [a for a in audit[:100] if a.notify],
            "agreements": list(agreements), "organisations": list(organisations),
            "all_organisations": list(Organisation.objects.order_by("name")),
            "operator": orgs is None,
            "refused": list(RefusedRequest.objects.filter(channel="compute")[:50]) if orgs is None else [],
            **extra}


@login_required
@require_GET
def workers_page(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/compute_workers.html", _context(request))


def _org(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first() if slug else None


@login_required
@require_POST
def enrol_token(request: HttpRequest) -> HttpResponse:
    _managed_orgs(request.user)
    try:
        token = enrolment.make_enrolment_token(user=request.user, organisation=_org(request.POST.get("org", "")),
                                               ttl_s=parse_ttl(request.POST.get("ttl", "1h")))
    except DastanError as exc:
        return render(request, "jobs/compute_workers.html", _context(request, error=exc), status=exc.status)
    return render(request, "jobs/compute_workers.html", _context(request, token=token), status=201)


@login_required
@require_POST
def worker_action(request: HttpRequest, worker_id: int) -> HttpResponse:
    _managed_orgs(request.user)
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            enrolment.rename_worker(user=request.user, worker_id=worker_id, name=request.POST.get("name", ""))
        elif action == "delete":
            enrolment.delete_worker(user=request.user, worker_id=worker_id)
        elif action in ACTIONS:
            enrolment.set_worker_state(user=request.user, worker_id=worker_id, state=ACTIONS[action])
        else:
            raise DastanError(gettext("Unknown action %(action)s.") % {"action": repr(action)},
                              # Translators: the names of the actions are sent as they are; keep them in English.
                              gettext("Use rename, drain, pause, resume, revoke or delete."),
                              code="invalid_input", status=422)
    except DastanError as exc:
        if exc.status == 404:
            raise
        return render(request, "jobs/compute_workers.html", _context(request, error=exc), status=exc.status)
    return redirect("jobs:compute-workers")


@login_required
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    _managed_orgs(request.user)
    try:
        cap = request.POST.get("cap_hours", "").strip()
        sharing.share_workers(user=request.user, lender=_org(request.POST.get("lender", "")),
                              borrower=_org(request.POST.get("borrower", "")),
                              cap_hours_per_month=float(cap) if cap else None)
    except (DastanError, ValueError) as exc:
        error = exc if isinstance(exc, DastanError) else DastanError(
            "The cap is not a number of hours.", "Write e.g. 40, or leave it empty for no cap.")
        return render(request, "jobs/compute_workers.html", _context(request, error=error), status=error.status)
    return redirect("jobs:compute-workers")


@login_required
@require_GET
def ledger_page(request: HttpRequest) -> HttpResponse:
    orgs = _managed_orgs(request.user)
    rows = ledger.monthly(organisation_ids=orgs)
    if request.GET.get("format") == "csv":
        response = HttpResponse(ledger.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="compute-ledger.csv"'
        return response
    return render(request, "jobs/compute_ledger.html", {
        "rows": rows, "bars": ledger.bars_svg(rows),
        "throughput": ledger.line_svg(ledger.worker_throughput(organisation_ids=orgs))})


def parse_ttl(text: str) -> int:
    """``90``, ``15m``, ``2h``, ``1d`` → seconds. Raises DastanError naming the forms."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError as exc:
        raise DastanError(gettext("%(text)s is not a duration.") % {"text": repr(text)},
                          # Translators: 15m, 2h and 1d are typed as they are (minutes, hours, days).
                          gettext("Write e.g. 900, 15m, 2h or 1d."),
                          code="invalid_input", status=422, field="ttl") from exc
