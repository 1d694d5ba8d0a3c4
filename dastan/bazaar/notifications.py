"""Notifications in the studio (a row per person) and by e-mail through Django's mail
backend (the console backend unless DASTAN_EMAIL_* settings name a server)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from dastan.accounts.languages import preferred_language
from dastan.bazaar.models import Notification
from dastan.i18n import describe, render_in


def notify(*, users: Iterable[Any], subject: str, text: str, link: str = "",
           attachments: Sequence[tuple[str, bytes, str]] = ()) -> list[Notification]:
    """One studio notification per person, and one e-mail to each who has an address, each
    in that person's language (``subject`` and ``text`` made with dastan.i18n's gettext are
    said again in it; the notification keeps their ids, to follow a later change)."""
    made = []
    about, said = describe(subject), describe(text)
    for user in {u.pk: u for u in users if u is not None}.values():
        language = preferred_language(user)
        written = render_in(language, said, text)
        made.append(Notification.objects.create(user=user, text=written[:500], text_i18n=said, link=link))
        if user.email:
            mail = EmailMessage(subject=render_in(language, about, subject), body=f"{written}\n\n{link}".strip(),
                                from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])
            for name, content, mimetype in attachments:
                mail.attach(name, content, mimetype)
            mail.send(fail_silently=False)
    return made


def notifications_for(*, user: Any, limit: int = 50) -> list[Notification]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(user=user)[:limit])
