from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dastan.jobs"
    label = "jobs"
    verbose_name = "Jobs"

    def ready(self) -> None:
        # Handlers register themselves when their app's jobs module is imported.
        from dastan.jobs.registry import autodiscover_handlers

        autodiscover_handlers()
