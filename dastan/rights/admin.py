"""Read-only admin views: operators can look at licences and their history; changes go
through ``actions`` (API, avails import) so that every one leaves a revision."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dastan.rights.models import Licence, LicenceRevision, ReleaseDate


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LicenceRevision
    fields = ("number", "changed_at", "changed_by", "note", "terms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(ReadOnly):
    list_display = ("ref", "title", "licence_type", "territories_included", "start_date", "start_event",
                    "end_date", "exclusive", "revision", "revoked_at")
    list_filter = ("licence_type", "exclusive")
    search_fields = ("ref", "title__slug", "contract_reference")
    inlines = [RevisionInline]


@admin.register(ReleaseDate)
class ReleaseDateAdmin(ReadOnly):
    list_display = ("title", "country", "event", "day")
    search_fields = ("title__slug",)
