from django.apps import AppConfig


class DubbingConfig(AppConfig):
    name = "dastan.dubbing"
    label = "dubbing"
    verbose_name = "Dubbing, consent and content credentials"
