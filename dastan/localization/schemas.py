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
