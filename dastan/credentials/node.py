"""The node's content-credentials identity: an Ed25519 key pair made with the shared
signing core (``dastan.signing.keys.generate``) and an X.509 chain for it, which C2PA
requires: a root certificate of this node (the trust anchor verifiers are given) and a
signer certificate for digital signatures (key usage digitalSignature, extended key
usage emailProtection, as the C2PA trust model asks of end-entity certificates).

Made once, on first use, under ``DASTAN_HOME/credentials/``; the private keys are
written readable by the owner only. A verifier that trusts this node's root sees
"Trusted"; anyone else still checks the signature and the hashes ("Valid").
"""

from __future__ import annotations

import datetime
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from dastan.signing.keys import Algorithm, generate

_LOCK = threading.Lock()
_NO_KEY_USAGE = {"content_commitment": False, "key_encipherment": False, "data_encipherment": False,
                     "key_agreement": False, "encipher_only": False, "decipher_only": False}


@dataclass(frozen=True, slots=True)
class NodeCredential:
    chain_pem: bytes  # signer certificate, then the node's root
    key_pem: bytes  # the signer's private key (PKCS#8)
    root_pem: bytes  # the trust anchor to give verifiers


def credentials_dir() -> Path:
    return Path(settings.DASTAN_HOME) / "credentials"


def _name(common: str) -> x509.Name:
    node = getattr(settings, "DASTAN_NODE_NAME", "") or "Dastan node"
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, str(node)[:64])])


def _load_ed25519(pem: str) -> ed25519.Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, ed25519.Ed25519PrivateKey)  # generate() was asked for Ed25519
    return key


def _issue(folder: Path) -> None:
    now = datetime.datetime.now(datetime.UTC)
    root_key = _load_ed25519(generate("c2pa-root", Algorithm.ED25519).pem)
    signer = generate("c2pa-signer", Algorithm.ED25519)
    signer_key = _load_ed25519(signer.pem)
    root = (x509.CertificateBuilder().subject_name(_name("Dastan node content credentials root"))
            .issuer_name(_name("Dastan node content credentials root")).public_key(root_key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, key_cert_sign=True, crl_sign=True,
                                         **_NO_KEY_USAGE), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, None))
    leaf = (x509.CertificateBuilder().subject_name(_name("Dastan node content credentials"))
            .issuer_name(root.subject).public_key(signer_key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False,
                                         **_NO_KEY_USAGE), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, None))
    folder.mkdir(parents=True, exist_ok=True)
    pem = serialization.Encoding.PEM
    (folder / "root.pem").write_bytes(root.public_bytes(pem))
    (folder / "chain.pem").write_bytes(leaf.public_bytes(pem) + root.public_bytes(pem))
    key_file = folder / "signer.key"
    key_file.write_text(signer.pem)
    os.chmod(key_file, 0o600)
    # The root's private half is not kept: the node issues one signer; a new signer
    # means a new root, announced again (as a federation key rotation would be).


def node_credential() -> NodeCredential:
    """This node's signing chain and key, made on first use."""
    folder = credentials_dir()
    with _LOCK:
        if not (folder / "signer.key").exists():
            _issue(folder)
    return NodeCredential(chain_pem=(folder / "chain.pem").read_bytes(),
                          key_pem=(folder / "signer.key").read_bytes(),
                          root_pem=(folder / "root.pem").read_bytes())
