"""API shapes of labs (not domain types)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class EditionOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    place: str
    online: bool
    time_zone: str
    languages: list[str]
    hosts: list[str]
    call_id: int | None


class ProgrammeOut(Schema):
    slug: str
    kind: str
    name: str
    description: str
    language: str
    machine_translated: bool
    editions: list[EditionOut]


class FieldOut(Schema):
    key: str
    kind: str
    label: str
    required: bool
    choices: list[str]


class CallOut(Schema):
    id: int
    programme: str
    edition: str
    opens_at: datetime
    deadline: datetime
    deadline_hosts: str
    deadline_yours: str
    open: bool
    countries: list[str]
    career_stages: list[str]
    project_stages: list[str]
    max_files: int
    max_file_bytes: int
    fields: list[FieldOut]
    rubric: list[dict[str, Any]]


class ApplicationIn(Schema):
    country: str
    career_stage: str = ""
    project_stage: str = ""
    time_zone: str = "UTC"


class AnswersIn(Schema):
    answers: dict[str, str]


class FileOut(Schema):
    id: int
    field: str
    filename: str
    kind: str  # "file", or "film" (a private screener through the media pipeline)
    ready: bool


class ApplicationOut(Schema):
    id: int
    call_id: int
    applicant: str
    state: str
    country: str
    career_stage: str
    project_stage: str
    answers: dict[str, Any]
    bazaar_project: str
    submitted_at: datetime | None
    decision: str
    decision_reason: str
    files: list[FileOut]
    room_id: int | None


class ApplicationRow(Schema):
    id: int
    applicant: str
    country: str
    state: str
    decision: str


class ConflictIn(Schema):
    reason: str = ""


class ScoresIn(Schema):
    points: dict[str, int]


class CommentIn(Schema):
    text: str


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime


class RankOut(Schema):
    place: int
    application_id: int
    applicant: str
    mean_total: float | None
    scorers: int
    decision: str


class DecisionIn(Schema):
    decision: str
    reason: str


class NoteIn(Schema):
    screener_id: int
    timecode_ms: int = 0
    text: str
    parent_id: int | None = None


class NoteOut(Schema):
    id: int
    screener_id: int
    author: str
    timecode_ms: int
    timecode: str
    text: str
    resolved: bool
    parent_id: int | None


class ResolveIn(Schema):
    resolved: bool = True


class DraftIn(Schema):
    text: str


class DraftOut(Schema):
    version: int
    lines: int
    created_at: datetime


class ScriptNoteIn(Schema):
    version: int
    line: int
    text: str


class ScriptNoteOut(Schema):
    id: int
    version: int
    line: int
    text: str
    author: str


class RoomOut(Schema):
    id: int
    participant: str
    programme: str
    edition: str
    mentors: list[str]
    cuts: list[FileOut]
    notes: list[NoteOut]
    drafts: list[DraftOut]


class DiffOut(Schema):
    old: int
    new: int
    lines: list[str]


class CertificateOut(Schema):
    code: str
    participant: str
    programme: str
    edition: str
    issued_at: datetime


# --- the hosts' desk ------------------------------------------------------------------------------

class ProgrammeIn(Schema):
    slug: str
    kind: str = "lab"
    hosts: list[str]  # organisations' addresses; the caller administers at least one
    original_language: str = "en"
    name: str
    description: str = ""


class ProgrammeTextIn(Schema):
    name: str
    description: str = ""
    machine: bool = False


class EditionIn(Schema):
    name: str
    starts_on: date
    ends_on: date
    hosts: list[str] = []  # empty: the programme's hosts
    time_zone: str
    languages: list[str]
    place: str = ""
    online: bool = False
    compute_hours_per_participant: int = 0


class FieldIn(Schema):
    key: str = ""  # empty: made from the label
    kind: str
    label: str
    required: bool = False
    choices: list[str] = []


class CriterionIn(Schema):
    key: str = ""
    label: str
    max: int


class CallIn(Schema):
    opens_at: datetime | None = None  # the hosts' wall-clock time; none: now
    deadline: datetime  # the hosts' wall-clock time, without a zone
    fields: list[FieldIn]
    rubric: list[CriterionIn]
    countries: list[str] = []
    career_stages: list[str] = []
    project_stages: list[str] = []
    max_files: int = 3
    max_file_mb: int = 200


class DeadlineIn(Schema):
    deadline: datetime  # the hosts' wall-clock time, without a zone


class SeatIn(Schema):
    person: str  # user name or e-mail address
    chair: bool = False


class SeatOut(Schema):
    username: str
    name: str
    role: str


class SessionIn(Schema):
    name: str
    starts_at: datetime  # wall-clock time in time_zone
    ends_at: datetime
    time_zone: str = ""  # empty: the edition's
    place: str = ""


class SessionOut(Schema):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    place: str


class MentorIn(Schema):
    person: str  # user name or e-mail address
    expertise: str = ""


class MentorOut(Schema):
    id: int
    username: str
    name: str
    expertise: str


class ParticipantOut(Schema):
    room_id: int
    name: str
    mentors: list[str]
    certificate: str | None
    compute_used_hours: float
    compute_allowed_hours: float


class EditionDeskOut(Schema):
    edition: EditionOut
    programme: str
    call_id: int | None
    committee: list[SeatOut]
    sessions: list[SessionOut]
    mentors: list[MentorOut]
    participants: list[ParticipantOut]
