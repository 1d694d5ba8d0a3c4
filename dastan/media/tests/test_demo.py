from __future__ import annotations

import io

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.media.demo import load_demo
from dastan.media.models import Stream
from dastan.media.storage import read_text


@pytest.mark.slow
def test_the_demo_publishes_a_film_with_a_voice_over_and_subtitles_and_is_safe_to_rerun(
        transactional_db: None) -> None:
    out = io.StringIO()
    load_demo(out)
    title = Title.objects.get(slug="maula-demo")
    version = Stream.objects.get(title=title).current
    master = m3u8.loads(read_text(version.master_name))
    assert [(m.type, m.language) for m in master.media] == [
        ("AUDIO", "ur"), ("AUDIO", "en"), ("AUDIO", "ru"), ("SUBTITLES", "en"), ("SUBTITLES", "ru")]
    assert "media.transcode  100%" in out.getvalue()
    again = io.StringIO()
    load_demo(again)
    assert "already has a stream; kept" in again.getvalue()
    assert Stream.objects.get(title=title).current == version
