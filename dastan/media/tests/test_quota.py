"""Upload quotas per organisation, and the free disk counted across pending uploads:
creating an upload reserves its whole declared length, refused with 413 naming the
quota, what is used, and the fix."""

from __future__ import annotations

import base64
import shutil
from typing import Any

import pytest
from django.test import Client

from dastan.accounts.models import Membership
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.models import Organisation
from dastan.catalog.tests.factories import OrganisationFactory, TitleFactory, UserFactory, member_of
from dastan.media.models import Upload
from dastan.media.tests.factories import MediaAssetFactory, MediaQuotaFactory
from dastan.media.upload import upload_dir

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


@pytest.fixture
def studio() -> Organisation:
    return OrganisationFactory.create(name="Steppe Pictures", country="KZ")


def _editor_token(org: Organisation | None, name: str = "editor") -> str:
    user = member_of(org, role=Membership.Role.EDITOR, username=name) if org else UserFactory.create(username=name)
    return issue_api_token(user=user)


def _create(token: str, length: int) -> Any:
    meta = "filename " + base64.b64encode(b"film.mov").decode()
    return Client().post("/media/tus/", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_TUS_RESUMABLE="1.0.0",
                         HTTP_UPLOAD_LENGTH=str(length), HTTP_UPLOAD_METADATA=meta)


def test_an_organisations_pending_uploads_count_against_its_quota(studio: Organisation) -> None:
    MediaQuotaFactory.create(organisation=studio, quota_bytes=1000)
    token = _editor_token(studio)
    first = _create(token, 600)
    assert first.status_code == 201
    refused = _create(token, 600)
    assert refused.status_code == 413
    body = refused.json()
    assert body["code"] == "upload_quota_exceeded"
    assert body["message"] == ("This 600 bytes upload would go past Steppe Pictures's upload quota of "
                               "1000 bytes: 600 bytes is used (0 bytes in stored films, 600 bytes in "
                               "unfinished or not yet ingested uploads).")
    assert "DASTAN_UPLOAD_QUOTA_BYTES" in body["hint"] and "DELETE" in body["hint"]
    assert Upload.objects.count() == 1
    # cancelling the first frees its reservation
    assert Client().delete(first["Location"], HTTP_AUTHORIZATION=f"Bearer {token}",
                           HTTP_TUS_RESUMABLE="1.0.0").status_code == 204
    assert _create(token, 600).status_code == 201


def test_stored_films_count_against_the_quota_and_the_default_applies_without_a_row(
        studio: Organisation, settings: Any) -> None:
    settings.DASTAN_UPLOAD_QUOTA_BYTES = 5000
    kept = TitleFactory.create(owner=studio, original_language="kk", country_of_origin="KZ")
    MediaAssetFactory.create(title=kept, size_bytes=4500)
    token = _editor_token(studio)
    refused = _create(token, 600)
    assert refused.status_code == 413
    assert "quota of 4.9 KiB: 4.4 KiB is used (4.4 KiB in stored films" in refused.json()["message"]
    assert _create(token, 400).status_code == 201


def test_one_organisations_quota_is_not_spent_by_another(studio: Organisation) -> None:
    other = OrganisationFactory.create(name="Indus Films")
    MediaQuotaFactory.create(organisation=studio, quota_bytes=1000)
    MediaQuotaFactory.create(organisation=other, quota_bytes=1000)
    assert _create(_editor_token(studio, "a"), 900).status_code == 201
    assert _create(_editor_token(other, "b"), 900).status_code == 201


def test_pending_uploads_are_counted_against_the_free_disk(settings: Any) -> None:
    # Leave a window of 1 GiB above the reserve: one 700 MiB upload fits, a second does not
    # while the first still has its bytes to write. (Margins of ~300 MiB absorb other
    # processes writing to the same disk meanwhile.)
    settings.DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES = shutil.disk_usage(upload_dir()).free - 1024 * MiB
    token = _editor_token(None, "solo")
    first = _create(token, 700 * MiB)
    assert first.status_code == 201
    refused = _create(token, 700 * MiB)
    assert refused.status_code == 413
    assert "700.0 MiB promised to unfinished uploads" in refused.json()["message"]
    assert "Wait for the other uploads to finish" in refused.json()["hint"]
    assert Client().delete(first["Location"], HTTP_AUTHORIZATION=f"Bearer {token}",
                           HTTP_TUS_RESUMABLE="1.0.0").status_code == 204
    assert _create(token, 700 * MiB).status_code == 201
