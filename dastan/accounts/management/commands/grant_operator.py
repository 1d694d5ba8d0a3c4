from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dastan.accounts.models import NodeOperator


class Command(BaseCommand):
    help = ("Make a user an operator of this node (workers, job queue, organisations), or take "
            "the role away with --revoke. An operator gets no role inside any organisation.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="take the operator role away")
        parser.add_argument("--note", default="", help="why (kept with the grant)")

    def handle(self, *args: Any, username: str, revoke: bool, note: str, **options: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user '{username}'. Create the account first "
                               "(`dastan manage createsuperuser`, or the admin's Users page).")
        if revoke:
            deleted, _ = NodeOperator.objects.filter(user=user).delete()
            self.stdout.write(f"{username} is no longer an operator." if deleted
                              else f"{username} was not an operator; nothing changed.")
            return
        NodeOperator.objects.get_or_create(user=user, defaults={"note": note})
        self.stdout.write(f"{username} is an operator of this node.")
