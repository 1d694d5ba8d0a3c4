"""Commissioning across organisations: a studio orders a localization house's work on
named titles and languages, for a term. While it runs, the house's translators and
reviewers work on those titles' tracks in those languages (what their role at the house
allows, capped by ``permissions.COMMISSIONABLE``) and see nothing else of the studio's;
when it ends, or the studio ends it early, their access ends with it. Publishing stays
the studio's: its approval policy decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dastan.accounts.permissions import Action, check
from dastan.catalog.models import Organisation, Title
from dastan.catalog.services import check_language
from dastan.errors import InvalidInput, NotFound
from dastan.i18n import gettext
from dastan.localization.access import commissioned_pairs, commissioned_q
from dastan.localization.models import Commission, SubtitleTrack


@transaction.atomic
def commission_house(*, studio: Organisation, house: Organisation, titles: Sequence[Title],
                     languages: Sequence[str], ends_at: datetime, by: Any,
                     starts_at: datetime | None = None, note: str = "") -> Commission:
    """Commission ``house`` for ``titles`` × ``languages`` until ``ends_at``. Raises
    NotAllowed unless ``by`` orders localization for ``studio``; InvalidInput for a
    title of another owner, an unknown language, the studio itself, or a past deadline."""
    check(user=by, action=Action.ORDER_LOCALIZATION, organisation=studio)
    if house.pk == studio.pk:
        # Translators: a house is a localization company a studio commissions to translate its films.
        raise InvalidInput(gettext("A studio cannot commission itself."),
                           gettext("Name another organisation as the house."), field="house")
    if not titles:
        raise InvalidInput(gettext("A commission needs at least one title."),
                           gettext("Name the titles the house works on."), field="titles")
    foreign = [t.slug for t in titles if t.owner_id != studio.pk]
    if foreign:
        raise InvalidInput(gettext("%(studio)s does not own %(titles)s.")
                           % {"studio": studio.name, "titles": ", ".join(foreign)},
                           gettext("Commission only your own organisation's titles."), field="titles")
    codes = sorted({check_language(code, field="languages") for code in languages})
    if not codes:
        raise InvalidInput(gettext("A commission needs at least one language."),
                           gettext("Name the target languages."), field="languages")
    # A time without a zone is read as UTC (the API's clients may send either).
    starts = _aware(starts_at) if starts_at else timezone.now()
    ends_at = _aware(ends_at)
    if ends_at <= starts:
        raise InvalidInput(gettext("The deadline (%(deadline)s) is not after the start.")
                           % {"deadline": f"{ends_at:%Y-%m-%d %H:%M}"},
                           gettext("Give a deadline in the future."), field="ends_at")
    commission = Commission.objects.create(studio=studio, house=house, languages=codes, starts_at=starts,
                                           ends_at=ends_at, note=note, created_by=by
                                           if getattr(by, "is_authenticated", False) else None)
    commission.titles.set(titles)
    return commission


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def end_commission(*, commission: Commission, by: Any) -> Commission:
    """The studio ends the commission now; the house loses access at once."""
    check(user=by, action=Action.ORDER_LOCALIZATION, organisation=commission.studio)
    if commission.ended_at is None:
        commission.ended_at = timezone.now()
        commission.save(update_fields=["ended_at"])
    return commission


def access_commission(*, commission_id: int, user: Any) -> Commission:
    """The commission, for the studio's people who order localization (404 for others)."""
    commission = Commission.objects.select_related("studio", "house").filter(pk=commission_id).first()
    if commission is None:
        raise NotFound(gettext("There is no commission #%(commission)s.") % {"commission": commission_id},
                       gettext("Check the commission's number."))
    check(user=user, action=Action.ORDER_LOCALIZATION, organisation=commission.studio, hidden=True)
    return commission


def commission_out(commission: Commission) -> dict[str, Any]:
    return {"id": commission.pk, "studio": commission.studio.slug, "house": commission.house.slug,
            "titles": sorted(t.slug for t in commission.titles.all()), "languages": commission.languages,
            "starts_at": commission.starts_at, "ends_at": commission.ends_at, "ended_at": commission.ended_at}


def commissioned_tracks(*, user: Any) -> QuerySet[SubtitleTrack]:
    """The tracks ``user``'s houses are commissioned for now (and nothing else)."""
    pairs = commissioned_pairs(user=user, action=Action.VIEW_DRAFTS)
    return SubtitleTrack.objects.filter(commissioned_q(pairs)).select_related("title").order_by("title_id",
                                                                                               "language")
