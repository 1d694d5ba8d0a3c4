"""Rows for dubbing tests, made through the services as a producer would make them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from dastan.catalog.models import Organisation
from dastan.dubbing.consent import record_consent
from dastan.dubbing.models import Consent


def actor_consent(*, by: Any, organisation: Organisation, name: str = "Dana Karimova",
                  territories: Sequence[str] = ("KZ", "UZ"), languages: Sequence[str] = ("ru",),
                  starts_on: date = date(2026, 1, 1), clickthrough_text: str | None = None,
                  **terms: Any) -> Consent:
    """An actor's click-through consent to be dubbed in ``languages`` for ``territories``
    (an empty ``territories`` puts no territory limit)."""
    return record_consent(
        by=by, organisation=organisation, person_name=name, starts_on=starts_on, languages=list(languages),
        territories=list(territories), clickthrough_text=clickthrough_text or f"I, {name}, agree to record this dub.",
        **terms)
