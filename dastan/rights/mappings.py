"""Distributors' avails mappings, saved: a rights manager maps a distributor's columns once
("Pays" is Territory, "Notes" is not read) and the next file from that distributor is read
the same way — chosen by the distributor's name, or found because its header is the same.

Mappings belong to the importing organisation; its rights managers save them, and whoever
reads its rights sees them. A person's explicit column choices still win over a saved
mapping, and a saved mapping over what is proposed from the header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from dastan.accounts.permissions import Action, check, organisations_where
from dastan.catalog.models import Organisation, Title
from dastan.errors import InvalidInput, NotFound
from dastan.rights.codec import COLUMNS
from dastan.rights.models import AvailsMapping


def visible_mappings(*, user: Any) -> QuerySet[AvailsMapping]:
    """The mappings of the organisations whose rights ``user`` reads (every one for the
    node's own command line, ``user=None``)."""
    mappings = AvailsMapping.objects.select_related("organisation", "saved_by")
    if user is None:
        return mappings
    return mappings.filter(organisation_id__in=organisations_where(user=user, action=Action.VIEW_RIGHTS))


def find_mapping(*, user: Any, header: Sequence[str], distributor: str = "") -> AvailsMapping | None:
    """The saved mapping to read a file with: the one named ``distributor`` (NotFound,
    listing the saved names, when there is none), else one saved for exactly this header."""
    usable = visible_mappings(user=user)
    if user is not None:
        usable = usable.filter(organisation_id__in=organisations_where(user=user, action=Action.MANAGE_RIGHTS))
    if distributor.strip():
        found = [m for m in usable if m.distributor.casefold() == distributor.strip().casefold()]
        if not found:
            names = sorted({m.distributor for m in usable})
            saved = gettext("Saved mappings: %(names)s. ") % {"names": ", ".join(names)} if names else ""
            raise NotFound(gettext("No avails mapping is saved for the distributor '%(distributor)s'.") % {
                               "distributor": distributor.strip()},
                           saved + gettext("Import one of its files with its column choices and save the mapping "
                                           "under that name (--save-mapping, or save_mapping= in the API)."))
        if len(found) > 1:
            raise InvalidInput(gettext("Several organisations you manage saved a mapping for '%(distributor)s'.")
                               % {"distributor": distributor.strip()},
                               gettext("Name the organisation whose mapping to use."), field="organisation")
        return found[0]
    cells = [cell.strip() for cell in header]
    return next((m for m in usable.order_by("-updated_at") if m.header == cells), None)


def importing_organisation(*, user: Any, title_ids: Sequence[int], organisation: str = "") -> Organisation:
    """Whose mapping an import saves: the named organisation, or else the one owner of
    every title in the file (InvalidInput when the titles have several owners)."""
    if organisation:
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise NotFound(gettext("There is no organisation '%(organisation)s'.") % {"organisation": organisation},
                           gettext("Give an organisation's slug."))
        return found
    owners = set(Title.objects.filter(pk__in=title_ids).values_list("owner_id", flat=True))
    if len(owners) != 1 or None in owners:
        raise InvalidInput(gettext("The file's titles belong to several organisations, so whose mapping this is "
                                   "cannot be told."), gettext("Name the organisation that saves the mapping."),
                           field="organisation")
    return Organisation.objects.get(pk=owners.pop())


def check_saving(*, user: Any, organisation: Organisation, distributor: str) -> str:
    """Raise unless ``user`` may save ``organisation``'s mapping under this name; the name."""
    if user is not None:
        check(user=user, action=Action.MANAGE_RIGHTS, organisation=organisation)
    name = distributor.strip()
    if not name or len(name) > 100:
        raise InvalidInput(gettext("A saved mapping needs the distributor's name (at most 100 characters)."),
                           gettext("Give the name you will choose it by, e.g. 'Steppe Pictures'."),
                           field="save_mapping")
    return name


def save_mapping(*, user: Any, organisation: Organisation, distributor: str, header: Sequence[str],
                 columns: Mapping[str, str]) -> AvailsMapping:
    """Save (or replace) ``organisation``'s mapping for ``distributor``; a rights manager
    or administrator of that organisation only."""
    name = check_saving(user=user, organisation=organisation, distributor=distributor)
    unknown = sorted({c for c in columns.values() if c and c not in COLUMNS})
    if unknown:
        raise InvalidInput(gettext("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)},
                           gettext("Use the columns of AVAILS.md: %(columns)s.") % {"columns": ", ".join(COLUMNS)},
                           field="map")
    mapping, _ = AvailsMapping.objects.update_or_create(
        organisation=organisation, distributor=name,
        defaults={"header": [cell.strip() for cell in header], "columns": dict(columns),
                  "saved_by": user if getattr(user, "is_authenticated", False) else None})
    return mapping


def describe(mapping: AvailsMapping) -> str:
    """'the mapping saved for Steppe Pictures on 2026-11-29', for a dry run's report."""
    return gettext("the mapping saved for %(distributor)s on %(day)s") % {
        "distributor": mapping.distributor, "day": f"{mapping.updated_at:%Y-%m-%d}"}
