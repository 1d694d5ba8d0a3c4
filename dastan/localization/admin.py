"""Admin pages for what a localization manager sets up by hand: glossaries and style
profiles; tracks and tasks are read-only here (people work on them in the review desk)."""

from django.contrib import admin

from dastan.localization.models import (
    GlossaryTerm,
    StyleProfileOverride,
    SubtitleTrack,
    TranslationTask,
)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("source_term", "target_term", "rule", "source_language", "target_language", "organisation",
                    "title")
    list_filter = ("source_language", "target_language", "rule")
    search_fields = ("source_term", "target_term")


@admin.register(StyleProfileOverride)
class StyleProfileOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("organisation", "language")


@admin.register(SubtitleTrack)
class SubtitleTrackAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "language", "origin", "state", "updated_at")
    list_filter = ("state", "origin", "language")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TranslationTask)
class TranslationTaskAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("track", "state", "reason", "assignee")
    list_filter = ("state",)
