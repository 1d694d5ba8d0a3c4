"""Who may change rights: rights managers (the "distributor" role) and administrators of
the organisation that grants them, i.e. the title's owner or the licence's licensor."""

from __future__ import annotations

from typing import Any

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.errors import PermissionDenied
from dastan.rights.models import Licence

MANAGING_ROLES = (Membership.Role.DISTRIBUTOR, Membership.Role.ADMIN)


def can_manage_for(*, user: Any, organisation_id: int | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return organisation_id is not None and Membership.objects.filter(
        user=user, organisation_id=organisation_id, role__in=MANAGING_ROLES).exists()


def can_manage_title(*, user: Any, title: Title) -> bool:
    return can_manage_for(user=user, organisation_id=title.owner_id)


def access_title_rights(*, user: Any, title: Title) -> Title:
    """The title, when ``user`` may grant its licences; PermissionDenied naming the role."""
    if title.owner_id is None:
        from dastan.rights.errors import InvalidLicence

        raise InvalidLicence(f"Title '{title.slug}' has no owner to grant its licences.",
                             "Set the title's owner organisation first.", field="title")
    if not can_manage_title(user=user, title=title):
        owner = title.owner.name if title.owner else "its owner"
        raise PermissionDenied(f"You may not manage the licences of '{title.slug}'.",
                               f"Ask an administrator of {owner} to give you the rights manager role.")
    return title


def access_licence(*, user: Any, licence: Licence) -> Licence:
    if not can_manage_for(user=user, organisation_id=licence.licensor_id):
        raise PermissionDenied(f"You may not change licence {licence.ref}.",
                               f"Ask an administrator of {licence.licensor.name} for the rights "
                               "manager role.")
    return licence


def managed_organisations(*, user: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user,
                                            memberships__role__in=MANAGING_ROLES))
