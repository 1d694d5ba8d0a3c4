"""Federation's addresses: the discovery document, the signed endpoints peers call, and
the operators' peers page."""

from django.urls import path

from dastan.federation import views

app_name = "federation"

urlpatterns = [
    path(".well-known/dastan-node", views.well_known, name="well-known"),
    path("federation/follow", views.follow, name="follow"),
    path("federation/peering", views.peering_answer, name="peering"),
    path("federation/feed", views.feed, name="feed"),
    path("federation/inbox", views.inbox, name="inbox"),
    path("federation/contributions", views.contributions, name="contributions"),
    path("federation/grants", views.grants, name="grants"),
    path("federation/play/<slug:slug>/master.m3u8", views.play_master, name="play"),
    path("federation/peers/", views.peers_page, name="peers"),
    path("federation/peers/<int:peer_id>/<str:verb>", views.peer_action, name="peer-action"),
]
