"""The permissions matrix: every API operation (from the OpenAPI schema) and every page
(from the URL configuration) × every kind of person, against two organisations' data.

Identities: anonymous; a signed-in person of no organisation; each role of the owning
organisation (Alpha); each role of another organisation (Beta); a node operator. For
each request the test checks:

* the status: a person the permission table allows is never told 401/403/404 (unless the
  entry says the object has nothing to show yet); everyone else is refused — 404 where
  the object is not public (its existence is not disclosed), 403 or 401 otherwise;
* for writes, that a refused request changed nothing (a fingerprint of the data before
  and after), and that only the roles holding the action changed anything;
* for every answer, that no organisation's private data (draft text, glossary notes,
  licences and their contract references, unpublished titles) is in the body of a person
  who may not read it.

Expected outcomes are derived from the role table (dastan/accounts/permissions.py)
where an entry names an action, so the matrix follows the table; a new endpoint without
an entry here fails ``test_every_endpoint_has_an_entry``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from dastan.accounts.models import Membership, NodeOperator
from dastan.accounts.permissions import ROLE_ACTIONS, Action
from dastan.accounts.tokens import issue_api_token
from dastan.api import api
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import make_title
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import submit_job
from dastan.localization.models import CueComment, GlossaryTerm, SubtitleTrack
from dastan.localization.tracks import CueData, create_track
from dastan.rights.actions import grant_licence
from dastan.rights.models import Licence
from dastan.rights.terms import LicenceTerms, LicenceType
from dastan.rights.territories import TerritorySet
from dastan.rights.windows import OnDate, Window

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Membership.Role]
ORGS = ("alpha", "beta")
IDENTITIES = ["anonymous", "outsider", *[f"alpha:{r}" for r in ROLES], *[f"beta:{r}" for r in ROLES], "operator"]
SRT = b"1\n00:00:01,000 --> 00:00:02,500\nMatrix line.\n"


# --- the world: two organisations with public and private things -----------------------------------

@dataclass
class World:
    ids: dict[str, Any] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _licence(title: Title, org: Organisation, ref: str, contract: str) -> Licence:
    # The reference names the licence in viewers' refusals ("licence KZ-SVOD-14 opens…");
    # its terms, contract and history are its parties' business.
    terms = LicenceTerms(ref=ref, title_id=title.pk, licence_type=LicenceType.SVOD,
                         territories=TerritorySet.of(("KZ",), ()),
                         window=Window(OnDate(date(2026, 1, 1)), OnDate(date(2030, 12, 31))),
                         contract_reference=contract)
    return grant_licence.execute(terms=terms, licensor=org, note="matrix")


def _organisation_things(world: World, key: str) -> None:
    """Public and private things of one organisation, each private one carrying a marker
    (SECRET-<ORG>-…) that must never reach someone who may not read it."""
    mark = key.upper()
    org = Organisation.objects.create(name=f"{key.title()} Films", slug=key, kind="studio", country="PK")
    public = make_title(names={"en": f"{key.title()} Public Film"}, owner=org, slug=f"{key}-film")
    secret = make_title(names={"en": f"SECRET-{mark}-TITLE"}, owner=org, slug=f"{key}-secret", published=False)
    source = create_track(title=public, language="en", origin="upload", is_source=True,
                          cues=[CueData(1000, 2500, "Public line.")])
    SubtitleTrack.objects.filter(pk=source.pk).update(state=SubtitleTrack.State.PUBLISHED)
    draft = create_track(title=public, language="kk", origin="human", source_track=source,
                         cues=[CueData(1000, 2500, f"SECRET-{mark}-DRAFT")],
                         provenance={"engine": "human", "file": f"SECRET-{mark}-DRAFT.srt"})
    GlossaryTerm.objects.create(organisation=org, source_language="en", target_language="kk",
                                source_term="Noori", target_term="Нури", note=f"SECRET-{mark}-NOTE")
    licence = _licence(public, org, f"{mark}-SVOD-1", f"SECRET-{mark}-LICENCE")
    for role in ROLES:
        user = User.objects.create_user(f"{key}-{role}", password="x" * 12)
        Membership.objects.create(user=user, organisation=org, role=role)
        world.users[f"{key}:{role}"] = user
    job = submit_job(kind="test.transcode", target=public, created_by=world.users[f"{key}:admin"])
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    world.ids.update({
        f"{key}.org": org.slug, f"{key}.film": public.slug, f"{key}.secret": secret.slug,
        f"{key}.source": source.pk, f"{key}.draft": draft.pk, f"{key}.cue": draft.cues.get().pk,
        f"{key}.licence": licence.ref, f"{key}.job": job.pk,
    })


@pytest.fixture
def world(db: None, settings: Any) -> World:
    # ~1,000 requests from one address in a minute: the throttles are not under test here
    # (dastan/accounts/tests/test_throttling.py tests them).
    settings.DASTAN_API_ANON_RATE = settings.DASTAN_API_TOKEN_RATE = "100000/m"
    cache.clear()
    world = World()
    for key in ORGS:
        _organisation_things(world, key)
    world.users["outsider"] = User.objects.create_user("outsider", password="x" * 12)
    operator = User.objects.create_user("operator", password="x" * 12, is_staff=True)
    NodeOperator.objects.create(user=operator)
    world.users["operator"] = operator
    world.tokens = {name: issue_api_token(user=user) for name, user in world.users.items()}
    return world


# --- who may: derived from the role table ----------------------------------------------------------

def holders(action: Action, org: str = "alpha") -> set[str]:
    return {f"{org}:{role}" for role in ROLES if action in ROLE_ACTIONS[role]}


SIGNED = set(IDENTITIES) - {"anonymous"}
EVERYONE = set(IDENTITIES)
STUDIO_PEOPLE = holders(Action.TRANSLATE_CATALOG, "alpha") | holders(Action.TRANSLATE_CATALOG, "beta")


def private_markers(identity: str) -> list[str]:
    """The markers ``identity`` must never see: per organisation, the kinds of private data
    its role there does not let it read."""
    hidden = []
    for org in ORGS:
        role = identity.split(":")[1] if identity.startswith(f"{org}:") else None
        actions = ROLE_ACTIONS.get(role, frozenset()) if role else frozenset()
        mark = org.upper()
        if Action.VIEW_DRAFTS not in actions:
            hidden += [f"SECRET-{mark}-DRAFT", f"SECRET-{mark}-TITLE"]
        if Action.VIEW_GLOSSARY not in actions:
            hidden.append(f"SECRET-{mark}-NOTE")
        if Action.VIEW_RIGHTS not in actions:
            hidden.append(f"SECRET-{mark}-LICENCE")
    return hidden


# --- the entries -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One request to make as every identity."""

    path: str                                  # with {placeholders} filled from World.ids
    allowed: frozenset[str]                    # who gets past the permission check
    body: Any = None                           # JSON body, or bytes/str with content_type
    content_type: str = "application/json"
    multipart: dict[str, Any] | None = None
    hidden: bool = False                       # refused people get 404, not 403 ...
    knows: frozenset[str] | None = None        # ... except these (default: who sees the drafts)
    refused_status: tuple[int, ...] | None = None  # what refused people get, where not 401/403/404
    changes: frozenset[str] | None = None      # who may change data (default: allowed)
    missing_ok: bool = False                   # allowed people may get 404: nothing to show yet
    anonymous_status: tuple[int, ...] = (401, 403, 404)
    extra: dict[str, str] = field(default_factory=dict)


