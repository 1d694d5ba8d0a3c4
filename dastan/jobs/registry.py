"""Job kinds: each app declares its handlers with :func:`job_handler` in its ``tasks.py``.

A handler is a plain function ``handler(ctx: JobContext) -> dict | None``: it loads what
it needs by the ids in ``ctx.params`` or ``ctx.target()``, calls the app's domain
functions, reports progress through ``ctx.progress(...)``, and returns a small JSON
result. It must be idempotent: write beside the final place (``ctx.staging_dir()``) and
move in only through ``ctx.publish(...)``, which refuses an attempt that lost its lease.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings

from dastan.errors import ConfigurationError
from dastan.jobs.errors import UnknownJobKind

if TYPE_CHECKING:
    from dastan.jobs.context import JobContext

Handler = Callable[["JobContext"], "dict[str, Any] | None"]


@dataclass(frozen=True, slots=True)
class HandlerSpec:
    kind: str
    func: Handler
    needs: tuple[str, ...]
    max_attempts: int | None


_HANDLERS: dict[str, HandlerSpec] = {}


def job_handler(
    kind: str, *, needs: tuple[str, ...] = (), max_attempts: int | None = None
) -> Callable[[Handler], Handler]:
    """Register ``func`` as the handler of jobs of ``kind`` that need ``needs``."""

    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = HandlerSpec(kind=kind, func=func, needs=tuple(sorted(needs)),
                                      max_attempts=max_attempts)
        return func

    return register


def get_handler(kind: str) -> HandlerSpec:
    try:
        return _HANDLERS[kind]
    except KeyError:
        known = ", ".join(sorted(_HANDLERS)) or "none"
        raise UnknownJobKind(
            f"No handler for jobs of kind '{kind}' on this worker (known: {known}).",
            "Run a worker of the same Dastan version as the node that queued the job.",
        ) from None


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


def declared_needs() -> list[tuple[str, ...]]:
    """The combinations of needs that handlers declare (each worker listens to those it covers)."""
    return sorted({spec.needs for spec in _HANDLERS.values()})


def autodiscover_handlers() -> None:
    """Import every Dastan app's ``tasks`` module, then the modules named in
    ``DASTAN_JOB_MODULES`` (plugins; the test suite's handlers)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("dastan."):
            continue
        try:
            importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
    for name in settings.DASTAN_JOB_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            raise ConfigurationError(
                f"DASTAN_JOB_MODULES names the module '{name}', which cannot be imported ({exc}).",
                "Install the package that provides it, or remove it from DASTAN_JOB_MODULES.",
            ) from exc
