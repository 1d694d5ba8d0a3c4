"""One place turns failures into what a person reads, for pages as the API does for JSON.

A :class:`~dastan.errors.DastanError` raised anywhere under a page (a refused
permission, a missing object, a licence that does not cover the viewer) becomes a page in
the viewer's language with its status, the message and the hint; Django's own 403, 404,
400 and 500 handlers render the same page. Requests under ``/api/`` get the API's
``{code, message, hint}`` body, and media requests (playlists, segments, which players
fetch) a short plain-text answer, since nobody reads HTML there.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dastan.catalog.languages import LANGUAGES
from dastan.errors import DastanError, NotFound, PermissionDenied

log = logging.getLogger(__name__)

_HEADINGS = {
    400: gettext_lazy("The request could not be read"),
    403: gettext_lazy("You cannot open this page"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("This cannot be done now"),
    410: gettext_lazy("Gone"),
    413: gettext_lazy("Too large"),
    422: gettext_lazy("Something in the request is not valid"),
    429: gettext_lazy("Too many requests"),
    451: gettext_lazy("Not available where you are"),
    500: gettext_lazy("Something went wrong on our side"),
}


def _heading(status: int) -> str:
    return str(_HEADINGS.get(status, _HEADINGS[400] if status < 500 else _HEADINGS[500]))


def _wants_plain(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" not in accept and "*/*" not in accept and accept != ""


def error_response(request: HttpRequest, error: DastanError) -> HttpResponse:
    """The response a person (or their player, or their program) gets for ``error``."""
    status = error.status if 400 <= error.status < 600 else 500
    if request.path.startswith("/api/"):
        return HttpResponse(json.dumps(error.as_dict()), status=status, content_type="application/json")
    if _wants_plain(request):
        return HttpResponse(str(error), status=status, content_type="text/plain; charset=utf-8")
    return render(request, "web/error.html", {
        "error": error, "status": status, "heading": _heading(status),
        "interface_languages": LANGUAGES,
    }, status=status)


class DastanErrorMiddleware:
    """Renders a DastanError that reached a page view as :func:`error_response`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DastanError):
            if exception.status >= 500:
                log.error("%s answered %s: %s", request.path, exception.status, exception)
            return error_response(request, exception)
        return None


# Django's handlers (dastan.urls names them), for what did not come as a DastanError.
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, DastanError(_("The request could not be read."),
                                               _("Check the address and the form, then try again."),
                                               code="bad_request", status=400))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, PermissionDenied(
        _("You may not open this page."),
        _("Sign in with an account that may, or ask an administrator of the organisation for a role.")))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, NotFound(
        _("There is nothing at this address."),
        _("Check the address, or start again from the catalog.")))


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(request, DastanError(
        _("Something went wrong on our side; nothing you sent was lost."),
        _("Try again in a minute. If it happens again, tell the node's operator the time it happened."),
        code="server_error", status=500))
