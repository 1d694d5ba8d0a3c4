"""Remote workers' doors skip the middleware that serves people.

A machine's request under ``/compute/`` is signed by its key and answered with JSON: it
carries no session, no CSRF cookie, no sign-in to lock out, no flash messages, and is
never a page to frame, cache for anonymous viewers or guard with a content security
policy. Sessions, CSRF, authentication, messages, CSP, the page cache, whitenoise,
clickjacking and axes' bookkeeping cost a signed schedule call some 0.2-0.5 ms of CPU
(measured in process, of ~8 ms then); this middleware, placed right after Django's
SecurityMiddleware (HTTPS redirect, HSTS and ``nosniff`` still apply), calls a door's
view directly instead.

Only views marked :func:`machine_door` are taken this way: the signed doors
(``views.signed``) and enrolment, which check the request's signature themselves, so no
security property rests on the middleware skipped. A refusal is still in the asker's
language (the ``dastan_language`` cookie, then Accept-Language, as LocaleMiddleware reads
them). The people's pages under ``/compute/`` (workers, sharing, ledger) go the usual way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import Resolver404, get_resolver
from django.utils import translation

PREFIX = "/compute/"

View = TypeVar("View", bound=Callable[..., Any])


def machine_door(view: View) -> View:
    """Mark ``view`` as a door for machines: it checks its request's signature itself."""
    view.machine_door = True  # type: ignore[attr-defined]
    return view


class MachineDoorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(PREFIX):
            try:
                match = get_resolver().resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "machine_door", False):
                request.resolver_match = match
                with translation.override(translation.get_language_from_request(request)):
                    return match.func(request, *match.args, **match.kwargs)  # type: ignore[no-any-return]
        return self.get_response(request)
