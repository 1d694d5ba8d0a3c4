"""The federation app's errors: each says what happened and what the operator can do."""

from __future__ import annotations

from dastan.errors import DastanError, InvalidInput, NotFound


class PeerNotFound(NotFound):
    code = "peer_not_found"


class PeeringRefused(DastanError):
    """The other node answered, but not as peering needs (declined, unreachable, wrong state)."""

    code = "peering_refused"
    status = 409


class NodeUnreachable(DastanError):
    code = "node_unreachable"
    status = 502


class InvalidDocument(InvalidInput):
    """A message's body breaks the exchange schema; nothing of it is stored."""

    code = "invalid_document"


class AnswerRefused(DastanError):
    """Another node's answer did not verify (unsigned, tampered, stale, another key)."""

    code = "answer_refused"
    status = 502


class PeerAddressRefused(InvalidInput):
    """An address that may not be a peer's here (plain HTTP, a private or loopback one)."""

    code = "address_refused"
