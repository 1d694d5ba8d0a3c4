from django.urls import path

from dastan.dubbing import views

app_name = "dubbing"
urlpatterns = [
    path("titles/<slug:slug>/ai/", views.title_ai_page, name="ai_page"),
    path("credentials/<str:sha256>.c2pa", views.sidecar_manifest, name="sidecar"),
    path("studio/dubbing/<int:track_id>/booth/", views.booth, name="booth"),
    # the human dub's review desk
    path("studio/dubbing/<int:track_id>/review/", views.desk, name="desk"),
    path("studio/dubbing/<int:track_id>/review/takes/<int:take_id>", views.review_take, name="review_take"),
    path("studio/dubbing/<int:track_id>/review/mix", views.mix, name="mix"),
    path("studio/dubbing/<int:track_id>/review/approve", views.approve, name="approve"),
    path("studio/dubbing/<int:track_id>/review/publish", views.publish, name="publish"),
    path("studio/dubbing/<int:track_id>/dub.wav", views.dub_audio, name="dub_audio"),
    path("studio/dubbing/takes/<int:take_id>.wav", views.take_audio, name="take_audio"),
]
