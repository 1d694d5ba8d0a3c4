"""Calling another node: every request is signed with this node's key, and every answer
that says yes (status below 400) must carry that node's signature over it, bound to the
request (RFC 9421 response signatures, :func:`dastan.signing.messages.sign_response`).
An answer that does not verify is refused before anything in it is used, and the refusal
is recorded for the operators' peers page like a refused request.

Refusals (4xx/5xx) are read whether signed or not: nothing is stored from them, and a
node that refuses a request before it could verify it (an unknown key) cannot sign its
answer to that request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext

from dastan.federation.errors import AnswerRefused
from dastan.federation.identity import normalize_url, owner_url, peer_lookup, signing_key
from dastan.signing.messages import Refused, record_refusal, send, verify_answer

CHANNEL = "federation"


def call(
    method: str, url: str, *, json_body: Any = None, timeout: float = 30.0
) -> requests.Response:
    """Send a signed request to a peer and return its answer, verified when it is not a
    refusal. Raises requests' errors when the node does not answer, AnswerRefused when
    its answer is unsigned, tampered, stale or signed by another node's key."""
    response = send(method, url, key=signing_key(), json_body=json_body, timeout=timeout)
    if response.status_code < 400:
        check_answer(response, url=url)
    return response


def check_answer(response: requests.Response, *, url: str) -> None:
    try:
        verified = verify_answer(response, lookup=peer_lookup)
        node = _node_of(url)
        if owner_url(verified.key_id) != node:
            raise Refused(
                "bad_signature",
                f"the answer from {node} is signed by another node's key ({verified.key_id})",
                verified.key_id,
            )
    except Refused as refused:
        record_refusal(
            CHANNEL,
            Refused(refused.code, f"answer refused: {refused.reason}", refused.key_id),
            method=str(response.request.method or ""),
            path=url[:500],
        )
        raise AnswerRefused(
            # Translators: %(code)s is a code such as bad_signature; %(reason)s stays in English.
            gettext("The answer of %(node)s was refused (%(code)s): %(reason)s.")
            % {"node": _node_of(url), "code": refused.code, "reason": refused.reason},
            gettext("Nothing of it was used. If it persists, check the other node's keys and clock, "
                    "and what sits between the two nodes."),
            code=f"answer_{refused.code}",
        ) from refused


def _node_of(url: str) -> str:
    parts = urlsplit(url)
    return normalize_url(f"{parts.scheme}://{parts.netloc}")
