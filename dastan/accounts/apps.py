from django.apps import AppConfig
from django.http import HttpRequest


class AccountsConfig(AppConfig):
    name = "dastan.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from dastan.accounts.permissions import is_operator

        def operators_only(request: HttpRequest) -> bool:
            # The staff flag alone no longer opens the admin: it edits every
            # organisation's rows, so it is the node operators' tool.
            user = request.user
            return bool(user.is_active and user.is_staff and is_operator(user))

        admin.site.has_permission = operators_only  # type: ignore[method-assign]
