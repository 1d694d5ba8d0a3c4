"""Revoking a consent: effective at once, for new publishing and for what is published."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from dastan.accounts.permissions import Action, check
from dastan.dubbing.models import Consent, HumanDub
from dastan.dubbing.publishing import withdraw_for_consent


def revoke_consent(*, by: Any, consent: Consent, reason: str) -> list[HumanDub]:
    """Revoke ``consent`` now: publishing anything relying on it is refused from this
    moment, and every published dub that relies on it goes back into review and off the
    stream (returned). Raises NotAllowed without MANAGE_CONSENT."""
    check(user=by, action=Action.MANAGE_CONSENT, organisation=consent.organisation, hidden=True)
    with transaction.atomic():
        if consent.revoked_at is None:
            consent.revoked_at, consent.revoked_reason = timezone.now(), reason[:300]
            consent.save(update_fields=["revoked_at", "revoked_reason"])
        return withdraw_for_consent(consent)
