"""HTTP for playback: the per-viewer master playlist, signed media files, and a minimal
watch page (the web app builds the real player). Views call one domain function each."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dastan.catalog.models import Title
from dastan.errors import DastanError
from dastan.media import playback, storage
from dastan.media.transcode import poster_name, storyboard_name


def error_response(exc: DastanError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


@require_GET
def master_playlist(request: HttpRequest, slug: str) -> HttpResponse:
    title = get_object_or_404(Title, slug=slug)
    try:
        text = playback.build_master_playlist(title=title,
                                              limits=playback.limits_for_request(request, title))
    except DastanError as exc:
        return error_response(exc)
    response = HttpResponse(text, content_type=playback.content_type_for("x.m3u8"))
    response["Cache-Control"] = "private, no-store"  # signed per viewer
    return response


@require_GET
def signed_file(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    try:
        grant = playback.open_token(token)
        name = playback.name_in_grant(grant, path)
        playback.check_signed_request(request, grant)
    except DastanError as exc:
        return error_response(exc)
    content_type = playback.content_type_for(name)
    if not storage.is_local():
        if name.endswith(".m3u8"):
            # Playlists are small and must stay on this URL, so that their relative
            # segment URIs come back here to be signed; segments go to the storage's
            # own short-lived URL.
            return HttpResponse(storage.read_text(name), content_type=content_type)
        return HttpResponseRedirect(default_storage.url(name))
    if not default_storage.exists(name):
        return JsonResponse({"code": "not_found", "message": "No such media file.",
                             "hint": "Reload the player: the film may have a newer version."},
                            status=404)
    if playback.accel_prefix():
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = playback.accel_prefix().rstrip("/") + "/" + name
        return response
    file_response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    # Segments never change under a name; playlists of a version never change either.
    file_response["Cache-Control"] = "private, max-age=3600"
    return file_response


@require_GET
def watch(request: HttpRequest, slug: str) -> HttpResponse:
    title = get_object_or_404(Title, slug=slug)
    try:
        version = playback.playable_version(title)
    except DastanError as exc:
        return error_response(exc)
    limits = playback.limits_for_request(request, title)
    urls = {
        "poster": playback.signed_url(poster_name(version.asset), ttl_s=3600, claims=limits.claims),
        "storyboard": playback.signed_url(storyboard_name(version.asset), ttl_s=3600,
                                          claims=limits.claims),
    }
    return render(request, "media/watch.html", {"title": title, "version": version, **urls})
