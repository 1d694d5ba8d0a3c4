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
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from dastan.accounts.models import Membership, NodeOperator
from dastan.accounts.permissions import ROLE_ACTIONS, Action
from dastan.accounts.tokens import issue_api_token
from dastan.api import api
from dastan.bazaar.models import (
    Interest,
    Meeting,
    NdaAcceptance,
    Profile,
    Project,
    ProjectMaterial,
    ScriptGrant,
    Slot,
)
from dastan.bazaar.scripts import DEFAULT_NDA
from dastan.bazaar.tests.world import matrix_crossings, matrix_things
from dastan.catalog.models import Organisation, Title
from dastan.catalog.tests.factories import make_title
from dastan.dubbing.models import CastRole, Consent, DisclosureRule, HumanDub, StemDelivery, Take
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import submit_job
from dastan.labs.tests.factories import lab_fingerprint, lab_matrix_things
from dastan.localization.models import (
    Commission,
    CueComment,
    GlossaryTerm,
    SubtitleTrack,
    TranslationTask,
)
from dastan.localization.tracks import CueData, create_track
from dastan.rights.actions import grant_licence
from dastan.rights.models import AvailsMapping, Licence
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
    AvailsMapping.objects.create(organisation=org, distributor=f"SECRET-{mark}-LICENCE distributor",
                                 header=["Pays"], columns={"Pays": "Territory"})
    for role in ROLES:
        user = User.objects.create_user(f"{key}-{role}", password="x" * 12)
        Membership.objects.create(user=user, organisation=org, role=role)
        world.users[f"{key}:{role}"] = user
    consent = Consent.objects.create(organisation=org, person_name=f"{key.title()} Actor", starts_on=date(2026, 1, 1),
                                     evidence_kind="click_through", evidence_sha256="0" * 64,
                                     clickthrough_text="I agree.", accepted_at=datetime(2026, 1, 1, tzinfo=UTC))
    task = TranslationTask.objects.create(track=draft, organisation=org, reason="matrix")
    job = submit_job(kind="test.transcode", target=public, created_by=world.users[f"{key}:admin"])
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    world.ids.update({
        f"{key}.org": org.slug, f"{key}.film": public.slug, f"{key}.secret": secret.slug,
        f"{key}.source": source.pk, f"{key}.draft": draft.pk, f"{key}.cue": draft.cues.get().pk,
        f"{key}.licence": licence.ref, f"{key}.job": job.pk, f"{key}.consent": consent.pk,
        f"{key}.task": task.pk,
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
    world.ids.update(lab_matrix_things(host=Organisation.objects.get(slug="alpha")))
    # Alpha commissions Beta for its film's Tajik: Beta's people gain nothing else of Alpha's
    # (tests/…/test_commissions.py follows a commission's tracks), and Beta's managers assign
    # the Tajik task to Beta's own people (…/test_assignments.py).
    commission = Commission.objects.create(studio=Organisation.objects.get(slug="alpha"),
                                           house=Organisation.objects.get(slug="beta"), languages=["tg"],
                                           starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=30))
    commission.titles.set([Title.objects.get(slug="alpha-film")])
    world.ids["alpha.commission"] = commission.pk
    tajik = create_track(title=Title.objects.get(slug="alpha-film"), language="tg", origin="human",
                         source_track=SubtitleTrack.objects.get(pk=world.ids["alpha.source"]),
                         cues=[CueData(1000, 2500, "Commissioned line.")], provenance={"engine": "human"})
    world.ids["alpha.tg"] = tajik.pk
    world.ids["alpha.tg_task"] = TranslationTask.objects.create(
        track=tajik, organisation=Organisation.objects.get(slug="alpha"), reason="matrix", commission=commission).pk
    world.users["outsider"] = User.objects.create_user("outsider", password="x" * 12)
    for key in ORGS:  # the bazaar's: profiles, pitches, slots, a script shared with the outsider
        org = Organisation.objects.get(slug=key)
        world.ids.update(matrix_things(org=org, users=world.users, key=key, outsider=world.users["outsider"]))
    world.ids.update(matrix_crossings(ids=world.ids, users=world.users))
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
            hidden += [f"SECRET-{mark}-DRAFT", f"SECRET-{mark}-TITLE", f"SECRET-{mark}-PITCH"]
        if Action.VIEW_GLOSSARY not in actions:
            hidden.append(f"SECRET-{mark}-NOTE")
        if Action.VIEW_RIGHTS not in actions:
            hidden.append(f"SECRET-{mark}-LICENCE")
    # An application's answers and a room's notes are its applicant's, committee's and
    # mentors' (dastan/labs/tests/test_matrix.py walks those); nobody here is one of them.
    hidden += ["SECRET-LABS-ANSWER", "SECRET-LABS-NOTE"]
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
# Alpha's Tajik track is commissioned to Beta: Beta's people read it and Beta's managers
# assign its work (to Beta's own people), within the commission's term.
COMMISSION_READERS = holders(Action.VIEW_DRAFTS) | holders(Action.VIEW_DRAFTS, "beta")
COMMISSION_ASSIGNERS = holders(Action.ASSIGN_TASKS) | holders(Action.ASSIGN_TASKS, "beta")
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
    # The translator's workbench (dastan/localization/workbench_api.py).
    ("GET", "/api/v1/localization/queue"): [case("/api/v1/localization/queue", SIGNED)],
    ("GET", "/api/v1/localization/late"): [case("/api/v1/localization/late", SIGNED)],
    ("GET", "/api/v1/localization/notifications"): [case("/api/v1/localization/notifications", SIGNED)],
    ("POST", "/api/v1/localization/language-pairs"): [
        case("/api/v1/localization/language-pairs", SIGNED, body={"source_language": "en", "target_language": "kk"})],
    ("GET", "/api/v1/localization/titles/{slug}/route"): [
        case("/api/v1/localization/titles/{alpha.film}/route?target=kk", holders(Action.ORDER_LOCALIZATION)),
        case("/api/v1/localization/titles/{alpha.secret}/route?target=kk", holders(Action.ORDER_LOCALIZATION),
             hidden=True)],
    ("POST", "/api/v1/localization/tracks/{track_id}/tasks"): [
        case("/api/v1/localization/tracks/{alpha.source}/tasks", holders(Action.ORDER_LOCALIZATION),
             body={"target_language": "ky"})],
    ("POST", "/api/v1/localization/tasks/{task_id}/assign"): [
        case("/api/v1/localization/tasks/{alpha.task}/assign", holders(Action.ASSIGN_TASKS),
             body={"assignee": "alpha-translator"}, hidden=True),
        case("/api/v1/localization/tasks/{alpha.tg_task}/assign", COMMISSION_ASSIGNERS,
             body={"assignee": "beta-translator"}, hidden=True, knows=COMMISSION_READERS)],
    ("POST", "/api/v1/localization/tracks/{track_id}/assign"): [
        case("/api/v1/localization/tracks/{alpha.draft}/assign", holders(Action.ASSIGN_TASKS),
             body={"assignee": "alpha-reviewer", "role": "reviewer"}, hidden=True),
        case("/api/v1/localization/tracks/{alpha.tg}/assign", COMMISSION_ASSIGNERS,
             body={"assignee": "beta-reviewer", "role": "reviewer"}, hidden=True, knows=COMMISSION_READERS)],
    # Nobody is assigned yet: the allowed are told so (422).
    ("POST", "/api/v1/localization/tasks/{task_id}/remind"): [
        case("/api/v1/localization/tasks/{alpha.task}/remind", holders(Action.ASSIGN_TASKS), hidden=True),
        case("/api/v1/localization/tasks/{alpha.tg_task}/remind", COMMISSION_ASSIGNERS, hidden=True,
             knows=COMMISSION_READERS)],
    # No engine drafts en→kk on any node: the allowed are told so (422).
    ("POST", "/api/v1/localization/tracks/{track_id}/rerun"): [
        case("/api/v1/localization/tracks/{alpha.draft}/rerun", holders(Action.ORDER_LOCALIZATION), hidden=True)],
    # The draft waits for approval: the order stays on it (202, no job yet).
    ("POST", "/api/v1/localization/tracks/{track_id}/voice"): [
        case("/api/v1/localization/tracks/{alpha.draft}/voice", holders(Action.ORDER_LOCALIZATION), body={},
             hidden=True)],
    # The published source is withdrawn (the matrix's film has no stream: only its state
    # changes); a draft is not published, so the allowed are told there is nothing to withdraw (409).
    ("POST", "/api/v1/localization/tracks/{track_id}/withdraw"): [
        case("/api/v1/localization/tracks/{alpha.source}/withdraw", holders(Action.REVIEW),
             body={"reason": "Wrong names."}),
        case("/api/v1/localization/tracks/{alpha.draft}/withdraw", holders(Action.REVIEW),
             body={"reason": "Wrong names."}, hidden=True)],
    ("POST", "/api/v1/localization/commissions"): [
        case("/api/v1/localization/commissions", holders(Action.ORDER_LOCALIZATION), body={
            "studio": "alpha", "house": "beta", "titles": ["alpha-film"], "languages": ["uz"],
            "ends_at": "2099-01-01T00:00:00Z"})],
    ("POST", "/api/v1/localization/commissions/{commission_id}/end"): [
        case("/api/v1/localization/commissions/{alpha.commission}/end", holders(Action.ORDER_LOCALIZATION),
             hidden=True)],
    ("GET", "/api/v1/localization/tracks/{track_id}/workbench"): [
        case("/api/v1/localization/tracks/{alpha.draft}/workbench", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("GET", "/api/v1/localization/tracks/{track_id}/qc"): [
        case("/api/v1/localization/tracks/{alpha.draft}/qc", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("POST", "/api/v1/localization/cues/{cue_id}/qc"): [
        case("/api/v1/localization/cues/{alpha.cue}/qc", holders(Action.VIEW_DRAFTS), hidden=True,
             body={"text": "Typed, not saved", "end_ms": 2600}, changes=set())],
    ("POST", "/api/v1/localization/cues/{cue_id}/split"): [
        case("/api/v1/localization/cues/{alpha.cue}/split", holders(Action.TRANSLATE), hidden=True,
             body={"at_ms": 1700, "text_before": "One", "text_after": "Two"})],
    # The draft has one cue: the allowed are told there is nothing after it (422).
    ("POST", "/api/v1/localization/cues/{cue_id}/merge"): [
        case("/api/v1/localization/cues/{alpha.cue}/merge", holders(Action.TRANSLATE), hidden=True, body={})],
    ("POST", "/api/v1/localization/cues/{cue_id}/confirm"): [
        case("/api/v1/localization/cues/{alpha.cue}/confirm", holders(Action.TRANSLATE), hidden=True, body={})],
    ("POST", "/api/v1/localization/tracks/{track_id}/submit"): [
        case("/api/v1/localization/tracks/{alpha.draft}/submit", holders(Action.TRANSLATE), hidden=True)],
    ("POST", "/api/v1/localization/spelling"): [
        case("/api/v1/localization/spelling", SIGNED, body={"language": "ur", "text": "کتاب"})],
    # The matrix's films have no sound: nothing to draw yet (404 to the allowed too).
    ("POST", "/api/v1/localization/titles/{slug}/waveform"): [
        case("/api/v1/localization/titles/{alpha.film}/waveform", holders(Action.VIEW_DRAFTS), missing_ok=True)],
    ("GET", "/api/v1/localization/tracks/{track_id}/waveform.dat"): [
        case("/api/v1/localization/tracks/{alpha.draft}/waveform.dat", holders(Action.VIEW_DRAFTS), hidden=True,
             missing_ok=True)],
    ("POST", "/api/v1/localization/titles/{slug}/localize"): [
        case("/api/v1/localization/titles/{alpha.film}/localize", holders(Action.ORDER_LOCALIZATION),
             body={"languages": [{"language": "ky", "route": "person"}]}),
        case("/api/v1/localization/titles/{alpha.secret}/localize", holders(Action.ORDER_LOCALIZATION),
             body={"languages": [{"language": "ky", "route": "person"}]}, hidden=True)],
    ("GET", "/api/v1/localization/titles/{slug}/languages"): [
        case("/api/v1/localization/titles/{alpha.film}/languages", holders(Action.VIEW_DRAFTS)),
        case("/api/v1/localization/titles/{alpha.secret}/languages", holders(Action.VIEW_DRAFTS), hidden=True)],
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
    ("GET", "/api/v1/rights/avails/mappings"): [case("/api/v1/rights/avails/mappings", SIGNED)],
    ("GET", "/api/v1/rights/decision"): [
        case("/api/v1/rights/decision?title={alpha.film}&territory=KZ", EVERYONE),
        case("/api/v1/rights/decision?title={alpha.secret}&territory=KZ", holders(Action.VIEW_DRAFTS),
             hidden=True)],
    ("GET", "/api/v1/rights/catalog"): [case("/api/v1/rights/catalog?territory=KZ", EVERYONE)],
    # Labs (dastan/labs): programmes, calls and certificates are public; an application and
    # a room are their applicant's, committee's and mentors' (none of these identities: the
    # labs matrix, dastan/labs/tests/test_matrix.py, walks those); alpha hosts the edition,
    # so its administrator lists the applications (names and states) and nothing more.
    ("GET", "/api/v1/labs/programmes"): [case("/api/v1/labs/programmes", EVERYONE)],
    ("GET", "/api/v1/labs/programmes/{slug}"): [case("/api/v1/labs/programmes/{labs.programme}", EVERYONE)],
    ("GET", "/api/v1/labs/calls/{call_id}"): [case("/api/v1/labs/calls/{labs.call}?tz=Asia/Shanghai", EVERYONE)],
    ("GET", "/api/v1/labs/certificates/{code}"): [case("/api/v1/labs/certificates/{labs.certificate}", EVERYONE)],
    ("POST", "/api/v1/labs/calls/{call_id}/applications"): [case(
        "/api/v1/labs/calls/{labs.call}/applications", SIGNED,
        body={"country": "PK", "career_stage": "first film", "time_zone": "Asia/Karachi"})],
    ("GET", "/api/v1/labs/calls/{call_id}/applications"): [
        case("/api/v1/labs/calls/{labs.call}/applications", {"alpha:admin"})],
    ("GET", "/api/v1/labs/calls/{call_id}/ranking"): [case("/api/v1/labs/calls/{labs.call}/ranking", set())],
    ("GET", "/api/v1/labs/applications/{application_id}"): [
        case("/api/v1/labs/applications/{labs.application}", set(), hidden=True, knows=set())],
    ("PATCH", "/api/v1/labs/applications/{application_id}"): [
        case("/api/v1/labs/applications/{labs.draft}", set(), hidden=True, knows=set(),
             body={"answers": {"logline": "changed"}})],
    ("POST", "/api/v1/labs/applications/{application_id}/files"): [
        case("/api/v1/labs/applications/{labs.draft}/files", set(), hidden=True, knows=set(),
             multipart={"field": "treatment", "file": b"%PDF-1.4"})],
    ("POST", "/api/v1/labs/applications/{application_id}/submit"): [
        case("/api/v1/labs/applications/{labs.draft}/submit", set(), hidden=True, knows=set())],
    ("POST", "/api/v1/labs/applications/{application_id}/withdraw"): [
        case("/api/v1/labs/applications/{labs.application}/withdraw", set(), hidden=True, knows=set())],
    ("POST", "/api/v1/labs/applications/{application_id}/conflict"): [
        case("/api/v1/labs/applications/{labs.application}/conflict", set(), hidden=True, knows=set(),
             body={"reason": "x"})],
    ("PUT", "/api/v1/labs/applications/{application_id}/scores"): [
        case("/api/v1/labs/applications/{labs.application}/scores", set(), hidden=True, knows=set(),
             body={"points": {"story": 3}})],
    ("POST", "/api/v1/labs/applications/{application_id}/comments"): [
        case("/api/v1/labs/applications/{labs.application}/comments", set(), hidden=True, knows=set(),
             body={"text": "x"})],
    ("POST", "/api/v1/labs/applications/{application_id}/decision"): [
        case("/api/v1/labs/applications/{labs.application}/decision", set(), hidden=True, knows=set(),
             body={"decision": "declined", "reason": "x"})],
    ("GET", "/api/v1/labs/rooms/{room_id}"): [case("/api/v1/labs/rooms/{labs.room}", set(), hidden=True, knows=set())],
    ("POST", "/api/v1/labs/rooms/{room_id}/cuts"): [
        case("/api/v1/labs/rooms/{labs.room}/cuts", set(), hidden=True, knows=set(), multipart={"file": b"x"})],
    ("POST", "/api/v1/labs/rooms/{room_id}/notes"): [
        case("/api/v1/labs/rooms/{labs.room}/notes", set(), hidden=True, knows=set(),
             body={"screener_id": 1, "timecode_ms": 1000, "text": "x"})],
    ("POST", "/api/v1/labs/notes/{note_id}/resolve"): [
        case("/api/v1/labs/notes/{labs.note}/resolve", set(), hidden=True, knows=set(), body={"resolved": True})],
    ("POST", "/api/v1/labs/rooms/{room_id}/drafts"): [
        case("/api/v1/labs/rooms/{labs.room}/drafts", set(), hidden=True, knows=set(), body={"text": "INT. X"})],
    ("GET", "/api/v1/labs/rooms/{room_id}/diff"): [
        case("/api/v1/labs/rooms/{labs.room}/diff?old=1&new=1", set(), hidden=True, knows=set())],
    ("POST", "/api/v1/labs/rooms/{room_id}/script-notes"): [
        case("/api/v1/labs/rooms/{labs.room}/script-notes", set(), hidden=True, knows=set(),
             body={"version": 1, "line": 1, "text": "x"})],
    # The labs hosts' desk: alpha's administrators run the programme (MANAGE_LABS); a room's
    # existence stays hidden from everyone else.
    ("POST", "/api/v1/labs/programmes"): [case("/api/v1/labs/programmes", holders(Action.MANAGE_LABS), body={
        "slug": "matrix-new-lab", "kind": "workshop", "hosts": ["alpha"], "name": "Matrix Workshop"})],
    ("PUT", "/api/v1/labs/programmes/{slug}/texts/{language}"): [
        case("/api/v1/labs/programmes/{labs.programme}/texts/ru", holders(Action.MANAGE_LABS), body={"name": "Лаб"})],
    ("POST", "/api/v1/labs/programmes/{slug}/editions"): [case(
        "/api/v1/labs/programmes/{labs.programme}/editions", holders(Action.MANAGE_LABS), body={
            "name": "2101", "starts_on": "2101-01-01", "ends_on": "2101-02-01", "time_zone": "Asia/Karachi",
            "languages": ["en"], "place": "Karachi"})],
    ("GET", "/api/v1/labs/editions/{edition_id}/desk"): [
        case("/api/v1/labs/editions/{labs.edition}/desk", holders(Action.MANAGE_LABS))],
    ("POST", "/api/v1/labs/editions/{edition_id}/call"): [case(
        "/api/v1/labs/editions/{labs.fresh}/call", holders(Action.MANAGE_LABS), body={
            "deadline": "2099-12-01T18:00", "fields": [{"kind": "text", "label": "Logline"}],
            "rubric": [{"label": "Story", "max": 10}]})],
    ("PATCH", "/api/v1/labs/calls/{call_id}"): [
        case("/api/v1/labs/calls/{labs.call}", holders(Action.MANAGE_LABS), body={"deadline": "2099-02-01T18:00"})],
    ("POST", "/api/v1/labs/calls/{call_id}/committee"): [
        case("/api/v1/labs/calls/{labs.call}/committee", holders(Action.MANAGE_LABS), body={"person": "outsider"})],
    ("POST", "/api/v1/labs/calls/{call_id}/committee/{username}/chair"): [
        case("/api/v1/labs/calls/{labs.call}/committee/lab-member/chair", holders(Action.MANAGE_LABS))],
    ("DELETE", "/api/v1/labs/calls/{call_id}/committee/{username}"): [
        case("/api/v1/labs/calls/{labs.call}/committee/lab-member", holders(Action.MANAGE_LABS))],
    ("POST", "/api/v1/labs/editions/{edition_id}/sessions"): [case(
        "/api/v1/labs/editions/{labs.edition}/sessions", holders(Action.MANAGE_LABS), body={
            "name": "Pitch day", "starts_at": "2099-01-03T10:00", "ends_at": "2099-01-03T12:00"})],
    ("DELETE", "/api/v1/labs/sessions/{session_id}"): [
        case("/api/v1/labs/sessions/{labs.session}", holders(Action.MANAGE_LABS))],
    ("POST", "/api/v1/labs/editions/{edition_id}/mentors"): [
        case("/api/v1/labs/editions/{labs.edition}/mentors", holders(Action.MANAGE_LABS), body={"person": "outsider"})],
    ("DELETE", "/api/v1/labs/mentors/{mentor_id}"): [
        case("/api/v1/labs/mentors/{labs.mentor}", holders(Action.MANAGE_LABS))],
    ("POST", "/api/v1/labs/rooms/{room_id}/mentors/{mentor_id}"): [
        case("/api/v1/labs/rooms/{labs.room}/mentors/{labs.mentor}", holders(Action.MANAGE_LABS), hidden=True,
             knows=set())],
    ("POST", "/api/v1/labs/rooms/{room_id}/certificate"): [
        case("/api/v1/labs/rooms/{labs.room}/certificate", holders(Action.MANAGE_LABS), hidden=True, knows=set())],
    # The bazaar: the directory and public pitches are for everyone; an invited-only pitch,
    # its history, scripts and audit are its organisation's; a script opens to its recipient
    # (the outsider, who accepted the NDA) and to nobody else, not even the owner's people.
    ("GET", "/api/v1/bazaar/profiles"): [case("/api/v1/bazaar/profiles?q=alpha", EVERYONE)],
    ("POST", "/api/v1/bazaar/profiles"): [
        case("/api/v1/bazaar/profiles", SIGNED, body={"name": "Matrix Person", "kind": "writer", "country": "IR",
                                                      "slug": "matrix-person"}),
        case("/api/v1/bazaar/profiles", holders(Action.MANAGE_MARKET), body={  # alpha has one: 409
            "name": "Alpha Again", "kind": "studio", "country": "PK", "organisation": "alpha"})],
    ("GET", "/api/v1/bazaar/profiles/{slug}"): [case("/api/v1/bazaar/profiles/{alpha.profile}", EVERYONE)],
    ("GET", "/api/v1/bazaar/profiles/{slug}/matches"): [
        case("/api/v1/bazaar/profiles/{beta.profile}/matches", EVERYONE)],
    ("GET", "/api/v1/bazaar/profiles/{slug}/slots"): [case("/api/v1/bazaar/profiles/{alpha.profile}/slots", EVERYONE)],
    ("POST", "/api/v1/bazaar/profiles/{slug}/slots"): [
        case("/api/v1/bazaar/profiles/{alpha.profile}/slots", holders(Action.MANAGE_MARKET),
             body={"starts": ["2031-05-01T10:00:00"]})],
    ("GET", "/api/v1/bazaar/projects"): [case("/api/v1/bazaar/projects?q=SECRET", EVERYONE)],
    ("POST", "/api/v1/bazaar/projects"): [case("/api/v1/bazaar/projects", holders(Action.MANAGE_MARKET), body={
        "owner": "alpha-profile", "title": "Matrix Pitch", "logline": "A story.", "language": "en",
        "format": "feature", "stage": "development", "needs": [{"strength": "vfx", "countries": ["CN"]}]})],
    ("GET", "/api/v1/bazaar/projects/{slug}"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}", EVERYONE),
        case("/api/v1/bazaar/projects/{alpha.hidden}", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("PATCH", "/api/v1/bazaar/projects/{slug}"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}", holders(Action.MANAGE_MARKET), body={"stage": "financing"}),
        case("/api/v1/bazaar/projects/{alpha.hidden}", holders(Action.MANAGE_MARKET), body={"stage": "post"},
             hidden=True)],
    ("GET", "/api/v1/bazaar/projects/{slug}/history"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}/history", holders(Action.VIEW_DRAFTS))],
    ("GET", "/api/v1/bazaar/projects/{slug}/partners"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}/partners", EVERYONE),
        case("/api/v1/bazaar/projects/{alpha.hidden}/partners", holders(Action.VIEW_DRAFTS), hidden=True)],
    # Beta already said it is interested: those who may speak for Beta are told so (409).
    ("POST", "/api/v1/bazaar/projects/{slug}/interest"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}/interest", holders(Action.MANAGE_MARKET, "beta"),
             body={"sender": "beta-profile", "message": "Again"})],
    # A teaser or cut is the owner's unpublished title: listed to the owner's people only.
    ("GET", "/api/v1/bazaar/projects/{slug}/materials"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}/materials", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("POST", "/api/v1/bazaar/projects/{slug}/materials"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}/materials", holders(Action.MANAGE_MARKET),
             body={"kind": "teaser", "label": "Matrix teaser", "title": "alpha-film"})],
    ("POST", "/api/v1/bazaar/projects/{slug}/scripts"): [
        case("/api/v1/bazaar/projects/{alpha.pitch}/scripts", holders(Action.MANAGE_MARKET),
             multipart={"name": "not a script", "file": SRT})],
    ("GET", "/api/v1/bazaar/interests"): [case("/api/v1/bazaar/interests", SIGNED)],
    ("POST", "/api/v1/bazaar/interests/{interest_id}/decision"): [
        case("/api/v1/bazaar/interests/{alpha.interest}/decision", holders(Action.MANAGE_MARKET),
             body={"accept": False, "reason": "budget", "note": "Too large for us."})],
    ("POST", "/api/v1/bazaar/slots/{slot_id}/book"): [
        case("/api/v1/bazaar/slots/{alpha.slot}/book", holders(Action.MANAGE_MARKET, "beta"),
             body={"guest": "beta-profile"})],
    ("GET", "/api/v1/bazaar/meetings"): [case("/api/v1/bazaar/meetings", SIGNED)],
    ("GET", "/api/v1/bazaar/meetings/{meeting_id}/ics"): [
        case("/api/v1/bazaar/meetings/{alpha.meeting}/ics",
             holders(Action.VIEW_DRAFTS) | holders(Action.VIEW_DRAFTS, "beta"))],
    ("GET", "/api/v1/bazaar/notifications"): [case("/api/v1/bazaar/notifications", SIGNED)],
    ("POST", "/api/v1/bazaar/scripts/{script_id}/grants"): [
        case("/api/v1/bazaar/scripts/{alpha.script}/grants", holders(Action.MANAGE_MARKET), hidden=True,
             body={"recipient": "operator"})],
    ("DELETE", "/api/v1/bazaar/grants/{grant_id}"): [
        case("/api/v1/bazaar/grants/{alpha.grant}", holders(Action.MANAGE_MARKET), hidden=True)],
    ("POST", "/api/v1/bazaar/scripts/{script_id}/nda"): [
        case("/api/v1/bazaar/scripts/{alpha.script}/nda", {"outsider"}, hidden=True, knows=set(),
             body={"affirmed": True, "text_shown": DEFAULT_NDA})],
    ("GET", "/api/v1/bazaar/scripts/{script_id}/download"): [
        case("/api/v1/bazaar/scripts/{alpha.script}/download", {"outsider"}, hidden=True, knows=set())],
    ("GET", "/api/v1/bazaar/scripts/{script_id}/audit"): [
        case("/api/v1/bazaar/scripts/{alpha.script}/audit", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("GET", "/api/v1/bazaar/scripts/{script_id}/nda-records"): [
        case("/api/v1/bazaar/scripts/{alpha.script}/nda-records", holders(Action.MANAGE_MARKET), hidden=True)],
    # issue 16: consents, casting, scripts, stems, human dubs, disclosure rules, content credentials
    ("GET", "/api/v1/dubbing/organisations/{slug}/consents"): [
        case("/api/v1/dubbing/organisations/{alpha.org}/consents", holders(Action.MANAGE_CONSENT))],
    ("POST", "/api/v1/dubbing/organisations/{slug}/consents"): [
        case("/api/v1/dubbing/organisations/{alpha.org}/consents", holders(Action.MANAGE_CONSENT),
             multipart={"person_name": "Matrix Actor", "starts_on": "2026-01-01", "clickthrough_text": "I agree."})],
    ("POST", "/api/v1/dubbing/consents/{consent_id}/revoke"): [
        case("/api/v1/dubbing/consents/{alpha.consent}/revoke", holders(Action.MANAGE_CONSENT), hidden=True,
             body={"reason": "matrix"})],
    ("GET", "/api/v1/dubbing/tracks/{track_id}/characters"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/characters", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("POST", "/api/v1/dubbing/tracks/{track_id}/cast"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/cast", holders(Action.ORDER_LOCALIZATION), hidden=True,
             body={"speaker": "", "voice_id": "espeak-ng:kk"})],
    # The draft is not approved: those who may read it are told so (409).
    ("GET", "/api/v1/dubbing/tracks/{track_id}/script"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/script", holders(Action.VIEW_DRAFTS), hidden=True)],
    # The matrix's films have no stream: the allowed are told there is nothing to dub yet (400).
    ("POST", "/api/v1/dubbing/tracks/{track_id}/stems"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/stems", holders(Action.RECORD_DUB), hidden=True,
             multipart={"studio": "Matrix Sound"})],
    ("POST", "/api/v1/dubbing/tracks/{track_id}/human-dub"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/human-dub", holders(Action.RECORD_DUB), hidden=True, body={})],
    ("GET", "/api/v1/dubbing/tracks/{track_id}/human-dub"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/human-dub", holders(Action.VIEW_DRAFTS), hidden=True)],
    ("POST", "/api/v1/dubbing/tracks/{track_id}/human-dub/approve"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/human-dub/approve", holders(Action.REVIEW), hidden=True,
             missing_ok=True)],
    ("POST", "/api/v1/dubbing/tracks/{track_id}/human-dub/publish"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/human-dub/publish", holders(Action.REVIEW), hidden=True,
             missing_ok=True, body={"territories": ["KZ"]})],
    # No upload of the caller's by that id: the allowed are told so (404 after the permission check).
    ("POST", "/api/v1/dubbing/cues/{cue_id}/takes"): [
        case("/api/v1/dubbing/cues/{alpha.cue}/takes", holders(Action.RECORD_DUB), hidden=True, missing_ok=True,
             body={"upload_id": "00000000-0000-0000-0000-000000000007", "preroll_ms": 1500})],
    ("GET", "/api/v1/dubbing/tracks/{track_id}/takes"): [
        case("/api/v1/dubbing/tracks/{alpha.draft}/takes", holders(Action.RECORD_DUB), hidden=True)],
    ("POST", "/api/v1/dubbing/takes/{take_id}/choose"): [case("/api/v1/dubbing/takes/999999/choose", set())],
    ("POST", "/api/v1/dubbing/takes/{take_id}/review"): [
        case("/api/v1/dubbing/takes/999999/review", set(), body={"verdict": "approve"})],
    ("GET", "/api/v1/dubbing/disclosure-rules"): [case("/api/v1/dubbing/disclosure-rules", EVERYONE)],
    ("PUT", "/api/v1/dubbing/disclosure-rules/{territory}"): [
        case("/api/v1/dubbing/disclosure-rules/KZ", {"operator"}, body={"visible_label_s": 2, "notice": "prominent"})],
    ("POST", "/api/v1/credentials/verify"): [
        case("/api/v1/credentials/verify", EVERYONE, multipart={"file": b"RIFF not really a wave"})],
    ("GET", "/api/v1/credentials/{sha256}/verification"): [
        case("/api/v1/credentials/" + "0" * 64 + "/verification", set())],
    ("GET", "/api/v1/credentials/titles/{slug}"): [
        case("/api/v1/credentials/titles/{alpha.film}", EVERYONE),
        case("/api/v1/credentials/titles/{alpha.secret}", holders(Action.VIEW_DRAFTS), hidden=True)],
}

