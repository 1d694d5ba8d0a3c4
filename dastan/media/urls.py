from django.urls import path

from dastan.media import tus, views, worker_uploads

app_name = "media"

urlpatterns = [
    path("media/watch/<slug:slug>/", views.watch, name="watch"),
    path("media/watch/<slug:slug>/master.m3u8", views.master_playlist, name="master"),
    path("media/s/<str:token>/<path:path>", views.signed_file, name="signed"),
    # Folder links, which nginx checks itself (dastan/media/edge_links.py); Django where none runs.
    path("media/k/<str:signature>/<int:expires>/<path:path>", views.folder_file, name="folder"),
    # nginx's auth_request (dastan/media/nginx.py); a folder ends in "/"
    path("media/a/<str:token>/<path:folder>", views.media_folder_check, name="folder-check"),
    path("media/tus/", tus.collection, name="tus"),
    path("media/tus/<uuid:upload_id>", tus.resource, name="tus-upload"),
    # Remote workers' outputs: the same uploads, opened and filled with signed requests.
    path("compute/uploads/", worker_uploads.upload_collection, name="worker-uploads"),
    path("compute/uploads/<uuid:upload_id>", worker_uploads.upload_resource, name="worker-upload"),
]
