"""tus 1.0: a real tuspy client over real HTTP, connections cut mid-way, the stored bytes
checked against the source; limits, ownership, checksums, termination and expiry."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from tusclient.client import TusClient
from tusclient.uploader import Uploader

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory, member_of
from dastan.errors import NotFound
from dastan.media.models import Upload
from dastan.media.tests.conftest import stored_files
from dastan.media.upload import access_upload, expire_uploads, part_path

MiB = 1024 * 1024


class Sha256Uploader(Uploader):
    CHECKSUM_ALGORITHM_PAIR = ("sha256", hashlib.sha256)


def _token(username: str) -> str:
    user = get_user_model().objects.create_user(username=username, password="x" * 12)
    return issue_api_token(user=user)


def _random_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for _ in range(size // (8 * MiB)):
            chunk = os.urandom(8 * MiB)
            digest.update(chunk)
            fh.write(chunk)
    return digest.hexdigest()


def _cut_patch_mid_body(url: str, token: str, offset: int, sent: bytes, declared: int) -> None:
    """Send a PATCH that promises ``declared`` bytes, send ``sent`` of them, hang up."""
    parts = urlsplit(url)
    head = (f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nTus-Resumable: 1.0.0\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: {offset}\r\nContent-Length: {declared}\r\n\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(head + sent)
        sock.shutdown(socket.SHUT_RDWR)


def _wait_for_offset_change(uploader: Uploader, before: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        offset = uploader.get_offset()
        if offset != before:
            return offset
        time.sleep(0.2)
    raise AssertionError("the server never recorded the bytes of the cut request")


@pytest.mark.slow
def test_a_200_mb_upload_survives_two_cut_connections_and_its_sha256_matches(
        transactional_db: None, live_server: object, tmp_path: Path, _media_root: Path) -> None:
    source = tmp_path / "master.mov"
    source_sha = _random_file(source, 200 * MiB)
    token = _token("uploader")
    client = TusClient(f"{live_server.url}/media/tus/",  # type: ignore[attr-defined]
                       headers={"Authorization": f"Bearer {token}"})
    first = Sha256Uploader(file_path=str(source), client=client, chunk_size=16 * MiB,
                           upload_checksum=True, metadata={"filename": "master.mov"})
    for _ in range(3):
        first.upload_chunk()
    url, offset = str(first.url), first.offset
    assert offset == 48 * MiB
    # cut 1: the connection drops 5 MiB into a 16 MiB chunk; the server keeps what arrived
    with source.open("rb") as fh:
        fh.seek(offset)
        _cut_patch_mid_body(url, token, offset, fh.read(5 * MiB), 16 * MiB)
    second = Sha256Uploader(file_path=str(source), client=client, url=url, chunk_size=16 * MiB,
                            upload_checksum=True)
    resumed_at = _wait_for_offset_change(second, offset)
    assert offset < resumed_at <= offset + 5 * MiB
    second.offset = resumed_at
    for _ in range(4):
        second.upload_chunk()
    # cut 2: the client process goes away between chunks; a new one resumes from HEAD
    third = Sha256Uploader(file_path=str(source), client=client, url=url, chunk_size=16 * MiB,
                           upload_checksum=True)
    assert third.offset == second.offset
    third.upload()
    upload = Upload.objects.get(pk=url.rstrip("/").rsplit("/", 1)[1])
    assert (upload.state, upload.offset_bytes) == (Upload.State.COMPLETE, 200 * MiB)
    assert upload.sha256 == source_sha
    stored = hashlib.sha256((_media_root / upload.storage_name).read_bytes()).hexdigest()
    assert stored == source_sha  # the finished bytes wait in the media storage for their ingest


def _editor_of_title(slug: str, username: str = "editor") -> str:
    """An API token of an editor of the organisation that owns a new title ``slug``."""
    studio = OrganisationFactory.create(name="Steppe Pictures", country="KZ")
    TitleFactory.create(slug=slug, original_language="kk", country_of_origin="KZ", owner=studio, is_published=False)
    return issue_api_token(user=member_of(studio, role=Membership.Role.EDITOR, username=username))


def _tus_headers(token: str, **extra: str) -> Any:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_TUS_RESUMABLE": "1.0.0",
            **{f"HTTP_{k.upper()}": v for k, v in extra.items()}}


def _create(client: Client, token: str, length: int) -> str:
    meta = "filename " + base64.b64encode("فیلم.mp4".encode()).decode()
    response = client.post("/media/tus/", **_tus_headers(token, upload_length=str(length),
                                                         upload_metadata=meta))
    assert response.status_code == 201, response.content
    return str(response["Location"])


def _patch(client: Client, url: str, token: str, body: bytes, offset: int, **extra: str) -> object:
    return client.generic("PATCH", url, body, content_type="application/offset+octet-stream",
                          **_tus_headers(token, upload_offset=str(offset), **extra))


@pytest.mark.django_db
def test_another_users_patch_is_refused_and_the_upload_is_unchanged() -> None:
    owner, stranger, client = _token("owner"), _token("stranger"), Client()
    url = _create(client, owner, 10)
    response = _patch(client, url, stranger, b"0123456789", 0)
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert Upload.objects.get().offset_bytes == 0
    assert part_path(Upload.objects.get()).stat().st_size == 0


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_a_byte_is_written(settings: object) -> None:
    settings.DASTAN_UPLOAD_MAX_BYTES = 1000  # type: ignore[attr-defined]
    response = Client().post("/media/tus/", **_tus_headers(_token("big"), upload_length="5000"))
    assert response.status_code == 413
    assert "accepts uploads up to" in response.json()["message"]
    assert "DASTAN_UPLOAD_MAX_BYTES" in response.json()["hint"]
    assert Upload.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_larger_than_the_free_disk_is_refused_with_413(settings: object) -> None:
    settings.DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES = 10**18  # type: ignore[attr-defined]
    response = Client().post("/media/tus/", **_tus_headers(_token("disk"), upload_length="10"))
    assert response.status_code == 413  # not 507: tus clients retry a 5xx, no retry frees disk
    assert response.json()["message"].startswith("There is not enough free disk space")
    assert Upload.objects.count() == 0


@pytest.mark.django_db
def test_a_chunk_with_a_wrong_checksum_is_discarded_with_460() -> None:
    token, client = _token("sum"), Client()
    url = _create(client, token, 10)
    wrong = "sha256 " + base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    response = _patch(client, url, token, b"0123456789", 0, upload_checksum=wrong)
    assert response.status_code == 460  # type: ignore[attr-defined]
    assert Upload.objects.get().offset_bytes == 0
    assert part_path(Upload.objects.get()).stat().st_size == 0


@pytest.mark.django_db
def test_a_patch_at_the_wrong_offset_is_refused_with_409_naming_the_offset() -> None:
    token, client = _token("offset"), Client()
    url = _create(client, token, 10)
    assert _patch(client, url, token, b"01234", 0).status_code == 204  # type: ignore[attr-defined]
    response = _patch(client, url, token, b"56789", 3)
    assert response.status_code == 409  # type: ignore[attr-defined]
    assert "has 5 bytes" in response.json()["message"]  # type: ignore[attr-defined]
    head = client.head(url, **_tus_headers(token))
    assert head["Upload-Offset"] == "5" and head["Tus-Resumable"] == "1.0.0"


@pytest.mark.django_db
def test_termination_deletes_the_upload_and_its_bytes() -> None:
    token, client = _token("term"), Client()
    url = _create(client, token, 10)
    path = part_path(Upload.objects.get())
    assert client.delete(url, **_tus_headers(token)).status_code == 204
    assert not path.exists() and Upload.objects.count() == 0
    assert client.head(url, **_tus_headers(token)).status_code == 404


@pytest.mark.django_db
def test_abandoned_uploads_expire_and_their_bytes_are_removed() -> None:
    token, client = _token("late"), Client()
    url = _create(client, token, 10)
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.head(url, **_tus_headers(token)).status_code == 410
    assert expire_uploads() == 1
    assert not part_path(upload).exists()


@pytest.mark.django_db
def test_options_announces_the_extensions_and_sha256() -> None:
    response = Client().options("/media/tus/")
    assert response.status_code == 204
    assert response["Tus-Extension"] == "creation,termination,checksum,expiration"
    assert "sha256" in response["Tus-Checksum-Algorithm"]


@pytest.mark.django_db
def test_a_finished_upload_for_a_title_is_ingested_and_published(small_film_bytes: bytes,
                                                                 _media_root: Path) -> None:
    from dastan.catalog.models import Title
    from dastan.jobs.services import run_queued_jobs
    from dastan.media.models import Stream

    token, client = _editor_of_title("upload-film"), Client()
    title = Title.objects.get(slug="upload-film")
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                    for k, v in {"filename": "film.mp4", "title": title.slug}.items())
    created = client.post("/media/tus/", **_tus_headers(token, upload_length=str(len(small_film_bytes)),
                                                        upload_metadata=meta))
    assert created.status_code == 201
    assert _patch(client, created["Location"], token, small_film_bytes, 0).status_code == 204  # type: ignore[attr-defined]
    run_queued_jobs(worker="test")
    assert Stream.objects.get(title=title).current.asset.source_filename == "film.mp4"
    upload = Upload.objects.get()
    assert not part_path(upload).exists()  # the bytes moved into storage...
    assert upload.storage_name == "" and stored_files(_media_root / "uploads") == []  # ...and were released


@pytest.mark.django_db
def test_an_upload_for_another_organisations_title_is_refused_before_any_byte() -> None:
    studio = OrganisationFactory.create(name="Steppe Pictures", country="KZ")
    TitleFactory.create(slug="their-film", original_language="kk", country_of_origin="KZ", owner=studio)
    meta = "title " + base64.b64encode(b"their-film").decode()
    response = Client().post("/media/tus/", **_tus_headers(_token("outsider"), upload_length="10",
                                                           upload_metadata=meta))
    assert response.status_code == 403
    assert "Steppe Pictures" in response.json()["message"]
    assert Upload.objects.count() == 0


def _stored_state(url: str) -> tuple[int, bytes]:
    upload = Upload.objects.get(pk=url.rstrip("/").rsplit("/", 1)[1])
    part = part_path(upload)
    return upload.offset_bytes, part.read_bytes() if part.exists() else b""


@pytest.mark.parametrize(("offset", "status"), [
    ("-1", 400), ("abc", 400), ("1e3", 400), ("²", 400), ("٣", 400), ("", 400), ("5, 5", 400),
    ("99999999999999999999999", 400), ("9223372036854775807", 409), ("3", 409), ("11", 409),
    (" 5 ", 204),  # surrounding whitespace is not part of the value
])
@pytest.mark.django_db
def test_an_odd_upload_offset_gets_a_4xx_naming_the_fix_and_keeps_the_stored_bytes(
        offset: str, status: int) -> None:
    token, client = _token("odd"), Client()
    url = _create(client, token, 10)
    assert _patch(client, url, token, b"01234", 0).status_code == 204  # type: ignore[attr-defined]
    response = client.generic("PATCH", url, b"56789", content_type="application/offset+octet-stream",
                              **{**_tus_headers(token), "HTTP_UPLOAD_OFFSET": offset})
    assert response.status_code == status, response.content
    if status == 204:
        assert _stored_state(url) == (10, b"")  # complete: the bytes went to storage
        return
    body = response.json()
    assert body["hint"] and ("Upload-Offset" in body["message"] or "has 5 bytes" in body["message"])
    assert _stored_state(url) == (5, b"01234")


@pytest.mark.parametrize(("headers", "status", "words"), [
    ({"upload_length": "-5"}, 400, "Upload-Length"),
    ({"upload_length": "ten"}, 400, "Upload-Length"),
    ({"upload_length": "10", "upload_metadata": "filename !!!"}, 400, "Upload-Metadata"),
    ({"upload_length": "10", "upload_metadata": "a YQ==,a YQ=="}, 400, "Upload-Metadata"),
    ({"upload_length": "10", "upload_metadata": "filename " + base64.b64encode(b"a\x00b").decode()}, 400,
     "Upload-Metadata"),
    ({"upload_length": "10", "upload_metadata": "filename " + base64.b64encode(b"\xff\xfe").decode()}, 400,
     "Upload-Metadata"),
    ({"upload_length": "10", "tus_resumable": "0.2.2"}, 412, "Tus-Resumable"),
    ({"upload_defer_length": "1"}, 400, "Deferred"),
])
@pytest.mark.django_db
def test_an_odd_creation_header_is_refused_before_anything_is_recorded(
        headers: dict[str, str], status: int, words: str) -> None:
    response = Client().post("/media/tus/", **_tus_headers(_token("creator"), **headers))
    assert response.status_code == status, response.content
    assert words in response.json()["message"] and response.json()["hint"]
    assert Upload.objects.count() == 0


@pytest.mark.parametrize(("checksum", "status"), [
    ("md5 AAAA", 400), ("sha256 not-base64!", 400), ("sha256 AAAA", 400), ("sha256", 400),
    ("sha256 " + base64.b64encode(hashlib.sha256(b"other").digest()).decode(), 460),
])
@pytest.mark.django_db
def test_an_odd_upload_checksum_gets_a_4xx_and_keeps_the_stored_bytes(checksum: str, status: int) -> None:
    token, client = _token("sums"), Client()
    url = _create(client, token, 10)
    assert _patch(client, url, token, b"01234", 0).status_code == 204  # type: ignore[attr-defined]
    response = _patch(client, url, token, b"56789", 5, upload_checksum=checksum)
    assert response.status_code == status  # type: ignore[attr-defined]
    assert _stored_state(url) == (5, b"01234")


@pytest.mark.django_db
def test_a_patch_with_the_wrong_content_type_is_refused_with_415_naming_the_type() -> None:
    token, client = _token("ctype"), Client()
    url = _create(client, token, 10)
    response = client.generic("PATCH", url, b"01234", content_type="text/plain",
                              **_tus_headers(token, upload_offset="0"))
    assert response.status_code == 415
    assert "application/offset+octet-stream" in response.json()["hint"]
    assert _stored_state(url) == (0, b"")


@pytest.mark.django_db
def test_a_patch_after_termination_is_404_and_a_second_delete_too() -> None:
    token, client = _token("gone"), Client()
    url = _create(client, token, 10)
    assert client.delete(url, **_tus_headers(token)).status_code == 204
    assert _patch(client, url, token, b"01234", 0).status_code == 404  # type: ignore[attr-defined]
    assert client.delete(url, **_tus_headers(token)).status_code == 404


@pytest.mark.django_db
def test_a_finished_upload_waits_in_the_media_storage_not_on_the_web_nodes_disk(_media_root: Path) -> None:
    token, client = _token("store"), Client()
    url = _create(client, token, 10)
    assert _patch(client, url, token, b"0123456789", 0).status_code == 204  # type: ignore[attr-defined]
    upload = Upload.objects.get()
    assert upload.storage_name == f"uploads/{upload.pk}/source.mp4"
    assert (_media_root / upload.storage_name).read_bytes() == b"0123456789"
    assert not part_path(upload).exists()
    assert client.delete(url, **_tus_headers(token)).status_code == 204  # no title: nothing ingests it
    assert not (_media_root / upload.storage_name).exists()


@pytest.mark.django_db
def test_a_complete_upload_being_ingested_cannot_be_terminated(small_film_bytes: bytes) -> None:
    token, client = _editor_of_title("ingesting"), Client()
    meta = "title " + base64.b64encode(b"ingesting").decode()
    created = client.post("/media/tus/", **_tus_headers(token, upload_length=str(len(small_film_bytes)),
                                                        upload_metadata=meta))
    assert _patch(client, created["Location"], token, small_film_bytes, 0).status_code == 204  # type: ignore[attr-defined]
    response = client.delete(created["Location"], **_tus_headers(token))
    assert response.status_code == 409
    assert "being ingested" in response.json()["message"]
    assert Upload.objects.get().storage_name


@pytest.mark.django_db
def test_a_signed_in_upload_without_the_csrf_token_is_refused() -> None:
    user = get_user_model().objects.create_user(username="browser", password="x" * 12)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    headers: Any = {"HTTP_TUS_RESUMABLE": "1.0.0", "HTTP_UPLOAD_LENGTH": "10"}
    response = client.post("/media/tus/", **headers)  # what another site's form or fetch can send
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["hint"]
    assert Upload.objects.count() == 0
    client.get("/studio/")  # any page sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    assert client.post("/media/tus/", HTTP_X_CSRFTOKEN=token, **headers).status_code == 201


@pytest.mark.django_db
def test_a_bearer_token_upload_needs_no_csrf_token() -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/media/tus/", **_tus_headers(_token("script"), upload_length="10"))
    assert response.status_code == 201


@pytest.mark.django_db
def test_a_zero_byte_upload_is_refused_at_creation_naming_the_file() -> None:
    meta = "filename " + base64.b64encode(b"master.mov").decode()
    response = Client().post("/media/tus/", **_tus_headers(_token("empty"), upload_length="0",
                                                           upload_metadata=meta))
    assert response.status_code == 400
    assert response.json()["code"] == "empty_upload"
    assert response.json()["message"] == ("The file 'master.mov' is empty (0 bytes), so there is "
                                          "no film to upload.")
    assert Upload.objects.count() == 0


@pytest.mark.django_db
def test_an_unreadable_upload_is_refused_under_the_name_it_was_sent_as(tmp_path: Path) -> None:
    from dastan.catalog.models import Title
    from dastan.media.errors import ProbeFailed
    from dastan.media.ingest import ingest_file

    _editor_of_title("junk-film", "junk")
    part = tmp_path / "17.part"  # the server's own name for the bytes, never shown
    part.write_bytes(b"this is a letter, not a film\n" * 100)
    with pytest.raises(ProbeFailed, match=r"^'master\.mov' is not a video file") as info:
        ingest_file(title=Title.objects.get(slug="junk-film"), path=part, filename="master.mov")
    assert ".part" not in str(info.value)


@pytest.mark.django_db
@pytest.mark.parametrize("upload_id", ["not-an-id", "", "0", "1; DROP TABLE", "ffffffff-ffff-ffff-ffff-ffffffffffff"])
def test_an_id_that_is_no_upload_of_the_callers_is_not_found_never_a_server_error(upload_id: str) -> None:
    # Found by the API fuzzer through the booth's takes (POST /api/v1/dubbing/cues/{id}/takes).
    someone = get_user_model().objects.create_user("someone", password="x" * 12)
    with pytest.raises(NotFound):
        access_upload(upload_id=upload_id, user=someone)


@pytest.mark.django_db
def test_a_refused_upload_speaks_the_uploaders_language() -> None:
    meta = "filename " + base64.b64encode(b"master.mov").decode()
    russian = Client().post("/media/tus/", HTTP_ACCEPT_LANGUAGE="ru",
                            **_tus_headers(_token("empty-ru"), upload_length="0", upload_metadata=meta))
    assert russian.status_code == 400
    assert russian.json()["code"] == "empty_upload"
    assert russian.json()["message"] == "Файл 'master.mov' пуст (0 байт), поэтому загружать нечего."
    assert russian.json()["hint"].startswith("Выберите мастер-файл фильма")
    urdu = Client()
    urdu.cookies["dastan_language"] = "ur"
    refused = urdu.post("/media/tus/", **_tus_headers("not-a-token", upload_length="10"))
    assert refused.status_code == 401
    assert refused.json()["message"] == "اپ لوڈ کے لیے API ٹوکن درکار ہے، اور کوئی درست ٹوکن نہیں بھیجا گیا۔"
    assert Upload.objects.count() == 0
