"""The rights app's errors: each says what was refused and how to put it right."""

from __future__ import annotations

from typing import Any

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
    """An avails file with bad rows; ``problems`` keeps every one, line by line, as text
    (in the importer's language), and the API answer gives each with its stable ``code``
    (``{line, column, code, text}``, from :class:`dastan.rights.avails.RowProblem`)."""

    code = "avails_rejected"

    def __init__(self, message: str, hint: str = "", *, problems: tuple[Any, ...] = (),
                 **kwargs: Any) -> None:
        super().__init__(message, hint, **kwargs)
        self.details: tuple[dict[str, Any], ...] = tuple(
            p if isinstance(p, dict) else p.as_dict() if hasattr(p, "as_dict") else {"text": str(p)}
            for p in problems)
        self.problems: tuple[str, ...] = tuple(str(d["text"]) for d in self.details)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild_avails, (self.message, self.hint, self.details))

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": list(self.details)}


def _rebuild_avails(message: str, hint: str, problems: tuple[dict[str, Any], ...]) -> AvailsRejected:
    return AvailsRejected(message, hint, problems=problems)
