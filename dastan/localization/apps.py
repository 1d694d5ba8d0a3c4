from django.apps import AppConfig


class LocalizationConfig(AppConfig):
    name = "dastan.localization"
    label = "localization"
    verbose_name = "Localization"
