from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dastan.accounts.tokens import issue_api_token


class Command(BaseCommand):
    help = "Make an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="a label to recognise the token by")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(
                f"No user '{username}'. Create one with `dastan manage createsuperuser` first."
            ) from exc
        self.stdout.write(issue_api_token(user=user, name=name))
