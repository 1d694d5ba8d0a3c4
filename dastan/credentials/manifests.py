"""C2PA manifests over what machines made, signed with the node's key, and their check.

Every artefact gets a sidecar manifest (``.c2pa``): an HLS segment cannot carry one, so
the master playlist points at it. Sound also gets a copy with the manifest embedded
(WAV). C2PA has no text format, so subtitles are bound as a ZIP holding the WebVTT,
built byte-for-byte the same way every time (stored, fixed dates), so that anyone can
rebuild it from the .vtt and check the manifest.

A manifest records what made the artefact (engine, model, version; its IPTC digital
source type: ``trainedAlgorithmicMedia`` for synthetic sound,
``compositeWithTrainedAlgorithmicMedia`` for machine-assisted work people reviewed), the
source it came from, and who approved it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa

import dastan
from dastan.credentials.node import node_credential

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SYNTHETIC = IPTC + "trainedAlgorithmicMedia"
ASSISTED = IPTC + "compositeWithTrainedAlgorithmicMedia"
HUMAN = IPTC + "digitalCapture"
ASSERTION = "org.dastan.provenance"
VTT_IN_ZIP = "subtitles.vtt"
OK_STATES = ("Valid", "Trusted")


@dataclass(frozen=True, slots=True)
class Signed:
    manifest: bytes  # the sidecar manifest store
    embedded: bytes | None  # the artefact with the manifest inside, where the format allows
    sha256: str  # of the artefact as made (the sidecar's subject)


@dataclass(frozen=True, slots=True)
class Verification:
    state: str  # "Trusted", "Valid", "Invalid", "Missing"
    failures: tuple[str, ...]  # C2PA validation codes with their explanations
    summary: dict[str, Any] = field(default_factory=dict)  # the Dastan assertion, as signed
    signer: str = ""

    @property
    def ok(self) -> bool:
        return self.state in OK_STATES and not [f for f in self.failures if "untrusted" not in f]


def manifest_definition(*, title: str, made_by: Sequence[dict[str, str]], source: dict[str, Any],
                        approved_by: Sequence[str], digital_source: str, what: str) -> dict[str, Any]:
    """The manifest's content: the C2PA actions plus Dastan's own assertion."""
    agents = [{"name": m.get("engine", "?"), "version": str(m.get("version", ""))} for m in made_by]
    actions = [{"action": "c2pa.created", "digitalSourceType": digital_source,
                "softwareAgent": agents[0] if agents else {"name": "dastan"}}]
    if approved_by:
        actions.append({"action": "c2pa.published", "parameters": {"approved_by": ", ".join(approved_by)}})
    return {
        "claim_generator_info": [{"name": "Dastan", "version": getattr(dastan, "__version__", "0")}],
        "title": title,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": actions}},
            {"label": ASSERTION, "data": {"what": what, "made_by": list(made_by), "source": source,
                                          "approved_by": list(approved_by), "digital_source_type": digital_source}},
        ],
    }


def _signer() -> c2pa.Signer:
    cred = node_credential()
    return c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ED25519, cred.chain_pem, cred.key_pem, None))


def _context() -> c2pa.Context:
    settings = {"trust": {"trust_anchors": node_credential().root_pem.decode()}, "verify": {"verify_trust": True}}
    return c2pa.Context(c2pa.Settings.from_json(json.dumps(settings)))


def subtitles_zip(vtt_text: str) -> bytes:
    """The WebVTT as the one member of a ZIP built the same way every time."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        info = zipfile.ZipInfo(VTT_IN_ZIP, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        z.writestr(info, vtt_text.encode("utf-8"))
    return buf.getvalue()


def _sign(definition: dict[str, Any], fmt: str, data: bytes, *, embed: bool) -> tuple[bytes, bytes | None]:
    with c2pa.Builder(definition) as builder:
        builder.set_no_embed()
        sidecar = builder.sign(_signer(), fmt, io.BytesIO(data), io.BytesIO())
    embedded = None
    if embed:
        out = io.BytesIO()
        with c2pa.Builder(definition) as builder:
            builder.sign(_signer(), fmt, io.BytesIO(data), out)
        embedded = out.getvalue()
    return sidecar, embedded


def sign_audio(*, wav: Path, definition: dict[str, Any]) -> Signed:
    """A sidecar manifest over ``wav`` and a copy of it with the manifest embedded."""
    data = wav.read_bytes()
    sidecar, embedded = _sign(definition, "audio/wav", data, embed=True)
    return Signed(manifest=sidecar, embedded=embedded, sha256=hashlib.sha256(data).hexdigest())


def sign_subtitles(*, vtt_text: str, definition: dict[str, Any]) -> Signed:
    """A sidecar manifest over the subtitles' ZIP (see :func:`subtitles_zip`)."""
    data = subtitles_zip(vtt_text)
    sidecar, _ = _sign(definition, "application/zip", data, embed=False)
    return Signed(manifest=sidecar, embedded=None, sha256=hashlib.sha256(vtt_text.encode("utf-8")).hexdigest())


def _verification(reader: c2pa.Reader) -> Verification:
    state = reader.get_validation_state() or "Invalid"
    results = reader.get_validation_results() or {}
    active = results.get("activeManifest", {}) if isinstance(results, dict) else {}
    failures = tuple(f"{f.get('code')}: {f.get('explanation', '')}" for f in active.get("failure", []))
    store = json.loads(reader.json())
    manifest = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    summary: dict[str, Any] = next((a.get("data", {}) for a in manifest.get("assertions", []) if a.get("label") == ASSERTION), {})
    signer = manifest.get("signature_info", {}).get("issuer", "")
    return Verification(state=state, failures=failures, summary=summary, signer=signer)


def verify_bytes(*, data: bytes, fmt: str, manifest: bytes | None = None) -> Verification:
    """Check ``data`` against its embedded manifest (``manifest`` None) or a sidecar.
    Never raises for a bad file: a missing or broken manifest is an "Invalid"/"Missing"
    verification with the library's reason."""
    try:
        if manifest is None:
            reader = c2pa.Reader(fmt, io.BytesIO(data), None, _context())
        else:
            reader = c2pa.Reader(fmt, io.BytesIO(data), manifest, _context())
        with reader:
            return _verification(reader)
    except c2pa.C2paError as exc:
        missing = "ManifestNotFound" in type(exc).__name__ or "not found" in str(exc).lower()
        return Verification(state="Missing" if missing else "Invalid", failures=(str(exc),))


def format_of(path: Path) -> str:
    return {".wav": "audio/wav", ".vtt": "application/zip", ".zip": "application/zip", ".mp4": "video/mp4",
            ".m4a": "audio/mp4", ".mp3": "audio/mpeg", ".flac": "audio/flac"}.get(path.suffix.lower(),
                                                                                  "application/octet-stream")


def verify_file(*, path: Path, manifest: bytes | None = None) -> Verification:
    """Check a file: a WebVTT is wrapped as it was signed; others are read as they are."""
    if path.suffix.lower() == ".vtt":
        return verify_bytes(data=subtitles_zip(path.read_text(encoding="utf-8")), fmt="application/zip",
                            manifest=manifest)
    return verify_bytes(data=path.read_bytes(), fmt=format_of(path), manifest=manifest)
