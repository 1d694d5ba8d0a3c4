from django.urls import path

from dastan.bazaar import views

app_name = "bazaar"

urlpatterns = [
    path("bazaar/", views.market, name="market"),
    path("bazaar/projects/<slug:slug>/", views.project_page, name="project"),
    path("bazaar/projects/<slug:slug>/interest", views.send_interest, name="interest"),
    path("bazaar/profiles/<slug:slug>/", views.profile_page, name="profile"),
    path("bazaar/slots/<int:slot_id>/book", views.book, name="book"),
    path("bazaar/interests/", views.interests_page, name="interests"),
    path("bazaar/interests/<int:interest_id>/decide", views.decide, name="decide"),
    path("bazaar/meetings/", views.meetings_page, name="meetings"),
    path("bazaar/notifications/", views.notifications_page, name="notifications"),
    path("bazaar/scripts/<int:script_id>/", views.script_page, name="script"),
    path("bazaar/scripts/<int:script_id>/nda", views.accept_nda, name="nda"),
    path("bazaar/scripts/<int:script_id>/pages/<int:page>.png", views.script_page_image, name="page"),
    path("bazaar/scripts/<int:script_id>/download", views.script_download, name="download"),
    path("bazaar/scripts/<int:script_id>/audit/", views.script_audit, name="audit"),
]
