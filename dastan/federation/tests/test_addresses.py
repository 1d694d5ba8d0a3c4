"""A production node follows, and fetches, only HTTPS addresses on the internet: plain
HTTP, loopback, private, link-local and reserved addresses are refused with the reason
and the fix, before any request is made, both when its operator follows and when another
node names an address in a follow request. Tests and development allow them with
DASTAN_FEDERATION_ALLOW_PRIVATE."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation

from dastan.federation.addresses import check_peer_address
from dastan.federation.errors import PeerAddressRefused
from dastan.federation.models import Peer
from dastan.federation.peering import follow
from dastan.federation.tests.conftest import PeerServer, post
from dastan.signing.models import RefusedRequest


@pytest.fixture
def production(settings: Any) -> None:
    settings.DASTAN_FEDERATION_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://dastan.example.kz", "is not an HTTPS address"),
        ("https://127.0.0.1:8443", "loopback, private or reserved"),
        ("https://localhost", "loopback, private or reserved"),
        ("https://[::1]", "loopback, private or reserved"),
        ("https://10.1.2.3", "loopback, private or reserved"),
        ("https://192.168.0.10", "loopback, private or reserved"),
        ("https://169.254.169.254", "loopback, private or reserved"),  # a cloud's metadata service
        ("https://100.64.0.1", "loopback, private or reserved"),  # carrier-grade NAT
        ("https://admin:secret@dastan.example.kz", "user name or password"),
        ("ftp://dastan.example.kz", "is not a node's address"),
        ("dastan.example.kz", "is not a node's address"),
    ],
)
def test_a_production_node_refuses_an_address_that_is_not_public_https(
    production: None, url: str, said: str
) -> None:
    with pytest.raises(PeerAddressRefused, match=said) as caught:
        check_peer_address(url)
    assert caught.value.hint and caught.value.status == 422


def test_a_public_https_address_passes_and_tests_may_allow_local_ones(settings: Any) -> None:
    settings.DASTAN_FEDERATION_ALLOW_PRIVATE = False
    check_peer_address("https://8.8.8.8")
    settings.DASTAN_FEDERATION_ALLOW_PRIVATE = True
    check_peer_address("http://127.0.0.1:8000")
    with pytest.raises(PeerAddressRefused):
        check_peer_address("file:///etc/passwd")  # not an address at all, setting or not


@pytest.mark.django_db
def test_following_a_local_address_in_production_is_refused_before_any_request(
    production: None, peer_server: PeerServer
) -> None:
    with pytest.raises(PeerAddressRefused, match="is not an HTTPS address") as caught:
        follow(by=None, url=peer_server.url)
    assert "DASTAN_FEDERATION_ALLOW_PRIVATE" in caught.value.hint
    assert peer_server.reads == 0 and not Peer.objects.exists()


@pytest.mark.django_db
def test_a_follow_request_naming_a_local_address_is_refused_and_nothing_is_fetched(
    production: None, peer_server: PeerServer
) -> None:
    response = post("/federation/follow", json.dumps({"url": peer_server.url}).encode(), key=None)
    assert (response.status_code, response.json()["code"]) == (422, "address_refused")
    assert peer_server.reads == 0 and not Peer.objects.exists()
    assert RefusedRequest.objects.filter(channel="federation", code="address_refused").exists()


def test_the_cli_says_the_reason_and_the_fix(
    production: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from dastan.cli import main

    assert main(["federation", "follow", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "error: 'http://127.0.0.1:9' is not an HTTPS address" in err
    assert "fix: Give its https:// address. DASTAN_FEDERATION_ALLOW_PRIVATE=true" in err


def test_an_address_is_refused_in_the_operators_language(production: None) -> None:
    with translation.override("ru"), pytest.raises(PeerAddressRefused) as refused:
        check_peer_address("http://dastan.example.kz")
    assert refused.value.message == ("«http://dastan.example.kz» — не адрес HTTPS: узлы общаются друг с другом "
                                     "только по HTTPS.")
    assert refused.value.hint == ("Укажите его адрес https://. DASTAN_FEDERATION_ALLOW_PRIVATE=true разрешает "
                                  "такие адреса — только для тестов и разработки.")
    with pytest.raises(PeerAddressRefused, match="is not an HTTPS address: nodes talk to each other over HTTPS"):
        check_peer_address("http://dastan.example.kz")
