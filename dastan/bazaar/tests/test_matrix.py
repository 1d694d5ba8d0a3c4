"""The bazaar's own permission matrix: every page and API operation × anonymous, the
owner's administrator and viewer, another organisation's member, and recipients of a
script with the NDA accepted, without it, after expiry and after revocation.

Nothing leaks — private pitches, interest messages, meeting notes and the script's text
carry SECRET-… markers checked in every answer — and nothing answers 5xx. (The shared
tests/test_permissions_matrix.py walks the same routes with every role of two
organisations.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from dastan.bazaar.models import NdaAcceptance, ScriptEvent
from dastan.bazaar.scripts import DEFAULT_NDA
from dastan.bazaar.tests.world import MARKERS, Market, build_market

pytestmark = pytest.mark.django_db

OWNER = {"owner:admin", "owner:viewer"}
OTHER = {"other:admin"}
RECIPIENTS = {"recipient:nda", "recipient:no_nda", "recipient:expired", "recipient:revoked"}
IDENTITIES = ["anonymous", *sorted(OWNER), *sorted(OTHER), *sorted(RECIPIENTS)]
SIGNED = set(IDENTITIES) - {"anonymous"}
EVERYONE = set(IDENTITIES)
READERS = {
    MARKERS["project"]: OWNER,
    MARKERS["interest"]: OWNER | OTHER,
    MARKERS["notes"]: OWNER | OTHER,
    "SECRET-SCRIPT-LINE": {"recipient:nda"},
}

# (method, path, allowed, body) — allowed get an answer below 400; the rest 302 (to sign in),
# 401, 403, 404 or 410 (their access ended), never anything else.
CASES: list[tuple[str, str, set[str], dict[str, Any] | None]] = [
    ("GET", "/bazaar/", EVERYONE, None),
    ("GET", "/bazaar/?q=SECRET", EVERYONE, None),
    ("GET", "/bazaar/projects/{public}/", EVERYONE, None),
    ("GET", "/bazaar/projects/{private}/", OWNER, None),
    ("GET", "/bazaar/profiles/{owner}/", EVERYONE, None),
    ("GET", "/bazaar/interests/", SIGNED, None),
    ("GET", "/bazaar/meetings/", SIGNED, None),
    ("GET", "/bazaar/notifications/", SIGNED, None),
    ("GET", "/bazaar/scripts/{script}/", {"recipient:nda", "recipient:no_nda"}, None),
    ("GET", "/bazaar/scripts/{script}/pages/1.png", {"recipient:nda"}, None),
    ("GET", "/bazaar/scripts/{script}/download", {"recipient:nda"}, None),
    ("GET", "/bazaar/scripts/{script}/audit/", OWNER, None),
    ("GET", "/api/v1/bazaar/projects?q=caravan", EVERYONE, None),
    ("GET", "/api/v1/bazaar/projects/{private}", OWNER, None),
    ("GET", "/api/v1/bazaar/projects/{private}/history", OWNER, None),
    ("GET", "/api/v1/bazaar/projects/{public}/history", OWNER, None),
    ("GET", "/api/v1/bazaar/projects/{private}/partners", OWNER, None),
    ("GET", "/api/v1/bazaar/interests", SIGNED, None),
    ("GET", "/api/v1/bazaar/meetings", SIGNED, None),
    ("GET", "/api/v1/bazaar/meetings/{meeting}/ics", OWNER | OTHER, None),
    ("GET", "/api/v1/bazaar/notifications", SIGNED, None),
    ("GET", "/api/v1/bazaar/profiles/{other}/matches", EVERYONE, None),
    ("GET", "/api/v1/bazaar/scripts/{script}/download", {"recipient:nda"}, None),
    ("GET", "/api/v1/bazaar/scripts/{script}/audit", OWNER, None),
    ("GET", "/api/v1/bazaar/scripts/{script}/nda-records", {"owner:admin"}, None),
    ("POST", "/api/v1/bazaar/scripts/{script}/nda", {"recipient:nda", "recipient:no_nda"},
     {"affirmed": True, "text_shown": DEFAULT_NDA}),
    ("PATCH", "/api/v1/bazaar/projects/{private}", {"owner:admin"}, {"stage": "post"}),
    ("POST", "/api/v1/bazaar/interests/{interest}/decision", {"owner:admin"},
     {"accept": False, "reason": "timing", "note": "SECRET-DECLINE-NOTE"}),
    ("POST", "/api/v1/bazaar/slots/{free_slot}/book", OTHER, {"guest": "other"}),
]


@pytest.fixture
def market(settings: Any, tmp_path: Any) -> Market:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DASTAN_API_ANON_RATE = settings.DASTAN_API_TOKEN_RATE = "100000/m"
    cache.clear()
    return build_market()


def _client(market: Market, identity: str) -> Client:
    client = Client()
    if identity != "anonymous":
        client.force_login(market.users[identity])
    return client


def _send(client: Client, method: str, path: str, body: dict[str, Any] | None) -> Any:
    if body is None:
        return client.generic(method, path)
    return client.generic(method, path, data=json.dumps(body), content_type="application/json")


def test_nothing_leaks_and_nothing_fails_for_anyone(market: Market) -> None:
    problems = []
    for method, template, allowed, body in CASES:
        path = template.format(**market.ids)
        for identity in IDENTITIES:
            response = _send(_client(market, identity), method, path, body)
            content = b"".join(response.streaming_content) if response.streaming else response.content
            text = content.decode("utf-8", errors="replace")
            where = f"{method} {path} as {identity}: {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where} (server error)")
            elif identity in allowed and response.status_code >= 400 and response.status_code != 409:
                problems.append(f"{where}, expected to be allowed")
            elif identity not in allowed and response.status_code not in (302, 401, 403, 404, 410):
                problems.append(f"{where}, expected a refusal")
            for marker, readers in READERS.items():
                if marker in text and identity not in readers and marker not in (path + str(body)):
                    problems.append(f"{where} leaked {marker}")
    assert not problems, "\n".join(problems)


def test_a_recipient_without_the_nda_gets_no_byte_of_the_script(market: Market) -> None:
    client = _client(market, "recipient:no_nda")
    page = client.get(f"/bazaar/scripts/{market.ids['script']}/").content.decode()
    assert "I accept these terms" in page and DEFAULT_NDA in page
    assert client.get(f"/bazaar/scripts/{market.ids['script']}/pages/1.png").status_code == 403
    assert client.get(f"/api/v1/bazaar/scripts/{market.ids['script']}/download").json()["code"] == "nda_required"


def test_accepting_records_text_hash_version_action_time_account_and_address(market: Market) -> None:
    client = _client(market, "recipient:no_nda")
    refused = client.post(f"/bazaar/scripts/{market.ids['script']}/nda", {"text_shown": DEFAULT_NDA}, follow=True)
    assert "Tick" in refused.content.decode()  # no affirmative action, no record
    assert not NdaAcceptance.objects.filter(user=market.users["recipient:no_nda"]).exists()
    client.post(f"/bazaar/scripts/{market.ids['script']}/nda", {"text_shown": DEFAULT_NDA, "affirmed": "yes"},
                REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox")
    record = NdaAcceptance.objects.get(user=market.users["recipient:no_nda"])
    assert (record.ip, record.user_agent, record.nda_version, record.text_shown) == (
        "203.0.113.9", "Firefox", "1", DEFAULT_NDA)
    assert "I accept these terms" in record.action and len(record.nda_sha256) == 64
    export = _client(market, "owner:admin").get(f"/api/v1/bazaar/scripts/{market.ids['script']}/nda-records")
    assert "203.0.113.9" in export.content.decode() and record.nda_sha256 in export.content.decode()


def test_every_view_and_download_is_in_the_owners_audit_log(market: Market) -> None:
    reader = _client(market, "recipient:nda")
    assert reader.get(f"/bazaar/scripts/{market.ids['script']}/pages/1.png").status_code == 200
    assert reader.get(f"/bazaar/scripts/{market.ids['script']}/download").status_code == 200
    assert _client(market, "recipient:expired").get(f"/bazaar/scripts/{market.ids['script']}/").status_code == 410
    kinds = list(ScriptEvent.objects.filter(script_id=market.ids["script"]).values_list("kind", "detail"))
    assert ("viewed", "") in kinds and ("downloaded", "") in kinds and ("refused", "expired") in kinds
    log = _client(market, "owner:viewer").get(f"/api/v1/bazaar/scripts/{market.ids['script']}/audit").json()
    assert {e["kind"] for e in log} >= {"granted", "nda_accepted", "viewed", "downloaded", "revoked", "refused"}
    page = _client(market, "owner:admin").get(f"/bazaar/scripts/{market.ids['script']}/audit/").content.decode()
    assert "Page viewed · 1" in page and "Downloaded" in page and "Revoked" in page and "Expired" in page


def test_the_sender_sees_the_decline_reason_and_note(market: Market) -> None:
    _send(_client(market, "owner:admin"), "POST", f"/api/v1/bazaar/interests/{market.ids['interest']}/decision",
          {"accept": False, "reason": "timing", "note": "Come back after Cannes."})
    sent = _client(market, "other:admin").get("/bazaar/interests/").content.decode()
    assert "The timing does not fit our slate" in sent and "Come back after Cannes." in sent


def test_a_form_never_sends_the_person_to_another_site(market: Market) -> None:
    response = _client(market, "owner:admin").post(
        f"/bazaar/interests/{market.ids['interest']}/decide",
        {"verdict": "accept", "next": "https://evil.example/phish"})
    assert response.status_code == 302 and response["Location"] == "/bazaar/interests/"
