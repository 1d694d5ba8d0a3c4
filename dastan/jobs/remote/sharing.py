"""Sharing agreements: an organisation lends its workers to another, with an optional
cap in hours per month (counted on accepted work, see ``scheduling.served_organisations``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dastan.errors import InvalidInput
from dastan.jobs.models import SharingAgreement
from dastan.jobs.remote.enrolment import audit, check_may_manage


def share_workers(*, user: Any, lender: Any, borrower: Any, cap_hours_per_month: float | None) -> SharingAgreement:
    """Let ``lender``'s workers serve ``borrower``'s jobs. Only the lender decides."""
    if lender is None or borrower is None or lender.pk == borrower.pk:
        raise InvalidInput(gettext("A sharing agreement needs two different organisations."),
                           gettext("Name the organisation that lends its workers and the one that borrows them."))
    check_may_manage(user=user, organisation=lender)
    if cap_hours_per_month is not None and cap_hours_per_month <= 0:
        raise InvalidInput(gettext("A monthly cap is a positive number of hours."), gettext("Leave it empty for no cap."),
                           field="cap_hours")
    agreement, _ = SharingAgreement.objects.update_or_create(
        lender=lender, borrower=borrower, defaults={"cap_hours_per_month": cap_hours_per_month})
    audit(None, "shared", f"{lender.slug} lends its workers to {borrower.slug}"
          + (f", up to {cap_hours_per_month:g} h a month" if cap_hours_per_month else ""),
          actor=user, name="(pool)", organisation=lender)
    return agreement
