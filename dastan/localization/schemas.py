"""API shapes of the localization app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class TaskOut(Schema):
    id: int
    state: str
    reason: str
    track_id: int
    title: str
    language: str


class TrackOut(Schema):
    id: int
    title: str
    language: str
    is_source: bool
    origin: str
    state: str
    is_machine_made: bool
    provenance: dict[str, Any]
    pivot_language: str
    approvals_required: int
    approvals: int
    cue_count: int
    task_reason: str | None
    updated_at: datetime


class CueOut(Schema):
    id: int
    index: int
    start_ms: int
    end_ms: int
    text: str
    speaker: str
    source_text: str | None
    revision: int = 1  # send it back as base_revision: a save on an older one is refused (409)


class IssueOut(Schema):
    rule: str
    severity: str
    cue_index: int
    message: str
    hint: str


class TrackDetailOut(TrackOut):
    cues: list[CueOut]
    issues: list[IssueOut]


class TranscribeIn(Schema):
    languages: list[str]  # the film's audio streams to transcribe, by language


class TranslateIn(Schema):
    target_languages: list[str]


class TranslationOrderOut(Schema):
    language: str
    job_id: int
    state: str
    job_url: str  # GET it to follow the job; the track appears in the title's tracks when done


class HumanTranslationIn(Schema):
    texts: list[str]


class CueEditIn(Schema):
    text: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    speaker: str | None = None
    # The cue's revision the edit was made on (the editor sends it): refused with 409 and the
    # other person's text if someone saved the cue since. Omitted: the edit applies as is.
    base_revision: int | None = None


class ReviewIn(Schema):
    comment: str = ""
    # Approving a track with QC errors needs a reason; it is kept in the track's provenance.
    override_reason: str = ""


class GlossaryTermIn(Schema):
    source_language: str
    target_language: str
    source_term: str
    target_term: str = ""
    rule: str = "force"  # "force": always translate as target_term; "keep": keep as written
    title: str | None = None  # a title's slug, for a term of that title only
    note: str = ""


class GlossaryTermOut(GlossaryTermIn):
    id: int
    organisation: str | None


# --- the translator's workbench (workbench_api.py) ---------------------------------------------

class QueueOut(Schema):
    task_id: int
    track_id: int
    title: str
    organisation: str
    language: str
    route: list[str]
    state: str
    assignee: str
    due_at: datetime | None
    cues_done: int
    cues_total: int
    is_late: bool
    reason: str
    reviewer: str = ""
    review_due_at: datetime | None = None


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    created_at: datetime
    read: bool


class LanguagePairIn(Schema):
    source_language: str
    target_language: str


class HopOut(Schema):
    source_language: str
    target_language: str
    translators: list[str]


class RouteOut(Schema):
    languages: list[str]
    hops: list[HopOut]


class StartTaskIn(Schema):
    target_language: str
    assignee: str = ""
    due_at: datetime | None = None
    then_languages: list[str] = []


class VoiceOrderIn(Schema):
    mode: str = "voice-over"


class VoiceOrderOut(Schema):
    language: str
    mode: str
    job_id: int | None  # None: the text waits for people's approval; the voice follows it
    job_url: str


class QcIn(Schema):
    """A cue as it stands on the translator's screen (unsaved); what is left out is as saved."""

    text: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None


class QcIssueOut(Schema):
    rule: str
    severity: str  # "error" | "warning"
    cue_index: int
    message: str  # in the asking person's interface language


class WithdrawIn(Schema):
    reason: str  # why viewers should no longer see it; the translator reads it


class AssignIn(Schema):
    assignee: str
    due_at: datetime | None = None
    role: str = "translator"  # "translator" | "reviewer"


class CommissionIn(Schema):
    studio: str
    house: str
    titles: list[str]
    languages: list[str]
    ends_at: datetime
    starts_at: datetime | None = None
    note: str = ""


class CommissionOut(Schema):
    id: int
    studio: str
    house: str
    titles: list[str]
    languages: list[str]
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None


class SavedCueOut(Schema):
    id: int
    index: int
    start_ms: int
    end_ms: int
    text: str
    revision: int
    confirmed: bool


class SplitIn(Schema):
    at_ms: int
    text_before: str
    text_after: str
    base_revision: int | None = None


class MergeIn(Schema):
    base_revision: int | None = None
    next_revision: int | None = None


class ConfirmIn(Schema):
    confirmed: bool = True


class SpellingIn(Schema):
    language: str
    text: str


class MisspellingOut(Schema):
    word: str
    start: int
    end: int
    suggestions: list[str]


class SpellingOut(Schema):
    language: str
    available: bool
    reason: str
    misspellings: list[MisspellingOut]


class WorkbenchOut(Schema):
    track: dict[str, Any]
    profile: dict[str, Any]
    cues: list[dict[str, Any]]
    waveform: dict[str, Any] | None
    shot_changes_ms: list[int]
    speech_onsets_ms: list[int]


class LanguagePlanIn(Schema):
    language: str
    route: str = "engine"  # "engine" | "person" | "pivot"
    assignee: str = ""
    via: str = ""
    due_at: datetime | None = None


class LocalizeIn(Schema):
    languages: list[LanguagePlanIn]
    voice_over: bool = False


class CandidateOut(Schema):
    username: str
    organisation: str
    declares_pair: bool


class LanguageActionsOut(Schema):
    """What the asking person may do to the language now (the title page's buttons)."""

    assign: bool
    remind: bool
    rerun: bool
    order_voice: bool
    withdraw: bool
    translators: list[CandidateOut]
    reviewers: list[CandidateOut]


class LanguageStateOut(Schema):
    language: str
    track_id: int
    state: str
    route: list[str]
    made_by: str
    assignee: str
    due_at: datetime | None
    cues_done: int
    cues_total: int
    approvals: int
    approvals_required: int
    voice_state: str
    loudness_lufs: float | None
    voice_fit: dict[str, int]
    task_id: int | None
    reviewer: str = ""
    review_due_at: datetime | None = None
    actions: LanguageActionsOut | None = None
