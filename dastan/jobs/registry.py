"""Job kinds: each app declares its handlers with :func:`job_handler` in its ``handlers.py``.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings

from dastan.errors import ConfigurationError
from dastan.i18n import gettext, pgettext
from dastan.jobs.errors import UnknownJobKind

if TYPE_CHECKING:
    from dastan.jobs.context import JobContext

Handler = Callable[["JobContext"], "dict[str, Any] | None"]
# Runs on the node with the attempt's output files (local paths) and the handler's result,
# the same for a local and a remote attempt; returns the job's result. It runs outside any
# transaction, so it may copy large files: writes beside their final place (names with the
# attempt's token), and the one step that makes output visible goes through
# ``ctx.publish(...)``, which refuses an attempt that lost its lease. It checks what it
# receives (a remote worker's files are not trusted) and raises a DastanError to refuse it.
Publisher = Callable[["JobContext", "dict[str, Path]", "dict[str, Any]"], "dict[str, Any]"]


@dataclass(frozen=True, slots=True)
class HandlerSpec:
    kind: str
    func: Handler
    needs: tuple[str, ...]
    max_attempts: int | None
    # A remote handler reads its inputs through ctx.input_path(), writes files it names with
    # ctx.add_output() and leaves making them visible to ``publish`` (run on the node), so a
    # worker without the database can run it.
    remote: bool = False
    publish: Publisher | None = None
    inputs: tuple[str, ...] = ()  # params that name stored files the handler reads


_HANDLERS: dict[str, HandlerSpec] = {}


def job_handler(
    kind: str, *, needs: tuple[str, ...] = (), max_attempts: int | None = None,
    remote: bool = False, publish: Publisher | None = None, inputs: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register ``func`` as the handler of jobs of ``kind`` that need ``needs``; with
    ``remote`` (and its ``publish`` step) remote workers may run it too."""

    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = HandlerSpec(kind=kind, func=func, needs=tuple(sorted(needs)),
                                      max_attempts=max_attempts, remote=remote, publish=publish,
                                      inputs=inputs)
        return func

    return register


def get_handler(kind: str) -> HandlerSpec:
    try:
        return _HANDLERS[kind]
    except KeyError:
        # Translators: shown in place of an empty list of job kinds, e.g. "known: none".
        known = ", ".join(sorted(_HANDLERS)) or pgettext("no job kinds", "none")
        raise UnknownJobKind(
            gettext("No handler for jobs of kind '%(kind)s' on this worker (known: %(known)s).")
            % {"kind": kind, "known": known},
            gettext("Run a worker of the same Dastan version as the node that queued the job."),
        ) from None


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)


def remote_kinds() -> list[str]:
    """Kinds a remote worker may run (their handlers need no database)."""
    return sorted(kind for kind, spec in _HANDLERS.items() if spec.remote)


def declared_needs() -> list[tuple[str, ...]]:
    """The combinations of needs that handlers declare (each worker listens to those it covers)."""
    return sorted({spec.needs for spec in _HANDLERS.values()})


def autodiscover_handlers() -> None:
    """Import every Dastan app's ``handlers`` module, then the modules named in
    ``DASTAN_JOB_MODULES`` (plugins; the test suite's handlers)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("dastan."):
            continue
        try:
            importlib.import_module(f"{config.name}.handlers")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.handlers":
                raise
    for name in settings.DASTAN_JOB_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            raise ConfigurationError(
                gettext("DASTAN_JOB_MODULES names the module '%(module)s', which cannot be imported (%(error)s).")
                % {"module": name, "error": exc},
                gettext("Install the package that provides it, or remove it from DASTAN_JOB_MODULES."),
            ) from exc
