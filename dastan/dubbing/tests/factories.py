"""Rows for dubbing tests, made through the services as a producer would make them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import factory

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation
from dastan.catalog.tests.factories import OrganisationFactory, member_of
from dastan.dubbing.casting import cast_character
from dastan.dubbing.consent import record_consent
from dastan.dubbing.models import CastRole, Consent, DisclosureRule, HumanDub, StemDelivery, Take
from dastan.localization.models import SubtitleTrack
from dastan.localization.tests.factories import SubtitleTrackFactory


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


# --- one factory per model ------------------------------------------------------------------------

class ConsentFactory(factory.django.DjangoModelFactory[Consent]):
    """An actor's click-through consent to be dubbed into Russian in Kazakhstan and
    Uzbekistan, recorded by an administrator of the organisation through
    :func:`~dastan.dubbing.consent.record_consent` (which keeps the text's sha256)."""

    class Meta:
        model = Consent

    organisation = factory.SubFactory(OrganisationFactory)
    by = factory.LazyAttribute(lambda o: member_of(o.organisation, role=Membership.Role.ADMIN))
    person_name = factory.Sequence(lambda n: f"Dana Karimova {n}")
    starts_on = date(2026, 1, 1)
    languages = factory.LazyFunction(lambda: ["ru"])
    territories = factory.LazyFunction(lambda: ["KZ", "UZ"])
    clickthrough_text = factory.LazyAttribute(lambda o: f"I, {o.person_name}, agree to record this dub.")

    @classmethod
    def _create(cls, model_class: type[Consent], *args: Any, **kwargs: Any) -> Consent:
        return record_consent(**kwargs)


def _russian_dub_track() -> Any:
    return factory.SubFactory(SubtitleTrackFactory, language="ru", origin=SubtitleTrack.Origin.HUMAN, is_source=False,
                              lines=[(1000, 3500, "Караван уходит утром.", "ANNA"), (4000, 6000, "Будь готов.", "")])


class CastRoleFactory(factory.django.DjangoModelFactory[CastRole]):
    """ANNA of a Russian dub cast to an actor whose consent covers it, by an administrator
    of the title's owner through :func:`~dastan.dubbing.casting.cast_character`."""

    class Meta:
        model = CastRole

    track = _russian_dub_track()
    speaker = "ANNA"
    consent = factory.SubFactory(ConsentFactory, organisation=factory.SelfAttribute("..track.title.owner"))
    by = factory.LazyAttribute(lambda o: member_of(o.track.title.owner, role=Membership.Role.ADMIN))

    @classmethod
    def _create(cls, model_class: type[CastRole], *args: Any, **kwargs: Any) -> CastRole:
        return cast_character(**kwargs)


class TakeFactory(factory.django.DjangoModelFactory[Take]):
    """The chosen first take of a dub's first cue, recorded by a translator of the title's
    owner, as the booth measured it (its file is not made: a test of recording calls
    :func:`~dastan.dubbing.takes.record_take_file` with a real WAV)."""

    class Meta:
        model = Take

    track = _russian_dub_track()
    cue = factory.LazyAttribute(lambda o: o.track.cues.get(index=1))
    number = 1
    storage_name = factory.LazyAttribute(lambda o: f"dubbing/track-{o.track.pk}/cue-{o.cue.index}/take-{o.number}.wav")
    measurement = factory.LazyAttribute(lambda o: {
        "onset_ms": 120, "length_ms": 2200, "cue_ms": o.cue.end_ms - o.cue.start_ms, "late_ms": 120, "over_ms": 0,
        "peak_dbfs": -6.5, "rms_dbfs": -21.0, "advice": []})
    chosen = True
    created_by = factory.LazyAttribute(lambda o: member_of(o.track.title.owner, role=Membership.Role.TRANSLATOR))


class StemDeliveryFactory(factory.django.DjangoModelFactory[StemDelivery]):
    """A studio's full dub mix with its M&E stem, delivered and checked (files not made)."""

    class Meta:
        model = StemDelivery

    track = _russian_dub_track()
    studio = "Almaty Dubbing Studio"
    kind = StemDelivery.Kind.FULL_MIX
    stems = factory.LazyAttribute(lambda o: {"": f"dubbing/track-{o.track.pk}/stems/mix.wav"})
    me_stem_name = factory.LazyAttribute(lambda o: f"dubbing/track-{o.track.pk}/stems/me.wav")
    report = factory.LazyFunction(lambda: {"ok": True, "problems": []})
    created_by = factory.LazyAttribute(lambda o: member_of(o.track.title.owner, role=Membership.Role.TRANSLATOR))


class HumanDubFactory(factory.django.DjangoModelFactory[HumanDub]):
    """A booth-recorded Russian full dub, mixed and waiting for a listener's approval."""

    class Meta:
        model = HumanDub

    track = _russian_dub_track()
    mode = "full-dub"
    source = "booth"
    state = HumanDub.State.IN_REVIEW
    storage_name = factory.LazyAttribute(lambda o: f"dubbing/track-{o.track.pk}/dub.m4a")
    duration_ms = 6000
    loudness = factory.LazyFunction(lambda: {"integrated_lufs": -24.0, "true_peak_dbtp": -2.0})


class DisclosureRuleFactory(factory.django.DjangoModelFactory[DisclosureRule]):
    """A country's rule: a 5 s visible label and machine-readable marking. Rules are the
    node's, not an organisation's; a country already ruled gets its rule back."""

    class Meta:
        model = DisclosureRule
        django_get_or_create = ("territory",)

    territory = factory.Sequence(lambda n: ("KZ", "UZ", "KG", "TJ", "PK", "IN", "CN", "RU", "BY", "IR")[n % 10])
    visible_label_s = 5.0
    notice = "prominent"
    machine_readable = True
    label_text = "Voices made by a machine"
