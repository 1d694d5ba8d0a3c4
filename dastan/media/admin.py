from django.contrib import admin

from dastan.media.models import MediaQuota


@admin.register(MediaQuota)
class MediaQuotaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Where an operator raises (or lowers) one organisation's upload quota."""

    list_display = ("organisation", "quota_bytes")
    autocomplete_fields = ("organisation",)
