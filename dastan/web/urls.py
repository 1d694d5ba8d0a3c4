"""Viewer pages: the catalog, search and title pages. Included last by dastan.urls."""

from __future__ import annotations

from django.urls import include, path

from dastan.web import views

app_name = "web"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("search/", views.search, name="search"),
    path("language/", views.choose_language, name="language"),
    path("titles/<slug:slug>/", views.title, name="title"),
    path("", include(("dastan.web.studio", "studio"))),  # the studio's desk: dastan/web/studio.py
]
