"""Rows for signing tests: the nonces a verifier remembers and the requests it refused."""

from __future__ import annotations

import factory
from django.utils import timezone

from dastan.signing.models import RefusedRequest, SeenNonce

__all__ = ["RefusedRequestFactory", "SeenNonceFactory"]


class SeenNonceFactory(factory.django.DjangoModelFactory[SeenNonce]):
    """A signed request accepted just now."""

    class Meta:
        model = SeenNonce

    key_id = "https://node.example.org#k-1"
    nonce = factory.Sequence(lambda n: f"nonce-{n:08d}")
    seen_at = factory.LazyFunction(timezone.now)


class RefusedRequestFactory(factory.django.DjangoModelFactory[RefusedRequest]):
    """A request refused at the federation's door for a signature by an unknown key, as
    :func:`~dastan.signing.messages.record_refusal` records it."""

    class Meta:
        model = RefusedRequest

    channel = "federation"
    code = "unknown_key"
    reason = factory.LazyAttribute(lambda o: f"no key {o.key_id} is known here")
    key_id = "https://stranger.example.org#k-1"
    method = "POST"
    path = "/federation/inbox"
    remote_addr = "203.0.113.7"
