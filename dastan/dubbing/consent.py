"""People's consent to the use of their voice: recorded with its evidence, checked before
anything of theirs reaches viewers, revoked with immediate effect.

A consent covers a use when it is active (not revoked, inside its term) and its scope
(titles, languages, territories, media) contains the use; ``scope_problem`` names the
first thing it does not cover, in words a producer can act on. Revoking a consent puts
every published dub that relies on it back into review and takes it off the stream at
once (``revocation.revoke_consent``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from dastan.accounts.permissions import Action, check
from dastan.catalog.models import Organisation, Title
from dastan.dubbing.errors import ConsentMissing
from dastan.dubbing.models import Consent
from dastan.errors import InvalidInput, NotFound
from dastan.media.storage import store_file

MEDIA = ("streaming", "broadcast", "theatrical")


@dataclass(frozen=True, slots=True)
class Use:
    """One use of a person's voice that needs covering."""

    title: Title
    language: str
    territories: tuple[str, ...]  # where it is published; () = everywhere the title plays
    medium: str = "streaming"
    on: date | None = None  # default: today
    synthesis: bool = False  # a synthetic voice based on the person
    cloning: bool = False


def _codes(values: Iterable[str], *, field: str) -> list[str]:
    out = []
    for v in values:
        code = v.strip()
        if not code:
            continue
        if field == "territories":
            code = code.upper()
            if len(code) != 2 or not code.isalpha():
                raise InvalidInput(f"'{v}' is not a country code.", "Use ISO alpha-2 codes such as CN, KZ, IN.",
                                   field=field)
        if field == "media" and code not in MEDIA:
            raise InvalidInput(f"'{v}' is not a medium Dastan knows.", "Use any of: " + ", ".join(MEDIA) + ".",
                               field=field)
        out.append(code)
    return sorted(set(out))


def record_consent(*, by: Any, organisation: Organisation, person_name: str, starts_on: date,
                   ends_on: date | None = None, titles: Sequence[Title] = (), languages: Sequence[str] = (),
                   territories: Sequence[str] = (), media: Sequence[str] = (),
                   signed_form: Path | None = None, clickthrough_text: str = "",
                   accepted_at: datetime | None = None, allows_synthesis: bool = False,
                   allows_cloning: bool = False, person_contact: str = "") -> Consent:
    """Record a consent with its evidence: a signed form (stored, sha256 kept) or the exact
    click-through text the person accepted (its sha256 and the time). Raises NotAllowed
    without MANAGE_CONSENT at ``organisation``, InvalidInput for a consent without
    evidence, a term that ends before it starts, or titles of another organisation."""
    check(user=by, action=Action.MANAGE_CONSENT, organisation=organisation)
    if not person_name.strip():
        raise InvalidInput("A consent needs the person's name.", "Give the name as on the signed form.",
                           field="person_name")
    if (signed_form is None) == (not clickthrough_text.strip()):
        raise InvalidInput("A consent needs exactly one piece of evidence.",
                           "Upload the signed form, or give the click-through text the person accepted.",
                           field="evidence")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(f"The consent ends ({ends_on}) before it starts ({starts_on}).",
                           "Fix the term's dates.", field="ends_on")
    foreign = [t.slug for t in titles if t.owner_id != organisation.pk]
    if foreign:
        raise InvalidInput(f"Titles {', '.join(foreign)} are not {organisation.name}'s.",
                           "A consent covers titles of the organisation that records it.", field="titles")
    fields: dict[str, Any] = {
        "organisation": organisation, "person_name": person_name.strip(), "person_contact": person_contact,
        "languages": _codes(languages, field="languages"), "territories": _codes(territories, field="territories"),
        "media": _codes(media, field="media"), "starts_on": starts_on, "ends_on": ends_on,
        "allows_synthesis": allows_synthesis, "allows_cloning": allows_cloning,
        "accepted_at": accepted_at or timezone.now(), "recorded_by": by,
    }
    if signed_form is not None:
        digest = hashlib.sha256(signed_form.read_bytes()).hexdigest()
        name = store_file(signed_form, f"consents/{organisation.slug}/{digest[:16]}{signed_form.suffix}")
        fields.update(evidence_kind=Consent.Evidence.SIGNED_FORM, evidence_name=name, evidence_sha256=digest)
    else:
        fields.update(evidence_kind=Consent.Evidence.CLICK_THROUGH, clickthrough_text=clickthrough_text,
                      evidence_sha256=hashlib.sha256(clickthrough_text.encode("utf-8")).hexdigest())
    with transaction.atomic():
        consent = Consent.objects.create(**fields)
        consent.titles.set(titles)
    return consent


def access_consent(*, user: Any, consent_id: int, action: Action = Action.MANAGE_CONSENT) -> Consent:
    """The consent, if ``user`` may do ``action`` with its organisation's consents;
    outsiders are told it does not exist (a consent names a private person)."""
    consent = Consent.objects.select_related("organisation").filter(pk=consent_id).first()
    if consent is None:
        raise NotFound(f"There is no consent #{consent_id}.", "List your organisation's consents first.")
    check(user=user, action=action, organisation=consent.organisation, hidden=True)
    return consent


def scope_problem(consent: Consent, use: Use) -> str:
    """'' when ``consent`` covers ``use``; otherwise the first reason it does not."""
    who = consent.person_name
    day = use.on or timezone.localdate()
    if consent.revoked_at is not None:
        return f"{who} revoked their consent on {consent.revoked_at:%Y-%m-%d}."
    if day < consent.starts_on:
        return f"{who}'s consent starts on {consent.starts_on}."
    if consent.ends_on is not None and day > consent.ends_on:
        return f"{who}'s consent ended on {consent.ends_on}."
    if consent.organisation_id != use.title.owner_id:
        return f"{who}'s consent was given to another organisation."
    title_ids = set(consent.titles.values_list("pk", flat=True))
    if title_ids and use.title.pk not in title_ids:
        return f"{who}'s consent does not cover the title '{use.title.slug}'."
    if consent.languages and use.language not in consent.languages:
        return f"{who}'s consent does not cover {use.language} (it covers {', '.join(consent.languages)})."
    outside = [t for t in use.territories if consent.territories and t not in consent.territories]
    if outside:
        return (f"{who}'s consent does not cover the territory {', '.join(outside)} "
                f"(it covers {', '.join(consent.territories)}).")
    if not use.territories and consent.territories:
        return f"{who}'s consent covers only {', '.join(consent.territories)}, not every territory."
    if consent.media and use.medium not in consent.media:
        return f"{who}'s consent does not cover {use.medium}."
    if use.synthesis and not consent.allows_synthesis:
        return f"{who}'s consent does not allow a synthetic voice based on them."
    if use.cloning and not consent.allows_cloning:
        return f"{who}'s consent does not allow cloning their voice."
    return ""


def check_consents(*, consents: Iterable[Consent], use: Use) -> None:
    """Raise ConsentMissing naming the person and the reason unless every consent covers
    ``use``."""
    for consent in consents:
        problem = scope_problem(consent, use)
        if problem:
            raise ConsentMissing(
                f"Not published: {problem}",
                "Record a consent that covers this use (or publish to the territories it covers), "
                "or recast the character.")
