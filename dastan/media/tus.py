"""tus 1.0 over HTTP: core protocol plus the creation, termination, checksum and
expiration extensions. https://tus.io/protocols/resumable-upload

Authentication: ``Authorization: Bearer <API token>`` (tus clients send it as a header),
or a signed-in session *with* the CSRF token in ``X-CSRFToken`` (as the studio's page
sends it): a session cookie alone would let any other site a signed-in person visits
create and fill uploads in their name.

Every answer carries ``Tus-Resumable``; errors carry the usual ``{code, message, hint}``
JSON body with the status tus prescribes (400 malformed header, 404 unknown or
terminated upload, 409 wrong offset, 410 expired, 412 unsupported protocol version, 413
too large or over quota, 415 wrong content type, 460 checksum mismatch). A malformed
request is refused before a byte is written, so nothing already stored is lost.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from dastan.accounts.tokens import user_for_bearer
from dastan.errors import DastanError
from dastan.media import upload as uploads
from dastan.media.errors import UploadError

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum,expiration"
# A tus integer: plain ASCII digits (str.isdigit() would also take '²' or Arabic-Indic
# digits, which int() then refuses); 19 digits keeps it inside a signed 64-bit column.
_TUS_INT = re.compile(r"[0-9]{1,19}")
_METADATA_KEY = re.compile(r"[!-+\--~]+")  # printable ASCII without space or comma
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _bad_header(name: str, value: str, hint: str) -> UploadError:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return UploadError(gettext("The %(header)s header %(value)s is not valid.") % {"header": name, "value": repr(shown)},
                       hint, code="bad_header", status=400)


def _check_version(request: HttpRequest) -> None:
    version = request.headers.get("Tus-Resumable", "").strip()
    if version != TUS_VERSION:
        raise UploadError(gettext("This server speaks tus %(version)s; the request said "
                                  "Tus-Resumable: %(sent)s.") % {"version": TUS_VERSION, "sent": repr(version[:20])},
                          gettext("Send 'Tus-Resumable: %(version)s' (every tus client does).")
                          % {"version": TUS_VERSION},
                          code="tus_version", status=412)


def _user(request: HttpRequest) -> Any:
    """The uploader: a bearer token's user, or a signed-in user whose request carries the
    CSRF token. Raises 401 / 403 with the fix."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        # Wrong tokens count against the address, as on the API (429 past DASTAN_API_BAD_TOKEN_RATE).
        user = user_for_bearer(request=request, raw=header.split(" ", 1)[1].strip())
        if user is not None:
            return user
    else:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _check_csrf(request)
            return user
    raise DastanError(gettext("Uploading needs an API token, and none valid was sent."),
                      # Translators: keep the header and the command as they are.
                      gettext("Send 'Authorization: Bearer <token>'; `dastan manage create_api_token "
                              "USER` makes one."), code="unauthenticated", status=401)


def _check_csrf(request: HttpRequest) -> None:
    # Django's own check (token header against cookie, Origin/Referer over HTTPS); the
    # views are csrf_exempt only so that bearer-token clients need no cookie.
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    if middleware.process_view(request, _csrf_checked_view, (), {}) is not None:
        raise DastanError(gettext("A signed-in upload needs the page's CSRF token, and none valid was sent."),
                          gettext("Send the 'csrftoken' cookie's value in an X-CSRFToken header (the "
                                  "studio's upload page does), or use 'Authorization: Bearer <token>'."),
                          code="csrf_failed", status=403)


def _csrf_checked_view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    return HttpResponse()


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(exc: DastanError) -> HttpResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status)
    if exc.status == 412:
        response["Tus-Version"] = TUS_VERSION
    retry_after_s = getattr(exc, "retry_after_s", None)  # TooManyRequests: wrong tokens
    if retry_after_s:
        response["Retry-After"] = str(retry_after_s)
    return _tus(response)


