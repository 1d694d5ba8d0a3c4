"""The page a person sees when sign-in is paused for their user name and address."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dastan.catalog.languages import LANGUAGES
from dastan.net import client_address


def retry_sign_in_at(*, request: HttpRequest, username: str) -> datetime:
    """When this user name may try again from this address: the cool-off counted from the
    last failed try (each try during the lockout restarts it, AXES_RESET_COOL_OFF_...)."""
    cool_off = get_cool_off(request)
    last = (AccessAttempt.objects.filter(username=username, ip_address=client_address(request))
            .order_by("-attempt_time").values_list("attempt_time", flat=True).first())
    return (last or timezone.now()) + (cool_off or timedelta(0))


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, Any] | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After and the time to try again, in the
    viewer's language, for the studio's sign-in and the admin's alike."""
    username = get_client_username(request, credentials) or ""
    retry_at = retry_sign_in_at(request=request, username=username)
    wait_s = max(60, math.ceil((retry_at - timezone.now()).total_seconds()))
    context = {"retry_at": retry_at, "minutes": math.ceil(wait_s / 60), "interface_languages": LANGUAGES}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(wait_s)
    return response
