"""Who may act for an organisation.

``check_*`` functions raise :class:`NotAMember` with the organisation named and how to
get access; ``can_*`` answer with a bool for pages that only hide a button.
"""

from __future__ import annotations

from typing import Any

from dastan.accounts.models import Membership
from dastan.errors import PermissionDenied

# Roles that may change an organisation's catalog entries and texts.
EDITING_ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR, Membership.Role.TRANSLATOR)


class NotAMember(PermissionDenied):
    code = "not_a_member"


def can_edit_for(*, user: Any, organisation: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, organisation=organisation, role__in=EDITING_ROLES).exists()


def check_can_edit_for(*, user: Any, organisation: Any, field: str = "owner") -> None:
    """Raise :class:`NotAMember` unless ``user`` may edit what ``organisation`` owns."""
    if can_edit_for(user=user, organisation=organisation):
        return
    membership = Membership.objects.filter(user=user, organisation=organisation).first() \
        if getattr(user, "is_authenticated", False) else None
    if membership is not None:
        raise NotAMember(
            f"Your role at {organisation.name} ('{membership.get_role_display()}') cannot change its titles.",
            f"Ask an administrator of {organisation.name} to make you an editor or translator.",
            field=field,
        )
    raise NotAMember(
        f"You are not a member of {organisation.name}, which owns this title.",
        f"Ask an administrator of {organisation.name} to add you as an editor, "
        "or send a token of a user who is one.",
        field=field,
    )
