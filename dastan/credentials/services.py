"""Issuing and checking the node's content credentials.

``issue_*`` sign an artefact as it is published and keep its sidecar manifest (and, for
sound, the signed WAV) in storage under ``credentials/<sha256>``; ``verify_upload``
checks any file a person hands in: against the manifest embedded in it, or else
against the sidecar the node issued for exactly these bytes.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dastan.accounts.permissions import Action, check
from dastan.catalog.models import Title
from dastan.credentials.manifests import (
    ASSISTED,
    Verification,
    manifest_definition,
    sign_audio,
    sign_subtitles,
    verify_file,
)
from dastan.credentials.models import ContentCredential
from dastan.errors import NotFound
from dastan.media import storage


def manifest_url(credential: ContentCredential) -> str:
    return f"/credentials/{credential.asset_sha256}.c2pa"


def _store(path_name: str, data: bytes) -> str:
    with tempfile.TemporaryDirectory(prefix="dastan-c2pa-") as tmp:
        local = Path(tmp) / Path(path_name).name
        local.write_bytes(data)
        return storage.store_file(local, path_name)


def issue_for_audio(*, title: Title, language: str, kind: str, subject: str, wav: Path,
                    made_by: Sequence[dict[str, str]], source: dict[str, Any], approved_by: Sequence[str],
                    digital_source: str) -> ContentCredential:
    """Sign ``wav`` (an AI voice track, or a human dub with synthetic cues) as it is published."""
    definition = manifest_definition(title=f"{title.slug} {language} {kind}", made_by=made_by, source=source,
                                     approved_by=approved_by, digital_source=digital_source, what=kind)
    signed = sign_audio(wav=wav, definition=definition)
    manifest = _store(f"credentials/{signed.sha256}.c2pa", signed.manifest)
    asset = _store(f"credentials/{signed.sha256}.wav", signed.embedded or b"")
    return ContentCredential.objects.create(
        title=title, language=language, kind=kind, subject=subject, asset_sha256=signed.sha256, asset_name=asset,
        manifest_name=manifest, summary=definition["assertions"][1]["data"])


def issue_for_subtitles(*, title: Title, language: str, subject: str, vtt_text: str,
                        made_by: Sequence[dict[str, str]], source: dict[str, Any],
                        approved_by: Sequence[str]) -> ContentCredential:
    """Sign machine-translated (or machine-transcribed) subtitles people approved."""
    definition = manifest_definition(title=f"{title.slug} {language} subtitles", made_by=made_by, source=source,
                                     approved_by=approved_by, digital_source=ASSISTED, what="subtitles")
    signed = sign_subtitles(vtt_text=vtt_text, definition=definition)
    manifest = _store(f"credentials/{signed.sha256}.c2pa", signed.manifest)
    asset = _store(f"credentials/{signed.sha256}.vtt", vtt_text.encode("utf-8"))
    return ContentCredential.objects.create(
        title=title, language=language, kind="subtitles", subject=subject, asset_sha256=signed.sha256,
        asset_name=asset, manifest_name=manifest, summary=definition["assertions"][1]["data"])


def _readable(credential: ContentCredential, user: Any) -> bool:
    if credential.title.is_published:
        return True
    check(user=user, action=Action.VIEW_DRAFTS, organisation=credential.title.owner, hidden=True)
    return True


def access_credential(*, user: Any, sha256: str) -> ContentCredential:
    """The newest credential issued for these bytes, if ``user`` may know of it (its title
    is published, or they see its owner's drafts)."""
    credential = (ContentCredential.objects.select_related("title", "title__owner")
                  .filter(asset_sha256=sha256.lower()).first())
    if credential is None:
        raise NotFound(f"This node issued no content credentials for {sha256[:12]}….",
                       "Check the file is the one the player or the studio page offered.")
    _readable(credential, user)
    return credential


def manifest_bytes(credential: ContentCredential) -> bytes:
    with storage.local_copy(credential.manifest_name) as path:
        return Path(path).read_bytes()


def credentials_of(*, user: Any, title: Title) -> list[ContentCredential]:
    """The title's credentials, newest first (public for a published title)."""
    if not title.is_published:
        check(user=user, action=Action.VIEW_DRAFTS, organisation=title.owner, hidden=True)
    return list(ContentCredential.objects.filter(title=title))


def verify_upload(*, path: Path) -> tuple[Verification, ContentCredential | None]:
    """Check a file anyone hands in: its embedded manifest, or else the sidecar this node
    issued for exactly these bytes (for WebVTT: this text). A file with neither is
    'Missing'; a changed file is 'Invalid' with the library's reasons."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    credential = ContentCredential.objects.filter(asset_sha256=digest).first()
    if credential is not None:
        return verify_file(path=path, manifest=manifest_bytes(credential)), credential
    return verify_file(path=path), None


def verify_stored(credential: ContentCredential) -> Verification:
    """Check the artefact this node keeps for ``credential`` against its manifest: a
    signed WAV against the manifest embedded in it, subtitles against the sidecar. A
    stored file changed after signing fails, with the library's reasons (the caller
    checked the person may know the credential: :func:`access_credential`)."""
    with storage.local_copy(credential.asset_name) as path:
        if Path(credential.asset_name).suffix.lower() == ".wav":
            return verify_file(path=path)
        return verify_file(path=path, manifest=manifest_bytes(credential))
