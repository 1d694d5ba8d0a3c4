"""The signed doors in process (Django's test client): input links with ranges, output
uploads in checksummed chunks, the pages and their CSV."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from dastan.accounts.models import Membership, NodeOperator
from dastan.catalog.models import Organisation
from dastan.jobs.models import EnrolmentToken, RemoteWorker
from dastan.jobs.remote import enrolment, scheduling
from dastan.jobs.remote.client import key_id_for
from dastan.jobs.services import reap_stalled_jobs, submit_job
from dastan.signing import keys, messages

pytestmark = pytest.mark.django_db


def enrolled(name: str = "w1", organisation: Any = None) -> tuple[RemoteWorker, keys.PrivateKey]:
    key = keys.generate("x")
    public = key.public()
    key = keys.PrivateKey(key_id_for(public.pem), key.algorithm, key.pem)
    token = enrolment.make_enrolment_token(user=None, organisation=organisation, ttl_s=600)
    w = enrolment.enrol_worker(token=token, name=name, public=key.public(), capabilities=["transcode"], facts={})
    return w, key


def call(method: str, path: str, key: keys.PrivateKey, body: bytes = b"", *,
         content_type: str = "application/json", **headers: str) -> Any:
    signed = messages.sign(method, f"http://testserver{path}", key=key, body=body)
    return Client().generic(method, path, body, content_type=content_type, headers={**signed, **headers})


def test_enrolment_over_http_is_signed_by_the_key_it_registers() -> None:
    token = enrolment.make_enrolment_token(user=None, organisation=None, ttl_s=600)
    key = keys.generate("x")
    public = key.public()
    key = keys.PrivateKey(key_id_for(public.pem), key.algorithm, key.pem)
    body = json.dumps({"token": token, "name": "m1", "public_key": public.pem, "capabilities": ["transcode"]}).encode()
    other = keys.generate(key.key_id)  # claims the key id, signs with another key
    assert call("POST", "/compute/enrol", other, body).status_code == 401
    answer = call("POST", "/compute/enrol", key, body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["key_id"] == key.key_id
    assert EnrolmentToken.objects.get().used_at is not None
    assert call("POST", "/compute/enrol", key, body).json()["code"] == "enrolment_refused"


def test_an_input_link_serves_ranges_to_the_attempt_holding_the_lease_only() -> None:
    data = bytes(range(256)) * 40
    name = default_storage.save("compute-tests/in.bin", ContentFile(data))
    _w, key = enrolled()
    submit_job(kind="test.remote_digest", params={"source": name, "final_dir": "/nonexistent"})
    answer = call("POST", "/compute/schedule", key, json.dumps({"free_slots": 1, "running": []}).encode())
    [a] = answer.json()["assign"]
    link = a["inputs"]["source"].removeprefix("http://testserver")
    whole = call("GET", link, key)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == data
    part = call("GET", link, key, Range="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]
    _, stranger = enrolled("w2")
    assert call("GET", link, stranger).status_code == 409
    from dastan.jobs.models import Job

    Job.objects.filter(pk=a["job"]).update(lease_expires_at="2000-01-01T00:00:00Z")
    reap_stalled_jobs()
    assert call("GET", link, key).json()["code"] == "stale_attempt"
    assert call("GET", "/compute/inputs/forged", key).status_code == 404


def test_outputs_upload_in_checksummed_chunks_and_resume_from_the_nodes_offset() -> None:
    w, key = enrolled()
    submit_job(kind="test.remote_digest", params={"source": "x", "final_dir": "/nonexistent"})
    [a] = scheduling.schedule(worker=w, running=[], free_slots=1).assign
    payload = b"digest line\n" * 100
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                    for k, v in {"job": str(a.job_id), "lease": a.lease, "name": "digest"}.items())
    tus: dict[str, Any] = {"Tus-Resumable": "1.0.0"}
    created = call("POST", "/compute/uploads/", key, **tus, Upload_Length=str(len(payload)), Upload_Metadata=meta)
    assert created.status_code == 201, created.content
    location = created["Location"].removeprefix("http://testserver")

    def patch(offset: int, chunk: bytes, checksum: bytes | None = None) -> Any:
        digest = base64.b64encode(checksum or hashlib.sha256(chunk).digest()).decode()
        return call("PATCH", location, key, chunk, content_type="application/offset+octet-stream", **tus,
                    Upload_Offset=str(offset), Upload_Checksum=f"sha256 {digest}")

    assert patch(0, payload[:500]).status_code == 204
    assert patch(500, payload[500:], checksum=b"\0" * 32).status_code == 460  # a corrupted chunk is not kept
    head = call("HEAD", location, key, **tus)
    assert head["Upload-Offset"] == "500"  # the node has the first chunk: only the rest is sent
    no_sum = call("PATCH", location, key, payload[500:], content_type="application/offset+octet-stream", **tus,
                  Upload_Offset="500")
    assert no_sum.json()["code"] == "checksum_missing"
    assert patch(500, payload[500:]).status_code == 204
    upload_id = location.rstrip("/").rsplit("/", 1)[1]
    result = call("POST", f"/compute/jobs/{a.job_id}/result", key, json.dumps({
        "lease": a.lease, "result": {}, "outputs": {"digest": {
            "upload": upload_id, "sha256": hashlib.sha256(b"not it").hexdigest()}}}).encode())
    assert result.status_code == 422 and "sha256" in result.json()["message"]  # checksums always


def test_the_pages_let_an_organisations_admin_enrol_manage_and_read_the_ledger() -> None:
    farm = Organisation.objects.create(name="Farm", slug="farm", kind="studio", country="CN")
    admin = User.objects.create_user("farm-admin")
    Membership.objects.create(user=admin, organisation=farm, role="admin")
    client = Client()
    client.force_login(admin)
    page = client.post("/compute/workers/enrol-token", {"org": "farm", "ttl": "2h"})
    assert page.status_code == 201 and b"dwe_" in page.content
    w, _ = enrolled("farm-1", farm)
    assert client.post(f"/compute/workers/{w.pk}/action", {"action": "pause"}).status_code == 302
    assert RemoteWorker.objects.get(pk=w.pk).state == "paused"
    listing = client.get("/compute/workers/").content.decode()
    assert "farm-1" in listing and "paused" in listing
    ledger = client.get("/compute/ledger/")
    assert ledger.status_code == 200 and b"<svg" in ledger.content
    csv = client.get("/compute/ledger/?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and csv.content.startswith(b"month,organisation")
    operator = User.objects.create_user("op")
    NodeOperator.objects.create(user=operator)
    client.force_login(operator)
    assert b"Refused requests" in client.get("/compute/workers/").content


def test_the_cli_makes_tokens_and_manages_workers(capsys: pytest.CaptureFixture[str]) -> None:
    from dastan.cli import main

    Organisation.objects.create(name="Farm", slug="farm", kind="studio", country="CN")
    Organisation.objects.create(name="Lahore", slug="lahore", kind="studio", country="PK")
    assert main(["workers", "enrol-token", "--org", "farm", "--ttl", "15m"]) == 0
    assert capsys.readouterr().out.startswith("dwe_")
    w, _ = enrolled("farm-1", Organisation.objects.get(slug="farm"))
    for args in (["drain", "farm-1"], ["resume", "farm-1"], ["rename", "farm-1", "farm-2"],
                 ["share", "farm", "lahore", "--cap-hours", "40"], ["revoke", "farm-2"]):
        assert main(["workers", *args]) == 0, args
    assert main(["workers", "list"]) == 0
    assert "farm-2" in capsys.readouterr().out
    assert RemoteWorker.objects.get(pk=w.pk).state == "revoked"
    assert main(["workers", "ledger", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("month,organisation")


def test_a_workers_refused_request_is_explained_in_the_operators_language() -> None:
    russian = Client().post("/compute/enrol", data=b"not json", content_type="application/json",
                            HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 400
    assert russian.json() == {"code": "bad_json", "message": "Тело запроса — не JSON.",
                              "hint": "Передайте JSON-объект."}
    urdu = Client()
    urdu.cookies["dastan_language"] = "ur"
    unsigned = urdu.post("/compute/enrol", data=json.dumps({"token": "dwe_x", "public_key": ""}),
                         content_type="application/json")
    assert unsigned.status_code == 401
    assert unsigned.json()["message"].startswith("مسترد: ")
    assert unsigned.json()["hint"].startswith("ہر درخواست پر ورکر کی اندراج شدہ کلید سے دستخط کریں")
