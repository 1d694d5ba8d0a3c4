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
from dastan.i18n import gettext
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
                raise InvalidInput(gettext("'%(code)s' is not a country code.") % {"code": v},
                                   gettext("Use ISO alpha-2 codes such as CN, KZ, IN."),
                                   field=field)
        if field == "media" and code not in MEDIA:
            raise InvalidInput(gettext("'%(medium)s' is not a medium Dastan knows.") % {"medium": v},
                               gettext("Use any of: %(media)s.") % {"media": ", ".join(MEDIA)},
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
        raise InvalidInput(gettext("A consent needs the person's name."), gettext("Give the name as on the signed form."),
                           field="person_name")
    if (signed_form is None) == (not clickthrough_text.strip()):
        raise InvalidInput(gettext("A consent needs exactly one piece of evidence."),
                           gettext("Upload the signed form, or give the click-through text the person accepted."),
                           field="evidence")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(gettext("The consent ends (%(ends_on)s) before it starts (%(starts_on)s).")
                           % {"ends_on": ends_on, "starts_on": starts_on},
                           gettext("Fix the term's dates."), field="ends_on")
    foreign = [t.slug for t in titles if t.owner_id != organisation.pk]
    if foreign:
        raise InvalidInput(gettext("Titles %(titles)s are not %(organisation)s's.")
                           % {"titles": ", ".join(foreign), "organisation": organisation.name},
                           gettext("A consent covers titles of the organisation that records it."), field="titles")
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
        raise NotFound(gettext("There is no consent #%(id)s.") % {"id": consent_id},
                       gettext("List your organisation's consents first."))
    check(user=user, action=action, organisation=consent.organisation, hidden=True)
    return consent


def scope_problem(consent: Consent, use: Use) -> str:
    """'' when ``consent`` covers ``use``; otherwise the first reason it does not."""
    who = consent.person_name
    day = use.on or timezone.localdate()
    if consent.revoked_at is not None:
        return gettext("%(person)s revoked their consent on %(date)s.") % {
            "person": who, "date": f"{consent.revoked_at:%Y-%m-%d}"}
    if day < consent.starts_on:
        return gettext("%(person)s's consent starts on %(date)s.") % {"person": who, "date": consent.starts_on}
    if consent.ends_on is not None and day > consent.ends_on:
        return gettext("%(person)s's consent ended on %(date)s.") % {"person": who, "date": consent.ends_on}
    if consent.organisation_id != use.title.owner_id:
        return gettext("%(person)s's consent was given to another organisation.") % {"person": who}
    title_ids = set(consent.titles.values_list("pk", flat=True))
    if title_ids and use.title.pk not in title_ids:
        return gettext("%(person)s's consent does not cover the title '%(title)s'.") % {
            "person": who, "title": use.title.slug}
    if consent.languages and use.language not in consent.languages:
        # Translators: %(language)s and %(languages)s are language codes such as ru, kk.
        return gettext("%(person)s's consent does not cover %(language)s (it covers %(languages)s).") % {
            "person": who, "language": use.language, "languages": ", ".join(consent.languages)}
    outside = [t for t in use.territories if consent.territories and t not in consent.territories]
    if outside:
        # Translators: %(territories)s and %(covered)s are country codes such as KZ, IN.
        return gettext("%(person)s's consent does not cover the territory %(territories)s "
                       "(it covers %(covered)s).") % {
            "person": who, "territories": ", ".join(outside), "covered": ", ".join(consent.territories)}
    if not use.territories and consent.territories:
        return gettext("%(person)s's consent covers only %(territories)s, not every territory.") % {
            "person": who, "territories": ", ".join(consent.territories)}
    if consent.media and use.medium not in consent.media:
        # Translators: %(medium)s is streaming, broadcast or theatrical.
        return gettext("%(person)s's consent does not cover %(medium)s.") % {"person": who, "medium": use.medium}
    if use.synthesis and not consent.allows_synthesis:
        return gettext("%(person)s's consent does not allow a synthetic voice based on them.") % {"person": who}
    if use.cloning and not consent.allows_cloning:
        return gettext("%(person)s's consent does not allow cloning their voice.") % {"person": who}
    return ""


def check_consents(*, consents: Iterable[Consent], use: Use) -> None:
    """Raise ConsentMissing naming the person and the reason unless every consent covers
    ``use``."""
    for consent in consents:
        problem = scope_problem(consent, use)
        if problem:
            raise ConsentMissing(
                gettext("Not published: %(problem)s") % {"problem": problem},
                gettext("Record a consent that covers this use (or publish to the territories it covers), "
                        "or recast the character."))
