"""A page's action, and the flash message that tells the person how it went.

Every desk's buttons post to a view that calls one domain function and sends the browser
back to the desk: a refusal (a ``DastanError``) becomes the error message with its hint,
success the sentence the view gives. Nothing else is caught: a bug is a 500, not a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect

from dastan.errors import DastanError


def act_and_return(request: HttpRequest, action: Callable[[], Any], *, done: str, to: str) -> HttpResponseRedirect:
    """Run ``action``; flash ``done``, or the refusal's message and hint; redirect to ``to``."""
    try:
        action()
    except DastanError as exc:
        messages.error(request, f"{exc.message} {exc.hint}".strip())
    else:
        messages.success(request, done)
    return HttpResponseRedirect(to)