DRAFT_READERS = holders(Action.VIEW_DRAFTS)
COMPUTE_ADMINS = holders(Action.MANAGE_COMPUTE) | holders(Action.MANAGE_COMPUTE, "beta") | {"operator"}
SIGNED_ONLY: list[tuple[str, str, str, str, Any]] = [
    ("POST", "compute/enrol", "compute/enrol", "application/json", {"token": "dwe_x", "public_key": ""}),
    ("POST", "compute/schedule", "compute/schedule", "application/json", {"running": [], "free_slots": 1}),
    ("GET", "compute/inputs/<str:token>", "compute/inputs/forged", "application/json", None),
    ("POST", "compute/uploads/", "compute/uploads/", "application/json", {}),
    ("PATCH", "compute/uploads/<uuid:upload_id>", f"compute/uploads/{uuid.UUID(int=9)}",
     "application/offset+octet-stream", b"x"),
    ("POST", "compute/jobs/<int:job_id>/result", "compute/jobs/{alpha.job}/result", "application/json",
     {"lease": str(uuid.UUID(int=1)), "result": {}}),
]
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
    # A folder link nobody signed (dastan/media/edge_links.py): refused to everyone.
    ("GET", "media/k/<str:signature>/<int:expires>/<path:path>"): [case(
        "/media/k/forged-signature/4102444800/titles/alpha-film/v1/master.m3u8", set(), anonymous_status=(403,))],
    # nginx's question for a folder of a link nobody signed: refused to everyone.
    ("GET", "media/a/<str:token>/<path:folder>"): [case("/media/a/forged-token/titles/alpha-film/v1/",
                                                        set(), anonymous_status=(403,))],
    ("POST", "media/tus/"): [case("/media/tus/", holders(Action.UPLOAD_MEDIA), content_type="tus", extra={
        "Tus-Resumable": "1.0.0", "Upload-Length": "16",
        "Upload-Metadata": "title YWxwaGEtZmlsbQ==,filename ZmlsbS5tcDQ="})],
    ("PATCH", "media/tus/<uuid:upload_id>"): [case(
        f"/media/tus/{uuid.UUID(int=7)}", set(), content_type="application/offset+octet-stream", body=b"x",
        extra={"Tus-Resumable": "1.0.0", "Upload-Offset": "0"})],
    ("GET", "studio/home/"): [case("/studio/home/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "studio/review/"): [case("/studio/review/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "studio/queue/"): [case("/studio/queue/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "studio/editor/<int:track_id>/"): [
        case("/studio/editor/{alpha.draft}/", DRAFT_READERS, hidden=True, anonymous_status=LOGIN)],
    ("GET", "studio/review/<int:track_id>/"): [
        case("/studio/review/{alpha.draft}/", DRAFT_READERS, hidden=True, anonymous_status=LOGIN)],
    ("POST", "studio/review/<int:track_id>/decide"): [
        case("/studio/review/{alpha.draft}/decide", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             content_type="form", body={"verdict": "changes", "comment": "Again."},
             changes=holders(Action.REVIEW))],
    # The desk's script form, for those who read the owner's drafts; sent without a file it
    # is refused with the fix and queues nothing (the alignment itself: test_sources.py).
    ("POST", "studio/review/<int:track_id>/script"): [
        case("/studio/review/{alpha.source}/script", DRAFT_READERS, anonymous_status=LOGIN, content_type="form",
             body={"language": "en"}, changes=set())],
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
    # The anonymous pages' language switch (a GET: they hold no CSRF token): cookie, then back.
    ("GET", "language/"): [case("/language/?language=ru&next=/", EVERYONE)],
    ("GET", "titles/<slug:slug>/"): [
        case("/titles/{alpha.film}/", EVERYONE),
        case("/titles/{alpha.secret}/", holders(Action.VIEW_DRAFTS), hidden=True)],
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
    ("POST", "studio/titles/<slug:slug>/localize"): [
        case("/studio/titles/{alpha.film}/localize", holders(Action.TRANSLATE_CATALOG), anonymous_status=LOGIN,
             content_type="form", body={"language": "ky", "route_ky": "person"},
             changes=holders(Action.ORDER_LOCALIZATION))],
    ("POST", "studio/titles/<slug:slug>/unpublish"): [
        case("/studio/titles/{alpha.film}/unpublish", holders(Action.TRANSLATE_CATALOG), anonymous_status=LOGIN,
             content_type="form", body={}, changes=holders(Action.PUBLISH))],
    ("POST", "studio/titles/<slug:slug>/jobs/<int:job_id>/retry"): [
        case("/studio/titles/{alpha.film}/jobs/{alpha.job}/retry", holders(Action.TRANSLATE_CATALOG),
             anonymous_status=LOGIN, content_type="form", body={})],
    ("POST", "studio/titles/<slug:slug>/jobs/<int:job_id>/cancel"): [
        case("/studio/titles/{alpha.film}/jobs/{alpha.job}/cancel", holders(Action.TRANSLATE_CATALOG),
             anonymous_status=LOGIN, content_type="form", body={})],
    # A language's actions on the title page: the page's door is the studio's; each button's
    # domain function checks its own right (a refusal is the page's message, 302 to the page).
    **{("POST", f"studio/titles/<slug:slug>/languages/<str:language>/{verb}"): [
        case(f"/studio/titles/{{alpha.film}}/languages/kk/{verb}", holders(Action.TRANSLATE_CATALOG),
             anonymous_status=LOGIN, content_type="form", body=body, changes=holders(right))]
       for verb, body, right in (
           ("assign", {"person": "translator:alpha-translator", "due": "2099-01-01"}, Action.ASSIGN_TASKS),
           ("remind", {}, Action.ASSIGN_TASKS), ("rerun", {}, Action.ORDER_LOCALIZATION),
           ("voice", {}, Action.ORDER_LOCALIZATION), ("withdraw", {"reason": "Wrong names."}, Action.REVIEW))},
    # Labs pages (see the API entries above).
    ("GET", "labs/"): [case("/labs/", EVERYONE)],
    ("GET", "labs/<slug:slug>/"): [case("/labs/{labs.programme}/", EVERYONE)],
    ("GET", "labs/calls/<int:call_id>/"): [case("/labs/calls/{labs.call}/", EVERYONE)],
    ("GET", "labs/certificates/<str:code>/"): [case("/labs/certificates/{labs.certificate}/", EVERYONE)],
    ("POST", "labs/calls/<int:call_id>/apply"): [case(
        "/labs/calls/{labs.call}/apply", SIGNED, anonymous_status=LOGIN, content_type="form",
        body={"country": "PK", "career_stage": "first film", "time_zone": "Asia/Karachi"})],
    ("GET", "labs/calls/<int:call_id>/committee/"): [
        case("/labs/calls/{labs.call}/committee/", {"alpha:admin"}, anonymous_status=LOGIN)],
    ("GET", "labs/applications/<int:application_id>/"): [
        case("/labs/applications/{labs.application}/", set(), hidden=True, knows=set(), anonymous_status=LOGIN)],
    ("POST", "labs/applications/<int:application_id>/save"): [
        case("/labs/applications/{labs.draft}/save", set(), hidden=True, knows=set(), anonymous_status=LOGIN,
             content_type="form", body={"logline": "changed", "action": "submit"})],
    ("POST", "labs/applications/<int:application_id>/review"): [
        case("/labs/applications/{labs.application}/review", set(), hidden=True, knows=set(),
             anonymous_status=LOGIN, content_type="form", body={"score-story": "3", "comment": "x"})],
    ("POST", "labs/applications/<int:application_id>/decide"): [
        case("/labs/applications/{labs.application}/decide", set(), hidden=True, knows=set(),
             anonymous_status=LOGIN, content_type="form", body={"decision": "declined", "reason": "x"})],
    ("GET", "labs/files/<int:file_id>"): [
        case("/labs/files/{labs.file}", set(), hidden=True, knows=set(), anonymous_status=LOGIN)],
    ("GET", "labs/screeners/<int:screener_id>/master.m3u8"): [
        case("/labs/screeners/{labs.screener}/master.m3u8", set(), hidden=True, knows=set())],
    ("GET", "labs/s/<str:token>/<path:path>"): [
        case("/labs/s/forged-token/v1/index.m3u8", set(), anonymous_status=(403,), refused_status=(403,))],
    ("GET", "labs/rooms/<int:room_id>/"): [
        case("/labs/rooms/{labs.room}/", set(), hidden=True, knows=set(), anonymous_status=LOGIN)],
    ("POST", "labs/rooms/<int:room_id>/notes"): [
        case("/labs/rooms/{labs.room}/notes", set(), hidden=True, knows=set(), anonymous_status=LOGIN,
             content_type="form", body={"screener": "1", "timecode": "0:05", "text": "x"})],
    ("GET", "labs/rooms/<int:room_id>/certificate.pdf"): [
        case("/labs/rooms/{labs.room}/certificate.pdf", {"alpha:admin"}, hidden=True, knows=set(),
             anonymous_status=LOGIN)],
    ("GET", "labs/editions/<int:edition_id>/schedule.ics"): [
        case("/labs/editions/{labs.edition}/schedule.ics", {"alpha:admin"}, hidden=True, knows=set(),
             anonymous_status=LOGIN)],
    # The labs hosts' pages: everyone signed in has a "programmes you host" page (theirs);
    # the rest is alpha's administrators'.
    ("GET", "labs/host/"): [case("/labs/host/", SIGNED, anonymous_status=LOGIN)],
    ("POST", "labs/host/programmes"): [case(
        "/labs/host/programmes", holders(Action.MANAGE_LABS), anonymous_status=LOGIN, content_type="form",
        body={"name": "Matrix Page Lab", "slug": "matrix-page-lab", "kind": "lab", "original_language": "en",
              "hosts": "alpha"})],
    ("GET", "labs/host/programmes/<slug:slug>/"): [
        case("/labs/host/programmes/{labs.programme}/", holders(Action.MANAGE_LABS), anonymous_status=LOGIN)],
    ("POST", "labs/host/programmes/<slug:slug>/texts"): [case(
        "/labs/host/programmes/{labs.programme}/texts", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"language": "kk", "name": "Матрица зертханасы"})],
    ("POST", "labs/host/programmes/<slug:slug>/editions"): [case(
        "/labs/host/programmes/{labs.programme}/editions", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"name": "2102", "starts_on": "2102-01-01", "ends_on": "2102-02-01",
                                   "time_zone": "Asia/Karachi", "languages": "en", "place": "Karachi"})],
    ("GET", "labs/host/editions/<int:edition_id>/"): [
        case("/labs/host/editions/{labs.edition}/", holders(Action.MANAGE_LABS), anonymous_status=LOGIN)],
    ("POST", "labs/host/editions/<int:edition_id>/call"): [case(
        "/labs/host/editions/{labs.fresh}/call", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"deadline": "2099-12-01T18:00", "q1-label": "Logline", "q1-kind": "text",
                                   "rubric": "Story | 10"})],
    ("POST", "labs/host/editions/<int:edition_id>/sessions"): [case(
        "/labs/host/editions/{labs.edition}/sessions", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"action": "add", "name": "Pitch day", "starts_at": "2099-01-03T10:00",
                                   "ends_at": "2099-01-03T12:00"})],
    ("POST", "labs/host/editions/<int:edition_id>/mentors"): [case(
        "/labs/host/editions/{labs.edition}/mentors", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"action": "add", "person": "outsider"})],
    ("POST", "labs/host/calls/<int:call_id>/deadline"): [case(
        "/labs/host/calls/{labs.call}/deadline", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"deadline": "2099-02-01T18:00"})],
    ("POST", "labs/host/calls/<int:call_id>/committee"): [case(
        "/labs/host/calls/{labs.call}/committee", holders(Action.MANAGE_LABS), anonymous_status=LOGIN,
        content_type="form", body={"action": "seat", "person": "outsider"})],
    ("POST", "labs/host/rooms/<int:room_id>/certificate"): [case(
        "/labs/host/rooms/{labs.room}/certificate", holders(Action.MANAGE_LABS), hidden=True, knows=set(),
        anonymous_status=LOGIN, content_type="form", body={})],
    ("GET", "bazaar/"): [case("/bazaar/?q=SECRET", EVERYONE)],
    ("GET", "bazaar/projects/<slug:slug>/"): [
        case("/bazaar/projects/{alpha.pitch}/", EVERYONE),
        case("/bazaar/projects/{alpha.hidden}/", DRAFT_READERS, hidden=True)],
    ("POST", "bazaar/projects/<slug:slug>/interest"): [
        case("/bazaar/projects/{alpha.pitch}/interest", holders(Action.MANAGE_MARKET, "beta"), anonymous_status=LOGIN,
             content_type="form", body={"sender": "beta-profile", "message": "Again"})],
    ("GET", "bazaar/profiles/<slug:slug>/"): [case("/bazaar/profiles/{alpha.profile}/", EVERYONE)],
    ("POST", "bazaar/slots/<int:slot_id>/book"): [
        case("/bazaar/slots/{alpha.slot}/book", holders(Action.MANAGE_MARKET, "beta"), anonymous_status=LOGIN,
             content_type="form", body={"guest": "beta-profile"})],
    ("GET", "bazaar/interests/"): [case("/bazaar/interests/", SIGNED, anonymous_status=LOGIN)],
    ("POST", "bazaar/interests/<int:interest_id>/decide"): [
        case("/bazaar/interests/{alpha.interest}/decide", holders(Action.MANAGE_MARKET), anonymous_status=LOGIN,
             content_type="form", body={"verdict": "decline", "reason": "timing", "note": "Next year."})],
    ("GET", "bazaar/meetings/"): [case("/bazaar/meetings/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "bazaar/notifications/"): [case("/bazaar/notifications/", SIGNED, anonymous_status=LOGIN)],
    ("GET", "bazaar/scripts/<int:script_id>/"): [
        case("/bazaar/scripts/{alpha.script}/", {"outsider"}, hidden=True, knows=set(), anonymous_status=LOGIN)],
    ("POST", "bazaar/scripts/<int:script_id>/nda"): [
        case("/bazaar/scripts/{alpha.script}/nda", {"outsider"}, hidden=True, knows=set(), anonymous_status=LOGIN,
             content_type="form", body={"affirmed": "yes", "text_shown": DEFAULT_NDA})],
    ("GET", "bazaar/scripts/<int:script_id>/pages/<int:page>.png"): [
        case("/bazaar/scripts/{alpha.script}/pages/1.png", {"outsider"}, hidden=True, knows=set(),
             anonymous_status=LOGIN)],
    ("GET", "bazaar/scripts/<int:script_id>/download"): [
        case("/bazaar/scripts/{alpha.script}/download", {"outsider"}, hidden=True, knows=set(),
             anonymous_status=LOGIN)],
    ("GET", "bazaar/scripts/<int:script_id>/audit/"): [
        case("/bazaar/scripts/{alpha.script}/audit/", DRAFT_READERS, hidden=True, anonymous_status=LOGIN)],
    # issue 16: a title's public AI page; a sidecar manifest nobody issued is not found.
    ("GET", "titles/<slug:slug>/ai/"): [
        case("/titles/{alpha.film}/ai/", EVERYONE),
        case("/titles/{alpha.secret}/ai/", DRAFT_READERS, hidden=True)],
    ("GET", "studio/dubbing/<int:track_id>/booth/"): [
        case("/studio/dubbing/{alpha.draft}/booth/", holders(Action.RECORD_DUB), hidden=True, anonymous_status=LOGIN)],
    ("GET", "credentials/<str:sha256>.c2pa"): [case("/credentials/" + "0" * 64 + ".c2pa", set())],
    # The human dub's review desk: readers of the drafts see it; acting needs REVIEW or RECORD_DUB,
    # checked inside (a refused act is a message on the page). The matrix's track has no dub or take.
    ("GET", "studio/dubbing/<int:track_id>/review/"): [
        case("/studio/dubbing/{alpha.draft}/review/", DRAFT_READERS, hidden=True, anonymous_status=LOGIN)],
    ("POST", "studio/dubbing/<int:track_id>/review/takes/<int:take_id>"): [
        case("/studio/dubbing/{alpha.draft}/review/takes/999999", set(), anonymous_status=LOGIN,
             content_type="form", body={"verdict": "approve"})],
    ("POST", "studio/dubbing/<int:track_id>/review/mix"): [
        case("/studio/dubbing/{alpha.draft}/review/mix", holders(Action.RECORD_DUB), hidden=True,
             anonymous_status=LOGIN, content_type="form", body={"mode": "voice-over"}, changes=set())],
    ("POST", "studio/dubbing/<int:track_id>/review/approve"): [
        case("/studio/dubbing/{alpha.draft}/review/approve", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             content_type="form", body={}, missing_ok=True, changes=set())],
    ("POST", "studio/dubbing/<int:track_id>/review/publish"): [
        case("/studio/dubbing/{alpha.draft}/review/publish", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             content_type="form", body={"territories": "KZ"}, missing_ok=True, changes=set())],
    ("GET", "studio/dubbing/<int:track_id>/dub.wav"): [
        case("/studio/dubbing/{alpha.draft}/dub.wav", DRAFT_READERS, hidden=True, anonymous_status=LOGIN,
             missing_ok=True)],
    ("GET", "studio/dubbing/takes/<int:take_id>.wav"): [
        case("/studio/dubbing/takes/999999.wav", set(), anonymous_status=LOGIN)],
    # Compute: pages for the organisations' administrators and the node's operators.
    ("GET", "compute/workers/"): [case("/compute/workers/", COMPUTE_ADMINS, anonymous_status=LOGIN)],
    ("POST", "compute/workers/enrol-token"): [case(
        "/compute/workers/enrol-token", {"alpha:admin", "operator"}, anonymous_status=LOGIN, content_type="form",
        body={"org": "alpha", "ttl": "1h"})],
    ("POST", "compute/workers/<int:worker_id>/action"): [case(
        "/compute/workers/999999/action", COMPUTE_ADMINS, anonymous_status=LOGIN, content_type="form",
        body={"action": "drain"}, missing_ok=True, changes=set())],
    ("POST", "compute/sharing"): [case(
        "/compute/sharing", {"alpha:admin", "operator"}, anonymous_status=LOGIN, content_type="form",
        body={"lender": "alpha", "borrower": "beta", "cap_hours": "10"})],
    ("GET", "compute/ledger/"): [case("/compute/ledger/", COMPUTE_ADMINS, anonymous_status=LOGIN)],
    # Remote workers' doors: signed requests only (dastan/jobs/remote/views.py), so every
    # identity here, which signs nothing, is refused with 401.
    **{(method, route): [case("/" + sample, set(), anonymous_status=(401,), refused_status=(401,),
                              content_type=ctype, body=body, changes=set())]
       for method, route, sample, ctype, body in SIGNED_ONLY},
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
    ("POST", "federation/grants"): [case("/federation/grants", set(), body={"title": "alpha-film", "viewer": "0" * 32})],
    # Playing a peer's film through its home node's grant: this node's own titles (and
    # drafts) are no peer's, so this door shows none of them to anyone.
    ("GET", "federation/play/<slug:slug>/master.m3u8"): [
        case("/federation/play/{alpha.film}/master.m3u8", set()),
        case("/federation/play/{alpha.secret}/master.m3u8", set(), hidden=True, knows=set())],
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
    rows["labs"] = lab_fingerprint()
    # The bazaar's (its audit log and notifications record refusals too, so they are left out).
    rows["bazaar"] = [Profile.objects.count(), list(Project.objects.order_by("pk").values_list("revision", "stage")),
                      list(Interest.objects.order_by("pk").values_list("state")), Slot.objects.count(),
                      Meeting.objects.count(), NdaAcceptance.objects.count(), ProjectMaterial.objects.count(),
                      list(ScriptGrant.objects.order_by("pk").values_list("revoked_at"))]
    rows["dubbing"] = [list(Consent.objects.order_by("pk").values_list("pk", "revoked_at")), CastRole.objects.count(),
                       list(DisclosureRule.objects.order_by("pk").values_list("territory", "visible_label_s")),
                       list(HumanDub.objects.values_list("pk", "state")), StemDelivery.objects.count(),
                       list(Take.objects.values_list("pk", "chosen"))]
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
    return path.replace("{alpha.", "{alpha_").replace("{beta.", "{beta_").replace("{labs.", "{labs_")


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


def test_signed_only_routes_are_the_remote_workers_doors_and_refuse_unsigned_calls() -> None:
    """The worker's doors are outside the OpenAPI (not session or token API); each is listed
    above as signed-only and answers an unsigned call with 401 and the reason."""
    from django.test import Client as PlainClient
    from django.urls import resolve

    for method, _route, sample, ctype, body in SIGNED_ONLY:
        path = "/" + sample.replace("{alpha.job}", "1")
        view = resolve(path).func
        assert getattr(view, "signed_only", False) or path == "/compute/enrol", path
        data = json.dumps(body) if isinstance(body, dict) else body
        response = PlainClient().generic(method, path, data or b"", content_type=ctype)
        assert response.status_code == 401, (path, response.content)
        assert response.json()["code"] == "unsigned"


@pytest.mark.parametrize(("method", "path"), sorted(API), ids=[f"{m} {p}" for m, p in sorted(API)])
def test_api_operation_answers_each_identity_as_the_role_table_says(world: World, method: str, path: str) -> None:
    problems = check_entry(world, method, API[(method, path)], api=True)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("method", "route"), sorted(PAGES), ids=[f"{m} /{r}" for m, r in sorted(PAGES)])
def test_page_answers_each_identity_as_the_role_table_says(world: World, method: str, route: str) -> None:
    problems = check_entry(world, method, PAGES[(method, route)], api=False)
    assert not problems, "\n".join(problems)
