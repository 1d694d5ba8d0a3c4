"""Calling another node: every request is signed with this node's key, and every answer
that says yes (status below 400) must carry that node's signature over it, bound to the
request (RFC 9421 response signatures, :func:`dastan.signing.messages.sign_response`).
An answer that does not verify is refused before anything in it is used, and the refusal
is recorded for the operators' peers page like a refused request.

Refusals (4xx/5xx) are read whether signed or not: nothing is stored from them, and a
node that refuses a request before it could verify it (an unknown key) cannot sign its
answer to that request.

Languages: a request names the active language (``Accept-Language``), so the other node
answers its own errors and decisions (a licence refused, a peering declined) in the words
of the person who asked. A signature refusal is sent in English with its reason's id and
parameters (:data:`dastan.signing.reasons.REASONS`); :func:`refusal_words` says it in this
node's active language, or gives the English text when the id is unknown (a newer node).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import get_language, gettext

from dastan.federation.errors import AnswerRefused
from dastan.federation.identity import normalize_url, owner_url, peer_lookup, signing_key
from dastan.signing.messages import (
    Refused,
    record_refusal,
    send,
    verify_answer,
)
from dastan.signing.reasons import REASONS, reason_text

CHANNEL = "federation"


def call(
    method: str, url: str, *, json_body: Any = None, timeout: float = 30.0
) -> requests.Response:
    """Send a signed request to a peer and return its answer, verified when it is not a
    refusal. Raises requests' errors when the node does not answer, AnswerRefused when
    its answer is unsigned, tampered, stale or signed by another node's key."""
    response = send(method, url, key=signing_key(), json_body=json_body, timeout=timeout,
                    headers={"Accept-Language": get_language() or settings.LANGUAGE_CODE})
    if response.status_code < 400:
        check_answer(response, url=url)
    return response


def check_answer(response: requests.Response, *, url: str) -> None:
    try:
        verified = verify_answer(response, lookup=peer_lookup)
        node = _node_of(url)
        if owner_url(verified.key_id) != node:
            raise Refused.because("bad_signature.other_node", verified.key_id, node=node, key=verified.key_id)
    except Refused as refused:
        record_refusal(
            CHANNEL,
            Refused(refused.code, f"answer refused: {refused.reason}", refused.key_id,
                    reason_id=refused.reason_id, params=refused.params),
            method=str(response.request.method or ""),
            path=url[:500],
            answer=True,
        )
        raise AnswerRefused(
            # Translators: %(code)s is a code such as bad_signature; %(reason)s is why.
            gettext("The answer of %(node)s was refused (%(code)s): %(reason)s.")
            % {"node": _node_of(url), "code": refused.code, "reason": refused.said()},
            gettext("Nothing of it was used. If it persists, check the other node's keys and clock, "
                    "and what sits between the two nodes."),
            code=f"answer_{refused.code}",
        ) from refused


def refusal_words(response: requests.Response) -> str:
    """What another node's refusal says, in the active language when it is a signature
    refusal this version knows (its ``reason_id``), else in the other node's own words."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if not isinstance(body, dict):
        return response.text[:300]
    english = str(body.get("message") or body.get("reason") or response.text[:300])[:300]
    reason_id = body.get("reason_id")
    said = reason_text(reason_id, body.get("params"), english="") if reason_id in REASONS else ""
    # Translators: what another node answered when it refused a signed message; %(reason)s is why.
    return gettext("Refused: %(reason)s.") % {"reason": said} if said else english


def _node_of(url: str) -> str:
    parts = urlsplit(url)
    return normalize_url(f"{parts.scheme}://{parts.netloc}")
