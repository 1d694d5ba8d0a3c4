"""Errors of the localization app."""

from __future__ import annotations

from dastan.errors import DastanError, InvalidInput


class LocalizationError(DastanError):
    code = "localization_error"


class EngineUnavailable(LocalizationError):
    """An engine or model is not installed or cannot run; the hint names the fix."""

    code = "engine_unavailable"
    status = 503


class EngineFailed(LocalizationError):
    """An engine ran and failed, or returned output that cannot be right."""

    code = "engine_failed"
    status = 502


class SubtitleFileInvalid(InvalidInput):
    """An uploaded subtitle or script file that cannot be read; names the line."""

    code = "subtitle_file_invalid"


class TrackAlreadyReviewed(LocalizationError):
    """A file would replace text people approved; it needs an explicit replace."""

    code = "track_already_reviewed"
    status = 409
