"""/api/v1/localization: tracks, cues, human translation, review and publishing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from dastan.accounts.permissions import Action
from dastan.accounts.tokens import TokenAuth
from dastan.catalog.models import Organisation, Title
from dastan.catalog.selectors import access_title
from dastan.errors import NotFound
from dastan.jobs.models import Job
from dastan.localization import (
    exports,
    glossary,
    pipeline,
    publishing,
    review,
    selectors,
    sources,
    tracks,
    translation,
)
from dastan.localization.access import access_cue, access_track
from dastan.localization.models import GlossaryTerm, SubtitleTrack
from dastan.localization.outputs import track_out
from dastan.localization.qc_messages import localized
from dastan.localization.schemas import (
    CueEditIn,
    CueOut,
    GlossaryTermIn,
    GlossaryTermOut,
    HumanTranslationIn,
    ReviewIn,
    TaskOut,
    TrackDetailOut,
    TrackOut,
    TranscribeIn,
    TranslateIn,
    TranslationOrderOut,
)
from dastan.localization.workbench_api import router as workbench_router

router = Router(tags=["localization"], auth=TokenAuth())


def _title(request: HttpRequest, slug: str) -> Title:
    """The title, if published or if the caller sees its owner's drafts (404 otherwise)."""
    return access_title(slug=slug, user=request.user)


def _order_out(job: Job) -> dict[str, Any]:
    """A queued job as the answer to an order (translate, transcribe, time a script)."""
    return {"language": job.params["language"], "job_id": job.pk, "state": job.state,
            "job_url": f"/api/v1/jobs/{job.pk}"}


def _detail(track: SubtitleTrack) -> dict[str, Any]:
    source = {c.index: c.text for c in track.source_track.cues.all()} if track.source_track else {}
    cues = [{"id": c.pk, "index": c.index, "start_ms": c.start_ms, "end_ms": c.end_ms, "text": c.text,
             "speaker": c.speaker, "source_text": source.get(c.index), "revision": c.revision}
            for c in track.cues.all()]
    issues = [{"rule": i.rule, "severity": i.severity, "cue_index": i.cue_index, "message": i.message,
               "hint": i.hint} for i in map(localized, selectors.qc_for_track(track=track))]  # asker's language
    return {**track_out(track), "cues": cues, "issues": issues}


@router.get("/titles/{slug}/tracks", response=list[TrackOut], summary="A title's subtitle tracks")
def list_tracks(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [track_out(t) for t in selectors.tracks_of_title(title=_title(request, slug), user=request.user)]


@router.post("/titles/{slug}/tracks", response=TrackOut, summary="Upload a subtitle file (SRT, WebVTT, ASS, TTML)")
def upload_track(request: HttpRequest, slug: str, language: Form[str],
                 file: File[UploadedFile], replace: Form[bool] = False) -> dict[str, Any]:
    title = _title(request, slug)
    track = sources.import_subtitle_file(title=title, language=language, data=file.read(),
                                         filename=file.name or "", author=request.user, replace=replace)
    return track_out(track)


@router.post("/titles/{slug}/transcribe", response={202: list[TranslationOrderOut]},
             summary="Transcribe the film's audio streams, each in its own language (a job each); the "
                     "transcripts become those languages' tracks, in review")
def transcribe(request: HttpRequest, slug: str, payload: TranscribeIn) -> Status:
    jobs = pipeline.order_transcriptions(title=_title(request, slug), languages=payload.languages, by=request.user)
    return Status(202, [_order_out(job) for job in jobs])


@router.post("/titles/{slug}/script", response={202: TranslationOrderOut},
             summary="A script without timings (text, one line per subtitle): a job times it by the film's "
                     "sound; the result becomes that language's track, in review")
def upload_script(request: HttpRequest, slug: str, language: Form[str], file: File[UploadedFile]) -> Status:
    job = pipeline.order_script_alignment(title=_title(request, slug), data=file.read(), language=language,
                                          by=request.user)
    return Status(202, _order_out(job))


@router.get("/tracks/{track_id}", response=TrackDetailOut, summary="A track with its cues and QC issues")
def get_track(request: HttpRequest, track_id: int) -> dict[str, Any]:
    return _detail(access_track(user=request.user, track_id=track_id))


@router.get("/tracks/{track_id}/export", response={200: str},
            summary="An approved track as a file: SRT, WebVTT, TTML or ASS",
            openapi_extra={"responses": {200: {"description": "the subtitle file", "content": {
                ct.split(";")[0]: {"schema": {"type": "string"}} for _, ct in exports.EXPORT_FORMATS.values()}}}})
def export(request: HttpRequest, track_id: int, format: str = "srt", profile: str = "") -> HttpResponse:
    exported = exports.export_track(user=request.user, track_id=track_id, fmt=format, profile=profile)
    response = HttpResponse(exported.text, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["X-Dastan-Rewrapped-Cues"] = str(exported.rewrapped)
    return response


@router.post("/tracks/{track_id}/translate", response={202: list[TranslationOrderOut]},
             summary="Order translations from this track: a job per language drafts by machine where an "
                     "engine exists, else hands the track to a translator; follow the job, then list the tracks")
def translate(request: HttpRequest, track_id: int, payload: TranslateIn) -> Status:
    source = access_track(user=request.user, track_id=track_id, action=Action.ORDER_LOCALIZATION)
    jobs = pipeline.order_translations(source_track=source, targets=payload.target_languages, by=request.user)
    return Status(202, [_order_out(job) for job in jobs])


@router.post("/tracks/{track_id}/translation", response=TrackOut, summary="Submit a translator's text, one per cue")
def submit_translation(request: HttpRequest, track_id: int, payload: HumanTranslationIn) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id, action=Action.TRANSLATE)
    return track_out(translation.submit_human_translation(track=track, texts=payload.texts,
                                                           translator=request.user))


@router.patch("/cues/{cue_id}", response=CueOut, summary="Edit a cue's text or timing (kept in its history)")
def edit_cue(request: HttpRequest, cue_id: int, payload: CueEditIn) -> dict[str, Any]:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.TRANSLATE)
    cue = tracks.edit_cue(cue=cue, author=request.user, **payload.dict(exclude_unset=True))
    return {"id": cue.pk, "index": cue.index, "start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text,
            "speaker": cue.speaker, "source_text": None, "revision": cue.revision}


