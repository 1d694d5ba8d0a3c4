"""tus 1.0 over HTTP: core protocol plus the creation, termination, checksum and
expiration extensions. https://tus.io/protocols/resumable-upload

Authentication: ``Authorization: Bearer <API token>`` (tus clients send it as a header),
or a signed-in session. Every answer carries ``Tus-Resumable``; errors carry the usual
``{code, message, hint}`` JSON body with the status tus prescribes.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from dastan.accounts.tokens import user_for_token
from dastan.errors import DastanError
from dastan.media import upload as uploads

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum,expiration"


def _user(request: HttpRequest) -> Any | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return user_for_token(header.split(" ", 1)[1].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(exc: DastanError) -> HttpResponse:
    return _tus(JsonResponse(exc.as_dict(), status=exc.status))


def _unauthenticated() -> HttpResponse:
    return _error(DastanError("Uploading needs an API token, and none valid was sent.",
                              "Send 'Authorization: Bearer <token>'; `dastan manage "
                              "create_api_token USER` makes one.", code="unauthenticated",
                              status=401))


def _decode_metadata(header: str) -> dict[str, str]:
    metadata = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        metadata[key] = base64.b64decode(value).decode("utf-8") if value else ""
    return metadata


def _int_header(request: HttpRequest, name: str) -> int:
    value = request.headers.get(name, "")
    if not value.isdigit():
        raise DastanError(f"The {name} header is missing or not a number.",
                          f"Send {name} as a whole number of bytes.", code="bad_header", status=400)
    return int(value)


@csrf_exempt
def collection(request: HttpRequest) -> HttpResponse:
    """OPTIONS: what this server supports. POST: create an upload (creation extension)."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = EXTENSIONS
        response["Tus-Max-Size"] = str(uploads.max_upload_bytes())
        response["Tus-Checksum-Algorithm"] = ",".join(uploads.CHECKSUM_ALGORITHMS)
        return _tus(response)
    if request.method != "POST":
        return _tus(HttpResponse(status=405))
    user = _user(request)
    if user is None:
        return _unauthenticated()
    try:
        length = _int_header(request, "Upload-Length")
        metadata = _decode_metadata(request.headers.get("Upload-Metadata", ""))
        created = uploads.create_upload(owner=user, length_bytes=length, metadata=metadata)
    except (DastanError, ValueError) as exc:
        if isinstance(exc, DastanError):
            return _error(exc)
        return _error(DastanError("Upload-Metadata is not valid base64.",
                                  "Encode each value in base64, as tus clients do.", status=400))
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(
        reverse("media:tus-upload", kwargs={"upload_id": created.pk}))
    response["Upload-Expires"] = http_date(created.expires_at.timestamp())
    return _tus(response)


@csrf_exempt
def resource(request: HttpRequest, upload_id: Any) -> HttpResponse:
    """HEAD: the offset to resume from. PATCH: append bytes. DELETE: terminate."""
    if request.method == "OPTIONS":
        return collection(request)
    user = _user(request)
    if user is None:
        return _unauthenticated()
    try:
        upload = uploads.access_upload(upload_id=upload_id, user=user)
        if request.method == "HEAD":
            response = HttpResponse(status=200)
        elif request.method == "PATCH":
            if request.content_type != "application/offset+octet-stream":
                return _tus(HttpResponse(status=415))
            upload = uploads.append_chunk(
                upload=upload, offset=_int_header(request, "Upload-Offset"), read=request.read,
                content_length=int(request.headers.get("Content-Length") or 0),
                checksum=uploads.parse_checksum(request.headers.get("Upload-Checksum", "")))
            response = HttpResponse(status=204)
        elif request.method == "DELETE":
            uploads.terminate_upload(upload=upload)
            return _tus(HttpResponse(status=204))
        else:
            return _tus(HttpResponse(status=405))
    except DastanError as exc:
        return _error(exc)
    response["Upload-Offset"] = str(upload.offset_bytes)
    response["Upload-Length"] = str(upload.length_bytes)
    if upload.state == upload.State.RECEIVING:
        response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
    return _tus(response)
