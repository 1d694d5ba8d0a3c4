"""/api/v1/credentials: check a file's content credentials; list a title's."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from dastan.accounts.tokens import OptionalTokenAuth
from dastan.catalog.selectors import access_title
from dastan.credentials.services import (
    access_credential,
    credentials_of,
    manifest_url,
    verify_stored,
    verify_upload,
)

router = Router(tags=["credentials"], auth=OptionalTokenAuth())


class VerificationOut(Schema):
    file: str
    state: str
    verifies: bool
    failures: list[str]
    signer: str
    summary: dict[str, Any]
    issued_here: bool


class CredentialOut(Schema):
    language: str
    kind: str
    subject: str
    sha256: str
    manifest_url: str
    summary: dict[str, Any]
    created_at: str


@router.post("/verify", response=VerificationOut,
             summary="Verify a file's C2PA content credentials (embedded, or the sidecar this node issued)")
def verify(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    name = Path(file.name or "file").name
    with tempfile.TemporaryDirectory(prefix="dastan-verify-") as tmp:
        local = Path(tmp) / name
        local.write_bytes(file.read())
        result, credential = verify_upload(path=local)
    return {"file": name, "state": result.state, "verifies": result.ok, "failures": list(result.failures),
            "signer": result.signer, "summary": result.summary, "issued_here": credential is not None}


@router.get("/titles/{slug}", response=list[CredentialOut], summary="The content credentials of a title's tracks")
def title_credentials(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    title = access_title(slug=slug, user=request.user)
    return [{"language": c.language, "kind": c.kind, "subject": c.subject, "sha256": c.asset_sha256,
             "manifest_url": manifest_url(c), "summary": c.summary, "created_at": c.created_at.isoformat()}
            for c in credentials_of(user=request.user, title=title)]


@router.get("/{sha256}/verification", response=VerificationOut,
            summary="Check now the signed file this node keeps for a credential (by the sha256 the playlist and "
                    "the panels name) against its manifest")
def verification(request: HttpRequest, sha256: str) -> dict[str, Any]:
    credential = access_credential(user=request.user, sha256=sha256)
    result = verify_stored(credential)
    return {"file": credential.asset_name.rsplit("/", 1)[-1], "state": result.state, "verifies": result.ok,
            "failures": list(result.failures), "signer": result.signer, "summary": result.summary,
            "issued_here": True}
