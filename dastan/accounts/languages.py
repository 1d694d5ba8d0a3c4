"""The language each person reads in: remembered from the pages they use, read when
something is written for them in their absence (dastan.i18n says it again in it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language, get_supported_language_variant

from dastan.accounts.models import LanguagePreference

# The language this session last recorded, so that a request writes only on a change.
_REMEMBERED = "dastan_language_remembered"


def preferred_language(user: Any) -> str:
    """The language ``user`` last used the interface in; the site's default when they never
    signed in (or the language is no longer offered)."""
    pk = getattr(user, "pk", None)
    found = LanguagePreference.objects.filter(user_id=pk).values_list("language", flat=True).first() if pk else None
    return found if found and check_for_language(found) else settings.LANGUAGE_CODE


def remember_language(*, user_id: Any, language: str) -> None:
    """Record ``language`` as the one ``user_id`` reads in (a code of settings.LANGUAGES)."""
    LanguagePreference.objects.update_or_create(user_id=user_id, defaults={"language": language})


class RememberLanguageMiddleware:
    """Records the language a signed-in person's request was answered in (their choice on
    the language form, or their browser's), once per change, after the view. Reads the
    user's id from the session: no user query on requests that did not need one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        if session is None or not language or not session.session_key:
            return response
        user_id = session.get(SESSION_KEY)
        if user_id is None or session.get(_REMEMBERED) == language:
            return response
        try:
            language = get_supported_language_variant(language)
        except LookupError:
            return response
        remember_language(user_id=user_id, language=language)
        session[_REMEMBERED] = language
        return response
