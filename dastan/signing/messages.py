"""Sign a request; verify one. The signature covers the method, the target URI and the
body's ``Content-Digest`` (RFC 9530, SHA-256), with ``created``, ``keyid``, ``alg`` and a
``nonce`` as signed parameters. A verifier refuses, with a :class:`Refused` naming why:

========================  ===============================================================
``unsigned``              no ``Signature``/``Signature-Input``
``malformed``             the headers do not parse, or a signed parameter is missing
``unknown_key``           the key id is not one the verifier knows
``revoked_key``           the key was revoked, or its overlap period after rotation ended
``not_covered``           the signature leaves out the method, the URI or the digest
``stale``                 ``created`` is more than the window (±5 min) from now
``bad_signature``         the signature does not verify (a signed header was changed)
``tampered_body``         the body does not match the signed ``Content-Digest``
``replay``                this key and nonce were already accepted inside the window
========================  ===============================================================

Replay is checked last, after the signature verified, so that nobody can spend another
party's nonces. The key lookup is the caller's: federation looks in its peers' published
keys, compute in its enrolled workers'.

Responses are signed too (RFC 9421 section 2.4): :func:`sign_response` covers the status,
the body's ``Content-Digest`` and, from the request it answers, the method, the target
URI and the request's own signature. The last binds an answer to one request (its
nonce), so an answer recorded earlier cannot be played back for another request, and
:func:`verify_response` refuses with the same codes as above.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import http_sf
import requests
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from http_message_signatures import (
    ContentDigest,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    InvalidSignature,
)
from http_message_signatures.exceptions import HTTPMessageSignaturesException
from http_message_signatures.resolvers import HTTPSignatureKeyResolver
from http_message_signatures.structures import CaseInsensitiveDict

from dastan.net import client_address
from dastan.signing.keys import Algorithm, InvalidKey, PrivateKey, PublicKey
from dastan.signing.models import RefusedRequest, SeenNonce
from dastan.signing.reasons import REASONS, reason_text

COVERED = ("@method", "@target-uri", "content-digest")
LABEL = "dastan"
TAG = "dastan"
RESPONSE_TAG = "dastan-response"
# Serialised as RFC 9421 writes them, parameters and all (how the verifier compares them).
RESPONSE_COVERED = ('"@status"', '"content-digest"', '"@method";req', '"@target-uri";req',
                    f'"signature";req;key="{LABEL}"')
WINDOW = dt.timedelta(minutes=5)


class Refused(Exception):
    """A signed request refused; ``code`` is the first part of a :data:`REASONS` id (in
    :mod:`dastan.signing.reasons`), ``reason`` says it in
    English words an operator understands, ``key_id`` what the request claimed.
    :meth:`because` makes one from :data:`REASONS`, so that it can be said in another
    language (``reason_id`` and ``params``); :func:`reason_text` says it."""

    def __init__(self, code: str, reason: str, key_id: str = "", *, reason_id: str = "",
                 params: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.key_id = key_id
        self.reason_id = reason_id
        self.params = dict(params or {})

    @classmethod
    def because(cls, reason_id: str, key_id: str = "", /, **params: object) -> Refused:
        """The refusal :data:`REASONS` names ``reason_id``; its code is the id's first part."""
        words = {name: str(value) for name, value in params.items()}
        return cls(reason_id.split(".")[0], REASONS[reason_id] % words, key_id, reason_id=reason_id, params=words)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_refused, (self.code, self.reason, self.key_id, self.reason_id, self.params))

    def said(self) -> str:
        """The reason in the active language."""
        return reason_text(self.reason_id, self.params, english=self.reason)

    def as_dict(self) -> dict[str, Any]:
        """What the refused node is told: the code, the reason's id and parameters, and the
        English text under ``message`` (what nodes before the ids read)."""
        return {"code": self.code, "reason_id": self.reason_id, "params": self.params,
                "message": f"Refused: {self.reason}.",
                "hint": "The receiving node's operator sees this refusal on its peers page."}


