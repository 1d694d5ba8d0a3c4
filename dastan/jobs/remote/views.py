"""The doors remote workers use. Not session or token API: every request is signed by
the worker's key (``dastan.signing``, channel ``compute``) and refused with 401 and the
reason otherwise (the refusal is recorded for the operators' page). Enrolment is signed
by the key being enrolled, which proves the worker holds its private half.

    POST /compute/enrol                  token + public key → identity
    POST /compute/schedule               heartbeat + assignment + cancel
    GET  /compute/inputs/<token>         an input, Range-capable
    POST /compute/uploads/ …             outputs as resumable uploads (tus): the media app's
                                         doors (dastan.media.worker_uploads), signed alike
    POST /compute/jobs/<id>/result       end an attempt: outputs and result, or failure
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from dastan.errors import DastanError
from dastan.jobs.models import RemoteWorker
from dastan.jobs.remote import enrolment, outputs, results, scheduling, transfer
from dastan.jobs.remote.client import key_id_for
from dastan.lean import lean_view
from dastan.net import client_address
from dastan.signing import messages
from dastan.signing.keys import Algorithm, PublicKey

CHANNEL = "compute"
MAX_BODY_BYTES = transfer.MAX_CHUNK_BYTES + 1024 * 1024


def _refusal(refused: messages.Refused) -> JsonResponse:
    # Translators: %(reason)s is the signing check's reason, in English (e.g. "the signature is too old").
    return JsonResponse({"code": refused.code, "message": gettext("Refused: %(reason)s.") % {"reason": refused.reason},
                         "hint": gettext("Sign every request with the worker's enrolled key; a revoked or deleted "
                                         "worker must be enrolled again with a new token.")}, status=401)


def _error(exc: DastanError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


def _body(request: HttpRequest) -> bytes:
    # Read directly: a 64 MiB chunk is over Django's in-memory limit for request.body.
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_BODY_BYTES:
        raise DastanError(gettext("A request body of %(length)s bytes is over the %(limit)s allowed.")
                          % {"length": length, "limit": MAX_BODY_BYTES},
                          gettext("Send outputs in chunks of at most 64 MiB."), code="too_large", status=413)
    return request.read(length) if length else b""


def _record(request: HttpRequest, refused: messages.Refused) -> None:
    messages.record_refusal(CHANNEL, refused, method=request.method or "", path=request.get_full_path(),
                            remote_addr=client_address(request))


def _verified(request: HttpRequest, body: bytes, lookup: messages.KeyLookup, *,
              remember: bool = True) -> messages.Verified:
    headers = dict(request.headers.items())
    try:
        return messages.verify(request.method or "GET", request.build_absolute_uri(), headers, body, lookup=lookup,
                               remember=remember)
    except messages.Refused as refused:
        _record(request, refused)
        raise


def signed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Verify the worker's signature (401 otherwise), then call ``view(request, worker,
    body, ...)``; DastanError answers with its status."""
    return _signed(view, one_transaction=False)


