from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dastan.accounts"
    label = "accounts"
    verbose_name = "Accounts"