def _rebuild_refused(code: str, reason: str, key_id: str, reason_id: str, params: dict[str, str]) -> Refused:
    return Refused(code, reason, key_id, reason_id=reason_id, params=params)


@dataclass(frozen=True)
class Verified:
    key_id: str
    nonce: str
    created: dt.datetime
    algorithm: Algorithm


KeyLookup = Callable[[str], PublicKey | None]
"""Return the public key for an id, None when unknown; raise Refused('revoked_key', …)
for a key that is known but may no longer sign."""


@dataclass
class _Message:
    """The shape the library reads: an uppercase method, an absolute URL, headers."""

    method: str
    url: str
    headers: CaseInsensitiveDict


@dataclass
class _Response:
    """A response as the library reads it, with the request it answers."""

    status_code: int
    headers: CaseInsensitiveDict
    request: _Message


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, private: Any = None, public: Any = None) -> None:
        self.private, self.public = private, public

    def resolve_private_key(self, key_id: str) -> Any:
        return self.private

    def resolve_public_key(self, key_id: str) -> Any:
        return self.public


class _Verifier(HTTPMessageVerifier):
    # The window is checked here, before the library, so "stale" has its own reason.
    max_clock_skew = WINDOW


def sign(method: str, url: str, *, key: PrivateKey, body: bytes = b"",
         created: dt.datetime | None = None, nonce: str | None = None) -> dict[str, str]:
    """The headers that sign this request: ``Content-Digest``, ``Signature-Input`` and
    ``Signature``. Add them to the request as they are."""
    message = _Message(method.upper(), url, CaseInsensitiveDict())
    signer = HTTPMessageSigner(signature_algorithm=key.algorithm.library,
                               key_resolver=_OneKey(private=key.loaded()))
    signer.sign(message, key_id=key.key_id, created=created or timezone.now(),
                nonce=nonce or secrets.token_urlsafe(18), label=LABEL, tag=TAG,
                covered_component_ids=COVERED, body=body)
    return dict(message.headers.items())


def _parameters(headers: Mapping[str, str], *, what: str = "request",
                required: tuple[str, ...] = ("keyid", "created", "nonce")) -> dict[str, Any]:
    signature_input = headers.get("Signature-Input")
    if not signature_input or not headers.get("Signature"):
        raise Refused.because("unsigned" if what == "request" else "unsigned.response")
    try:
        parsed: Any = http_sf.parse(signature_input.encode(), tltype="dictionary")
    except Exception as exc:  # http_sf raises ValueError subclasses and others
        raise Refused.because("malformed", error=exc) from exc
    if LABEL not in parsed:
        raise Refused.because("malformed.no_label", label=repr(LABEL))
    members, raw_params = parsed[LABEL]
    covered = [str(member[0]) for member in members] if isinstance(members, list) else []
    params: dict[str, Any] = dict(raw_params)
    params["covered"] = covered
    # The covered components with their parameters, as RFC 9421 serialises them
    # ('"@method";req'): a response must cover the request's parts, not its own.
    params["covered_items"] = [http_sf.ser(member) for member in members] if isinstance(members, list) else []
    for name in required:
        if name not in params:
            raise Refused.because("malformed.no_parameter", name=repr(name))
    if not isinstance(params["created"], int) or not isinstance(params["keyid"], str) \
            or not isinstance(params.get("nonce", ""), str):
        raise Refused.because("malformed.types")
    return params


def verify(method: str, url: str, headers: Mapping[str, str], body: bytes, *, lookup: KeyLookup,
           now: dt.datetime | None = None, remember: bool = True) -> Verified:
    """Verify a request as received; raise :class:`Refused`. With ``remember`` the nonce
    is stored, so the same request is refused as a replay next time."""
    headers = CaseInsensitiveDict(headers)
    params = _parameters(headers)
    key_id = params["keyid"]
    missing = [c for c in COVERED if c not in params["covered"]]
    if missing:
        raise Refused.because("not_covered", key_id, missing=", ".join(missing))
    verified = _check(_Message(method.upper(), url, headers), headers, body, params=params, lookup=lookup,
                      now=now, tag=TAG)
    if remember:
        remember_nonce(key_id, params["nonce"], now or timezone.now())
    return verified


