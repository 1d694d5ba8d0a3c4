from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "dastan.federation"
    label = "federation"
    verbose_name = "Federation between nodes"
    default_auto_field = "django.db.models.BigAutoField"
