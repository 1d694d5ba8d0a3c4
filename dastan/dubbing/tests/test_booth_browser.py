"""The recording booth in headless Chromium with fake media devices: a WAV file is the
microphone (espeak-ng speaking through the booth — no actor recorded these takes, and the
consent below is a test person's). Three cues are recorded, each after the original is
played as a guide, audibly and with the picture (its level measured in the page); one
upload loses its connection and resumes; progress per character and per reel follows each
take; a take plays back against the picture; the takes are mixed (a job the page follows),
approved and published (a job); the published rendition is labelled a human dub, its speech
starts within 250 ms of each cue, and its loudness is on the node's target, measured on the
rendition itself."""

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
from dastan.dubbing.casting import cast_character
from dastan.dubbing.consent import record_consent
from dastan.dubbing.measure import decode_mono, speech_spans_ms
from dastan.dubbing.models import HumanDub, Take
from dastan.dubbing.orders import MIX, PUBLISH
from dastan.jobs.models import Job, JobState
from dastan.jobs.services import run_queued_jobs
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track
from dastan.localization.voice.loudness import measure_loudness
from dastan.media import storage
from dastan.media.loudness import loudness_target
from dastan.media.models import AudioRendition
from dastan.media.services import submit_ingest
from dastan_testing.shared import chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PREROLL_MS = 1500
CUES = [(1000, 3000, "Караван пришёл."), (4000, 6000, "На рассвете."), (7000, 9000, "Добро пожаловать.")]
SHOTS = Path("/tmp/shots")


def _microphone(tmp: Path) -> Path:
    """What the fake microphone plays from the moment the booth opens it: the pre-roll's
    silence, then a line (espeak-ng), then silence to the end of the take."""
    speech = tmp / "line.wav"
    subprocess.run(["espeak-ng", "-v", "ru", "-s", "170", "-w", str(speech), "Караван пришёл."], check=True,
                   capture_output=True)
    mic = tmp / "mic.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(speech), "-af",
                    f"aresample=48000,adelay={PREROLL_MS}:all=1,apad=whole_dur=6", "-ac", "1", "-ar", "48000",
                    "-c:a", "pcm_s16le", str(mic)], check=True, capture_output=True)
    return mic


@pytest.fixture
def booth_world(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[dict[str, Any]]:
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "storage"), "base_url": "/media/"}}}
    settings.DASTAN_X264_PRESET, settings.DASTAN_PLAYBACK_LIMITS, settings.DASTAN_SIGNED_REQUEST_CHECK = \
        "ultrafast", "", ""
    settings.DASTAN_HOME = tmp_path / "home"
    settings.DASTAN_DUB_REEL_S = 4  # the 10 s film in reels of 4 s: cue 1 in reel 1, cues 2 and 3 in reel 2
    storage_module.default_storage._setup()  # type: ignore[attr-defined]
    studio = Organisation.objects.create(name="Booth Studio", slug="booth-studio", kind="studio", country="KZ")
    title = Title.objects.create(slug="booth-film", original_language="en", country_of_origin="KZ", owner=studio,
                                 kind=Title.Kind.FILM, is_published=True)
    source = tmp_path / "film.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=10",
                    "-f", "lavfi", "-i", "sine=frequency=220:duration=10:sample_rate=48000", "-map", "0:v",
                    "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-af", "volume=-45dB", "-t", "10", str(source)], check=True, capture_output=True)
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    user = User.objects.create_user("dana", first_name="Dana", password="x" * 12)
    Membership.objects.create(user=user, organisation=studio, role="editor")
    track = create_track(title=title, language="ru", origin=SubtitleTrack.Origin.HUMAN,
                         cues=[CueData(s, e, t, "ANNA") for s, e, t in CUES])
    SubtitleTrack.objects.filter(pk=track.pk).update(state=SubtitleTrack.State.APPROVED)
    consent = record_consent(by=user, organisation=studio, person_name="Test speaker (espeak-ng through the booth)",
                             starts_on=date(2026, 1, 1), territories=["KZ", "UZ"], languages=["ru"],
                             clickthrough_text="Test consent: synthesized speech played into the booth.")
    cast_character(by=user, track=track, speaker="ANNA", consent=consent)
    client = Client()
    client.force_login(user)
    yield {"title": title, "track": track, "session": client.cookies["sessionid"].value,
           "mic": _microphone(tmp_path)}