def _check(message: _Message | _Response, headers: CaseInsensitiveDict, body: bytes, *, params: dict[str, Any],
           lookup: KeyLookup, now: dt.datetime | None, tag: str) -> Verified:
    """The checks a request and a response share: a known key, the time window, the
    signature itself, then the body against its signed digest."""
    key_id = params["keyid"]
    public = lookup(key_id)
    if public is None:
        raise Refused.because("unknown_key", key_id, key=repr(key_id))
    now = now or timezone.now()
    created = dt.datetime.fromtimestamp(params["created"], tz=dt.UTC)
    if abs(now - created) > WINDOW:
        raise Refused.because("stale", key_id, created=f"{created:%Y-%m-%d %H:%M:%S}",
                              minutes=int(WINDOW.total_seconds() // 60), now=f"{now:%H:%M:%S}")
    if params.get("alg") not in (None, public.algorithm.value):
        raise Refused.because("bad_signature.algorithm", key_id, said=repr(params.get("alg")), key=repr(key_id),
                              algorithm=public.algorithm)
    try:
        loaded = public.loaded()
    except InvalidKey as exc:
        raise Refused.because("unknown_key.unreadable", key_id, key=repr(key_id),
                              algorithm=public.algorithm.value) from exc
    verifier = _Verifier(signature_algorithm=public.algorithm.library, key_resolver=_OneKey(public=loaded))
    try:
        verifier.verify(message, max_age=None, expect_tag=tag, expect_label=LABEL)
    except (InvalidSignature, HTTPMessageSignaturesException) as exc:
        raise Refused.because("bad_signature", key_id, error=exc) from exc
    try:  # the digest header is signed (checked above); now the body must match it
        ContentDigest.verify(headers["content-digest"], body)
    except (InvalidSignature, HTTPMessageSignaturesException) as exc:
        raise Refused.because("tampered_body", key_id, error=exc) from exc
    return Verified(key_id, str(params.get("nonce", "")), created, public.algorithm)


def sign_response(*, status: int, body: bytes, request_method: str, request_url: str,
                  request_headers: Mapping[str, str], key: PrivateKey,
                  created: dt.datetime | None = None) -> dict[str, str]:
    """The headers that sign a response to a signed request: ``Content-Digest``,
    ``Signature-Input`` and ``Signature``, covering :data:`RESPONSE_COVERED`."""
    request = _Message(request_method.upper(), request_url, CaseInsensitiveDict(request_headers))
    message = _Response(status, CaseInsensitiveDict(), request)
    signer = HTTPMessageSigner(signature_algorithm=key.algorithm.library,
                               key_resolver=_OneKey(private=key.loaded()))
    signer.sign(message, key_id=key.key_id, created=created or timezone.now(), label=LABEL, tag=RESPONSE_TAG,
                covered_component_ids=RESPONSE_COVERED, body=body)
    return dict(message.headers.items())


def verify_response(*, status: int, headers: Mapping[str, str], body: bytes, request_method: str,
                    request_url: str, request_headers: Mapping[str, str], lookup: KeyLookup,
                    now: dt.datetime | None = None) -> Verified:
    """Verify the answer to a request this node signed; raise :class:`Refused` (the codes
    of the table above, ``not_covered`` when it does not cover :data:`RESPONSE_COVERED`)."""
    headers = CaseInsensitiveDict(headers)
    params = _parameters(headers, what="response", required=("keyid", "created"))
    missing = [c for c in RESPONSE_COVERED if c not in params["covered_items"]]
    if missing:
        raise Refused.because("not_covered.response", params["keyid"], missing=", ".join(missing))
    request = _Message(request_method.upper(), request_url, CaseInsensitiveDict(request_headers))
    return _check(_Response(status, headers, request), headers, body, params=params, lookup=lookup, now=now,
                  tag=RESPONSE_TAG)


def verify_answer(response: requests.Response, *, lookup: KeyLookup) -> Verified:
    """:func:`verify_response` for an answer that :func:`send` received."""
    sent = response.request
    return verify_response(status=response.status_code, headers=response.headers, body=response.content,
                           request_method=str(sent.method), request_url=str(sent.url),
                           request_headers={k: v if isinstance(v, str) else v.decode("latin-1")
                                            for k, v in sent.headers.items()}, lookup=lookup)


def remember_nonce(key_id: str, nonce: str, now: dt.datetime) -> None:
    """Store an accepted request's nonce; raise :class:`Refused` (``replay``) if it was
    accepted before. ``verify`` does it unless told not to (a caller that stores it in its
    own transaction)."""
    # One statement, no savepoint around it: a nonce seen before inserts nothing.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {SeenNonce._meta.db_table} (key_id, nonce, seen_at) VALUES (%s, %s, %s) "
                       "ON CONFLICT (key_id, nonce) DO NOTHING",
                       [key_id, nonce, connection.ops.adapt_datetimefield_value(now)])
        inserted = cursor.rowcount
    if inserted != 1:
        raise Refused.because("replay", key_id, nonce=nonce[:12])
    # Nonces older than twice the window can no longer pass the time check: drop them
    # now and then rather than on every request.
    if secrets.randbelow(200) == 0:
        SeenNonce.objects.filter(seen_at__lt=now - 2 * WINDOW).delete()


def verify_request(request: HttpRequest, *, lookup: KeyLookup, channel: str) -> Verified:
    """Verify a Django request; a refusal is also recorded (``RefusedRequest``) for the
    operator's page of ``channel``."""
    headers = {key: value for key, value in request.headers.items()}
    try:
        return verify(request.method or "GET", request.build_absolute_uri(), headers, request.body,
                      lookup=lookup)
    except Refused as refused:
        record_refusal(channel, refused, method=request.method or "", path=request.get_full_path(),
                       remote_addr=client_address(request))
        raise


def sign_django_response(request: HttpRequest, response: HttpResponse, *, key: PrivateKey) -> HttpResponse:
    """Sign ``response`` (its status and bytes as they are now) as the answer to ``request``,
    a request that verified; returns it with the three headers set."""
    headers = sign_response(status=response.status_code, body=response.content,
                            request_method=request.method or "GET", request_url=request.build_absolute_uri(),
                            request_headers=dict(request.headers.items()), key=key)
    for name, value in headers.items():
        response[name] = value
    return response


def record_refusal(channel: str, refused: Refused, *, method: str = "", path: str = "",
                   remote_addr: str = "", answer: bool = False) -> RefusedRequest:
    """Keep ``refused`` for the operator's page of ``channel``: its English words, and its
    reason's id and parameters so that each reader reads it in their language. ``answer``:
    the refused message is a peer's answer to this node's request."""
    return RefusedRequest.objects.create(
        channel=channel, code=refused.code, reason=refused.reason[:500], key_id=refused.key_id[:200],
        reason_id=refused.reason_id[:60], params={name: str(value)[:300] for name, value in refused.params.items()},
        method=method[:10], path=path[:500], remote_addr=remote_addr[:64], answer=answer)


def send(method: str, url: str, *, key: PrivateKey, body: bytes = b"", json_body: Any = None,
         headers: Mapping[str, str] | None = None, session: requests.Session | None = None,
         timeout: float = 30.0, **kwargs: Any) -> requests.Response:
    """Make a signed request with ``requests``. ``json_body`` is serialised compactly and
    sent with its content type; the bytes signed are the bytes sent."""
    all_headers = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
        all_headers.setdefault("Content-Type", "application/json")
    prepared = requests.Request(method.upper(), url, data=body or None, headers=all_headers).prepare()
    assert prepared.url is not None
    all_headers.update(sign(method, prepared.url, key=key, body=body))
    prepared.headers.update(all_headers)
    return (session or requests.Session()).send(prepared, timeout=timeout, **kwargs)
