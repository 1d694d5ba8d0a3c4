from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "dastan.credentials"
    label = "credentials"
    verbose_name = "Content credentials (C2PA)"