def case(path: str, allowed: set[str], **kw: Any) -> Case:
    for name in ("changes", "knows"):
        if kw.get(name) is not None:
            kw[name] = frozenset(kw[name])
    return Case(path=path, allowed=frozenset(allowed), **kw)


LOGIN = (302,)  # pages behind login_required send a stranger to sign in
API: dict[tuple[str, str], list[Case]] = {
    ("GET", "/api/v1/jobs/"): [case("/api/v1/jobs/", SIGNED)],
    ("GET", "/api/v1/jobs/workers"): [case("/api/v1/jobs/workers", {"operator"})],
    ("GET", "/api/v1/jobs/{job_id}"): [case("/api/v1/jobs/{alpha.job}", {"alpha:admin", "operator"}, hidden=True, knows=set())],
    ("POST", "/api/v1/jobs/{job_id}/retry"): [
        case("/api/v1/jobs/{alpha.job}/retry", {"alpha:admin", "operator"}, hidden=True, knows=set())],
    ("POST", "/api/v1/jobs/{job_id}/cancel"): [
        case("/api/v1/jobs/{alpha.job}/cancel", {"alpha:admin", "operator"}, hidden=True, knows=set())],
    ("GET", "/api/v1/catalog/titles"): [case("/api/v1/catalog/titles?page_size=50", EVERYONE)],
    ("POST", "/api/v1/catalog/titles"): [case("/api/v1/catalog/titles", holders(Action.EDIT_CATALOG), body={
        "slug": "matrix-new", "owner": "alpha", "original_language": "en", "country_of_origin": "PK",
        "name": "Matrix New"})],
    ("GET", "/api/v1/catalog/search"): [case("/api/v1/catalog/search?q=SECRET", EVERYONE)],
    ("GET", "/api/v1/catalog/titles/{slug}"): [
        case("/api/v1/catalog/titles/{alpha.film}", EVERYONE),
        case("/api/v1/catalog/titles/{alpha.secret}", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("PATCH", "/api/v1/catalog/titles/{slug}"): [
        case("/api/v1/catalog/titles/{alpha.film}", holders(Action.EDIT_CATALOG), body={"year": 2020}),
        case("/api/v1/catalog/titles/{alpha.secret}", holders(Action.PUBLISH), body={"is_published": True},
             hidden=True)],
    ("PUT", "/api/v1/catalog/titles/{slug}/texts/{language}"): [
        case("/api/v1/catalog/titles/{alpha.film}/texts/ru", holders(Action.TRANSLATE_CATALOG),
             body={"name": "Фильм"})],
    ("GET", "/api/v1/catalog/genres"): [case("/api/v1/catalog/genres", EVERYONE)],
    ("GET", "/api/v1/catalog/organisations"): [case("/api/v1/catalog/organisations", EVERYONE)],
    ("GET", "/api/v1/media/titles/{slug}/stream"): [
        case("/api/v1/media/titles/{alpha.film}/stream", EVERYONE, missing_ok=True),
        case("/api/v1/media/titles/{alpha.secret}/stream", holders(Action.VIEW_DRAFTS), hidden=True,
             missing_ok=True)],
    ("GET", "/api/v1/localization/titles/{slug}/tracks"): [
        case("/api/v1/localization/titles/{alpha.film}/tracks", SIGNED),
        case("/api/v1/localization/titles/{alpha.secret}/tracks", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("POST", "/api/v1/localization/titles/{slug}/tracks"): [
        case("/api/v1/localization/titles/{alpha.film}/tracks", holders(Action.TRANSLATE),
             multipart={"language": "uz", "file": SRT})],
    ("GET", "/api/v1/localization/tracks/{track_id}"): [
        case("/api/v1/localization/tracks/{alpha.source}", SIGNED),
        case("/api/v1/localization/tracks/{alpha.draft}", holders(Action.VIEW_DRAFTS), hidden=True)],
    # A published track is public text; an approved-or-not draft is its organisation's
    # (those who may read it get 409 while it is not approved).
    ("GET", "/api/v1/localization/tracks/{track_id}/export"): [
        case("/api/v1/localization/tracks/{alpha.source}/export?format=ttml", SIGNED),
        case("/api/v1/localization/tracks/{alpha.draft}/export", holders(Action.VIEW_DRAFTS), hidden=True)],
    # The films here have no sound: the allowed are told which languages there are (422).
    ("POST", "/api/v1/localization/titles/{slug}/transcribe"): [
        case("/api/v1/localization/titles/{alpha.film}/transcribe", holders(Action.ORDER_LOCALIZATION),
             body={"languages": ["ur"]}),
        case("/api/v1/localization/titles/{alpha.secret}/transcribe", holders(Action.ORDER_LOCALIZATION),
             body={"languages": ["ur"]}, hidden=True)],
    ("POST", "/api/v1/localization/titles/{slug}/script"): [
        case("/api/v1/localization/titles/{alpha.film}/script", holders(Action.TRANSLATE),
             multipart={"language": "en", "file": b"The caravan reached Samarkand.\nAt dawn.\n"})],
    ("POST", "/api/v1/localization/tracks/{track_id}/translate"): [
        case("/api/v1/localization/tracks/{alpha.source}/translate", holders(Action.ORDER_LOCALIZATION),
             body={"target_languages": ["ky"]})],
    ("POST", "/api/v1/localization/tracks/{track_id}/translation"): [
        case("/api/v1/localization/tracks/{alpha.draft}/translation", holders(Action.TRANSLATE),
             body={"texts": ["Жаңа мәтін"]}, hidden=True)],
    ("PATCH", "/api/v1/localization/cues/{cue_id}"): [
        case("/api/v1/localization/cues/{alpha.cue}", holders(Action.TRANSLATE), body={"text": "Changed"},
             hidden=True)],
    ("POST", "/api/v1/localization/tracks/{track_id}/approve"): [
        case("/api/v1/localization/tracks/{alpha.draft}/approve", holders(Action.REVIEW), body={}, hidden=True)],
    ("POST", "/api/v1/localization/tracks/{track_id}/request-changes"): [
        case("/api/v1/localization/tracks/{alpha.draft}/request-changes", holders(Action.REVIEW),
             body={"comment": "Shorter, please."}, hidden=True)],
    ("POST", "/api/v1/localization/tracks/{track_id}/publish"): [
        case("/api/v1/localization/tracks/{alpha.draft}/publish", holders(Action.REVIEW), hidden=True)],
    ("GET", "/api/v1/localization/tasks"): [case("/api/v1/localization/tasks", SIGNED)],
    ("GET", "/api/v1/localization/organisations/{slug}/glossary"): [
        case("/api/v1/localization/organisations/{alpha.org}/glossary", holders(Action.VIEW_GLOSSARY))],
    ("POST", "/api/v1/localization/organisations/{slug}/glossary"): [
        case("/api/v1/localization/organisations/{alpha.org}/glossary", holders(Action.MANAGE_GLOSSARY),
             body={"source_language": "en", "target_language": "ru", "source_term": "Lahore",
                   "target_term": "Лахор"})],
    ("GET", "/api/v1/rights/licences"): [case("/api/v1/rights/licences", SIGNED)],
    ("POST", "/api/v1/rights/licences"): [case("/api/v1/rights/licences", holders(Action.MANAGE_RIGHTS), body={
        "ref": "MATRIX-NEW", "title": "alpha-film", "licence_type": "AVOD", "territories": ["UZ"],
        "start": "2027-01-01", "end": "2027-12-31"})],
    ("GET", "/api/v1/rights/licences/{ref}"): [
        case("/api/v1/rights/licences/{alpha.licence}", holders(Action.VIEW_RIGHTS), hidden=True,
             knows=holders(Action.VIEW_RIGHTS))],
    ("PUT", "/api/v1/rights/licences/{ref}"): [
        case("/api/v1/rights/licences/{alpha.licence}", holders(Action.MANAGE_RIGHTS), hidden=True,
             knows=holders(Action.VIEW_RIGHTS), body={
            "ref": "ALPHA-SVOD-1", "title": "alpha-film", "licence_type": "SVOD",
            "territories": ["KZ", "UZ"], "start": "2026-01-01", "end": "2030-12-31"})],
    ("DELETE", "/api/v1/rights/licences/{ref}"): [
        case("/api/v1/rights/licences/{alpha.licence}", holders(Action.MANAGE_RIGHTS), hidden=True,
             knows=holders(Action.VIEW_RIGHTS))],
    ("GET", "/api/v1/rights/licences/{ref}/revisions"): [
        case("/api/v1/rights/licences/{alpha.licence}/revisions", holders(Action.VIEW_RIGHTS), hidden=True,
             knows=holders(Action.VIEW_RIGHTS))],
    ("POST", "/api/v1/rights/releases"): [case("/api/v1/rights/releases", holders(Action.MANAGE_RIGHTS), body={
        "title": "alpha-film", "country": "KZ", "event": "theatrical", "day": "2026-05-01"})],
    # A file import lists every bad row, a row of a title one may not license among them (422).
    ("POST", "/api/v1/rights/avails"): [case(
        "/api/v1/rights/avails", holders(Action.MANAGE_RIGHTS), content_type="text/csv", refused_status=(422,),
        body="LicenceRef,Title,LicenseType,Territory,Start,End\nMATRIX-AV,alpha-film,SVOD,TJ,2027-01-01,2027-06-30\n")],
    ("GET", "/api/v1/rights/decision"): [
        case("/api/v1/rights/decision?title={alpha.film}&territory=KZ", EVERYONE),
        case("/api/v1/rights/decision?title={alpha.secret}&territory=KZ", holders(Action.VIEW_DRAFTS),
             hidden=True)],
    ("GET", "/api/v1/rights/catalog"): [case("/api/v1/rights/catalog?territory=KZ", EVERYONE)],
}

DRAFT_READERS = holders(Action.VIEW_DRAFTS)
# The studio refuses people without a studio role anywhere before it looks at the title
# (403, the same for every address, so it discloses nothing).
STUDIO_KNOWS = DRAFT_READERS | (SIGNED - STUDIO_PEOPLE)
PAGES: dict[tuple[str, str], list[Case]] = {
    ("POST", "i18n/setlang/"): [case("/i18n/setlang/", EVERYONE, body={"language": "ru", "next": "/"},
                                     content_type="form")],
    ("GET", "studio/login/"): [case("/studio/login/", EVERYONE)],
    ("POST", "studio/logout/"): [case("/studio/logout/", EVERYONE, content_type="form", body={})],
    ("GET", "media/watch/<slug:slug>/"): [
        case("/media/watch/{alpha.film}/", EVERYONE, missing_ok=True),
        case("/media/watch/{alpha.secret}/", DRAFT_READERS, hidden=True, missing_ok=True)],
    ("GET", "media/watch/<slug:slug>/master.m3u8"): [
        case("/media/watch/{alpha.film}/master.m3u8", EVERYONE, missing_ok=True),
        case("/media/watch/{alpha.secret}/master.m3u8", DRAFT_READERS, hidden=True, missing_ok=True)],
    # A link nobody signed: refused to everyone.
    ("GET", "media/s/<str:token>/<path:path>"): [case("/media/s/forged-token/titles/alpha-film/v1/master.m3u8",
                                                      set(), anonymous_status=(403, 404, 410))],
    ("POST", "media/tus/"): [case("/media/tus/", holders(Action.UPLOAD_MEDIA), content_type="tus", extra={
        "Tus-Resumable": "1.0.0", "Upload-Length": "16",
        "Upload-Metadata": "title YWxwaGEtZmlsbQ==,filename ZmlsbS5tcDQ="})],
    ("PATCH", "media/tus/<uuid:upload_id>"): [case(
        f"/media/tus/{uuid.UUID(int=7)}", set(), content_type="application/offset+octet-stream", body=b"x",
        extra={"Tus-Resumable": "1.0.0", "Upload-Offset": "0"})],
    ("GET", "studio/home/"): [case("/studio/home/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "studio/review/"): [case("/studio/review/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "studio/review/<int:track_id>/"): [
        case("/studio/review/{alpha.draft}/", DRAFT_READERS, hidden=True, anonymous_status=LOGIN)],
    ("POST", "studio/review/<int:track_id>/decide"): [
        case("/studio/review/{alpha.draft}/decide", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             content_type="form", body={"verdict": "changes", "comment": "Again."},
             changes=holders(Action.REVIEW))],
    ("POST", "studio/review/<int:track_id>/cues/<int:cue_id>"): [
        case("/studio/review/{alpha.draft}/cues/{alpha.cue}", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             content_type="form", body={"text": "Edited on the desk", "start_ms": "1000", "end_ms": "2500"},
             changes=holders(Action.TRANSLATE))],
    ("POST", "studio/review/<int:track_id>/cues/<int:cue_id>/comment"): [
        case("/studio/review/{alpha.draft}/cues/{alpha.cue}/comment", DRAFT_READERS, hidden=True,
             anonymous_status=LOGIN, content_type="form", body={"text": "Check this"},
             changes=holders(Action.TRANSLATE))],
    ("POST", "studio/review/<int:track_id>/voice/approve"): [
        case("/studio/review/{alpha.draft}/voice/approve", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             content_type="form", body={}, missing_ok=True, changes=set())],
    ("GET", "studio/review/<int:track_id>/voice/<str:part>.wav"): [
        case("/studio/review/{alpha.draft}/voice/mix.wav", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             missing_ok=True)],
    ("GET", "rights/titles/<slug:slug>/"): [
        case("/rights/titles/{alpha.film}/", holders(Action.MANAGE_RIGHTS), anonymous_status=LOGIN),
        case("/rights/titles/{alpha.secret}/", holders(Action.MANAGE_RIGHTS), hidden=True,
             anonymous_status=LOGIN)],
    ("GET", "rights/titles/<slug:slug>/chart.svg"): [
        case("/rights/titles/{alpha.film}/chart.svg", holders(Action.MANAGE_RIGHTS), anonymous_status=LOGIN)],
    ("GET", ""): [case("/", EVERYONE)],
    ("GET", "search/"): [case("/search/?q=SECRET", EVERYONE)],
    ("GET", "titles/<slug:slug>/"): [
        case("/titles/{alpha.film}/", EVERYONE),
        case("/titles/{alpha.secret}/", DRAFT_READERS, hidden=True)],
    ("GET", "studio/"): [case("/studio/", STUDIO_PEOPLE, anonymous_status=LOGIN)],
    ("GET", "studio/titles/new"): [case("/studio/titles/new", STUDIO_PEOPLE, anonymous_status=LOGIN)],
    ("POST", "studio/titles/new"): [case(
        "/studio/titles/new", STUDIO_PEOPLE, anonymous_status=LOGIN, content_type="form",
        body={"owner": "alpha", "slug": "matrix-studio", "original_language": "en", "country_of_origin": "PK",
              "name": "Matrix Studio", "kind": "film"}, changes=holders(Action.EDIT_CATALOG))],
    ("GET", "studio/titles/<slug:slug>/"): [
        case("/studio/titles/{alpha.film}/", holders(Action.TRANSLATE_CATALOG), anonymous_status=LOGIN),
        case("/studio/titles/{alpha.secret}/", holders(Action.TRANSLATE_CATALOG), hidden=True,
             knows=STUDIO_KNOWS, anonymous_status=LOGIN)],
    ("GET", "studio/titles/<slug:slug>/upload/"): [
        case("/studio/titles/{alpha.film}/upload/", holders(Action.TRANSLATE_CATALOG), anonymous_status=LOGIN)],
    ("GET", "studio/titles/<slug:slug>/pipeline.json"): [
        case("/studio/titles/{alpha.film}/pipeline.json", holders(Action.TRANSLATE_CATALOG),
             anonymous_status=LOGIN)],
    ("POST", "studio/titles/<slug:slug>/publish"): [
        case("/studio/titles/{alpha.secret}/publish", holders(Action.TRANSLATE_CATALOG), hidden=True,
             knows=STUDIO_KNOWS, anonymous_status=LOGIN, content_type="form", body={}, changes=set())],  # no film: nothing to publish
    ("POST", "studio/titles/<slug:slug>/unpublish"): [
        case("/studio/titles/{alpha.film}/unpublish", holders(Action.TRANSLATE_CATALOG), anonymous_status=LOGIN,
             content_type="form", body={}, changes=holders(Action.PUBLISH))],
    ("POST", "studio/titles/<slug:slug>/jobs/<int:job_id>/retry"): [
        case("/studio/titles/{alpha.film}/jobs/{alpha.job}/retry", holders(Action.TRANSLATE_CATALOG),
             anonymous_status=LOGIN, content_type="form", body={})],
    ("POST", "studio/titles/<slug:slug>/jobs/<int:job_id>/cancel"): [
        case("/studio/titles/{alpha.film}/jobs/{alpha.job}/cancel", holders(Action.TRANSLATE_CATALOG),
             anonymous_status=LOGIN, content_type="form", body={})],
    # Federation: the discovery document is public; the doors other nodes use take signed
    # requests only (a person's session or token is no signature: 401, or 422 for a follow
    # request whose body names no node); the peers page and its actions are the operators'.
    ("GET", ".well-known/dastan-node"): [case("/.well-known/dastan-node", EVERYONE)],
    ("POST", "federation/follow"): [case("/federation/follow", set(), body={}, refused_status=(422,),
                                         anonymous_status=(422,))],
    ("POST", "federation/peering"): [case("/federation/peering", set(), body={"state": "accepted"})],
    ("GET", "federation/feed"): [case("/federation/feed?since=0", set())],
    ("POST", "federation/inbox"): [case("/federation/inbox", set(), body={"documents": []})],
    ("POST", "federation/contributions"): [case("/federation/contributions", set(), body={})],
    ("GET", "federation/peers/"): [case("/federation/peers/", {"operator"}, anonymous_status=LOGIN)],
    ("POST", "federation/peers/<int:peer_id>/<str:verb>"): [
        case("/federation/peers/999999/accept", {"operator"}, anonymous_status=LOGIN, content_type="form",
             body={}, missing_ok=True)],
    # The admin site is Django's; its door is the node operators' (accounts.apps).
    ("GET", "admin/"): [case("/admin/", {"operator"}, anonymous_status=LOGIN, refused_status=LOGIN)],
}
# Routes that are not pages of ours or have no page of their own (the admin's inner pages
# share its door, checked above; the tus upload's HEAD/DELETE share PATCH's lookup).
NOT_PAGES = {"api/v1/", "admin/"}


# --- running a case ---------------------------------------------------------------------------------

def fingerprint() -> str:
    """A digest of what the requests could change; equal before and after = nothing changed."""
    rows = {
        "titles": list(Title.objects.order_by("pk").values_list("slug", "is_published", "year")),
        "tracks": list(SubtitleTrack.objects.order_by("pk").values_list("pk", "state", "language")),
        "cues": list(SubtitleTrack.objects.order_by("pk").values_list("cues__text", "cues__start_ms")),
        "comments": CueComment.objects.count(),
        "terms": GlossaryTerm.objects.count(),
        "licences": list(Licence.objects.order_by("pk").values_list("ref", "revision", "revoked_at")),
        "jobs": list(Job.objects.order_by("pk").values_list("pk", "state")),
    }
    from dastan.catalog.models import TitleText
    from dastan.media.models import Upload
    from dastan.rights.models import ReleaseDate

    rows["texts"] = list(TitleText.objects.order_by("pk").values_list("pk", "name"))
    rows["release_dates"] = ReleaseDate.objects.count()
    rows["uploads"] = Upload.objects.count()
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


class _Rollback(Exception):
    pass


def _client(world: World, identity: str, *, api: bool) -> Client:
    if identity == "anonymous":
        return Client()
    if api:
        return Client(headers={"Authorization": f"Bearer {world.tokens[identity]}"})
    client = Client()
    client.force_login(world.users[identity])
    return client


def _request(client: Client, method: str, path: str, c: Case) -> Any:
    kwargs: dict[str, Any] = {}
    if c.multipart is not None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {k: SimpleUploadedFile("subs.srt", v) if isinstance(v, bytes) else v for k, v in c.multipart.items()}
        return client.post(path, data)
    if c.content_type == "form":
        return getattr(client, method.lower())(path, c.body or {})
    if c.content_type == "tus":
        return client.generic(method, path, b"", headers=c.extra)
    if c.body is not None:
        data = json.dumps(c.body) if c.content_type == "application/json" else c.body
        kwargs = {"data": data, "content_type": c.content_type}
    return client.generic(method, path, headers=c.extra or None, **kwargs)


@dataclass
class Outcome:
    identity: str
    status: int
    changed: bool
    leaked: list[str]


def run_case(world: World, method: str, c: Case, *, api: bool) -> Iterator[Outcome]:
    path = c.path.format(**{k.replace(".", "_"): v for k, v in world.ids.items()}) if "{" in c.path else c.path
    for identity in IDENTITIES:
        client = _client(world, identity, api=api)
        try:
            with transaction.atomic():
                before = fingerprint()
                response = _request(client, method, path, c)
                changed = fingerprint() != before
                raise _Rollback
        except _Rollback:
            pass
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        sent = path + (c.body.decode(errors="replace") if isinstance(c.body, bytes)
                       else json.dumps(c.body) if c.body is not None else "")  # echoing what was sent is no leak
        yield Outcome(identity, response.status_code, changed,
                      [m for m in private_markers(identity) if m in text and m not in sent])


def _fill(path: str) -> str:
    return path.replace("{alpha.", "{alpha_").replace("{beta.", "{beta_")


def check_entry(world: World, method: str, cases: list[Case], *, api: bool) -> list[str]:
    problems: list[str] = []
    for c in cases:
        c = Case(**{**c.__dict__, "path": _fill(c.path)})
        may_change = c.changes if c.changes is not None else c.allowed
        for out in run_case(world, method, c, api=api):
            where = f"{method} {c.path} as {out.identity}: {out.status}"
            if out.status >= 500:
                problems.append(f"{where} (server error)")
            elif out.identity in c.allowed:
                refused = {401, 403} | (set() if c.missing_ok else {404})
                if out.status in refused:
                    problems.append(f"{where}, expected to be allowed")
            elif out.identity == "anonymous":
                if out.status not in c.anonymous_status:
                    problems.append(f"{where}, expected one of {c.anonymous_status}")
            else:
                # A hidden object is not disclosed (404), except to its organisation's people
                # who see its drafts: they are told what their role lacks (403).
                knows = c.knows if c.knows is not None else DRAFT_READERS
                expected = ({403} if out.identity in knows else {404}) if c.hidden else {401, 403, 404}
                if c.refused_status is not None:
                    expected = set(c.refused_status)
                if out.status not in expected:
                    problems.append(f"{where}, expected one of {sorted(expected)}")
            if out.changed and out.identity not in may_change:
                problems.append(f"{where} changed data it may not change")
            if out.leaked:
                problems.append(f"{where} leaked {out.leaked}")
    return problems


# --- the tests ----------------------------------------------------------------------------------------

def api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def page_routes() -> set[str]:
    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if route in NOT_PAGES:
                    continue
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                found.add(route)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_endpoint_has_an_entry() -> None:
    """A new API operation or page fails here until the matrix says who may use it."""
    assert api_operations() - set(API) == set(), "add these API operations to API in this file"
    assert set(API) - api_operations() == set(), "these entries name operations that no longer exist"
    pages = {route for _, route in PAGES} - NOT_PAGES
    assert page_routes() - pages == set(), "add these pages to PAGES in this file"
    assert pages - page_routes() == set(), "these entries name pages that no longer exist"


@pytest.mark.parametrize(("method", "path"), sorted(API), ids=[f"{m} {p}" for m, p in sorted(API)])
def test_api_operation_answers_each_identity_as_the_role_table_says(world: World, method: str, path: str) -> None:
    problems = check_entry(world, method, API[(method, path)], api=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("method", "route"), sorted(PAGES), ids=[f"{m} /{r}" for m, r in sorted(PAGES)])
def test_page_answers_each_identity_as_the_role_table_says(world: World, method: str, route: str) -> None:
    problems = check_entry(world, method, PAGES[(method, route)], api=False)
    assert not problems, "\n".join(problems)