def _not_allowed(allowed: str) -> HttpResponse:
    response = _error(UploadError(gettext("This method is not part of tus here."),
                                  gettext("Use %(methods)s.") % {"methods": allowed}, code="method_not_allowed", status=405))
    response["Allow"] = allowed
    return response


def decode_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs, keys unique."""
    metadata: dict[str, str] = {}
    hint = gettext("Send comma-separated 'key base64(value)' pairs with unique keys, as tus clients do.")
    for pair in filter(None, (p.strip(" \t") for p in header.split(","))):
        key, _, encoded = pair.partition(" ")
        if not _METADATA_KEY.fullmatch(key) or key in metadata:
            raise _bad_header("Upload-Metadata", pair, hint)
        try:
            value = base64.b64decode(encoded.strip(" \t"), validate=True).decode("utf-8")
        except (ValueError, binascii.Error) as exc:  # not base64, or not UTF-8
            raise _bad_header("Upload-Metadata", pair, gettext("Encode each value as base64 of its UTF-8 "
                                                               "text, as tus clients do.")) from exc
        if _CONTROL.search(value):
            raise _bad_header("Upload-Metadata", pair, gettext("The value of '%(key)s' holds control "
                                                               "characters; send plain text.") % {"key": key})
        metadata[key] = value
    return metadata


def _int_header(request: HttpRequest, name: str, *, default: int | None = None) -> int:
    value = request.headers.get(name)
    if value is None and default is not None:
        return default
    if value is None or not _TUS_INT.fullmatch(value.strip(" \t")):
        raise _bad_header(name, value or "", gettext("Send %(header)s once, as a whole number of bytes "
                                                     "(digits only).") % {"header": name})
    return int(value.strip(" \t"))


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
        return _not_allowed("OPTIONS, POST")
    try:
        _check_version(request)
        user = _user(request)
        if "Upload-Defer-Length" in request.headers:
            raise UploadError(gettext("Deferred upload lengths are not supported."),
                              gettext("Send Upload-Length with the file's size."), code="bad_header", status=400)
        created = uploads.create_upload(
            owner=user, length_bytes=_int_header(request, "Upload-Length"),
            metadata=decode_metadata(request.headers.get("Upload-Metadata", "")))
    except DastanError as exc:
        return _error(exc)
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
    if request.method not in ("HEAD", "PATCH", "DELETE"):
        return _not_allowed("OPTIONS, HEAD, PATCH, DELETE")
    try:
        _check_version(request)
        user = _user(request)
        upload = uploads.access_upload(upload_id=upload_id, user=user)
        if request.method == "DELETE":
            uploads.terminate_upload(upload=upload)
            return _tus(HttpResponse(status=204))
        if request.method == "PATCH":
            upload = _patch(request, upload)
    except DastanError as exc:
        return _error(exc)
    response = HttpResponse(status=200 if request.method == "HEAD" else 204)
    response["Upload-Offset"] = str(upload.offset_bytes)
    response["Upload-Length"] = str(upload.length_bytes)
    if upload.state == upload.State.RECEIVING:
        response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
    return _tus(response)


def _patch(request: HttpRequest, upload: Any) -> Any:
    # Every header is checked before the body is read, so a bad request writes nothing.
    content_type = request.content_type or ""
    if content_type != "application/offset+octet-stream":
        raise UploadError(gettext("A PATCH body must be 'application/offset+octet-stream', not "
                                  "%(content_type)s.") % {"content_type": repr(content_type[:60])},
                          gettext("Send the chunk's bytes with Content-Type: application/offset+octet-stream."),
                          code="content_type", status=415)
    offset = _int_header(request, "Upload-Offset")
    content_length = _int_header(request, "Content-Length", default=0)
    checksum = uploads.parse_checksum(request.headers.get("Upload-Checksum", ""))
    return uploads.append_chunk(upload=upload, offset=offset, read=request.read,
                                content_length=content_length, checksum=checksum)
