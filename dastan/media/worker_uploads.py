"""Remote workers' outputs as resumable uploads: the node's own upload domain
(``dastan.media.upload``: the same rows, limits, per-chunk checksums and storage as the
studio's uploads), spoken over tus by signed requests instead of a person's session.

    POST /compute/uploads/               open an upload for an output
    HEAD/PATCH /compute/uploads/<uuid>   resume / append a checksummed chunk

An upload names the job and the attempt's lease (Upload-Metadata ``job``, ``lease``,
``name``); once that attempt is no longer current, opening or appending answers 409
(``dastan.jobs.remote.transfer.check_upload_allowed``). The jobs app reaches these uploads
through :class:`WorkerUploads`, registered as its output receiver when Django starts
(``MediaConfig.ready``), so jobs never imports media.
"""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext

from dastan.errors import NotFound
from dastan.jobs.models import RemoteWorker
from dastan.jobs.remote import transfer
from dastan.jobs.remote.outputs import ReceivedFile
from dastan.jobs.remote.views import signed
from dastan.media import tus
from dastan.media import upload as uploads
from dastan.media.errors import UploadError
from dastan.media.models import Upload


def _tus_response(status: int, **headers: str) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Tus-Resumable"] = tus.TUS_VERSION
    response["Cache-Control"] = "no-store"
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


@signed
def upload_collection(request: HttpRequest, worker: RemoteWorker, body: bytes) -> HttpResponse:
    if request.method == "OPTIONS":
        return _tus_response(
            204,
            Tus_Version=tus.TUS_VERSION,
            Tus_Extension="creation,checksum",
            Tus_Max_Size=str(uploads.max_upload_bytes()),
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    tus._check_version(request)
    metadata = tus.decode_metadata(request.headers.get("Upload-Metadata", ""))
    transfer.check_upload_allowed(worker=worker, metadata=metadata)
    metadata.pop("title", None)  # an output is not a film upload: no ingest
    created = uploads.create_upload(
        owner=worker.upload_user,
        length_bytes=tus._int_header(request, "Upload-Length"),
        metadata=metadata,
    )
    return _tus_response(
        201,
        Location=request.build_absolute_uri(
            reverse("media:worker-upload", kwargs={"upload_id": created.pk})
        ),
        Upload_Expires=http_date(created.expires_at.timestamp()),
    )


@signed
def upload_resource(
    request: HttpRequest, worker: RemoteWorker, body: bytes, upload_id: Any
) -> HttpResponse:
    if request.method not in ("HEAD", "PATCH"):
        return HttpResponse(status=405)
    tus._check_version(request)
    upload = uploads.access_upload(upload_id=upload_id, user=worker.upload_user)
    transfer.check_upload_allowed(worker=worker, metadata=upload.metadata)
    if request.method == "PATCH":
        if (request.content_type or "") != "application/offset+octet-stream":
            raise UploadError(
                gettext("A PATCH body must be 'application/offset+octet-stream'."),
                gettext("Send the chunk's bytes with that content type."),
                code="content_type",
                status=415,
            )
        checksum = uploads.parse_checksum(request.headers.get("Upload-Checksum", ""))
        if checksum is None:
            raise UploadError(
                gettext("Every chunk of a worker's output carries its checksum."),
                gettext("Send 'Upload-Checksum: sha256 <base64 digest of the chunk>'."),
                code="checksum_missing",
            )
        upload = uploads.append_chunk(
            upload=upload,
            offset=tus._int_header(request, "Upload-Offset"),
            read=io.BytesIO(body).read,
            content_length=len(body),
            checksum=checksum,
        )
    return _tus_response(
        200 if request.method == "HEAD" else 204,
        Upload_Offset=str(upload.offset_bytes),
        Upload_Length=str(upload.length_bytes),
    )


def _worker_upload(worker: RemoteWorker, upload_id: str) -> Upload | None:
    try:
        key = uuid.UUID(str(upload_id))
    except ValueError:
        return None
    if worker.upload_user_id is None:
        return None
    return Upload.objects.filter(pk=key, owner_id=worker.upload_user_id).first()


class WorkerUploads:
    """The jobs app's output receiver (``dastan.jobs.remote.outputs``)."""

    def collection_path(self) -> str:
        return reverse("media:worker-uploads")

    def find(self, *, worker: RemoteWorker, upload_id: str) -> ReceivedFile | None:
        upload = _worker_upload(worker, upload_id)
        if upload is None:
            return None
        return ReceivedFile(
            upload_id=str(upload.pk),
            complete=upload.state == Upload.State.COMPLETE,
            metadata=dict(upload.metadata),
            sha256=upload.sha256,
            storage_name=upload.storage_name,
            length_bytes=upload.length_bytes,
        )

    def discard(self, *, worker: RemoteWorker, upload_ids: Iterable[str]) -> None:
        for upload_id in upload_ids:
            upload = _worker_upload(worker, upload_id)
            if upload is not None:
                with contextlib.suppress(NotFound):  # terminated meanwhile: gone either way
                    uploads.terminate_upload(upload=upload)
