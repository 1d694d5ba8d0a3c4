from django.apps import AppConfig


class LabsConfig(AppConfig):
    name = "dastan.labs"
    label = "labs"
    verbose_name = "Labs, workshops and festival calls"
