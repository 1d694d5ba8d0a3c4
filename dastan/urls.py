"""URL map: the JSON API under /api/v1/, the admin, and each app's pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from dastan.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Apps with pages of their own; the web app's catch-all pages come last.
PAGE_APPS = (
    "accounts",
    "media",
    "localization",
    "rights",
    "jobs",
    "bazaar",
    "labs",
    "dubbing",
    "federation",
    "web",  # last: its catch-all pages
)
urlpatterns += [path("", include(f"dastan.{label}.urls")) for label in PAGE_APPS]

# Pages' errors in the viewer's language, with the hint (dastan.web.errors).
handler400 = "dastan.web.errors.bad_request"
handler403 = "dastan.web.errors.permission_denied"
handler404 = "dastan.web.errors.page_not_found"
handler500 = "dastan.web.errors.server_error"
