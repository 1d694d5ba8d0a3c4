from django.urls import path

from dastan.labs import host_views, views

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
    # The hosts' desk (before the programme pages: "host" is no programme's address).
    path("labs/host/", host_views.host_home, name="host"),
    path("labs/host/programmes", host_views.host_create_programme, name="host-create-programme"),
    path("labs/host/programmes/<slug:slug>/", host_views.host_programme, name="host-programme"),
    path("labs/host/programmes/<slug:slug>/texts", host_views.host_programme_text, name="host-programme-text"),
    path("labs/host/programmes/<slug:slug>/editions", host_views.host_create_edition, name="host-create-edition"),
    path("labs/host/editions/<int:edition_id>/", host_views.host_edition, name="host-edition"),
    path("labs/host/editions/<int:edition_id>/call", host_views.host_open_call, name="host-open-call"),
    path("labs/host/editions/<int:edition_id>/sessions", host_views.host_sessions, name="host-sessions"),
    path("labs/host/editions/<int:edition_id>/mentors", host_views.host_mentors, name="host-mentors"),
    path("labs/host/calls/<int:call_id>/deadline", host_views.host_change_deadline, name="host-deadline"),
    path("labs/host/calls/<int:call_id>/committee", host_views.host_committee, name="host-committee"),
    path("labs/host/rooms/<int:room_id>/certificate", host_views.host_certificate, name="host-certificate"),
    path("labs/<slug:slug>/", views.programme, name="programme"),
]
