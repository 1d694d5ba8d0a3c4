"""The rights app's errors: each says what was refused and how to put it right."""

from __future__ import annotations

from dastan.errors import DastanError, InvalidInput, NotFound


class RightsError(DastanError):
    code = "rights_error"


class UnknownTerritory(InvalidInput):
    """A country code that is not ISO 3166-1 alpha-2 nor a named group."""

    code = "unknown_territory"


class InvalidWindow(InvalidInput):
    code = "invalid_window"


class InvalidLicence(InvalidInput):
    code = "invalid_licence"


class ExclusiveClash(RightsError):
    """Two licences would share a title, territory and time while one is exclusive."""

    code = "exclusive_clash"
    status = 409


class LicenceNotFound(NotFound):
    code = "licence_not_found"


class NoLicenceForTerritory(RightsError):
    """Playback refused; the message is the decision's reason (HTTP 451)."""

    code = "no_licence_for_territory"
    status = 451


class AvailsRejected(InvalidInput):
    """An avails file with bad rows; ``problems`` keeps every one, line by line."""

    code = "avails_rejected"

    def __init__(self, message: str, hint: str = "", *, problems: tuple[str, ...] = (),
                 **kwargs: object) -> None:
        super().__init__(message, hint, **kwargs)  # type: ignore[arg-type]
        self.problems = problems

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild_avails, (self.message, self.hint, self.problems))


def _rebuild_avails(message: str, hint: str, problems: tuple[str, ...]) -> AvailsRejected:
    return AvailsRejected(message, hint, problems=problems)
