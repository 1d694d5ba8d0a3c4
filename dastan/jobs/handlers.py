"""The jobs app's own job handlers, imported by ``registry.autodiscover_handlers`` like
every app's ``handlers`` module: the trusted re-do of a remote worker's sampled output
(``jobs.verify``, in :mod:`dastan.jobs.remote.verification`)."""

from dastan.jobs.remote import verification  # noqa: F401  (registers jobs.verify)
