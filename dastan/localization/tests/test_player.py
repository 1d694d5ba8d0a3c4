"""What viewers get, in a real browser: hls.js lists the published subtitles and shows
their cue text, and switches between the voice-over renditions and keeps playing."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from dastan.accounts.models import Membership
from dastan.catalog.models import Organisation, Title
from dastan.jobs.services import run_queued_jobs
from dastan.localization.dubbing import dub_track
from dastan.localization.publishing import publish_track
from dastan.localization.review import approve_track
from dastan.localization.tests.test_dubbing import LINES
from dastan.localization.tracks import CueData, create_track
from dastan.media.services import submit_ingest
from dastan_testing.shared import chromium

VOICED = ("ru", "kk", "hi", "zh-Hans", "fa")


@pytest.fixture
def localized_film(transactional_db: None, tmp_path: Path, settings: Any) -> Title:
    settings.DASTAN_HOME = tmp_path / "home"
    studio = Organisation.objects.create(name="Karvon", slug="karvon-studio", kind="studio", country="UZ",
                                         voice_tracks_need_approval=False)
    reviewer = User.objects.create_user(username="amina", password="x" * 12)
    Membership.objects.create(user=reviewer, organisation=studio, role="reviewer")
    title = Title.objects.create(slug="karvon", original_language="en", country_of_origin="UZ", owner=studio,
                                 is_published=True)
    speech = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(speech), "The caravan came. At dawn."], check=True)
    source = tmp_path / "film.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=6",
                    "-i", str(speech), "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-metadata:s:a:0", "language=eng", "-af", "apad",
                    "-t", "6", str(source)], check=True, capture_output=True)
    submit_ingest(title=title, path=source)
    run_queued_jobs(worker="test")
    for language in VOICED:
        first, second = LINES[language]
        track = create_track(title=title, language=language, origin="human",
                             cues=[CueData(300, 2500, first, "A"), CueData(2700, 5500, second, "B")])
        track = approve_track(track=track, reviewer=reviewer)
        publish_track(track=track)
        dub_track(track=track)
    return title


@pytest.mark.browser
@pytest.mark.slow
def test_hls_js_shows_published_subtitles_and_plays_each_voice_over(localized_film: Title, live_server: Any) -> None:
    with chromium() as browser:
        page = browser.new_page(bypass_csp=True)  # policy tested in web/tests/test_csp_browser.py; string predicates use eval
        page.goto(f"{live_server.url}/media/watch/karvon/")
        page.wait_for_function("window.dastanPlayer.ready || window.dastanPlayer.error", timeout=30000)
        assert page.evaluate("window.dastanPlayer.error") is None
        subtitle_langs = page.evaluate("hls.subtitleTracks.map(t => t.lang)")
        assert sorted(subtitle_langs) == sorted(VOICED)
        audio = page.evaluate("hls.audioTracks.map(t => t.lang)")
        assert sorted(audio) == sorted(["en", *VOICED])
        kk = subtitle_langs.index("kk")
        page.evaluate(f"""() => {{ hls.subtitleDisplay = true; hls.subtitleTrack = {kk};
            document.getElementById('player').play(); }}""")
        page.wait_for_function("""() => { const tt = [...document.getElementById('player').textTracks]
            .find(t => t.language === 'kk'); return tt && tt.cues && tt.cues.length > 0; }""", timeout=30000)
        cue_text = page.evaluate("""[...document.getElementById('player').textTracks]
            .find(t => t.language === 'kk').cues[0].text""")
        assert cue_text == LINES["kk"][0]
        page.evaluate("window.loadedAudio = []; hls.on(Hls.Events.AUDIO_TRACK_LOADED, (e, d) => window.loadedAudio.push(d.id));")
        for language in VOICED:
            index = audio.index(language)
            page.evaluate(f"hls.audioTrack = {index}; document.getElementById('player').currentTime = 0.5;")
            page.wait_for_function(f"window.loadedAudio.includes({index})", timeout=30000)
            page.wait_for_function("document.getElementById('player').currentTime > 1.5", timeout=30000)
            assert page.evaluate("hls.audioTracks[hls.audioTrack].lang") == language
