from django.urls import path

from dastan.dubbing import views

app_name = "dubbing"
urlpatterns = [
    path("titles/<slug:slug>/ai/", views.title_ai_page, name="ai_page"),
    path("credentials/<str:sha256>.c2pa", views.sidecar_manifest, name="sidecar"),
    path("studio/dubbing/<int:track_id>/booth/", views.booth, name="booth"),
]
