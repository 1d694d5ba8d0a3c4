"""/api/v1/rights: licences (rights managers of the licensor), release dates, avails files,
playback decisions and a country's catalog. Each view parses, calls one domain
function, and returns a schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Status

from dastan.accounts.tokens import OptionalTokenAuth, TokenAuth
from dastan.catalog.models import Title
from dastan.catalog.selectors import access_title
from dastan.errors import InvalidInput
from dastan.rights import avails, mappings, selectors
from dastan.rights.actions import amend_licence, grant_licence, record_release, revoke_licence
from dastan.rights.codec import format_row, parse_row
from dastan.rights.models import Licence
from dastan.rights.permissions import (
    access_licence,
    access_licence_for_reading,
    access_title_rights,
    visible_licences,
)
from dastan.rights.resolvers import resolve_territory
from dastan.rights.schemas import (
    AvailsColumnChoices,
    AvailsMappingOut,
    AvailsReport,
    CatalogOut,
    DecisionOut,
    LicenceIn,
    LicenceOut,
    ReleaseIn,
    RevisionOut,
)
from dastan.rights.terms import LicenceTerms

router = Router(tags=["rights"])
auth = TokenAuth()


def _licence_out(licence: Licence) -> dict[str, Any]:
    terms = selectors.terms_of(licence)
    return {"ref": licence.ref, "title": licence.title.slug, "licensor": licence.licensor.slug,
            "revision": licence.revision, "revoked": licence.revoked_at is not None,
            "countries": sorted(terms.territories.countries()),
            "terms": format_row(terms, title_slug=licence.title.slug)}


def _terms(body: LicenceIn) -> LicenceTerms:
    def title_id_for(slug: str) -> int:
        return get_object_or_404(Title, slug=slug).pk

    return parse_row(body.as_avails_row(), title_id_for=title_id_for)


@router.get("/licences", response=list[LicenceOut], auth=auth, summary="Licences, by title")
def list_licences(request: HttpRequest, title: str | None = None,
                  include_revoked: bool = False) -> list[dict[str, Any]]:
    rows = visible_licences(user=request.user).select_related("title", "licensor", "licensee")
    if title:
        rows = rows.filter(title__slug=title)
    if not include_revoked:
        rows = rows.filter(revoked_at__isnull=True)
    return [_licence_out(r) for r in rows]


@router.post("/licences", response={201: LicenceOut}, auth=auth, summary="Grant a licence")
def create_licence(request: HttpRequest, body: LicenceIn) -> Status:
    title = access_title_rights(user=request.user, title=get_object_or_404(Title, slug=body.title))
    assert title.owner is not None  # access_title_rights refuses ownerless titles
    licence = grant_licence.execute(terms=_terms(body), licensor=title.owner, by=request.user,
                                    note="granted through the API")
    return Status(201, _licence_out(selectors.get_licence(ref=licence.ref)))


@router.get("/licences/{ref}", response=LicenceOut, auth=auth, summary="One licence")
def get_licence(request: HttpRequest, ref: str) -> dict[str, Any]:
    return _licence_out(access_licence_for_reading(user=request.user, licence=selectors.get_licence(ref=ref)))


@router.put("/licences/{ref}", response=LicenceOut, auth=auth,
            summary="Amend a licence (a new revision; the old terms are kept)")
def put_licence(request: HttpRequest, ref: str, body: LicenceIn) -> dict[str, Any]:
    licence = access_licence(user=request.user, licence=selectors.get_licence(ref=ref))
    if body.ref != ref:
        raise InvalidInput(gettext("The body's ref '%(body)s' is not %(licence)s.") % {"body": body.ref, "licence": ref},
                           gettext("Send the licence's own reference; a reference never changes."), field="ref")
    amend_licence.execute(licence=licence, terms=_terms(body), by=request.user, note="amended through the API")
    return _licence_out(selectors.get_licence(ref=ref))


@router.delete("/licences/{ref}", response=LicenceOut, auth=auth, summary="Revoke a licence")
def delete_licence(request: HttpRequest, ref: str) -> dict[str, Any]:
    licence = access_licence(user=request.user, licence=selectors.get_licence(ref=ref))
    revoke_licence.execute(licence=licence, by=request.user, note="revoked through the API")
    return _licence_out(selectors.get_licence(ref=ref))


@router.get("/licences/{ref}/revisions", response=list[RevisionOut], auth=auth,
            summary="Every revision of a licence, oldest first")
def list_revisions(request: HttpRequest, ref: str) -> list[dict[str, Any]]:
    licence = access_licence_for_reading(user=request.user, licence=selectors.get_licence(ref=ref))
    return [{"number": r.number, "changed_at": r.changed_at, "note": r.note, "terms": r.terms,
             "changed_by": r.changed_by.get_username() if r.changed_by else None}
            for r in licence.revisions.select_related("changed_by")]


@router.post("/releases", response={201: dict}, auth=auth,
             summary="Record a title's release in a country (windows counted from it follow)")
def create_release(request: HttpRequest, body: ReleaseIn) -> Status:
    title = access_title_rights(user=request.user, title=get_object_or_404(Title, slug=body.title))
    release = record_release.execute(title=title, country=body.country.upper(), event=body.event,
                                     day=body.day)
    return Status(201, {"title": title.slug, "country": release.country, "event": release.event,
                        "day": release.day.isoformat()})


@router.post("/avails", response=AvailsReport, auth=auth,
             summary="Import an avails CSV/TSV (the request body); all rows or none",
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}},
                                            "required": True}})
def import_avails(request: HttpRequest, choices: Query[AvailsColumnChoices],
                  dry_run: bool = False) -> dict[str, Any]:
    plan = avails.import_avails(text=request.body.decode("utf-8-sig"), by=request.user, dry_run=dry_run,
                                columns=avails.parse_column_choices(choices.map), distributor=choices.distributor,
                                save_mapping=choices.save_mapping, organisation=choices.organisation)
    return {"dry_run": dry_run, "summary": plan.summary(), "changes": [str(c) for c in plan.changes],
            "mapping": list(plan.mapping.lines()) if plan.mapping else [], "rows": list(plan.rows()),
            "warnings": [str(w) for w in plan.warnings]}


@router.get("/avails/mappings", response=list[AvailsMappingOut], auth=auth,
            summary="Distributors' saved avails column mappings, of the organisations whose rights you read")
def avails_mappings(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"distributor": m.distributor, "organisation": m.organisation.slug, "columns": m.columns,
             "saved_by": m.saved_by.get_username() if m.saved_by else "", "updated_at": m.updated_at}
            for m in mappings.visible_mappings(user=request.user)]


@router.get("/decision", response=DecisionOut, auth=OptionalTokenAuth(),
            summary="May this title play in this country now?")
def decision(request: HttpRequest, title: str, territory: str | None = None,
             at: datetime | None = None, audio: str = "", subtitles: str = "",
             quality: str | None = None) -> Any:
    """Without ``territory``, the country is resolved from the request as playback does."""
    row = access_title(slug=title, user=request.auth)  # type: ignore[attr-defined]  # unpublished: 404
    return selectors.decide_playback_for(
        title=row, territory=territory if territory is not None else resolve_territory(request),
        at=at, audio_languages=[a for a in audio.split(",") if a],
        subtitle_languages=[s for s in subtitles.split(",") if s],
        quality=int(quality) if quality and quality.isdigit() else quality)


@router.get("/catalog", response=CatalogOut, summary="Titles watchable in a country, and coming")
def catalog(request: HttpRequest, territory: str, at: datetime | None = None) -> dict[str, Any]:
    moment = at or timezone.now()
    view = selectors.catalog_availability(territory=territory, at=moment)
    slugs = dict(Title.objects.filter(pk__in=[*view.watchable, *(c.title_id for c in view.coming)])
                 .values_list("pk", "slug"))
    return {"territory": territory.upper(), "at": moment, "watchable": [slugs[t] for t in view.watchable],
            "coming": [{"title": slugs[c.title_id], "opens_at": c.opens_at, "opens_on": c.opens_on}
                       for c in view.coming]}
