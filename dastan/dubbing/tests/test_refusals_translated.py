"""A dubbing refusal reaches the producer in their interface language: the message and
the hint are translated where the error is raised, so the API (Accept-Language) says
them in Russian or Urdu, and in English by default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from dastan.catalog.models import Organisation, Title
from dastan.dubbing.consent import Use, check_consents, record_consent
from dastan.dubbing.errors import ConsentMissing
from dastan.dubbing.models import CastRole, Consent
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track

from .conftest import CUES

pytestmark = pytest.mark.django_db


def _consent(studio: Organisation, by: Any, *, languages: list[str], territories: list[str]) -> Consent:
    return record_consent(by=by, organisation=studio, person_name="Dana Karimova",
                          starts_on=date.today() - timedelta(days=1), languages=languages, territories=territories,
                          clickthrough_text="I, Dana Karimova, agree that my recorded voice is used in this dub.")


def test_casting_an_actor_whose_consent_lacks_the_language_is_refused_in_russian(
        studio: Organisation, member: Callable[..., Any]) -> None:
    producer = member("lola", "editor")
    title = Title.objects.create(slug="caravan", original_language="en", country_of_origin="UZ", owner=studio,
                                 kind=Title.Kind.FILM)
    track = create_track(title=title, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                         cues=[CueData(s, e, text, who) for s, e, who, text in CUES])
    consent = _consent(studio, producer, languages=["kk"], territories=["KZ"])
    client = Client()
    client.force_login(producer)
    url = f"/api/v1/dubbing/tracks/{track.pk}/cast"
    body = {"speaker": "ANNA", "consent_id": consent.pk}
    russian = client.post(url, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 409
    assert russian.json()["code"] == "consent_missing"
    assert russian.json()["message"] == ("Нельзя назначить на роль Dana Karimova: Dana Karimova: согласие не "
                                         "охватывает язык ru (оно охватывает kk).")
    assert russian.json()["hint"] == "Сначала запишите согласие, которое охватывает этот фильм и язык."
    english = client.post(url, data=body, content_type="application/json")
    assert english.json()["message"] == ("Cannot cast Dana Karimova: Dana Karimova's consent does not cover ru "
                                         "(it covers kk).")
    assert not CastRole.objects.filter(track=track).exists()


def test_publishing_outside_a_consents_territory_is_refused_in_urdu(
        studio: Organisation, member: Callable[..., Any]) -> None:
    producer = member("lola", "editor")
    title = Title.objects.create(slug="caravan", original_language="en", country_of_origin="UZ", owner=studio,
                                 kind=Title.Kind.FILM)
    consent = _consent(studio, producer, languages=["ru"], territories=["KZ", "UZ"])
    with translation.override("ur"), pytest.raises(ConsentMissing) as refused:
        check_consents(consents=[consent], use=Use(title=title, language="ru", territories=("CN", "KZ")))
    assert refused.value.message == ("شائع نہیں ہوا: Dana Karimova کی رضامندی میں علاقہ CN شامل نہیں ہے "
                                     "(اس میں KZ, UZ شامل ہیں)۔")
    assert refused.value.hint.startswith("ایسی رضامندی درج کریں")
