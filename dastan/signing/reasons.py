"""Why a signed message is refused, said in any language: each reason by a stable id, and
the function that says one again from its id and parameters. Apart from
:mod:`dastan.signing.messages` so that the stored refusals (:mod:`dastan.signing.models`)
can say theirs without importing the verifier."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# Each reason a refusal can give, by a stable id ("code" or "code.detail"). A refusal
# travels to the other node as its code, this id, its parameters and the English text: the
# receiving node says it in its operator's language (:func:`reason_text`), and a node that
# does not know the id (an older version) reads the English text.
REASONS: dict[str, str] = {
    # Translators: Signature and Signature-Input are HTTP header names.
    "unsigned": gettext_noop("the request carries no HTTP message signature (Signature and Signature-Input headers)"),
    "unsigned.response": gettext_noop("the response carries no HTTP message signature (Signature and "
                                      "Signature-Input headers)"),
    "malformed": gettext_noop("the Signature-Input header does not parse: %(error)s"),
    # Translators: %(label)s is the signature's label, such as 'dastan'.
    "malformed.no_label": gettext_noop("no signature labelled %(label)s in Signature-Input"),
    # Translators: %(name)s is a signature parameter such as 'nonce'.
    "malformed.no_parameter": gettext_noop("the signature has no %(name)s parameter"),
    # Translators: keyid, nonce and created are the names of signature parameters: keep them.
    "malformed.types": gettext_noop("keyid and nonce must be strings, created an integer"),
    # Translators: %(missing)s lists parts of an HTTP message, such as @method, content-digest.
    "not_covered": gettext_noop("the signature does not cover %(missing)s"),
    "not_covered.response": gettext_noop("the response's signature does not cover %(missing)s"),
    "unknown_key": gettext_noop("key %(key)s is not known here"),
    # Translators: %(algorithm)s is ed25519 or rsa-pss-sha512.
    "unknown_key.unreadable": gettext_noop("key %(key)s is not a readable %(algorithm)s public key"),
    # Translators: signing time and this node's time, in UTC; NTP keeps clocks right.
    "stale": gettext_noop("the message was signed at %(created)s UTC, more than %(minutes)s minutes from "
                          "this node's clock (%(now)s UTC); check both clocks (NTP)"),
    "bad_signature.algorithm": gettext_noop("the signature says algorithm %(said)s, key %(key)s is %(algorithm)s"),
    "bad_signature": gettext_noop("the signature does not verify: the method, address, status or a signed "
                                  "header was changed, or another key signed it (%(error)s)"),
    "bad_signature.other_node": gettext_noop("the answer from %(node)s is signed by another node's key (%(key)s)"),
    "tampered_body": gettext_noop("the body does not match its signed Content-Digest (%(error)s)"),
    # Translators: a nonce is the one-time number of a signed request.
    "replay": gettext_noop("this request (nonce %(nonce)s…) was already accepted; a signed request is accepted once"),
    "revoked_key": gettext_noop("key %(key)s was replaced, and its overlap period ended at %(until)s"),
    # Translators: %(state)s is a peer's state, such as requested or declined.
    "not_peer": gettext_noop("%(peer)s is %(state)s here, not an accepted peer; nothing is exchanged before "
                             "an operator accepts"),
    "invalid_document.not_json": gettext_noop("the body is not JSON: %(error)s"),
    # Translators: since and limit are the names of query parameters: keep them.
    "invalid_document.paging": gettext_noop("since and limit must be whole numbers"),
}


def reason_text(reason_id: object, params: object, *, english: str) -> str:
    """The reason :data:`REASONS` names ``reason_id``, in the active language, with
    ``params`` (as another node sent them: anything); ``english`` when the id is not one
    this version knows or the parameters do not fit it."""
    template = REASONS.get(reason_id) if isinstance(reason_id, str) else None
    if template is None or not isinstance(params, dict):
        return english
    try:
        return gettext(template) % {str(name): str(value)[:300] for name, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return english
