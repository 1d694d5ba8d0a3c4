from django.urls import path

from dastan.localization import views

app_name = "localization"
urlpatterns = [
    path("studio/review/", views.desk, name="desk"),
    path("studio/queue/", views.queue, name="queue"),
    path("studio/editor/<int:track_id>/", views.editor, name="editor"),
    path("studio/review/<int:track_id>/", views.track_desk, name="track"),
    path("studio/review/<int:track_id>/decide", views.decide, name="decide"),
    path("studio/review/<int:track_id>/cues/<int:cue_id>", views.edit_cue, name="edit_cue"),
    path("studio/review/<int:track_id>/cues/<int:cue_id>/comment", views.comment, name="comment"),
    path("studio/review/<int:track_id>/script", views.align_script, name="align_script"),
    path("studio/review/<int:track_id>/voice/approve", views.approve_voice, name="approve_voice"),
    path("studio/review/<int:track_id>/voice/<str:part>.wav", views.voice_audio, name="voice_audio"),
]
