"""The human dub's review desk in headless Chromium, in Russian and in Urdu (right to
left): a published "human + AI" dub (an actor's takes — espeak-ng through the booth
pipeline, no actor — and a synthetic character); its content-credentials panel says what
the manifest says and checks it now; a take plays against the picture in sync; a take
sent back with a note shows in the actor's booth and holds the approval; a mix started on
the desk is a job whose progress the page follows. Screenshots: /tmp/shots/dub-desk-*.png
and dub-credentials-*.png."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files import storage as storage_module
from django.test import Client

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.credentials.models import ContentCredential
from dastan.dubbing.casting import cast_character
from dastan.dubbing.consent import record_consent
from dastan.dubbing.models import HumanDub, Take
from dastan.dubbing.orders import MIX, order_mix, order_publish
from dastan.dubbing.publishing import approve_human_dub
from dastan.dubbing.takes import record_take_file
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import run_queued_jobs
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track
from dastan.media.services import submit_ingest
from dastan.web.tests.test_player_browser import serious_violations
from dastan_testing.shared import chromium

from .conftest import espeak

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path("/tmp/shots")
CUES = [(1000, 3000, "ANNA", "Караван пришёл."), (4000, 6000, "BORIS", "На рассвете."),
        (7000, 9000, "ANNA", "Добро пожаловать.")]  # fmt: skip
NOTE = "Мягче: она шепчет."


@pytest.fixture
def dubbed(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[dict[str, Any]]:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}  # fmt: skip
    settings.DASTAN_X264_PRESET, settings.DASTAN_PLAYBACK_LIMITS, settings.DASTAN_SIGNED_REQUEST_CHECK = (
        "ultrafast", "", "")  # fmt: skip
    settings.DASTAN_HOME = tmp_path / "home"
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    studio = Organisation.objects.create(
        name="Desk Studio", slug="desk-studio", kind="studio", country="KZ"
    )
    title = Title.objects.create(slug="desk-film", original_language="en", country_of_origin="KZ", owner=studio,
                                 kind=Title.Kind.FILM, is_published=True)  # fmt: skip
    source = tmp_path / "film.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=10",
                    "-f", "lavfi", "-i", "sine=frequency=220:duration=10:sample_rate=48000", "-map", "0:v",
                    "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-af", "volume=-45dB", "-t", "10", str(source)], check=True, capture_output=True)  # fmt: skip
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    people = {}
    for name, role in (("lola", "editor"), ("amina", "reviewer")):
        people[name] = User.objects.create_user(name, first_name=name.title(), password="x" * 12)
        Membership.objects.create(user=people[name], organisation=studio, role=role)
    track = create_track(title=title, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                         cues=[CueData(s, e, t, who) for s, e, who, t in CUES])  # fmt: skip
    SubtitleTrack.objects.filter(pk=track.pk).update(state=SubtitleTrack.State.APPROVED)
    track.refresh_from_db()
    consent = record_consent(by=people["lola"], organisation=studio, person_name="Test speaker (espeak-ng, no actor)",
                             starts_on=date(2026, 1, 1), territories=["KZ", "UZ"], languages=["ru"],
                             clickthrough_text="Test consent: synthesized speech through the booth pipeline.")  # fmt: skip
    cast_character(by=people["lola"], track=track, speaker="ANNA", consent=consent)
    cast_character(by=people["lola"], track=track, speaker="BORIS", voice_id="espeak-ng:ru+m3")
    for cue in track.cues.filter(speaker="ANNA"):
        record_take_file(by=people["lola"], cue=cue, recording=espeak(cue.text, tmp_path / f"{cue.pk}.wav"),
                         preroll_ms=0)  # fmt: skip
    order_mix(by=people["lola"], track=track, mode="voice-over", studio_credit="Desk Studio")
    run_queued_jobs(worker="test")
    dub = approve_human_dub(dub=HumanDub.objects.get(track=track), reviewer=people["amina"])
    order_publish(dub=dub, by=people["amina"], territories=["KZ"])
    run_queued_jobs(worker="test")
    sessions = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies["sessionid"].value
    yield {"track": track, "sessions": sessions}


@pytest.fixture
def browser(dubbed: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        yield browser


def _page(browser: Any, url: str, session: str, language: str, path: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": session, "url": url},
                         {"name": "dastan_language", "value": language, "url": url}])  # fmt: skip
    page = context.new_page()
    page.goto(url + path, wait_until="networkidle")
    return page


def _run_when_queued(kind: str) -> None:
    for _ in range(300):
        if Job.objects.filter(kind=kind, state=JobState.QUEUED).exists():
            run_queued_jobs(worker="test")
            return
        time.sleep(0.1)
    raise AssertionError(f"the page queued no {kind} job")


def test_the_review_desk_plays_takes_against_the_picture_checks_credentials_and_follows_the_mix(
    dubbed: dict[str, Any], browser: Any, live_server: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    track: SubtitleTrack = dubbed["track"]
    desk = f"/studio/dubbing/{track.pk}/review/"
    credential = ContentCredential.objects.get(
        subject=f"human_dub:{HumanDub.objects.get(track=track).pk}"
    )

    page = _page(browser, live_server.url, dubbed["sessions"]["amina"], "ru", desk)
    page.wait_for_function(
        "window.dastanDubDesk.ready && window.dastanCredentials.done >= 1", timeout=60000
    )
    item = page.locator(f'.credential[data-verify-url$="{credential.asset_sha256}/verification"]')
    assert item.get_attribute("data-state") == "verified", item.inner_text()
    facts = item.inner_text()
    assert (
        "espeak-ng" in facts
        and "2" in facts
        and "Amina" in facts
        and "люди вместе с машиной" in facts
    )
    assert "подлинно: подписано" in facts
    assert "люди и ИИ (человек + ИИ)" in page.inner_text(".dub-facts")
    first = Take.objects.get(cue__track=track, cue__index=1)
    page.click(f'tr[data-cue="{first.cue_id}"] .dub-play-take')
    page.wait_for_function("window.dastanDubDesk.played.length === 1", timeout=30000)
    played = page.evaluate("window.dastanDubDesk.played[0]")
    assert played["max_drift_s"] is not None and played["max_drift_s"] < 0.25, played
    print(
        f"take 1 against the picture: the two drifted at most {played['max_drift_s']:.3f} s apart"
    )
    assert serious_violations(page) == []
    page.screenshot(path=str(SHOTS / "dub-desk-ru.png"), full_page=True)
    page.locator(".desk-credentials").screenshot(path=str(SHOTS / "dub-credentials-ru.png"))

    # send a take back with a note: the actor reads it in the booth, and the dub waits
    third = Take.objects.get(cue__track=track, cue__index=3)
    row = page.locator(f'tr[data-cue="{third.cue_id}"]')
    row.locator("input[name=note]").fill(NOTE)
    row.locator("button[value=send_back]").click()
    page.wait_for_selector(".flash-success")
    booth = _page(
        browser,
        live_server.url,
        dubbed["sessions"]["lola"],
        "ru",
        f"/studio/dubbing/{track.pk}/booth/",
    )
    note = booth.locator(f'.booth-cue[data-cue="{third.cue_id}"] .booth-note').inner_text()
    assert "Дубль 1 возвращён на доработку:" in note and NOTE in note, note
    assert serious_violations(booth) == []
    booth.screenshot(path=str(SHOTS / "dub-booth-note-ru.png"), full_page=True)

    # a mix started on the desk is a job the page follows, then shows the result
    page.click("button[data-action=mix]")
    job = int(page.get_attribute(".dub-job[data-state=queued]", "data-job"))
    page.wait_for_function(
        f"window.dastanDubDesk.progress.some((p) => p.id === {job})", timeout=10000
    )
    _run_when_queued(MIX)
    page.wait_for_selector(f'.dub-job[data-job="{job}"][data-state="succeeded"]', timeout=60000)
    seen = [
        (p["state"], p["progress"])
        for p in page.evaluate("window.dastanDubDesk.progress")
        if p["id"] == job
    ]
    assert seen[0] == ("queued", 0) and seen[-1] == ("succeeded", 100), seen
    print("mix progress the page saw:", seen)
    page.click("button[data-action=approve]")
    refused = page.inner_text(".flash-error")
    assert "Реплика 3" in refused or "Cue 3 was sent back" in refused, refused

    # the player shows the same panel (one template, one script): a viewer opens it
    viewer = _page(
        browser,
        live_server.url,
        dubbed["sessions"]["amina"],
        "zh-hans",
        f"/titles/{track.title.slug}/",
    )
    viewer.click(".player .ai-credentials summary")
    viewer.wait_for_function("window.dastanCredentials.done >= 1", timeout=60000)
    assert viewer.get_attribute(".player .credential", "data-state") == "verified"
    assert "验证通过" in viewer.inner_text(".player .ai-credentials")
    assert "含 AI 声音的真人配音" in viewer.inner_text(".ai-notice")  # not called an AI voice-over
    viewer.locator(".player").screenshot(path=str(SHOTS / "dub-player-credentials-zh.png"))

    urdu = _page(browser, live_server.url, dubbed["sessions"]["amina"], "ur", desk)
    urdu.wait_for_function("window.dastanCredentials.done >= 1", timeout=60000)
    assert urdu.get_attribute("html", "dir") == "rtl"
    assert "تصدیق شدہ" in urdu.inner_text(".desk-credentials")
    assert serious_violations(urdu) == []
    urdu.screenshot(path=str(SHOTS / "dub-desk-ur.png"), full_page=True)
    urdu.locator(".desk-credentials").screenshot(path=str(SHOTS / "dub-credentials-ur.png"))
