from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dastan.catalog"
    label = "catalog"
    verbose_name = "Catalog"
