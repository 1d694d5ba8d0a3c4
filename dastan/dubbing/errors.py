"""Errors of the dubbing app: each says what happened and what to do."""

from __future__ import annotations

from dastan.errors import DastanError, InvalidInput


class DubbingError(DastanError):
    code = "dubbing_error"


class ConsentMissing(DubbingError):
    """A person's voice would reach viewers without active consent covering it."""

    code = "consent_missing"
    status = 409


class StemRefused(InvalidInput):
    """A delivered stem the node cannot use (rate, length, silence, clipping)."""

    code = "stem_refused"


class CredentialInvalid(DubbingError):
    """A content-credentials manifest that is missing, broken or does not match its file."""

    code = "credential_invalid"
    status = 422
