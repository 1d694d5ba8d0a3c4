"""The content-credentials panel, one for every place that shows it (the player, the
review desks): per signed track, what its manifest says — what made it, whether a
machine made it or helped, the AI cues of a human dub, who approved it — with its
manifest and the address that checks it now (``GET /api/v1/credentials/<sha256>/
verification``, which the panel's script calls when the panel opens)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dastan.credentials.manifests import ASSISTED, SYNTHETIC
from dastan.credentials.models import ContentCredential
from dastan.credentials.services import manifest_url


@dataclass(frozen=True, slots=True)
class CredentialView:
    language: str
    what: str  # the manifest's "what": "ai-voice-over", "subtitles", "human-dub-with-ai"
    made_by: str  # "espeak-ng 1.51, people (booth)"
    machine: str  # "synthetic" (a machine made it), "assisted" (people with a machine), "" (people)
    ai_cues: str  # "2, 4": the cues of a human dub that a machine spoke
    approved_by: str
    sha256: str
    manifest_url: str
    verify_url: str
    issued_at: datetime


def _made_by(made: Iterable[dict[str, Any]]) -> str:
    """'espeak-ng (ru+m3 1.51), people (booth)'."""
    parts = []
    for m in made:
        detail = " ".join(str(m.get(k) or "") for k in ("model", "version")).strip()
        engine = str(m.get("engine") or "?")
        parts.append(f"{engine} ({detail})" if detail else engine)
    return ", ".join(dict.fromkeys(parts))


def credential_view(credential: ContentCredential) -> CredentialView:
    """What the signed manifest of ``credential`` says, as signed (its assertion)."""
    summary = credential.summary or {}
    source = summary.get("source") or {}
    digital = summary.get("digital_source_type", "")
    return CredentialView(
        language=credential.language,
        what=str(summary.get("what") or credential.kind),
        made_by=_made_by(summary.get("made_by") or []),
        machine={SYNTHETIC: "synthetic", ASSISTED: "assisted"}.get(digital, ""),
        ai_cues=", ".join(str(c.get("index")) for c in source.get("ai_cues") or []),
        approved_by=", ".join(summary.get("approved_by") or []),
        sha256=credential.asset_sha256,
        manifest_url=manifest_url(credential),
        verify_url=f"/api/v1/credentials/{credential.asset_sha256}/verification",
        issued_at=credential.created_at,
    )


def credential_views(credentials: Iterable[ContentCredential]) -> tuple[CredentialView, ...]:
    """The newest credential of each signed track (a track published again is signed
    again; the panel shows what plays now)."""
    newest: dict[tuple[str, str], ContentCredential] = {}
    for c in sorted(credentials, key=lambda c: (c.created_at, c.pk)):
        newest[(c.language, c.subject)] = c
    return tuple(
        credential_view(c) for c in sorted(newest.values(), key=lambda c: (c.language, c.kind))
    )
