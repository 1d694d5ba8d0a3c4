"""The catalog in Django's admin, for operators. Texts edited here are re-indexed by the
admin's save hooks calling the same service as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dastan.catalog.models import Credit, Genre, Organisation, Person, Title, TitleText
from dastan.catalog.search import index_title


class TitleTextInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TitleText
    extra = 0


class CreditInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Credit
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["slug", "kind", "original_language", "country_of_origin", "year", "owner", "is_published"]
    list_filter = ["kind", "is_published", "original_language", "country_of_origin"]
    search_fields = ["slug", "texts__name"]
    inlines = [TitleTextInline, CreditInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        index_title(title=form.instance)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "country"]
    search_fields = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    search_fields = ["name", "latin_name"]


admin.site.register(Genre)
