"""The review desk of a human dub: each cue's take is approved or sent back with a note
the actor then reads in the booth; the dub cannot be approved while a take is sent back or
newer than the mix; mix and publish go through jobs; the content-credentials panel says
what the manifest says and checks it now (a tampered file fails). The booth counts
progress per character and per reel."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dastan.catalog.models import Organisation
from dastan.credentials.models import ContentCredential
from dastan.dubbing.booth import booth
from dastan.dubbing.casting import cast_character
from dastan.dubbing.models import HumanDub, Take
from dastan.dubbing.orders import MIX
from dastan.dubbing.takes import record_take_file
from dastan.dubbing.tests.factories import actor_consent
from dastan.jobs.models import Job
from dastan.jobs.services import run_queued_jobs
from dastan.localization.models import SubtitleTrack
from dastan.media import storage

from .conftest import espeak

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
VOICE = "espeak-ng:ru+m3"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _flash(response: Any) -> str:
    found = re.findall(
        r'<p class="flash flash-(\w+)" role="status">([^<]*)</p>',
        html.unescape(response.content.decode()),
    )
    return " | ".join(f"{kind}: {text}" for kind, text in found)


@pytest.fixture
def cast(
    ru_track: SubtitleTrack, studio: Organisation, member: Callable[..., Any], tmp_path: Path
) -> dict[str, Any]:
    """ANNA is Dana (consent for KZ and UZ) with a take of each of her cues; BORIS is synthetic."""
    producer, reviewer = member("lola", "editor"), member("amina", "reviewer")
    dana = actor_consent(by=producer, organisation=studio)
    cast_character(by=producer, track=ru_track, speaker="ANNA", consent=dana)
    cast_character(by=producer, track=ru_track, speaker="BORIS", voice_id=VOICE)
    for cue in ru_track.cues.filter(speaker="ANNA"):
        record_take_file(
            by=producer,
            cue=cue,
            recording=espeak(cue.text, tmp_path / f"{cue.pk}.wav"),
            preroll_ms=0,
        )
    return {"producer": producer, "reviewer": reviewer, "track": ru_track, "tmp": tmp_path}


def test_a_take_sent_back_shows_its_note_in_the_booth_and_holds_the_approval(
    cast: dict[str, Any],
) -> None:
    track: SubtitleTrack = cast["track"]
    producer, reviewer = _client(cast["producer"]), _client(cast["reviewer"])
    desk_url = f"/studio/dubbing/{track.pk}/review/"
    first = Take.objects.get(cue__track=track, cue__index=1)

    page = reviewer.get(desk_url).content.decode()
    assert (
        f"/studio/dubbing/takes/{first.pk}.wav" in page
        and "Synthetic voice: the mix speaks it" in page
    )
    silent = reviewer.post(
        f"{desk_url}takes/{first.pk}", {"verdict": "send_back", "note": " "}, follow=True
    )
    assert "Sending a take back needs a note for the actor." in _flash(silent)
    reviewer.post(
        f"{desk_url}takes/{first.pk}",
        {"verdict": "send_back", "note": "Softer: she is whispering."},
    )
    first.refresh_from_db()
    assert first.review == Take.Review.SENT_BACK and first.reviewed_by == cast["reviewer"]

    seen = producer.get(f"/studio/dubbing/{track.pk}/booth/").content.decode()
    assert "Take 1 was sent back:" in seen and "Softer: she is whispering." in seen
    assert 'data-character="BORIS"' not in seen  # the mix speaks BORIS: nothing to record

    assert producer.post(f"{desk_url}mix", {"mode": "full-dub"}, follow=True).status_code == 200
    assert not Job.objects.filter(kind=MIX).exists()  # a booth full dub has no M&E: refused at once
    mixed = producer.post(f"{desk_url}mix", {"mode": "voice-over"}, follow=True)
    assert "Mixing: the page follows the job." in _flash(mixed)
    assert 'class="dub-job" data-job=' in mixed.content.decode()
    run_queued_jobs(worker="test")
    refused = reviewer.post(f"{desk_url}approve", follow=True)
    assert "Cue 1 was sent back to the actor: “Softer: she is whispering.”" in _flash(refused)

    retake = record_take_file(by=cast["producer"], cue=first.cue,
                              recording=espeak("Караван пришёл в Самарканд.", cast["tmp"] / "again.wav"),
                              preroll_ms=0)  # fmt: skip
    assert (
        "Take 1 was sent back:"
        in producer.get(f"/studio/dubbing/{track.pk}/booth/").content.decode()
    )
    reviewer.post(f"{desk_url}takes/{retake.pk}", {"verdict": "approve"})
    stale = reviewer.post(f"{desk_url}approve", follow=True)
    assert "Cue 1 has a newer take than the mix." in _flash(stale)
    producer.post(f"{desk_url}mix", {"mode": "voice-over"})
    run_queued_jobs(worker="test")
    assert "The human dub is approved." in _flash(reviewer.post(f"{desk_url}approve", follow=True))
    assert HumanDub.objects.get(track=track).state == HumanDub.State.APPROVED


def test_the_desk_publishes_through_a_job_and_its_credentials_panel_checks_the_file(
    cast: dict[str, Any],
) -> None:
    track: SubtitleTrack = cast["track"]
    producer, reviewer = _client(cast["producer"]), _client(cast["reviewer"])
    desk_url = f"/studio/dubbing/{track.pk}/review/"
    producer.post(f"{desk_url}mix", {"mode": "voice-over", "studio_credit": "Samarkand Sound"})
    run_queued_jobs(worker="test")
    reviewer.post(f"{desk_url}approve")
    outside = reviewer.post(f"{desk_url}publish", {"territories": "CN"}, follow=True)
    assert "Dana Karimova's consent does not cover the territory CN" in _flash(outside)
    reviewer.post(f"{desk_url}publish", {"territories": "KZ"})
    run_queued_jobs(worker="test")
    dub = HumanDub.objects.get(track=track)
    assert dub.state == HumanDub.State.PUBLISHED and dub.has_synthetic_cues

    credential = ContentCredential.objects.get(subject=f"human_dub:{dub.pk}")
    page = reviewer.get(desk_url).content.decode()
    panel = page[page.index('<details class="ai-credentials" open') :]
    assert f'data-verify-url="/api/v1/credentials/{credential.asset_sha256}/verification"' in panel
    assert (
        "human-dub-with-ai" in panel
        and "espeak-ng" in panel
        and ">2, 4<" in panel
        and "Amina" in panel
    )
    assert (
        "people and AI (human + AI)" in page and "Human dub with AI voice — Samarkand Sound" in page
    )
    subtitles_desk = reviewer.get(f"/studio/review/{track.pk}/").content.decode()
    assert (
        f'href="{desk_url}"' in subtitles_desk and credential.asset_sha256 in subtitles_desk
    )  # the same panel

    check = Client().get(
        f"/api/v1/credentials/{credential.asset_sha256}/verification"
    )  # public: published
    assert check.status_code == 200 and check.json()["verifies"] is True, check.json()
    with storage.local_copy(credential.asset_name) as path:
        data = bytearray(Path(path).read_bytes())
        data[len(data) // 2] ^= 0x55  # the stored file changed behind the node's back
        Path(path).write_bytes(bytes(data))
    tampered = Client().get(f"/api/v1/credentials/{credential.asset_sha256}/verification").json()
    assert tampered["verifies"] is False and any("mismatch" in f for f in tampered["failures"]), (
        tampered
    )


def test_the_booth_counts_progress_per_character_and_per_reel(
    cast: dict[str, Any], settings: Any, member: Callable[..., Any]
) -> None:
    settings.DASTAN_DUB_REEL_S = 4  # the 8 s film in two reels: 0–4 s and 4–8 s
    track: SubtitleTrack = cast["track"]
    third = Take.objects.get(cue__track=track, cue__index=3)
    url = f"/api/v1/dubbing/takes/{third.pk}/review"
    body = {"verdict": "send_back", "note": "Again, closer to the microphone."}
    translator = _client(member("timur", "translator"))  # records takes, does not review them
    assert translator.post(url, body, content_type="application/json").status_code == 403
    answer = _client(cast["reviewer"]).post(url, body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["review"] == "sent_back", answer.content
    seen = booth(user=cast["producer"], track=track)
    assert [(c.key, c.done, c.total) for c in seen.characters] == [
        ("ANNA", 1, 2)
    ]  # cue 3 was sent back
    assert [(r.key, r.label, r.done, r.total) for r in seen.reels] == [
        ("1", "00:00:00–00:00:04", 1, 1),
        ("2", "00:00:04–00:00:08", 0, 1),
    ]
    assert seen.synthetic == {"BORIS": VOICE}
    page = _client(cast["producer"]).get(f"/studio/dubbing/{track.pk}/booth/").content.decode()
    assert "Per reel of 00:00:04" in page and 'data-reel="2" data-done=""' in page
