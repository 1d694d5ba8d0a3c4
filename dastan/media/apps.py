from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "dastan.media"
    label = "media"
    verbose_name = "Media"
