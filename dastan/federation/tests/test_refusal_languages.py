"""A refusal between nodes travels as a stable code, its reason's id and parameters, and
the English text: the node that receives it says it in its own operator's language, and
reads the English text when the reason is one it does not know (an older or newer node).
A request names the asker's language, so the other node answers its own errors and
decisions (a licence refused) in it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from dastan.catalog.models import Organisation, Title
from dastan.federation.models import Peer, RemoteTitle
from dastan.federation.remote_play import HomeNodeRefused, ask_grant
from dastan.federation.sync import sync_peer
from dastan.federation.tests.conftest import PeerServer
from dastan.rights.playback import refusal_response
from dastan.rights.selectors import decide_playback_for
from dastan.signing import keys
from dastan.signing.messages import Refused

pytestmark = pytest.mark.django_db(transaction=True)


def test_this_node_refuses_an_unsigned_request_with_the_reasons_id_beside_the_english_text() -> None:
    answer = Client().get("/federation/feed", HTTP_ACCEPT_LANGUAGE="ru")
    assert answer.status_code == 401
    body = answer.json()
    assert body["code"] == "unsigned" and body["reason_id"] == "unsigned" and body["params"] == {}
    # the wire stays in English whatever the asker's language: a node of any version reads it
    assert body["message"] == ("Refused: the request carries no HTTP message signature "
                               "(Signature and Signature-Input headers).")


Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]


def _refusing(refused: Refused, *, with_id: bool = True) -> Answer:
    body = refused.as_dict() if with_id else {"code": refused.code, "message": f"Refused: {refused.reason}."}

    def answer(method: str, url: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        return 401, {"Content-Type": "application/json"}, json.dumps(body).encode()
    return answer


@pytest.mark.parametrize(("language", "said"), [
    ("ru", ("ответил 401: Отказано: сообщение подписано в 2026-11-30 01:00:00 UTC — больше чем на 5 мин. "
           "от часов этого узла (02:00:00 UTC); проверьте часы обоих узлов (NTP).")),
    ("ur", ("نے 401 جواب دیا: مسترد: پیغام پر 2026-11-30 01:00:00 UTC کو دستخط ہوا، اس نوڈ کی گھڑی "
           "(02:00:00 UTC) سے 5 منٹ سے زیادہ فرق؛ دونوں گھڑیاں جانچیں (NTP)۔")),
])
def test_a_peers_refusal_reaches_this_nodes_operator_in_their_language(
        peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer, language: str, said: str) -> None:
    the_peer, _key = peer
    peer_server.answer = _refusing(Refused.because("stale", "k", created="2026-11-30 01:00:00", minutes=5,
                                                   now="02:00:00"))
    with translation.override(language):
        report = sync_peer(the_peer)
    assert said in report.error, report.error


def test_a_refusal_from_a_node_that_sends_no_reason_id_is_read_in_its_english_words(
        peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer) -> None:
    the_peer, _key = peer
    peer_server.answer = _refusing(Refused.because("replay", "k", nonce="abc"), with_id=False)
    with translation.override("ru"):
        report = sync_peer(the_peer)
    assert report.error.endswith("ответил 401: Refused: this request (nonce abc…) was already accepted; "
                                 "a signed request is accepted once."), report.error


def test_a_reason_whose_parameters_do_not_fit_is_read_in_the_senders_english_words(
        peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer) -> None:
    the_peer, _key = peer
    bad = {"code": "stale", "reason_id": "stale", "params": {"when": "x"}, "message": "Refused: too old."}
    peer_server.answer = lambda *_: (401, {"Content-Type": "application/json"}, json.dumps(bad).encode())
    with translation.override("ur"):
        report = sync_peer(the_peer)
    assert report.error.endswith("Refused: too old."), report.error


@pytest.mark.parametrize("language", ["ru", "ur"])
def test_the_home_node_is_asked_in_the_viewers_language_and_its_refusal_passed_on_as_it_said_it(
        peer: tuple[Peer, keys.PrivateKey], peer_server: PeerServer, language: str) -> None:
    the_peer, _key = peer
    studio = Organisation.objects.create(name="Lahore Films", slug="lahore-films", kind="studio", country="PK")
    film = Title.objects.create(slug="zindagi", original_language="ur", country_of_origin="PK", owner=studio,
                                is_published=True)
    asked: list[str] = []

    def home_node(method: str, url: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        # the home node's own answer (grants.issue_grant refuses with rights' refusal_response)
        asked.append(headers.get("Accept-Language", ""))
        with translation.override(headers.get("Accept-Language")):
            answer = refusal_response(decide_playback_for(title=film, territory="KZ"))
        return answer.status_code, {"Content-Type": answer["Content-Type"]}, answer.content

    peer_server.answer = home_node
    with translation.override(language), pytest.raises(HomeNodeRefused) as refused:
        ask_grant(remote=RemoteTitle(peer=the_peer, remote_slug="zindagi"), territory="KZ", viewer="v")
    with translation.override(language):
        expected = decide_playback_for(title=film, territory="KZ").reason
    assert asked == [language]
    assert refused.value.message == expected and refused.value.status == 451
    assert expected != decide_playback_for(title=film, territory="KZ").reason  # not the English one


def test_a_stored_refusal_is_read_in_the_readers_language_and_an_older_one_as_stored(
        client: Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.models import User

    from dastan.accounts.models import NodeOperator
    from dastan.cli import main
    from dastan.signing.messages import record_refusal
    from dastan.signing.models import RefusedRequest

    assert Client().get("/federation/feed").status_code == 401  # unsigned: kept with its reason's id
    record_refusal("federation", Refused.because("unsigned.response"), method="GET",
                   path="https://peer.example.org/federation/feed", answer=True)
    RefusedRequest.objects.create(channel="federation", code="unsigned", reason="kept before reason ids")
    stored = RefusedRequest.objects.filter(channel="federation", path="/federation/feed").get()
    assert (stored.reason_id, stored.params) == ("unsigned", {})

    operator = User.objects.create_user("operator", password="x" * 12)
    NodeOperator.objects.create(user=operator)
    client.force_login(operator)
    client.cookies["dastan_language"] = "ru"
    page = client.get("/federation/peers/").content.decode()
    assert "<td>запрос без HTTP-подписи сообщения (нет заголовков Signature и Signature-Input)</td>" in page
    assert ("<td>ответ отклонён: ответ без HTTP-подписи сообщения (нет заголовков Signature и "
            "Signature-Input)</td>") in page
    assert "<td>kept before reason ids</td>" in page  # an older row, as it was stored

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ur_PK.UTF-8")
    assert main(["federation", "peers"]) == 0
    said = capsys.readouterr().out
    assert ": درخواست پر HTTP پیغام کا دستخط نہیں (Signature اور Signature-Input ہیڈر)" in said, said
    assert "جواب مسترد: جواب پر HTTP پیغام کا دستخط نہیں (Signature اور Signature-Input ہیڈر)" in said, said
    assert ": kept before reason ids" in said, said
