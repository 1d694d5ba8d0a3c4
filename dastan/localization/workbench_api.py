"""/api/v1/localization, the translator's workbench: pivots and routes, commissions,
assignments and queues, notifications, and the editor's operations. Each route parses,
calls one domain function (which checks who asks) and returns a schema."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router, Status

from dastan.accounts.permissions import Action
from dastan.accounts.tokens import TokenAuth
from dastan.catalog.models import Organisation, Title
from dastan.catalog.selectors import access_title
from dastan.errors import InvalidInput, NotFound
from dastan.localization import (
    assignments,
    commissions,
    dubbing,
    editing,
    orders,
    pivots,
    publishing,
    spelling,
    waveform,
)
from dastan.localization.access import access_cue, access_track, check_track
from dastan.localization.models import TranslationTask
from dastan.localization.notifications import notifications_for
from dastan.localization.outputs import track_out
from dastan.localization.schemas import (
    AssignIn,
    CommissionIn,
    CommissionOut,
    ConfirmIn,
    LanguagePairIn,
    LanguageStateOut,
    LocalizeIn,
    MergeIn,
    NotificationOut,
    QcIn,
    QcIssueOut,
    QueueOut,
    RouteOut,
    SavedCueOut,
    SpellingIn,
    SpellingOut,
    SplitIn,
    StartTaskIn,
    TrackOut,
    TranslationOrderOut,
    VoiceOrderIn,
    VoiceOrderOut,
    WithdrawIn,
    WorkbenchOut,
)
from dastan.localization.workbench import qc_as_typed, qc_of_track, workbench

router = Router(tags=["workbench"], auth=TokenAuth())


def _user(username: str, field: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(gettext("There is no person '%(username)s' on this node.") % {"username": username},
                           gettext("Check the user name."), field=field)
    return user


def _task(request: HttpRequest, task_id: int) -> TranslationTask:
    task = TranslationTask.objects.select_related("track", "track__title", "track__title__owner").filter(
        pk=task_id).first()
    if task is None:
        raise NotFound(gettext("There is no translation task #%(task)s.") % {"task": task_id},
                       gettext("List tasks at /api/v1/localization/queue."))
    check_track(user=request.user, track=task.track, action=Action.VIEW_DRAFTS)
    return task


@router.get("/queue", response=list[QueueOut], summary="My translation queue across titles and organisations")
def queue(request: HttpRequest) -> list[dict[str, Any]]:
    return [asdict(v) for v in assignments.translator_queue(user=request.user)]


@router.get("/late", response=list[QueueOut], summary="Open tasks past their due date, where I order work")
def late(request: HttpRequest) -> list[dict[str, Any]]:
    return [asdict(v) for v in assignments.late_tasks(user=request.user)]


@router.get("/notifications", response=list[NotificationOut], summary="My notifications, newest first")
def notifications(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": n.pk, "text": n.shown_text(), "url": n.url, "created_at": n.created_at, "read": n.read_at is not None}
            for n in notifications_for(user=request.user)[:100]]


@router.post("/language-pairs", response={201: LanguagePairIn}, summary="Declare a language pair I translate")
def declare_pair(request: HttpRequest, payload: LanguagePairIn) -> Status:
    if not request.user.is_authenticated:
        raise NotFound(gettext("Sign in to declare your languages."), gettext("Send a token."))
    pair = pivots.declare_language_pair(user=request.user, source_language=payload.source_language,
                                        target_language=payload.target_language)
    return Status(201, {"source_language": pair.source_language, "target_language": pair.target_language})


@router.get("/titles/{slug}/route", response=RouteOut,
            summary="The human route the desk proposes into a language, over declared pairs")
def propose(request: HttpRequest, slug: str, target: str) -> dict[str, Any]:
    route = pivots.propose_route(title=access_title(slug=slug, user=request.user), target_language=target,
                                 by=request.user)
    return {"languages": route.languages, "hops": [asdict(h) for h in route.hops]}


@router.post("/tracks/{track_id}/tasks", response={201: TrackOut},
             summary="Start a human translation from this track (the original or any approved one: a pivot)")
def start_task(request: HttpRequest, track_id: int, payload: StartTaskIn) -> Status:
    source = access_track(user=request.user, track_id=track_id, action=Action.ORDER_LOCALIZATION)
    task = pivots.start_human_translation(
        source_track=source, target_language=payload.target_language, by=request.user,
        assignee=_user(payload.assignee, "assignee") if payload.assignee else None, due_at=payload.due_at,
        then_languages=payload.then_languages)
    return Status(201, track_out(task.track))


@router.post("/tasks/{task_id}/assign", response=QueueOut,
             summary="Assign a task's translator or reviewer, with a due date")
def assign(request: HttpRequest, task_id: int, payload: AssignIn) -> dict[str, Any]:
    task = assignments.assign_task(task=_task(request, task_id), assignee=_user(payload.assignee, "assignee"),
                                   due_at=payload.due_at, role=payload.role, by=request.user)
    return asdict(assignments.task_view(task=task))


@router.post("/tracks/{track_id}/assign", response=QueueOut,
             summary="Assign a track's translator or reviewer, whichever route made it (an engine's draft too)")
def assign_track(request: HttpRequest, track_id: int, payload: AssignIn) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    task = assignments.assign_on_track(track=track, assignee=_user(payload.assignee, "assignee"),
                                       due_at=payload.due_at, role=payload.role, by=request.user)
    return asdict(assignments.task_view(task=task))


@router.post("/tasks/{task_id}/remind", response={204: None},
             summary="Remind whoever the task waits for: its translator, or its reviewer while in review")
def remind(request: HttpRequest, task_id: int) -> Status:
    assignments.remind(task=_task(request, task_id), by=request.user)
    return Status(204, None)


@router.post("/tracks/{track_id}/rerun", response={202: TranslationOrderOut},
             summary="Make a machine draft anew (a job); never over text people wrote or approved")
def rerun(request: HttpRequest, track_id: int) -> Status:
    job = orders.rerun_draft(track=access_track(user=request.user, track_id=track_id), by=request.user)
    return Status(202, {"language": job.params["language"], "job_id": job.pk, "state": job.state,
                        "job_url": f"/api/v1/jobs/{job.pk}"})


@router.post("/tracks/{track_id}/voice", response={202: VoiceOrderOut},
             summary="Order the track's voice-over: made now from approved text, else once people approve it")
def order_voice(request: HttpRequest, track_id: int, payload: VoiceOrderIn) -> Status:
    track = access_track(user=request.user, track_id=track_id)
    job = dubbing.order_voice(track=track, by=request.user, mode=payload.mode)
    return Status(202, {"language": track.language, "mode": track.voice_mode, "job_id": job.pk if job else None,
                        "job_url": f"/api/v1/jobs/{job.pk}" if job else ""})


@router.post("/tracks/{track_id}/withdraw", response=TrackOut,
             summary="Withdraw a published language: the film's next master no longer lists it; "
                     "the track goes back to its translator with the reason")
def withdraw(request: HttpRequest, track_id: int, payload: WithdrawIn) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id)
    return track_out(publishing.withdraw_track(track=track, by=request.user, reason=payload.reason))


@router.post("/commissions", response={201: CommissionOut},
             summary="Commission a localization house for named titles and languages until a deadline")
def commission(request: HttpRequest, payload: CommissionIn) -> Status:
    studio = Organisation.objects.filter(slug=payload.studio).first()
    house = Organisation.objects.filter(slug=payload.house).first()
    if studio is None or house is None:
        raise InvalidInput(gettext("There is no organisation '%(organisation)s'.")
                           % {"organisation": payload.studio if studio is None else payload.house},
                           gettext("List organisations at /api/v1/catalog/organisations."),
                           field="studio" if studio is None else "house")
    titles = list(Title.objects.filter(slug__in=payload.titles))
    missing = sorted(set(payload.titles) - {t.slug for t in titles})
    if missing:
        raise InvalidInput(gettext("There is no title '%(title)s'.") % {"title": missing[0]},
                           # Translators: a slug is the short name of a title in its web address.
                           gettext("Name your titles by their slugs."), field="titles")
    made = commissions.commission_house(studio=studio, house=house, titles=titles, languages=payload.languages,
                                        ends_at=payload.ends_at, starts_at=payload.starts_at, by=request.user,
                                        note=payload.note)
    return Status(201, commissions.commission_out(made))


@router.post("/commissions/{commission_id}/end", response=CommissionOut,
             summary="End a commission now: the house loses access at once")
def end(request: HttpRequest, commission_id: int) -> dict[str, Any]:
    found = commissions.access_commission(commission_id=commission_id, user=request.user)
    return commissions.commission_out(commissions.end_commission(commission=found, by=request.user))


@router.get("/tracks/{track_id}/workbench", response=WorkbenchOut,
            summary="The editor's data: cues with revisions, source, original, glossary, memory, waveform")
def get_workbench(request: HttpRequest, track_id: int) -> dict[str, Any]:
    return workbench(track=access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS),
                     user=request.user)


@router.get("/tracks/{track_id}/qc", response=list[QcIssueOut],
            summary="Every cue's QC issues, in my interface language (the review desk's rules)")
def track_qc(request: HttpRequest, track_id: int) -> list[dict[str, Any]]:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    return [asdict(i) for i in qc_of_track(track=track, user=request.user)]


@router.post("/cues/{cue_id}/qc", response=list[QcIssueOut],
             summary="A cue's QC issues as typed (not saved), beside its neighbours; nothing is stored")
def cue_qc(request: HttpRequest, cue_id: int, payload: QcIn) -> list[dict[str, Any]]:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.VIEW_DRAFTS)
    return [asdict(i) for i in qc_as_typed(cue=cue, user=request.user, text=payload.text,
                                           start_ms=payload.start_ms, end_ms=payload.end_ms)]


def _saved(cue: Any) -> dict[str, Any]:
    return {"id": cue.pk, "index": cue.index, "start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text,
            "revision": cue.revision, "confirmed": cue.confirmed}


@router.post("/cues/{cue_id}/split", response=list[SavedCueOut], summary="Split a cue at the playhead")
def split(request: HttpRequest, cue_id: int, payload: SplitIn) -> list[dict[str, Any]]:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.TRANSLATE)
    return [_saved(c) for c in editing.split_cue(cue=cue, by=request.user, at_ms=payload.at_ms,
                                                 text_before=payload.text_before, text_after=payload.text_after,
                                                 base_revision=payload.base_revision)]


@router.post("/cues/{cue_id}/merge", response=SavedCueOut, summary="Merge a cue with the next one")
def merge(request: HttpRequest, cue_id: int, payload: MergeIn) -> dict[str, Any]:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.TRANSLATE)
    return _saved(editing.merge_with_next(cue=cue, by=request.user, base_revision=payload.base_revision,
                                          next_revision=payload.next_revision))


@router.post("/cues/{cue_id}/confirm", response=SavedCueOut, summary="Mark a cue finished (or not)")
def confirm(request: HttpRequest, cue_id: int, payload: ConfirmIn) -> dict[str, Any]:
    cue = access_cue(user=request.user, cue_id=cue_id, action=Action.TRANSLATE)
    return _saved(editing.confirm_cue(cue=cue, by=request.user, confirmed=payload.confirmed))


@router.post("/tracks/{track_id}/submit", response=TrackOut, summary="Hand the track in for review")
def submit(request: HttpRequest, track_id: int) -> dict[str, Any]:
    track = access_track(user=request.user, track_id=track_id, action=Action.TRANSLATE)
    return track_out(editing.submit_track(track=track, by=request.user))


@router.post("/spelling", response=SpellingOut,
             summary="Words a language's Hunspell dictionary does not know, with suggestions")
def check_spelling(request: HttpRequest, payload: SpellingIn) -> dict[str, Any]:
    if not request.user.is_authenticated:
        raise NotFound(gettext("Sign in to check spelling."), gettext("Send a token."))
    result = spelling.check_spelling(language=payload.language, text=payload.text[:5000])
    return asdict(result)


@router.post("/titles/{slug}/waveform", response={202: dict[str, Any], 200: dict[str, Any]},
             summary="Compute the film's waveform peaks (once, by a job)")
def order_waveform(request: HttpRequest, slug: str) -> Status:
    job = waveform.order_waveform(title=access_title(slug=slug, user=request.user), by=request.user)
    if job is None:
        return Status(200, {"state": "ready"})
    return Status(202, {"state": job.state, "job_id": job.pk, "job_url": f"/api/v1/jobs/{job.pk}"})


@router.get("/tracks/{track_id}/waveform.dat", response={200: str},
            summary="The film's waveform peaks (audiowaveform binary, version 2)",
            openapi_extra={"responses": {200: {"description": "peaks", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def waveform_file(request: HttpRequest, track_id: int) -> HttpResponse:
    track = access_track(user=request.user, track_id=track_id, action=Action.VIEW_DRAFTS)
    peaks = waveform.current_waveform(title=track.title)
    if peaks is None:
        raise NotFound(gettext("The film's waveform is not computed yet."),
                       gettext("POST /api/v1/localization/titles/%(title)s/waveform, then follow the job.")
                       % {"title": track.title.slug})
    with default_storage.open(peaks.storage_name, "rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/octet-stream")
    response["Cache-Control"] = "private, max-age=86400"  # a film's peaks never change
    return response


@router.post("/titles/{slug}/localize", response={202: list[str]},
             summary="Start localization: per language the route (engine, person, or pivot via a language)")
def localize(request: HttpRequest, slug: str, payload: LocalizeIn) -> Status:
    plans = [orders.LanguagePlan(p.language, p.route, p.assignee, p.via, p.due_at) for p in payload.languages]
    started = orders.start_localization(title=access_title(slug=slug, user=request.user), plans=plans,
                                        voice_over=payload.voice_over, by=request.user)
    return Status(202, started)


@router.get("/titles/{slug}/languages", response=list[LanguageStateOut],
            summary="Each target language's state: route, translator, progress, approvals, voice")
def languages(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [asdict(s) for s in orders.language_states(title=access_title(slug=slug, user=request.user),
                                                      by=request.user)]
