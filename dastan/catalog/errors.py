"""Errors of the catalog, each with the fix."""

from __future__ import annotations

from django.utils.translation import gettext

from dastan.errors import InvalidInput, NotFound


class TitleNotFound(NotFound):
    code = "title_not_found"

    def __init__(self, slug: str) -> None:
        super().__init__(
            gettext("No title '%(slug)s' in this catalog.") % {"slug": slug},
            gettext("Check the slug; GET /api/v1/catalog/titles lists titles, /api/v1/catalog/search?q= finds "
                    "one by name."),
            field="slug",
        )


class OrganisationNotFound(NotFound):
    code = "organisation_not_found"

    def __init__(self, slug: str, *, field: str = "owner") -> None:
        super().__init__(
            gettext("No organisation '%(slug)s' in this catalog.") % {"slug": slug},
            gettext("Use the slug of an existing organisation; GET /api/v1/catalog/organisations lists them."),
            field=field,
        )


class InvalidTitle(InvalidInput):
    code = "invalid_title"
