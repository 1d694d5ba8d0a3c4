from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "dastan.rights"
    label = "rights"
    verbose_name = "Rights and licences"