@pytest.fixture
def browser(booth_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the test's own queries are
    # still plain synchronous ones between its calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={booth_world['mic']}") as browser:
        yield browser


def _run_when_queued(kind: str) -> None:
    """The worker's part: run the job the page queued, once it is there."""
    for _ in range(300):
        if Job.objects.filter(kind=kind, state=JobState.QUEUED).exists():
            run_queued_jobs(worker="test")
            return
        time.sleep(0.1)
    raise AssertionError(f"the page queued no {kind} job")


def nearest(values: list[int], to: int) -> int:
    return min(values, key=lambda v: abs(v - to))


def test_record_three_cues_resume_a_dropped_upload_mix_approve_and_publish_a_human_dub(
        booth_world: dict[str, Any], browser: Any, live_server: Any, tmp_path: Path) -> None:
    track: SubtitleTrack = booth_world["track"]
    context = browser.new_context(viewport={"width": 1100, "height": 1000}, bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": booth_world["session"], "url": live_server.url}])
    page = context.new_page()
    dropped: list[str] = []

    def drop_once(route: Any) -> None:  # the connection dies under the second chunk of the first take
        request = route.request
        if request.method == "PATCH" and request.headers.get("upload-offset", "0") != "0" and not dropped:
            dropped.append(request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/media/tus/**", drop_once)
    page.goto(f"{live_server.url}/studio/dubbing/{track.pk}/booth/", wait_until="networkidle")
    page.wait_for_function("window.dastanBooth && window.dastanBooth.ready", timeout=20000)
    page.evaluate("dastanBooth.chunkBytes = 4096")  # a take is a few tens of KB: several chunks each
    reels_after = []
    for cue in track.cues.order_by("index"):
        take = page.evaluate(f"dastanBooth.record({cue.pk})")
        assert take["measurement"]["onset_ms"] is not None, take
        reels_after.append(page.evaluate("dastanBooth.progress.reels"))
    assert dropped and page.evaluate("dastanBooth.retries") >= 1, "the upload was cut and resumed"
    advice = [t.measurement for t in Take.objects.filter(track=track).order_by("cue__index")]
    assert len(advice) == 3 and all(abs(m["onset_ms"]) <= 250 for m in advice), advice
    # progress per reel moved with each take (reel 3, 8–10 s, has no lines)
    assert reels_after == [{"1": 1, "2": 0, "3": 0}, {"1": 1, "2": 1, "3": 0}, {"1": 1, "2": 2, "3": 0}]
    assert page.evaluate("dastanBooth.progress.characters") == {"ANNA": 3}
    # the guide: the original was heard (its level measured after the element's mute) before
    # and leading into each take, and fell silent at the cue (no headphones ticked)
    guide = page.evaluate("dastanBooth.guide")
    listened = [g for g in guide if g["what"] == "listen"]
    assert len(listened) == 3 and all(g["audible"] and g["peak_db"] > -90 for g in listened), guide
    assert all(g["audible"] and g["peak_db"] > -90 for g in guide if g["what"] == "lead-in"), guide
    assert [g["audible"] for g in guide if g["what"] == "recording"] == [False, False, False], guide
    page.evaluate(f"dastanBooth.playTake({track.cues.get(index=2).pk})")  # the take against the picture
    [played] = page.evaluate("dastanBooth.played")
    assert played["max_drift_s"] < 0.25, played
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dub-booth.png"), full_page=True)
    print(f"guide levels heard (dBFS): {[round(g['peak_db'], 1) for g in listened]}; "
          f"take against picture: drift {played['max_drift_s']:.3f} s")

    # mix and publish are jobs: the page follows the job a worker (here: this test) runs
    for action, kind, wanted in (("mix", MIX, "in_review"), ("approve", None, "approved"),
                                 ("publish", PUBLISH, "published")):
        page.click(f"[data-action={action}]")
        if kind is not None:
            _run_when_queued(kind)
        page.wait_for_function(f"window.dastanBooth.dub && window.dastanBooth.dub.state === '{wanted}'"
                               f" || window.dastanBooth.error", timeout=180000)
        assert page.evaluate("window.dastanBooth.error") is None
    seen = page.evaluate("dastanBooth.jobs")
    assert {j["progress"] for j in seen} >= {100} and seen[-1]["state"] == "succeeded", seen
    page.screenshot(path=str(SHOTS / "dub-booth-published.png"), full_page=True)

    dub = HumanDub.objects.get(track=track)
    assert dub.rendition_id is not None
    rendition = AudioRendition.objects.get(pk=dub.rendition_id)
    assert rendition.provenance["label"] == "Human dub" and rendition.provenance["human_dub"] is True
    assert not rendition.is_machine_made
    decoded = tmp_path / "published.wav"  # as the player receives it: AAC stereo (BS.1770 sums the channels)
    with storage.local_copy(rendition.playlist_name) as playlist:
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-allowed_extensions", "ALL", "-i", str(playlist),
                        "-ar", "48000", str(decoded)], check=True, capture_output=True)
    samples, rate = decode_mono(decoded)
    spans = speech_spans_ms(samples, rate)
    starts = [s for s, _ in spans]
    onsets = [nearest(starts, start) - start for start, _, _ in CUES]
    assert all(abs(o) <= 250 for o in onsets), (onsets, spans)
    measured = measure_loudness(path=decoded)
    assert abs(measured.integrated_lufs - loudness_target().integrated_lufs) <= 1.0, measured
    print(f"speech onsets against cue starts (ms): {onsets}; loudness {measured.integrated_lufs} LUFS, "
          f"true peak {measured.true_peak_dbtp} dBTP")
