"""HTTP for playback: the per-viewer master playlist, signed media files, and a minimal
watch page (the web app builds the real player). Views call one domain function each;
who may see what is decided in ``playback``."""

from __future__ import annotations

import inspect

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dastan.errors import DastanError
from dastan.lean import lean_view
from dastan.media import edge_links, links, playback, storage

PREFIX_HEADER = "X-Dastan-Prefix"  # the grant's storage folder, for nginx to find the file
CORS_HEADER = "X-Dastan-Cors"  # the other site a grant is for, whose player nginx lets read the file


def error_response(exc: DastanError) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status)
    response["Cache-Control"] = "no-store"
    return response


@lean_view(viewer=True)  # answered before the session stack for a viewer without a session
@require_GET
def master_playlist(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        text = playback.master_playlist_for_request(request=request, slug=slug)
    except DastanError as exc:
        return error_response(exc)
    response = HttpResponse(text, content_type=playback.content_type_for("x.m3u8"))
    response["Cache-Control"] = "private, no-store"  # signed per viewer
    links.remember_viewer(request, response)
    return response


@require_GET
def signed_file(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    response = _signed_file(request, token, path)
    # Another site's player (a federation peer's, links.check_viewer) reads the files, and
    # the refusals with their reasons, across sites: CORS for that one site, not "*".
    origin = links.grant_origin(token)
    if origin and request.headers.get("Origin") == origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    return response


def _signed_file(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    try:
        name = playback.check_media_request(request=request, token=token, path=path)
    except DastanError as exc:
        return error_response(exc)
    return _send(name)


@require_GET
def folder_file(request: HttpRequest, signature: str, expires: int, path: str) -> HttpResponseBase:
    """A folder link (``/media/k/<signature>/<expires>/<folder>/<file>``, edge_links): nginx
    checks and sends these itself; Django answers where no nginx runs, and with the reason
    for what nginx refused."""
    try:
        name = edge_links.check_request(request=request, signed=signature, expires=expires, path=path)
    except DastanError as exc:
        return error_response(exc)
    return _send(name, cache_control=edge_links.cache_control())


def _send(name: str, *, cache_control: str = "") -> HttpResponseBase:
    """The file ``name``, as storage holds it; ``cache_control`` when Django sends the bytes
    itself (default: this browser's only, for the media links' life)."""
    content_type = playback.content_type_for(name)
    if not storage.is_local():
        if name.endswith(".m3u8"):
            # Playlists are small and must stay on this URL, so that their relative
            # segment URIs come back here to be checked; segments go to the storage's
            # own short-lived URL.
            return HttpResponse(storage.read_text(name), content_type=content_type)
        return HttpResponseRedirect(_storage_url(name))
    if not default_storage.exists(name):
        return JsonResponse({"code": "not_found", "message": gettext("No such media file."),
                             "hint": gettext("Reload the player: the film may have a newer version.")},
                            status=404)
    if playback.accel_prefix():
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = playback.accel_prefix().rstrip("/") + "/" + name
        return response
    file_response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    # Files under a name never change, but the link is this browser's and lives minutes:
    # the browser may keep the bytes, no shared cache may (a CDN's folder link says otherwise).
    file_response["Cache-Control"] = cache_control or f"private, max-age={links.url_ttl_s()}"
    return file_response


@require_GET
def media_folder_check(request: HttpRequest, token: str, folder: str) -> HttpResponse:
    """nginx's ``auth_request`` for ``/media/s/<token>/<folder>/<file>``: 204 with the
    grant's storage prefix when every file of the folder may be sent to this browser, and
    ``X-Accel-Expires`` saying how long nginx may reuse that answer; 403 otherwise, upon
    which nginx hands the request to :func:`signed_file` to answer with the reason."""
    try:
        grant, reuse_s = playback.check_media_folder(request=request, token=token, folder=folder)
    except DastanError:
        return HttpResponse(status=403)
    response = HttpResponse(status=204)
    response[PREFIX_HEADER] = grant.prefix
    if grant.origin:  # another site's player (a federation peer's): nginx adds CORS for it
        response[CORS_HEADER] = grant.origin
    response["X-Accel-Expires"] = str(reuse_s)
    return response


def _storage_url(name: str) -> str:
    """The object storage's own URL for ``name``, living no longer than our links do when
    the backend can say so (django-storages' S3 ``url(name, expire=…)``; otherwise its
    AWS_QUERYSTRING_EXPIRE, an hour by default)."""
    if "expire" in inspect.signature(default_storage.url).parameters:
        return str(default_storage.url(name, expire=links.url_ttl_s()))  # type: ignore[call-arg]
    return str(default_storage.url(name))


@require_GET
def watch(request: HttpRequest, slug: str) -> HttpResponse:
    """The minimal player page; a title that is missing or not published answers 404, a
    viewer the licence does not cover 451, each as a page that says why."""
    try:
        title, _version = playback.access_playable(slug=slug, user=request.user)
        page = playback.watch_links_for_request(request=request, title=title)
    except DastanError as exc:
        response = render(request, "media/refused.html", {"error": exc}, status=exc.status)
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "media/watch.html", {
        "title": title, "version": page.version, "poster": page.poster_url, "storyboard": page.storyboard_url,
        "renew_s": links.url_ttl_s() // 2})
    response["Cache-Control"] = "private, no-store"
    links.remember_viewer(request, response)
    return response
