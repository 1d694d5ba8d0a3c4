"""Jobs and workers in the admin, for reading: changes go through `dastan jobs` or the API,
which keep the lease rules."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dastan.jobs.models import Job, JobEvent, WorkerNode


class JobEventInline(admin.TabularInline):
    model = JobEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "attempt", "worker", "kind", "message")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "state", "progress", "attempts", "worker", "created_at", "error_message")
    list_filter = ("state", "kind")
    search_fields = ("kind", "worker", "error_message")
    inlines = (JobEventInline,)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WorkerNode)
class WorkerNodeAdmin(admin.ModelAdmin):
    list_display = ("name", "capabilities", "last_seen_at", "jobs_done", "jobs_failed", "busy_s")

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
