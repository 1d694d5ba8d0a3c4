"""Signing keys: Ed25519 by default, RSA-2048 (RSA-PSS with SHA-512) for peers that
need it. A key is known by its id; the private half stays where it was made (a node's
database, a worker's key file), the public half is published or registered."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from django.utils.translation import gettext
from http_message_signatures import algorithms


class Algorithm(StrEnum):
    ED25519 = "ed25519"
    RSA_PSS_SHA512 = "rsa-pss-sha512"

    @property
    def library(self) -> type[algorithms.HTTPSignatureAlgorithm]:
        return {Algorithm.ED25519: algorithms.ED25519, Algorithm.RSA_PSS_SHA512: algorithms.RSA_PSS_SHA512}[self]


class InvalidKey(ValueError):
    """A key that cannot be read or does not match its algorithm."""


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    algorithm: Algorithm
    pem: str

    def loaded(self) -> ed25519.Ed25519PublicKey | rsa.RSAPublicKey:
        try:
            key = serialization.load_pem_public_key(self.pem.encode())
        except ValueError as exc:
            raise InvalidKey(gettext("public key %(key)s is not a PEM public key: %(error)s")
                             % {"key": repr(self.key_id), "error": exc}) from exc
        expected = ed25519.Ed25519PublicKey if self.algorithm == Algorithm.ED25519 else rsa.RSAPublicKey
        if not isinstance(key, expected):
            # Translators: %(algorithm)s is ed25519 or rsa-pss-sha512.
            raise InvalidKey(gettext("public key %(key)s is not an %(algorithm)s key")
                             % {"key": repr(self.key_id), "algorithm": self.algorithm})
        return key


@dataclass(frozen=True)
class PrivateKey:
    key_id: str
    algorithm: Algorithm
    pem: str  # PKCS#8, unencrypted: store it where only the owner can read it

    def loaded(self) -> ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey:
        key = _load_private(self.pem)
        if not isinstance(key, (ed25519.Ed25519PrivateKey, rsa.RSAPrivateKey)):
            raise InvalidKey(gettext("private key %(key)s is neither Ed25519 nor RSA") % {"key": repr(self.key_id)})
        return key

    def public(self) -> PublicKey:
        pem = self.loaded().public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return PublicKey(self.key_id, self.algorithm, pem.decode())


@lru_cache(maxsize=64)
def _load_private(pem: str) -> object:
    # Reading an RSA key from PEM checks it, which costs far more than a signature: once
    # per key and process.
    return serialization.load_pem_private_key(pem.encode(), password=None)


def generate(key_id: str, algorithm: Algorithm | str = Algorithm.ED25519) -> PrivateKey:
    algorithm = Algorithm(algorithm)
    key: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
    if algorithm == Algorithm.ED25519:
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return PrivateKey(key_id, algorithm, pem.decode())
