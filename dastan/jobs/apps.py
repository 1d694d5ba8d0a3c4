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

        # A schedule call remembers sharing agreements and what their caps used for a few
        # seconds; a change made in this process is seen at once.
        from django.db.models.signals import post_delete, post_save

        from dastan.jobs.models import ComputeRecord, Job, SharingAgreement
        from dastan.jobs.remote.scheduling import forget_pools, forget_queued_organisations

        for model in (SharingAgreement, ComputeRecord):
            post_save.connect(forget_pools, sender=model, dispatch_uid=f"forget-pools-save-{model.__name__}")
            post_delete.connect(forget_pools, sender=model, dispatch_uid=f"forget-pools-delete-{model.__name__}")
        # ...and which organisations have queued jobs (the node's own workers serve them all).
        post_save.connect(forget_queued_organisations, sender=Job, dispatch_uid="forget-queued-organisations")
