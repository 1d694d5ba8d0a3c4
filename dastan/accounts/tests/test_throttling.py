"""API rate limits: anonymous calls per address, calls per token, wrong tokens per address.
The answers are the API's {code, message, hint} with status 429 and Retry-After."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from dastan.accounts.throttling import TooManyRequests, parse_rate
from dastan.accounts.tokens import issue_api_token
from dastan.catalog.tests.factories import UserFactory
from dastan.errors import ConfigurationError
from dastan.net import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()  # the counts live in the cache, which outlives each test's database
    yield
    cache.clear()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_calls_past_the_rate_get_429_with_retry_after_in_the_api_error_shape(settings: Any) -> None:
    settings.DASTAN_API_ANON_RATE = "3/m"
    client = Client()
    assert [client.get("/api/v1/catalog/genres").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/catalog/genres")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["code"] == "throttled"
    assert "rate" in body["message"] and "DASTAN_API_ANON_RATE" in body["hint"]


def test_another_address_is_counted_on_its_own(settings: Any) -> None:
    settings.DASTAN_API_ANON_RATE = "1/m"
    assert Client(REMOTE_ADDR="198.51.100.1").get("/api/v1/catalog/genres").status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.1").get("/api/v1/catalog/genres").status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.2").get("/api/v1/catalog/genres").status_code == 200


def test_a_forged_x_forwarded_for_does_not_buy_a_fresh_count(settings: Any) -> None:
    settings.DASTAN_API_ANON_RATE = "1/m"
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.get("/api/v1/catalog/genres", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert client.get("/api/v1/catalog/genres", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(rf: Any, settings: Any) -> None:
    settings.DASTAN_TRUSTED_PROXIES = "10.0.0.0/8"
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.2")
    assert client_address(request) == "203.0.113.9"  # 1.2.3.4 is the client's own claim
    assert client_address(rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "192.0.2.1"


def test_each_token_has_its_own_rate(settings: Any) -> None:
    settings.DASTAN_API_TOKEN_RATE = "2/m"
    first, second = issue_api_token(user=UserFactory()), issue_api_token(user=UserFactory())
    client = Client()
    assert [client.get("/api/v1/jobs/", headers=_bearer(first)).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/jobs/", headers=_bearer(second)).status_code == 200


def test_wrong_bearer_tokens_from_one_address_are_refused_with_429_then_even_a_right_one_waits(
        settings: Any) -> None:
    settings.DASTAN_API_BAD_TOKEN_RATE = "3/5m"
    good = issue_api_token(user=UserFactory())
    client = Client(REMOTE_ADDR="192.0.2.44")
    assert [client.get("/api/v1/jobs/", headers=_bearer(f"dst_guess{i}")).status_code for i in range(3)] == [401] * 3
    refused = client.get("/api/v1/jobs/", headers=_bearer("dst_guess4"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    assert refused.json()["code"] == "throttled"
    assert "not valid" in refused.json()["message"] and "Wait" in refused.json()["hint"]
    # A right guess now looks like a wrong one: the guesser learns nothing while it waits.
    assert client.get("/api/v1/jobs/", headers=_bearer(good)).status_code == 429
    # Another address is not held up.
    assert Client(REMOTE_ADDR="192.0.2.45").get("/api/v1/jobs/", headers=_bearer(good)).status_code == 200


def test_right_tokens_do_not_count_as_failures(settings: Any) -> None:
    settings.DASTAN_API_BAD_TOKEN_RATE = "2/5m"
    good = issue_api_token(user=UserFactory())
    client = Client()
    assert [client.get("/api/v1/jobs/", headers=_bearer(good)).status_code for _ in range(5)] == [200] * 5


def test_an_empty_rate_setting_turns_that_limit_off(settings: Any) -> None:
    settings.DASTAN_API_ANON_RATE = ""
    client = Client()
    assert {client.get("/api/v1/catalog/genres").status_code for _ in range(5)} == {200}


def test_a_malformed_rate_names_the_setting_and_the_form() -> None:
    assert parse_rate("10/5m", setting="X") == (10, 300)
    assert parse_rate("120/m", setting="X") == (120, 60)
    with pytest.raises(ConfigurationError, match="DASTAN_API_ANON_RATE 'lots' is not a rate"):
        parse_rate("lots", setting="DASTAN_API_ANON_RATE")


def test_the_throttle_error_survives_pickling_with_its_wait() -> None:
    err = pickle.loads(pickle.dumps(TooManyRequests("Slow down.", "Wait.", retry_after_s=42)))
    assert (err.message, err.hint, err.retry_after_s, err.status) == ("Slow down.", "Wait.", 42, 429)


def test_wrong_tokens_on_the_tus_endpoint_are_counted_with_the_apis(settings: Any) -> None:
    settings.DASTAN_API_BAD_TOKEN_RATE = "2/5m"
    client = Client(REMOTE_ADDR="192.0.2.60")
    tus = {"Tus-Resumable": "1.0.0", "Upload-Length": "10"}
    statuses = [client.post("/media/tus/", headers={**tus, **_bearer(f"dst_guess{i}")}).status_code
                for i in range(2)]
    assert statuses == [401] * 2
    refused = client.post("/media/tus/", headers={**tus, **_bearer("dst_guess3")})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["code"] == "throttled"
    # ... and the API counts them too: one address, one count.
    assert client.get("/api/v1/jobs/", headers=_bearer("dst_guess4")).status_code == 429


def test_an_anonymous_caller_of_an_open_operation_is_counted_by_address_not_in_a_shared_bucket(
        rf: Any, settings: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    from dastan.accounts.throttling import AnonRateThrottle, TokenRateThrottle

    settings.DASTAN_API_ANON_RATE, settings.DASTAN_API_TOKEN_RATE = "1/m", "1/m"
    anon, token = AnonRateThrottle(), TokenRateThrottle()

    def call(address: str) -> bool:
        request = rf.get("/api/v1/catalog/titles", REMOTE_ADDR=address)
        request.auth = AnonymousUser()  # what an auth that lets everyone in sets
        return anon.allow_request(request) and token.allow_request(request)

    assert [call("198.51.100.30"), call("198.51.100.30"), call("198.51.100.31")] == [True, False, True]
