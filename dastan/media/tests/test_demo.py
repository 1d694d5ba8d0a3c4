from __future__ import annotations

import io

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.media.demo import load_demo
from dastan.media.models import Stream
from dastan.media.storage import read_text


@pytest.mark.slow
def test_the_demo_publishes_the_scene_with_its_urdu_sound_and_is_safe_to_rerun(
        transactional_db: None) -> None:
    out = io.StringIO()
    load_demo(out)
    title = Title.objects.get(slug="maula-demo")
    version = Stream.objects.get(title=title).current
    master = m3u8.loads(read_text(version.master_name))
    # Subtitles and voice-overs come later, from the localization demo, through review.
    assert [(m.type, m.language) for m in master.media] == [("AUDIO", "ur")]
    assert "media.transcode  100%" in out.getvalue()
    again = io.StringIO()
    load_demo(again)
    assert "already has a stream; kept" in again.getvalue()
    assert Stream.objects.get(title=title).current == version
