"""Checks that the settings can work together, said as warnings a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings


@dataclass(frozen=True, slots=True)
class SettingsWarning:
    message: str
    hint: str


def broker_is_local() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("sqla+sqlite", "memory://", "filesystem://"))


def database_is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def check_settings() -> list[SettingsWarning]:
    """Everything inconsistent in the current settings; empty when all is well."""
    warnings: list[SettingsWarning] = []
    in_process_worker = settings.DASTAN_SERVE_WORKER == "process"
    if in_process_worker and not broker_is_local():
        host = urlparse(settings.CELERY_BROKER_URL).hostname or "?"
        warnings.append(SettingsWarning(
            f"`dastan serve` will start its own worker on the shared broker at {host}, so this "
            "web server will also run heavy jobs (transcoding, ASR) taken from that queue.",
            "Set DASTAN_SERVE_WORKER=none and run `dastan worker` on the machines meant for jobs, "
            "or keep it if this machine is one of them.",
        ))
    if not broker_is_local() and database_is_sqlite():
        warnings.append(SettingsWarning(
            "The broker is remote but the database is a SQLite file on this machine: workers "
            "on other hosts will take jobs they cannot record.",
            "Set DASTAN_DATABASE_URL=postgresql://… so that every worker shares one database.",
        ))
    if broker_is_local() and not in_process_worker:
        warnings.append(SettingsWarning(
            "The broker is a file on this machine and `dastan serve` starts no worker: queued "
            "jobs will wait until `dastan worker` runs here.",
            "Unset DASTAN_SERVE_WORKER, or run `dastan worker` on this machine.",
        ))
    if settings.CELERY_BROKER_URL.startswith("sqla+sqlite") and not database_is_sqlite():
        warnings.append(SettingsWarning(
            "The database is shared (PostgreSQL) but the broker is a SQLite file that only this "
            "machine can read: workers elsewhere will never see a job.",
            "Set DASTAN_BROKER_URL=redis://… or amqp://… to scale out.",
        ))
    public = urlparse(settings.DASTAN_PUBLIC_URL).hostname
    if public and "*" not in settings.ALLOWED_HOSTS and public not in settings.ALLOWED_HOSTS:
        warnings.append(SettingsWarning(
            f"DASTAN_PUBLIC_URL names host '{public}', which DASTAN_ALLOWED_HOSTS does not allow: "
            "every page would answer 400.",
            f"Add {public} to DASTAN_ALLOWED_HOSTS.",
        ))
    return warnings
