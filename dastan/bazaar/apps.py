from django.apps import AppConfig


class BazaarConfig(AppConfig):
    name = "dastan.bazaar"
    label = "bazaar"
    verbose_name = "Co-production bazaar"
