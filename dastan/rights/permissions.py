"""Who may see and change rights, asked of the one permission table
(:mod:`dastan.accounts.permissions`): rights managers and administrators of the
organisation that grants them (the title's owner, the licence's licensor) change them; a
licence's terms, contract reference and history are read by its two parties only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, can, check, organisations_where
from dastan.catalog.models import Organisation, Title
from dastan.errors import NotFound
from dastan.rights.errors import InvalidLicence
from dastan.rights.models import Licence


def can_manage_for(*, user: Any, organisation_id: int | None) -> bool:
    return can(user=user, action=Action.MANAGE_RIGHTS, organisation_id=organisation_id)


def can_manage_title(*, user: Any, title: Title) -> bool:
    return can_manage_for(user=user, organisation_id=title.owner_id)


def access_title_rights(*, user: Any, title: Title) -> Title:
    """The title, when ``user`` may grant its licences; NotAllowed naming the role (or
    NotFound for another organisation's unpublished title)."""
    if title.owner_id is None:

        raise InvalidLicence(gettext("Title '%(title)s' has no owner to grant its licences.") % {
                                 "title": title.slug},
                             gettext("Set the title's owner organisation first."), field="title")
    check(user=user, action=Action.MANAGE_RIGHTS, organisation=title.owner, hidden=not title.is_published)
    return title


def visible_licences(*, user: Any) -> QuerySet[Licence]:
    """Licences ``user`` may read: those whose licensor or licensee lets them read rights."""
    orgs = organisations_where(user=user, action=Action.VIEW_RIGHTS)
    return Licence.objects.filter(Q(licensor_id__in=orgs) | Q(licensee_id__in=orgs))


def access_licence_for_reading(*, user: Any, licence: Licence) -> Licence:
    """The licence, if ``user`` reads rights for one of its parties; otherwise NotFound
    (a licence's existence and contract reference are its parties' business)."""
    if any(can(user=user, action=Action.VIEW_RIGHTS, organisation_id=org)
           for org in (licence.licensor_id, licence.licensee_id) if org is not None):
        return licence
    raise NotFound(gettext("There is no licence '%(licence)s' that you may read.") % {"licence": licence.ref},
                   gettext("Check the reference; licences are shown to the rights managers of their "
                           "licensor and licensee."))


def access_licence(*, user: Any, licence: Licence) -> Licence:
    """The licence, if ``user`` may change it (a rights manager of its licensor)."""
    access_licence_for_reading(user=user, licence=licence)
    check(user=user, action=Action.MANAGE_RIGHTS, organisation=licence.licensor)
    return licence


def managed_organisations(*, user: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=organisations_where(user=user, action=Action.MANAGE_RIGHTS)))
