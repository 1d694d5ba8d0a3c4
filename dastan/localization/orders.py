"""Localization ordered from the studio's title page (and the API, and the CLI): which
languages, subtitles only or with voice-over, and per language the route — an engine, a
person, or a person working from a pivot language — then each language's state at a
glance. The page, the API and the CLI call these same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from dastan.accounts.permissions import Action, can, check
from dastan.catalog.models import Title
from dastan.catalog.services import check_language
from dastan.errors import InvalidInput
from dastan.i18n import gettext
from dastan.jobs.models import Job
from dastan.jobs.services import submit_job
from dastan.localization import assignments, pipeline, pivots
from dastan.localization.access import check_track, may
from dastan.localization.assignments import Candidate
from dastan.localization.engines.registry import find_translation_route
from dastan.localization.models import SubtitleTrack, TranslationTask, VoiceTrack
from dastan.localization.review import current_approvals

ROUTES = ("engine", "person", "pivot")


@dataclass(frozen=True, slots=True)
class LanguagePlan:
    """One target language and how it is to be made."""

    language: str
    route: str  # "engine" | "person" | "pivot"
    assignee: str = ""  # the translator's user name (person, pivot)
    via: str = ""  # the pivot language (pivot)
    due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LanguageState:
    """A target language as the title page shows it."""

    language: str
    track_id: int
    state: str  # the track's state
    route: tuple[str, ...]
    made_by: str  # engine name, or "human"
    assignee: str
    due_at: datetime | None
    cues_done: int
    cues_total: int
    approvals: int
    approvals_required: int
    voice_state: str  # the voice track's state; "ordered" while the order waits for approval
    loudness_lufs: float | None
    voice_fit: dict[str, int]
    task_id: int | None
    reviewer: str = ""
    review_due_at: datetime | None = None
    actions: LanguageActions | None = None


@dataclass(frozen=True, slots=True)
class LanguageActions:
    """What the person asking may do to a language now, and whom they may assign."""

    assign: bool = False
    remind: bool = False
    rerun: bool = False
    order_voice: bool = False
    withdraw: bool = False
    translators: tuple[Candidate, ...] = ()
    reviewers: tuple[Candidate, ...] = ()


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(gettext("There is no person '%(username)s' on this node.") % {"username": username},
                           gettext("Choose a translator from the list."), field="assignee")
    return user


def check_plan(*, source: SubtitleTrack, plan: LanguagePlan) -> LanguagePlan:
    """Refuse a plan that cannot work, naming the language and the fix."""
    code = check_language(plan.language, field="languages")
    if plan.route not in ROUTES:
        # Translators: a route is how a language is made: by an engine, a person, or through a pivot language.
        raise InvalidInput(gettext("'%(route)s' is not a route.") % {"route": plan.route},
                           gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(ROUTES)}, field="route")
    if code == source.language:
        raise InvalidInput(gettext("%(language)s is the film's own language.") % {"language": code},
                           gettext("Choose other languages."), field="languages")
    if plan.route == "engine" and find_translation_route(source.language, code) is None:
        raise InvalidInput(gettext("No engine on this node translates %(source)s→%(target)s.")
                           % {"source": source.language, "target": code},
                           # Translators: a pivot is a third language the text is translated through.
                           gettext("Choose a person or a pivot for this language."), field="route")
    if plan.route == "pivot":
        via = check_language(plan.via, field="via")
        if via in (code, source.language):
            raise InvalidInput(gettext("A pivot for %(language)s must be a third language, not %(via)s.")
                               % {"language": code, "via": via},
                               gettext("Choose the language the translator reads, e.g. en or ru."), field="via")
    return LanguagePlan(code, plan.route, plan.assignee, plan.via and check_language(plan.via, field="via"),
                        plan.due_at)


@transaction.atomic
def start_localization(*, title: Title, plans: Sequence[LanguagePlan], by: Any,
                       voice_over: bool = False) -> list[str]:
    """Start every planned language; returns the languages started. Every plan is checked
    before anything starts (a bad one changes nothing). Engine languages are jobs; person
    and pivot languages are tasks for the named translator — a pivot's first leg too, when
    the title has no approved track in the pivot language yet. With ``voice_over``, each
    language's voice is made once people approve its text, whichever the route
    (``dubbing.voice_after_approval``); a pivot in between is not voiced."""
    check(user=by, action=Action.ORDER_LOCALIZATION, organisation=title.owner, hidden=not title.is_published)
    source = SubtitleTrack.objects.filter(title=title, is_source=True).first()
    if source is None:
        raise InvalidInput(gettext("'%(title)s' has no subtitles in its own language yet.") % {"title": title.slug},
                           gettext("Upload them or transcribe the film first; translations start from them."),
                           field="languages")
    checked = [check_plan(source=source, plan=p) for p in plans]
    voice = "voice-over" if voice_over else ""  # made once people approve each language's text
    for plan in checked:
        if plan.route == "engine":
            pipeline.localize_title(title=title, targets=[plan.language], voice_over=voice_over, created_by=by)
            continue
        assignee = _user(plan.assignee) if plan.assignee else None
        start_from = source
        if plan.route == "pivot":
            via = SubtitleTrack.objects.filter(title=title, language=plan.via, state__in=pivots.USABLE).first()
            if via is None:  # the pivot's own leg first; this language follows its approval
                pivots.start_human_translation(source_track=source, target_language=plan.via, by=by,
                                               then_languages=[plan.language], due_at=plan.due_at,
                                               voice_mode=voice)
                continue
            start_from = via
        pivots.start_human_translation(source_track=start_from, target_language=plan.language, by=by,
                                       assignee=assignee, due_at=plan.due_at, voice_mode=voice)
    return [p.language for p in checked]


def rerun_draft(*, track: SubtitleTrack, by: Any) -> Job:
    """Queue the engine again on ``track`` (a job: an engine may take minutes): its draft
    is made anew from its source, every cue's earlier text kept in its history. For a
    machine draft nobody edited yet, or a track still waiting for a translator where this
    node now has an engine for the pair. Raises NotAllowed/NotFound unless ``by`` orders
    localization for the owner; InvalidInput, naming what to do instead, for the film's
    own language, a pair no engine covers, approved or published text, or text people wrote."""
    check_track(user=by, track=track, action=Action.ORDER_LOCALIZATION)
    source = check_rerun(track)
    return submit_job(kind="localization.translate", target=track.title, created_by=by, params={
        "title_id": track.title_id, "language": track.language, "source_track_id": source.pk, "redraft": True})


def check_rerun(track: SubtitleTrack) -> SubtitleTrack:
    """The source an engine would draft ``track`` from again; InvalidInput saying why not."""
    source = track.source_track or SubtitleTrack.objects.filter(title=track.title, is_source=True).first()
    if track.is_source or source is None:
        raise InvalidInput(gettext("The %(language)s track is the film's own language: no engine drafts it.")
                           % {"language": track.language},
                           gettext("Upload its subtitles again, or transcribe the film."), field="track")
    if find_translation_route(source.language, track.language) is None:
        raise InvalidInput(gettext("No engine on this node translates %(source)s→%(target)s.")
                           % {"source": source.language, "target": track.language},
                           gettext("Assign a translator to this language instead."), field="track")
    if track.state in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED):
        # Translators: %(state)s is the track's state in lower case, e.g. "approved" or "published".
        raise InvalidInput(gettext("The %(language)s track is %(state)s: people approved its text.")
                           % {"language": track.language, "state": track.get_state_display().lower()},
                           gettext("Withdraw it first if viewers should not see it."), field="track")
    if track.cues.filter(revisions__author__isnull=False).exists():
        raise InvalidInput(gettext("People wrote or edited the %(language)s text; a new machine draft would "
                                   "replace their work.") % {"language": track.language},
                           gettext("Edit it in the editor instead."), field="track")
    return source


def language_states(*, title: Title, by: Any) -> list[LanguageState]:
    """Each target language's state, for the people who work on the title."""
    check(user=by, action=Action.VIEW_DRAFTS, organisation=title.owner, hidden=not title.is_published)
    tracks = SubtitleTrack.objects.filter(title=title, is_source=False).order_by("language")
    tasks = {t.track_id: t for t in TranslationTask.objects.filter(track__in=tracks)
             .select_related("assignee", "reviewer", "track")}
    voices = {v.subtitle_track_id: v for v in VoiceTrack.objects.filter(subtitle_track__in=tracks)}
    states = []
    for track in tracks:
        task, voice = tasks.get(track.pk), voices.get(track.pk)
        texts = list(track.cues.values_list("text", flat=True))
        states.append(LanguageState(
            language=track.language, track_id=track.pk, state=track.state, route=tuple(pivots.route_of(track)),
            made_by=str(track.provenance.get("engine", "")), assignee=task.assignee.get_username()
            if task and task.assignee else "", due_at=task.due_at if task else None,
            cues_done=sum(1 for t in texts if t.strip()), cues_total=len(texts),
            approvals=current_approvals(track), approvals_required=track.approvals_required,
            voice_state=voice.state if voice else ("ordered" if track.voice_mode else ""),
            voice_fit=dict(voice.fit_counts) if voice else {},
            loudness_lufs=(voice.loudness or {}).get("integrated_lufs") if voice else None,
            task_id=task.pk if task else None,
            reviewer=task.reviewer.get_username() if task and task.reviewer else "",
            review_due_at=task.review_due_at if task else None,
            actions=_actions(track=track, task=task, voiced=bool(voice or track.voice_mode), by=by)))
    return states


def _actions(*, track: SubtitleTrack, task: TranslationTask | None, voiced: bool, by: Any) -> LanguageActions:
    """The buttons a language's row offers ``by``: each is what its domain function would
    allow now (that function checks again when it is pressed)."""
    done = track.state in (SubtitleTrack.State.APPROVED, SubtitleTrack.State.PUBLISHED)
    assigns = may(user=by, track=track, action=Action.ASSIGN_TASKS)
    orders = may(user=by, track=track, action=Action.ORDER_LOCALIZATION)
    try:
        rerun = orders and bool(check_rerun(track))
    except InvalidInput:
        rerun = False
    return LanguageActions(
        assign=assigns and not done,
        remind=assigns and task is not None and assignments.waiting_on(task)[0] is not None,
        rerun=rerun, order_voice=orders and not voiced,
        withdraw=track.state == SubtitleTrack.State.PUBLISHED and can(
            user=by, action=Action.REVIEW, organisation_id=track.title.owner_id),
        translators=tuple(assignments.candidates(track=track, role=assignments.TRANSLATOR, by=by))
        if assigns and not done else (),
        reviewers=tuple(assignments.candidates(track=track, role=assignments.REVIEWER, by=by))
        if assigns and not done else ())
