from django.urls import path

from dastan.labs import views

app_name = "labs"

urlpatterns = [
    path("labs/", views.programmes, name="programmes"),
    path("labs/calls/<int:call_id>/", views.call_page, name="call"),
    path("labs/calls/<int:call_id>/apply", views.apply, name="apply"),
    path("labs/calls/<int:call_id>/committee/", views.committee, name="committee"),
    path("labs/applications/<int:application_id>/", views.application_page, name="application"),
    path("labs/applications/<int:application_id>/save", views.application_save, name="application-save"),
    path("labs/applications/<int:application_id>/review", views.review, name="review"),
    path("labs/applications/<int:application_id>/decide", views.decide, name="decide"),
    path("labs/files/<int:file_id>", views.file_download, name="file"),
    path("labs/screeners/<int:screener_id>/master.m3u8", views.screener_master, name="screener-master"),
    path("labs/s/<str:token>/<path:path>", views.screener_file, name="screener-file"),
    path("labs/rooms/<int:room_id>/", views.room_page, name="room"),
    path("labs/rooms/<int:room_id>/notes", views.room_note, name="room-note"),
    path("labs/rooms/<int:room_id>/certificate.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("labs/editions/<int:edition_id>/schedule.ics", views.schedule_ics, name="schedule"),
    path("labs/certificates/<str:code>/", views.certificate_page, name="certificate"),
    path("labs/<slug:slug>/", views.programme, name="programme"),
]
