from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dastan.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # Handlers register themselves when their app's jobs module is imported.
        from dastan.jobs.registry import autodiscover_handlers

        autodiscover_handlers()
        # The node's own consistency checks (broker, database, worker, lease) join Django's,
        # so `dastan manage check` reports what `dastan serve` warns about.
        from django.core import checks

        from dastan.config import settings_system_check

        checks.register(settings_system_check, "dastan")
