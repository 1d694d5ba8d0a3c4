"""Checks that the settings can work together, said as warnings a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core import checks
from django.http.request import validate_host
from django.utils.translation import gettext, ngettext

from dastan.errors import ConfigurationError

LOCAL_BROKERS = ("sqla+sqlite", "memory://", "filesystem://")


@dataclass(frozen=True, slots=True)
class SettingsWarning:
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Deployment:
    """The settings that decide how the pieces of a node find each other."""

    broker_url: str
    database_engine: str
    serve_worker: str  # "process" or "none"
    public_url: str
    allowed_hosts: tuple[str, ...]
    job_lease_s: int = 20
    job_heartbeat_s: int = 5

    @classmethod
    def from_settings(cls) -> Deployment:
        return cls(broker_url=settings.CELERY_BROKER_URL,
                   database_engine=settings.DATABASES["default"]["ENGINE"],
                   serve_worker=settings.DASTAN_SERVE_WORKER, public_url=settings.DASTAN_PUBLIC_URL,
                   allowed_hosts=tuple(settings.ALLOWED_HOSTS), job_lease_s=settings.DASTAN_JOB_LEASE_S,
                   job_heartbeat_s=settings.DASTAN_JOB_HEARTBEAT_S)

    @property
    def broker_is_local(self) -> bool:
        return self.broker_url.startswith(LOCAL_BROKERS)

    @property
    def database_is_sqlite(self) -> bool:
        return self.database_engine.endswith("sqlite3")


def broker_is_local() -> bool:
    return Deployment.from_settings().broker_is_local


def database_is_sqlite() -> bool:
    return Deployment.from_settings().database_is_sqlite


def check_settings(deployment: Deployment | None = None) -> list[SettingsWarning]:
    """Everything inconsistent in ``deployment`` (default: the current settings); empty
    when all is well. Never raises: `dastan serve` prints these and carries on."""
    d = deployment or Deployment.from_settings()
    warnings: list[SettingsWarning] = []
    in_process_worker = d.serve_worker == "process"
    if in_process_worker and not d.broker_is_local:
        host = urlparse(d.broker_url).hostname or "?"
        warnings.append(SettingsWarning(
            gettext("`dastan serve` will start its own worker on the shared broker at %(host)s, so this "
                    "web server will also run heavy jobs (transcoding, ASR) taken from that queue.")
            % {"host": host},
            gettext("Set DASTAN_SERVE_WORKER=none and run `dastan worker` on the machines meant for jobs, "
                    "or keep it if this machine is one of them."),
        ))
    if not d.broker_is_local and d.database_is_sqlite:
        warnings.append(SettingsWarning(
            gettext("The broker is remote but the database is a SQLite file on this machine: workers "
                    "on other hosts will take jobs they cannot record."),
            gettext("Set DASTAN_DATABASE_URL=postgresql://… so that every worker shares one database."),
        ))
    if d.broker_is_local and not in_process_worker:
        warnings.append(SettingsWarning(
            gettext("The broker is a file on this machine and `dastan serve` starts no worker: queued "
                    "jobs will wait until `dastan worker` runs here."),
            gettext("Unset DASTAN_SERVE_WORKER, or run `dastan worker` on this machine."),
        ))
    if d.broker_url.startswith("sqla+sqlite") and not d.database_is_sqlite:
        warnings.append(SettingsWarning(
            gettext("The database is shared (PostgreSQL) but the broker is a SQLite file that only this "
                    "machine can read: workers elsewhere will never see a job."),
            gettext("Set DASTAN_BROKER_URL=redis://… or amqp://… to scale out."),
        ))
    public = urlparse(d.public_url).hostname
    if public and not validate_host(public, list(d.allowed_hosts)):
        warnings.append(SettingsWarning(
            gettext("DASTAN_PUBLIC_URL names host '%(host)s', which DASTAN_ALLOWED_HOSTS does not allow: "
                    "every page would answer 400.") % {"host": public},
            gettext("Add %(host)s to DASTAN_ALLOWED_HOSTS.") % {"host": public},
        ))
    # A third: two heartbeats may be late (a database busy for a moment, a paused VM)
    # before a healthy job is taken back and run twice.
    if d.job_heartbeat_s * 3 > d.job_lease_s:
        warnings.append(SettingsWarning(
            # Translators: "s" is seconds.
            gettext("Jobs renew their lease every %(heartbeat)s s but lose it after %(lease)s s: "
                    "one or two late heartbeats and a healthy job is taken back and run again.")
            % {"heartbeat": d.job_heartbeat_s, "lease": d.job_lease_s},
            gettext("Set DASTAN_JOB_HEARTBEAT_S to at most a third of DASTAN_JOB_LEASE_S "
                    "(defaults: 5 and 20; a dead worker's job is queued again within 1.25 leases)."),
        ))
    return warnings


def check_database_ready(*, apps: tuple[str, ...] = ("contenttypes", "jobs")) -> None:
    """Raise ConfigurationError when the database lacks the tables of ``apps`` (by default
    what a worker itself writes), so a worker started against an empty database says how
    to fix it instead of a traceback."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor


    executor = MigrationExecutor(connection)
    pending = [m for m, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())
               if m.app_label in apps]
    if pending:
        where = settings.DATABASES["default"].get("NAME", "")
        raise ConfigurationError(
            ngettext("The database %(where)s is not set up for this version of Dastan "
                     "(%(count)s migration not applied).",
                     "The database %(where)s is not set up for this version of Dastan "
                     "(%(count)s migrations not applied).", len(pending))
            % {"where": where, "count": len(pending)},
            gettext("Run `dastan manage migrate` (or `dastan serve`, which applies them) against the same "
                    "DASTAN_DATABASE_URL, then start the worker again."))


def settings_system_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """:func:`check_settings` as Django system checks, so `dastan manage check` (and
    `check --deploy`) report the same inconsistencies `dastan serve` prints."""
    return [checks.Warning(w.message, hint=w.hint, id=f"dastan.W{n:03d}")
            for n, w in enumerate(check_settings(), start=1)]
