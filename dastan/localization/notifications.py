"""Lines for one person (a task assigned, a reminder, a pivot ready): kept as rows and
shown on their queue; a person reads only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from dastan.accounts.languages import preferred_language
from dastan.i18n import describe, render_in
from dastan.localization.models import Notification


def notify(*, user: Any, text: str, url: str = "") -> Notification:
    """A line for ``user``, written in their language (whoever's request makes it); a
    ``text`` made with dastan.i18n's gettext keeps its ids, so it follows them if they
    switch language later."""
    described = describe(text)
    written = render_in(preferred_language(user), described, text)
    return Notification.objects.create(user=user, text=written[:300], text_i18n=described, url=url[:300])


def notifications_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first (nobody else's, whoever asks)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def mark_read(*, user: Any) -> int:
    return notifications_for(user=user, unread_only=True).update(read_at=timezone.now())
