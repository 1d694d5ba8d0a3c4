"""The JSON API, versioned under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Each app contributes a ninja Router in its own ``api.py``; this module mounts them and
maps every :class:`~dastan.errors.DastanError` to ``{code, message, hint, field}``.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled, ValidationError

from dastan.accounts.throttling import AnonRateThrottle, TokenRateThrottle, TooManyRequests
from dastan.accounts.tokens import TokenAuth
from dastan.errors import DastanError

# The error answers every operation can give, all in the one {code, message, hint} shape of
# DastanError (and of the handlers below): documented once here instead of on each route,
# so the schema cannot forget one (the fuzzer checks every answer against it).
ERROR_RESPONSES = {
    400: "The request cannot be read (a malformed body or header).",
    401: "No valid credentials: send 'Authorization: Bearer <token>'.",
    403: "Your role does not allow this; the hint names the roles that do.",
    404: "Not found, or not yours to know about (another organisation's drafts).",
    409: "Not possible in the object's current state (e.g. approving a published track).",
    413: "Too large for the organisation's quota or the node's disk.",
    422: "A field is not valid; 'field' names it.",
    429: "Over the rate allowed; Retry-After says when to send again.",
    451: "Not licensed in the viewer's country now; the message names the window.",
    503: "An engine or model this needs is not installed here; the hint says how to add it.",
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "hint"],
    "properties": {
        "code": {"type": "string", "description": "stable, for programs"},
        "message": {"type": "string", "description": "what happened, in the caller's language"},
        "hint": {"type": "string", "description": "what to do about it"},
        "field": {"type": ["string", "null"], "description": "the field at fault, if one is"},
    },
}


class DastanAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description, **ref})
        return schema


api = DastanAPI(
    title="Dastan API",
    version="1",
    description=(
        "Catalog, media, localization, rights and jobs of a Dastan node. "
        "Authenticate with `Authorization: Bearer <token>`; `dastan manage create_api_token` "
        "makes a token for an organisation's user."
    ),
    urls_namespace="api-v1",
    # Per address without a token, per token with one (DASTAN_API_ANON_RATE,
    # DASTAN_API_TOKEN_RATE); wrong tokens are counted by TokenAuth itself.
    throttle=[AnonRateThrottle(), TokenRateThrottle()],
)


@api.exception_handler(DastanError)
def _dastan_error(request: HttpRequest, exc: DastanError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(TooManyRequests)
def _too_many_requests(request: HttpRequest, exc: TooManyRequests) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    response["Retry-After"] = str(exc.retry_after_s)
    return response


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds Retry-After to what this returns.
    wait = f" Wait {math.ceil(exc.wait)} seconds and send it again." if exc.wait is not None else ""
    body = {
        "code": "throttled",
        "message": "This request is over the rate allowed for its token or address.",
        "hint": f"Send fewer requests.{wait} The node's operator sets the rates "
                "(DASTAN_API_ANON_RATE, DASTAN_API_TOKEN_RATE).",
    }
    return api.create_response(request, body, status=429)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first: dict[str, Any] = exc.errors[0] if exc.errors else {}
    location = [str(p) for p in first.get("loc", []) if p not in ("body", "query", "path", "payload")]
    field = ".".join(location) or None
    message = f"The field '{field}' is not valid: {first.get('msg', 'invalid value')}." if field \
        else f"The request is not valid: {first.get('msg', 'invalid value')}."
    body = {
        "code": "invalid_input",
        "message": message,
        "hint": "Correct the field and send the request again; /api/v1/docs shows each field's type.",
        "field": field,
        "errors": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "code": "unauthenticated",
        "message": "This request needs an API token, and none valid was sent.",
        "hint": "Send 'Authorization: Bearer <token>'; `dastan manage create_api_token USER` makes one.",
    }
    return api.create_response(request, body, status=401)


def _mount(app_label: str, prefix: str) -> None:
    api.add_router(prefix, importlib.import_module(f"dastan.{app_label}.api").router)


for _label, _prefix in (
    ("jobs", "/jobs"),
    ("catalog", "/catalog"),
    ("media", "/media"),
    ("localization", "/localization"),
    ("rights", "/rights"),
    ("labs", "/labs"),
    ("bazaar", "/bazaar"),
    ("dubbing", "/dubbing"),
    ("credentials", "/credentials"),
):
    _mount(_label, _prefix)

__all__ = ["TokenAuth", "api"]