def signed_in_one_transaction(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``signed`` for a short view that writes: the request's nonce and the view's writes
    commit together, one commit (one flush to disk) per call instead of two. Not for a
    view that moves files (SQLite would hold its write lock meanwhile)."""
    return _signed(view, one_transaction=True)


def _signed(view: Callable[..., HttpResponseBase], *, one_transaction: bool) -> Callable[..., HttpResponseBase]:
    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            body = _body(request)
            found: list[RemoteWorker | None] = []

            def lookup(key_id: str) -> PublicKey | None:
                # The worker row is read once: its key for the check, the row for the view
                # (less what it detected, which no door reads: a JSON object decoded for nothing).
                found.append(next(iter(RemoteWorker.objects.raw(_WORKER_BY_KEY, [key_id])), None))
                return enrolment.key_of(found[-1])

            verified = _verified(request, body, lookup, remember=not one_transaction)
            worker = found[-1]
            if worker is None or worker.key_id != verified.key_id:  # the lookup refuses unknown keys first
                raise messages.Refused("unknown_key", "the key that signed is not enrolled here", verified.key_id)
            if not one_transaction:
                return view(request, worker, body, *args, **kwargs)
            try:
                with transaction.atomic():
                    messages.remember_nonce(verified.key_id, verified.nonce, timezone.now())
                    return view(request, worker, body, *args, **kwargs)
            except messages.Refused as refused:  # a replay: recorded outside the undone transaction
                _record(request, refused)
                raise
        except messages.Refused as refused:
            return _refusal(refused)
        except DastanError as exc:
            return _error(exc)

    wrapped.signed_only = True  # type: ignore[attr-defined]  # the permissions matrix lists these
    return lean_view(wrapped)


# Written out: compiling it through the ORM cost more than running it, on every call.
_WORKER_BY_KEY = (f"SELECT {', '.join(str(f.column) for f in RemoteWorker._meta.concrete_fields if f.name != 'facts')} "
                  f"FROM {RemoteWorker._meta.db_table} WHERE key_id = %s")


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise DastanError(gettext("The body is not JSON."), gettext("Send a JSON object."), code="bad_json") from exc
    if not isinstance(data, dict):
        raise DastanError(gettext("The body is not a JSON object."), gettext("Send a JSON object."), code="bad_json")
    return data


@lean_view
@csrf_exempt
def enrol(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        body = _body(request)
        data = _json(body)
        pem = str(data.get("public_key", ""))
        public = PublicKey(key_id_for(pem), Algorithm.ED25519, pem)

        def lookup(key_id: str) -> PublicKey | None:
            return public if key_id == public.key_id else None

        _verified(request, body, lookup)
        worker = enrolment.enrol_worker(
            token=str(data.get("token", "")), name=str(data.get("name", "")), public=public,
            capabilities=[str(c) for c in data.get("capabilities", [])], facts=dict(data.get("facts", {})),
            slots=int(data.get("slots", 1)))
    except messages.Refused as refused:
        return _refusal(refused)
    except DastanError as exc:
        return _error(exc)
    return JsonResponse({"name": worker.name, "key_id": worker.key_id, "id": worker.pk,
                         "organisation": worker.organisation.slug if worker.organisation else None,
                         "interval_s": scheduling.interval_s()}, status=201)


@signed_in_one_transaction
def schedule(request: HttpRequest, worker: RemoteWorker, body: bytes) -> HttpResponse:
    data = _json(body)
    running = [scheduling.Running(job_id=int(r["job"]), lease=str(r["lease"]), progress=int(r.get("progress", 0)),
                                  message=str(r.get("message", ""))) for r in data.get("running", [])]
    caps = data.get("capabilities")
    answer = scheduling.schedule(worker=worker, running=running, free_slots=int(data.get("free_slots", 0)),
                                 capabilities=[str(c) for c in caps] if isinstance(caps, list) else None)
    assign = []
    for a in answer.assign:
        inputs = {name: request.build_absolute_uri(transfer.input_link(job_id=a.job_id, lease=a.lease,
                                                                       stored_name=str(a.params[name])))
                  for name in a.inputs if name in a.params}
        assign.append({"job": a.job_id, "lease": a.lease, "attempt": a.attempt, "kind": a.kind,
                       "params": a.params, "inputs": inputs,
                       "uploads": request.build_absolute_uri(outputs.receiver().collection_path()),
                       "result": request.build_absolute_uri(reverse("jobs:remote-result",
                                                                    kwargs={"job_id": a.job_id}))})
    return JsonResponse({"worker": worker.name, "state": answer.state, "interval_s": answer.interval_s,
                         "assign": assign, "cancel": answer.cancel})


@signed
def job_input(request: HttpRequest, worker: RemoteWorker, body: bytes, token: str) -> HttpResponseBase:
    _job, name = transfer.open_input(worker=worker, token=token)
    size = default_storage.size(name)
    wanted = transfer.byte_range(request.headers.get("Range", ""), size)
    first, last = wanted if wanted else (0, size - 1)
    response = StreamingHttpResponse(transfer.read_range(name, first, last), status=206 if wanted else 200,
                                     content_type="application/octet-stream")
    response["Accept-Ranges"] = "bytes"
    response["Content-Length"] = str(last - first + 1)
    if wanted:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response


@signed
def job_result(request: HttpRequest, worker: RemoteWorker, body: bytes, job_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    data = _json(body)
    lease = str(data.get("lease", ""))
    if data.get("error"):
        state = results.accept_failure(worker=worker, job_id=job_id, lease=lease, error=dict(data["error"]))
        return JsonResponse({"job": job_id, "state": state})
    record = results.accept_result(worker=worker, job_id=job_id, lease=lease, result=dict(data.get("result", {})),
                                   outputs=dict(data.get("outputs", {})))
    return JsonResponse({"job": job_id, "state": "succeeded", "verification": record.verification,
                         "credit_minutes": record.minutes})
