from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "dastan.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        # Remote workers' outputs arrive as this app's uploads; the jobs app, which must
        # not import media, finds them through the receiver registered here.
        from dastan.jobs.remote.outputs import register_receiver
        from dastan.media.worker_uploads import WorkerUploads

        register_receiver(WorkerUploads())
