"""The editor's waveform: computed once by a job from the film's own sound (real ffmpeg),
stored in audiowaveform's binary format, with speech onsets where the voice starts."""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from dastan.catalog.models import Title
from dastan.jobs.services import run_queued_jobs
from dastan.localization.models import WaveformPeaks
from dastan.localization.peaks import peaks_of, speech_onsets_ms
from dastan.localization.tracks import CueData, create_track
from dastan.localization.waveform import order_waveform

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_waveform_is_computed_once_by_a_job_and_served_as_audiowaveform_dat(
        published_film: Title, member: Callable[..., Any]) -> None:
    editor, api = member("dana", "editor")
    job = order_waveform(title=published_film, by=editor)
    assert job is not None and order_waveform(title=published_film, by=editor) == job  # not twice
    run_queued_jobs(worker="test")
    peaks = WaveformPeaks.objects.get(title=published_film)
    assert order_waveform(title=published_film, by=editor) is None  # computed: nothing to queue
    assert 3900 <= peaks.duration_ms <= 4100 and peaks.length == -(-peaks.duration_ms // 10)
    assert peaks.speech_onsets_ms and peaks.speech_onsets_ms[0] < 1000  # espeak starts at once
    track = create_track(title=published_film, language="en", origin="upload", is_source=True,
                         cues=[CueData(0, 2000, "My grandfather planted these trees.")])
    body = api.get(f"/api/v1/localization/tracks/{track.pk}/waveform.dat").content
    version, flags, rate, spp, length, channels = struct.unpack("<iIiiIi", body[:24])
    assert (version, flags, rate, spp, channels) == (2, 1, 8000, 80, 1) and length == peaks.length
    assert len(body) == 24 + 2 * length and max(body[24:]) > 10  # the voice is there


def test_peaks_keep_each_columns_extremes_and_onsets_follow_silence() -> None:
    quiet, loud = np.zeros(8000, dtype=np.int16), (np.sin(np.arange(8000) / 3) * 20000).astype(np.int16)
    samples = np.concatenate([quiet, loud, quiet, loud])
    peaks = peaks_of(samples, samples_per_pixel=80)
    assert peaks.shape == (400, 2) and peaks[150, 1] > 70 and peaks[150, 0] < -70 and peaks[50].tolist() == [0, 0]
    assert speech_onsets_ms(peaks, ms_per_pixel=10) == [1000, 3000]
