from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dastan.web"
    label = "web"
    verbose_name = "Web pages"
