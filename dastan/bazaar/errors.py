"""The bazaar's errors; each says what happened and what to do."""

from __future__ import annotations

from dastan.errors import DastanError, InvalidInput, NotFound


class InvalidPitch(InvalidInput):
    code = "invalid_pitch"


class SlotTaken(DastanError):
    code = "slot_taken"
    status = 409


class NotYourTurn(DastanError):
    """The thing is in a state where this cannot happen (a decided interest, a revoked grant)."""

    code = "conflict"
    status = 409


class NdaRequired(DastanError):
    code = "nda_required"
    status = 403


class AccessEnded(DastanError):
    code = "access_ended"
    status = 410


class NoProfile(NotFound):
    code = "no_profile"


class RendererMissing(DastanError):
    code = "renderer_missing"
    status = 503


class TraceFailed(DastanError):
    code = "trace_failed"
    status = 422
