"""The one error hierarchy of Dastan.

Every failure meant for a person is a :class:`DastanError`: ``message`` says what
happened, ``hint`` says what to do about it, ``code`` is stable for programs. The API
maps it to ``{code, message, hint}`` with ``status``; the CLI prints the same lines.
Errors survive pickling (Celery carries them between processes).
"""

from __future__ import annotations

from typing import Any


class DastanError(Exception):
    """A failure explained in the user's terms, with the fix."""

    code: str = "error"
    status: int = 400

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        code: str | None = None,
        status: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.hint, self.code, self.status, self.field))

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message, "hint": self.hint}
        if self.field:
            body["field"] = self.field
        return body


def _rebuild(cls: type[DastanError], message: str, hint: str, code: str, status: int,
             field: str | None) -> DastanError:
    err = cls.__new__(cls)
    DastanError.__init__(err, message, hint, code=code, status=status, field=field)
    return err


class NotFound(DastanError):
    code = "not_found"
    status = 404


class PermissionDenied(DastanError):
    code = "permission_denied"
    status = 403


class InvalidInput(DastanError):
    code = "invalid_input"
    status = 422


class ConfigurationError(DastanError):
    """Settings that cannot work together; names the variable to change."""

    code = "configuration"
    status = 500
