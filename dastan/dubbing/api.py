"""/api/v1/dubbing: consents, casting, dubbing scripts, studio stems, the human dub's
mix, approval and publishing (mix and publish are jobs: 202 with the job), and the
disclosure rules per territory."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from dastan.accounts.permissions import Action, check
from dastan.accounts.tokens import OptionalTokenAuth, TokenAuth
from dastan.catalog.models import Organisation, Title
from dastan.dubbing import (
    casting,
    consent,
    cue_review,
    disclosure,
    mixing,
    orders,
    publishing,
    revocation,
    script,
    stems,
    takes,
)
from dastan.dubbing.desk import job_row
from dastan.dubbing.models import Consent, HumanDub, StemDelivery
from dastan.errors import InvalidInput, NotFound
from dastan.jobs.models import Job
from dastan.localization.access import access_track
from dastan.localization.dubbing import voice_cues

router = Router(tags=["dubbing"], auth=TokenAuth())


class ConsentOut(Schema):
    id: int
    person_name: str
    titles: list[str]
    languages: list[str]
    territories: list[str]
    media: list[str]
    starts_on: date
    ends_on: date | None
    allows_synthesis: bool
    allows_cloning: bool
    evidence_kind: str
    evidence_sha256: str
    accepted_at: str
    revoked_at: str | None
    revoked_reason: str


class RevokeIn(Schema):
    reason: str


class CastIn(Schema):
    speaker: str
    consent_id: int | None = None
    voice_id: str = ""


class CharacterOut(Schema):
    speaker: str
    kind: str
    cast: str


class DeliveryOut(Schema):
    id: int
    studio: str
    kind: str
    report: dict[str, Any]


class MixIn(Schema):
    mode: str = "full-dub"
    delivery_id: int | None = None
    studio_credit: str = ""


class PublishIn(Schema):
    territories: list[str] = []


class HumanDubOut(Schema):
    id: int
    state: str
    mode: str
    source: str
    studio_credit: str
    label: str
    loudness: dict[str, Any]
    territories: list[str]
    reason: str


class JobOrderOut(Schema):
    job_id: int
    kind: str
    state: str
    job_url: str


class DubJobOut(Schema):
    id: int
    kind: str
    state: str
    progress: int
    message: str
    error_message: str
    error_hint: str


class DubStatusOut(Schema):
    dub: HumanDubOut | None
    jobs: list[DubJobOut]


class TakeIn(Schema):
    upload_id: str
    preroll_ms: int


class TakeOut(Schema):
    id: int
    cue_id: int
    cue_index: int
    number: int
    chosen: bool
    measurement: dict[str, Any]
    review: str  # "", "approved", "sent_back"
    review_note: str


class TakeReviewIn(Schema):
    verdict: str  # "approve" | "send_back"
    note: str = ""


class RuleIn(Schema):
    visible_label_s: float
    notice: str
    machine_readable: bool = True
    label_text: str = ""
    legal_basis: str = ""


class RuleOut(RuleIn):
    territory: str


def _consent_out(c: Consent) -> dict[str, Any]:
    return {"id": c.pk, "person_name": c.person_name, "titles": [t.slug for t in c.titles.all()],
            "languages": c.languages, "territories": c.territories, "media": c.media, "starts_on": c.starts_on,
            "ends_on": c.ends_on, "allows_synthesis": c.allows_synthesis, "allows_cloning": c.allows_cloning,
            "evidence_kind": c.evidence_kind, "evidence_sha256": c.evidence_sha256,
            "accepted_at": c.accepted_at.isoformat(), "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
            "revoked_reason": c.revoked_reason}


def _dub_out(d: HumanDub) -> dict[str, Any]:
    return {"id": d.pk, "state": d.state, "mode": d.mode, "source": d.source, "studio_credit": d.studio_credit,
            "label": publishing.human_dub_label(d), "loudness": d.loudness, "territories": d.territories,
            "reason": d.reason}


def _split(value: str) -> list[str]:
    return [x for x in value.replace(",", " ").split() if x]


def _organisation(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(gettext("There is no organisation '%(slug)s'.") % {"slug": slug},
                       gettext("List organisations at /api/v1/catalog/organisations."))
    return org


def _dub(track_id: int, user: Any, action: Action) -> HumanDub:
    track = access_track(user=user, track_id=track_id, action=action)
    dub = HumanDub.objects.filter(track=track).select_related("track__title").first()
    if dub is None:
        raise NotFound(gettext("Track #%(track)s has no human dub yet.") % {"track": track_id},
                       gettext("Mix one from booth takes or studio stems first."))
    return dub


@router.get("/organisations/{slug}/consents", response=list[ConsentOut], summary="An organisation's voice consents")
def list_consents(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    org = _organisation(slug)
    check(user=request.user, action=Action.MANAGE_CONSENT, organisation=org)
    return [_consent_out(c) for c in Consent.objects.filter(organisation=org).prefetch_related("titles")]


@router.post("/organisations/{slug}/consents", response=ConsentOut,
             summary="Record a person's consent to the use of their voice, with a signed form or the "
                     "click-through text they accepted")
def create_consent(request: HttpRequest, slug: str, person_name: Form[str], starts_on: Form[date],
                   ends_on: Form[date | None] = None, titles: Form[str] = "", languages: Form[str] = "",
                   territories: Form[str] = "", media: Form[str] = "", clickthrough_text: Form[str] = "",
                   allows_synthesis: Form[bool] = False, allows_cloning: Form[bool] = False,
                   signed_form: File[UploadedFile] | None = None) -> dict[str, Any]:
    org = _organisation(slug)
    chosen = list(Title.objects.filter(slug__in=_split(titles)))
    if len(chosen) != len(_split(titles)):
        raise InvalidInput(gettext("Some titles named in the consent do not exist."), gettext("Use the titles' slugs."),
                           field="titles")
    with tempfile.TemporaryDirectory(prefix="dastan-consent-") as tmp:
        form_path = None
        if signed_form is not None:
            form_path = Path(tmp) / Path(signed_form.name or "form.pdf").name
            form_path.write_bytes(signed_form.read())
        c = consent.record_consent(by=request.user, organisation=org, person_name=person_name, starts_on=starts_on,
                                   ends_on=ends_on, titles=chosen, languages=_split(languages),
                                   territories=_split(territories), media=_split(media), signed_form=form_path,
                                   clickthrough_text=clickthrough_text, allows_synthesis=allows_synthesis,
                                   allows_cloning=allows_cloning)
    return _consent_out(c)


@router.post("/consents/{consent_id}/revoke", response=list[HumanDubOut],
             summary="Revoke a consent now; returns the published dubs sent back into review")
def revoke(request: HttpRequest, consent_id: int, payload: RevokeIn) -> list[dict[str, Any]]:
    c = consent.access_consent(user=request.user, consent_id=consent_id)
    return [_dub_out(d) for d in revocation.revoke_consent(by=request.user, consent=c, reason=payload.reason)]


@router.get("/tracks/{track_id}/characters", response=list[CharacterOut], summary="A track's characters and casting")
def list_characters(request: HttpRequest, track_id: int) -> list[dict[str, Any]]:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    roles = {r.speaker: r for r in track.cast_roles.select_related("consent")}
    return [{"speaker": s, "kind": roles[s].kind if s in roles else "",
             "cast": script.cast_label(roles.get(s))} for s in casting.characters(track)]


@router.post("/tracks/{track_id}/cast", response=CharacterOut,
             summary="Cast a character to an actor (by consent) or to a synthetic voice")
def cast(request: HttpRequest, track_id: int, payload: CastIn) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id, action=Action.ORDER_LOCALIZATION)
    chosen = consent.access_consent(user=request.user, consent_id=payload.consent_id) \
        if payload.consent_id is not None else None
    role = casting.cast_character(by=request.user, track=track, speaker=payload.speaker, consent=chosen,
                                  voice_id=payload.voice_id)
    return {"speaker": role.speaker, "kind": role.kind, "cast": script.cast_label(role)}


@router.get("/tracks/{track_id}/script", response={200: str}, summary="The dubbing script as CSV or PDF",
            openapi_extra={"responses": {200: {"description": "the script", "content": {
                "text/csv": {"schema": {"type": "string"}}, "application/pdf": {"schema": {"type": "string"}}}}}})
def dubbing_script(request: HttpRequest, track_id: int, format: str = "csv") -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    lines = script.dubbing_script(user=request.user, track=track)
    name = f"{track.title.slug}-{track.language}-dubbing-script"
    if format == "pdf":
        response = HttpResponse(script.script_pdf(lines, heading=f"{track.title.slug} — {track.language}"),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if format != "csv":
        raise InvalidInput(gettext("'%(format)s' is not a script format.") % {"format": format},
                           gettext("Use format=csv or format=pdf."), field="format")
    response = HttpResponse(script.script_csv(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@router.post("/tracks/{track_id}/stems", response=DeliveryOut,
             summary="Deliver a studio's stems: one WAV per character (field stem_<CHARACTER>) or the full dub "
                     "mix (field stem_), and optionally the M&E stem (field me_stem); 48 kHz")
def deliver(request: HttpRequest, track_id: int, studio: Form[str]) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id, action=Action.RECORD_DUB)
    with tempfile.TemporaryDirectory(prefix="dastan-stems-") as tmp:
        paths: dict[str, Path] = {}
        me_stem = None
        for field in request.FILES:
            for upload in request.FILES.getlist(field):
                local = Path(tmp) / f"{len(paths)}-{Path(upload.name or 'stem.wav').name}"
                local.write_bytes(upload.read())
                if field == "me_stem":
                    me_stem = local
                elif field.startswith("stem_"):
                    paths[field.removeprefix("stem_")] = local
        delivery = stems.deliver_stems(by=request.user, track=track, studio=studio, stems=paths,
                                       cues=voice_cues(track), film_ms=mixing.film_duration_ms(track.title),
                                       me_stem=me_stem)
    return {"id": delivery.pk, "studio": delivery.studio, "kind": delivery.kind, "report": delivery.report}


def _order_out(job: Job) -> dict[str, Any]:
    return {"job_id": job.pk, "kind": job.kind, "state": job.state, "job_url": f"/api/v1/jobs/{job.pk}"}


def _status_out(track: Any) -> dict[str, Any]:
    dub = HumanDub.objects.filter(track=track).first()
    return {"dub": _dub_out(dub) if dub else None, "jobs": [job_row(j) for j in orders.dub_jobs(track=track)]}


@router.post("/tracks/{track_id}/human-dub", response={202: JobOrderOut},
             summary="Mix the human dub from a stem delivery or the chosen booth takes, with the cues of "
                     "synthetic characters spoken in: a job (follow it at GET …/human-dub); the mix waits "
                     "for approval")
def mix(request: HttpRequest, track_id: int, payload: MixIn) -> Status:
    track = access_track(user=request.user, track_id=track_id, action=Action.RECORD_DUB)
    delivery = None
    if payload.delivery_id is not None:
        delivery = StemDelivery.objects.filter(pk=payload.delivery_id, track=track).first()
        if delivery is None:
            raise NotFound(gettext("Track #%(track)s has no delivery #%(delivery)s.")
                           % {"track": track_id, "delivery": payload.delivery_id},
                           gettext("Deliver the stems first."))
    job = orders.order_mix(by=request.user, track=track, mode=payload.mode, delivery=delivery,
                           studio_credit=payload.studio_credit)
    return Status(202, _order_out(job))


@router.get("/tracks/{track_id}/human-dub", response=DubStatusOut,
            summary="The track's human dub (if mixed) and its mix and publish jobs with their progress")
def dub_status(request: HttpRequest, track_id: int) -> dict[str, Any]:
    return _status_out(access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS))


@router.post("/tracks/{track_id}/human-dub/approve", response=HumanDubOut, summary="Approve the human dub's mix")
def approve(request: HttpRequest, track_id: int) -> dict[str, Any]:
    dub = _dub(track_id, request.user, Action.REVIEW)
    return _dub_out(publishing.approve_human_dub(dub=dub, reviewer=request.user))


@router.post("/tracks/{track_id}/human-dub/publish", response={202: JobOrderOut},
             summary="Publish the approved human dub for territories its actors' consents cover: refused at "
                     "once (409, naming the person) where a consent does not cover them, otherwise a job")
def publish(request: HttpRequest, track_id: int, payload: PublishIn) -> Status:
    dub = _dub(track_id, request.user, Action.REVIEW)
    return Status(202, _order_out(orders.order_publish(dub=dub, by=request.user, territories=payload.territories)))


@router.get("/disclosure-rules", response=list[RuleOut], auth=OptionalTokenAuth(),
            summary="What viewers in each territory are shown about machine-made tracks (public)")
def rules(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"territory": r.territory, "visible_label_s": r.visible_label_s, "notice": r.notice,
             "machine_readable": r.machine_readable, "label_text": r.label_text, "legal_basis": r.legal_basis}
            for r in disclosure.list_rules()]


@router.put("/disclosure-rules/{territory}", response=RuleOut, summary="Set a territory's disclosure rule (operators)")
def set_rule(request: HttpRequest, territory: str, payload: RuleIn) -> dict[str, Any]:
    r = disclosure.set_rule(by=request.user, territory=territory, **payload.dict())
    return {"territory": r.territory, "visible_label_s": r.visible_label_s, "notice": r.notice,
            "machine_readable": r.machine_readable, "label_text": r.label_text, "legal_basis": r.legal_basis}


def _take_out(t: Any) -> dict[str, Any]:
    return {"id": t.pk, "cue_id": t.cue_id, "cue_index": t.cue.index, "number": t.number, "chosen": t.chosen,
            "measurement": t.measurement, "review": t.review, "review_note": t.review_note}


@router.post("/cues/{cue_id}/takes", response=TakeOut,
             summary="Keep a finished booth upload (tus) as the cue's next take; the node measures it and "
                     "says what to fix")
def record_take(request: HttpRequest, cue_id: int, payload: TakeIn) -> dict[str, Any]:
    return _take_out(takes.record_take(by=request.user, cue_id=cue_id, upload_id=payload.upload_id,
                                       preroll_ms=payload.preroll_ms))


@router.get("/tracks/{track_id}/takes", response=list[TakeOut], summary="The booth's takes of a track, per cue")
def list_takes(request: HttpRequest, track_id: int) -> list[dict[str, Any]]:
    track = access_track(user=request.user, track_id=track_id, action=Action.RECORD_DUB)
    return [_take_out(t) for t in track.takes.select_related("cue")]


@router.post("/takes/{take_id}/choose", response=TakeOut, summary="Mark a take as its cue's chosen one")
def choose_take(request: HttpRequest, take_id: int) -> dict[str, Any]:
    take = takes.choose_take(by=request.user, take_id=take_id)
    return _take_out(take)


@router.post("/takes/{take_id}/review", response=TakeOut,
             summary="Approve a take, or send it back to the actor with a note the booth shows at its cue")
def review_take(request: HttpRequest, take_id: int, payload: TakeReviewIn) -> dict[str, Any]:
    take = cue_review.access_take(user=request.user, take_id=take_id, action=Action.VIEW_DRAFTS)
    return _take_out(cue_review.review_take(by=request.user, take=take, verdict=payload.verdict, note=payload.note))
