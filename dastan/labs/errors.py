"""Errors of labs: calls, applications, selection and mentoring."""

from __future__ import annotations

from dastan.errors import DastanError, InvalidInput, NotFound


class LabsError(DastanError):
    code = "labs_error"
    status = 409


class CallClosed(LabsError):
    """A submission after the deadline; the message names the deadline."""

    code = "call_closed"
    status = 409


class NotEligible(InvalidInput):
    code = "not_eligible"


class ApplicationState(LabsError):
    code = "application_state"


class InvalidAnswer(InvalidInput):
    code = "invalid_answer"


class TooManyFiles(InvalidInput):
    code = "too_many_files"
    status = 413


class Conflicted(NotFound):
    """A committee member who declared a conflict asks for that application: as if it
    were not there (404), so nothing about it reaches them."""

    code = "not_found"


class ComputeExhausted(LabsError):
    """The participant's share of the edition's compute pool is used up."""

    code = "compute_exhausted"
    status = 409


class AlreadyThere(LabsError):
    """A seat, a mentor or a programme address that exists already: nothing was added."""

    code = "already_there"
    status = 409
