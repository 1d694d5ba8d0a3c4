"""The player's side of rights: decide for a request, 451 with the reason, claims re-checked."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory, override_settings

from dastan.rights.actions import grant_licence
from dastan.rights.errors import NoLicenceForTerritory
from dastan.rights.models import LicenceSeat
from dastan.rights.playback import (
    check_claims_for_request,
    playback_decision_for_request,
    refusal_response,
    segment_claims,
)
from dastan.rights.terms import LicenceType

from .factories import make_title, make_user, owner_of, terms

pytestmark = pytest.mark.django_db
AT = datetime(2027, 5, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def ranges(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "ranges.csv"
    path.write_text("10.0.0.0/8,KZ\n192.0.2.0/24,RU\n")
    with override_settings(DASTAN_GEOIP_CSV=str(path), DASTAN_TRUSTED_PROXIES=[]):
        yield path


def _request(address: str, user=None, accept: str = "application/json"):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/watch/", REMOTE_ADDR=address, HTTP_ACCEPT=accept)
    request.user = user or AnonymousUser()
    return request


def test_the_same_title_plays_in_kazakhstan_with_russian_audio_and_is_refused_in_russia_with_451() -> None:
    title = make_title()
    grant_licence.execute(terms=terms(title_id=title.pk, territories=("Central Asia",), excluded=("TM",),
                                      audio_languages=("kk", "ru")), licensor=owner_of(title))
    allowed = playback_decision_for_request(request=_request("10.1.1.1"), title=title,
                                            requested_audio=["ru", "en"], at=AT)
    assert allowed.allowed and allowed.allowed_audio == ("ru",) and allowed.territory == "KZ"
    refused = playback_decision_for_request(request=_request("192.0.2.5"), title=title, at=AT)
    response = refusal_response(refused, request=_request("192.0.2.5"))
    body = json.loads(response.content)
    assert response.status_code == 451
    assert body["message"] == "Not licensed for Russia: no licence of this title covers it."
    text = refusal_response(refused, request=_request("192.0.2.5", accept="text/html"))
    assert text.content.decode().startswith("Not licensed for Russia")


def test_claims_issued_in_one_country_fail_when_replayed_from_another_or_after_the_licence() -> None:
    title = make_title()
    grant_licence.execute(terms=terms(title_id=title.pk), licensor=owner_of(title))
    decision = playback_decision_for_request(request=_request("10.1.1.1"), title=title, at=AT)
    claims = segment_claims(decision, title=title)
    check_claims_for_request(request=_request("10.2.2.2"), claims=claims, now=AT)
    with pytest.raises(NoLicenceForTerritory, match="issued for Kazakhstan and cannot be used from Russia"):
        check_claims_for_request(request=_request("192.0.2.9"), claims=claims, now=AT)
    with pytest.raises(NoLicenceForTerritory, match="has ended"):
        check_claims_for_request(request=_request("10.2.2.2"), claims=claims,
                                 now=datetime(2027, 9, 1, tzinfo=UTC))


def test_a_festival_screening_gives_seats_until_the_cap_and_keeps_a_viewers_seat() -> None:
    title = make_title()
    grant_licence.execute(terms=terms("KZ-FEST-1", title_id=title.pk, view_cap=2,
                                      licence_type=LicenceType.FESTIVAL, end=date(2027, 5, 10)),
                          licensor=owner_of(title))
    first, second, third = make_user(), make_user(), make_user()
    for user in (first, second, first):
        assert playback_decision_for_request(request=_request("10.0.0.1", user), title=title, at=AT).allowed
    refused = playback_decision_for_request(request=_request("10.0.0.1", third), title=title, at=AT)
    assert refused.reason == "All 2 seats of licence KZ-FEST-1 in Kazakhstan are taken."
    assert LicenceSeat.objects.count() == 2
    anonymous = playback_decision_for_request(request=_request("10.0.0.1"), title=title, at=AT)
    assert anonymous.code == "sign_in_for_seat"


def test_a_viewer_whose_country_is_unknown_is_refused_by_default() -> None:
    title = make_title()
    grant_licence.execute(terms=terms(title_id=title.pk, territories=("World",)), licensor=owner_of(title))
    decision = playback_decision_for_request(request=_request("203.0.113.1"), title=title, at=AT)
    assert decision.code == "unknown_territory"
    with override_settings(DASTAN_UNKNOWN_TERRITORY_POLICY="KZ"):
        assert playback_decision_for_request(request=_request("203.0.113.1"), title=title, at=AT).allowed