@router.post("/tracks/{track_id}/approve", response=TrackOut,
             summary="Approve a track; once approved enough, it is published into the film's HLS")
def approve(request: HttpRequest, track_id: int, payload: ReviewIn) -> dict[str, Any]:
    track = review.approve_track(track=access_track(user=request.user, track_id=track_id, action=Action.REVIEW), reviewer=request.user,
                                 comment=payload.comment, override_reason=payload.override_reason)
    if track.state == SubtitleTrack.State.APPROVED and publishing.has_stream(track.title):
        track = publishing.publish_track(track=track)  # approved text reaches viewers at once
    return track_out(track)


@router.post("/tracks/{track_id}/request-changes", response=TrackOut, summary="Send a track back with a comment")
def request_changes(request: HttpRequest, track_id: int, payload: ReviewIn) -> dict[str, Any]:
    track = review.request_changes(track=access_track(user=request.user, track_id=track_id, action=Action.REVIEW), reviewer=request.user,
                                   comment=payload.comment)
    return track_out(track)


@router.post("/tracks/{track_id}/publish", response=TrackOut, summary="Publish an approved track into the film's HLS")
def publish(request: HttpRequest, track_id: int) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id, action=Action.REVIEW)
    return track_out(publishing.publish_track(track=track, by=request.user))


@router.get("/tasks", response=list[TaskOut], summary="Open translation tasks of my organisations")
def list_tasks(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": t.pk, "state": t.state, "reason": t.reason, "track_id": t.track_id,
             "title": t.track.title.slug, "language": t.track.language}
            for t in selectors.open_tasks(user=request.user)]


def _organisation(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(gettext("There is no organisation '%(organisation)s'.") % {"organisation": slug},
                       gettext("List organisations at /api/v1/catalog/organisations."))
    return org


def _term_out(term: GlossaryTerm) -> dict[str, Any]:
    return {"id": term.pk, "source_language": term.source_language, "target_language": term.target_language,
            "source_term": term.source_term, "target_term": term.target_term, "rule": term.rule,
            "title": term.title.slug if term.title else None, "note": term.note,
            "organisation": term.organisation.slug if term.organisation else None}


@router.get("/organisations/{slug}/glossary", response=list[GlossaryTermOut],
            summary="The organisation's glossary, with its titles' own terms")
def list_glossary(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [_term_out(t) for t in glossary.glossary_terms(organisation=_organisation(slug), user=request.user)]


@router.post("/organisations/{slug}/glossary", response=GlossaryTermOut,
             summary="Add a term: 'force' always translates it as given, 'keep' keeps a name as written")
def add_term(request: HttpRequest, slug: str, payload: GlossaryTermIn) -> dict[str, Any]:
    term = glossary.add_glossary_term(
        organisation=_organisation(slug), by=request.user, source_language=payload.source_language,
        target_language=payload.target_language, source_term=payload.source_term,
        target_term=payload.target_term, rule=payload.rule, title_slug=payload.title, note=payload.note)
    return _term_out(term)


# The translator's workbench: routes, commissions, queues, the editor (workbench_api.py).
router.add_router("", workbench_router)
