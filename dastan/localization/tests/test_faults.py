"""Long localization steps under faults: an attempt that lost its job (taken over after
missed heartbeats, or cancelled) commits nothing when it finishes late, and a large
subtitle import writes its cues in bulk statements instead of holding the database's
write lock for one row at a time; approving a voice queues its encoding as a job."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import dastan.localization.handlers
import dastan.media.handlers  # noqa: F401 -- registers media.add_audio
from dastan.catalog.models import Organisation, Title
from dastan.ffmpeg import base_args
from dastan.jobs.context import JobContext, attempt_scope
from dastan.jobs.errors import JobCancelled, LeaseLost
from dastan.jobs.models import Job, JobState
from dastan.jobs.registry import get_handler
from dastan.jobs.services import (
    cancel_job,
    claim_job,
    reap_stalled_jobs,
    run_queued_jobs,
    submit_job,
)
from dastan.localization.dubbing import approve_voice_track, dub_track
from dastan.localization.models import Cue, CueRevision, SubtitleTrack, VoiceTrack
from dastan.localization.review import approve_track
from dastan.localization.sources import import_subtitle_file
from dastan.localization.tests.conftest import SRT
from dastan.localization.tracks import CueData, create_track
from dastan.media.models import AudioRendition, Version
from dastan.media.renditions import add_audio_rendition
from dastan.processes import run


def _srt(count: int, *, changed: int | None = None) -> bytes:
    blocks = []
    for n in range(1, count + 1):
        start_ms = n * 2000
        start = f"{start_ms // 3_600_000:02}:{start_ms // 60_000 % 60:02}:{start_ms // 1000 % 60:02},000"
        end = f"{start_ms // 3_600_000:02}:{start_ms // 60_000 % 60:02}:{start_ms // 1000 % 60:02},900"
        text = f"Line {n} of the caravan's story" + (" (revised)" if n == changed else "")
        blocks.append(f"{n}\n{start} --> {end}\n{text}\n")
    return "\n".join(blocks).encode()


def _attempt(kind: str, *, target: Any, params: dict[str, Any]) -> JobContext:
    job = submit_job(kind=kind, target=target, params=params)
    ctx = claim_job(job_id=job.pk, worker="slow")
    assert ctx is not None
    return ctx


def _taken_over(ctx: JobContext) -> JobContext:
    """What another worker does once ``ctx``'s lease lapsed: take the job back, claim it."""
    later = timezone.now() + timedelta(seconds=settings.DASTAN_JOB_LEASE_S + 1)
    assert reap_stalled_jobs(now=later) == [ctx.job_id]
    current = claim_job(job_id=ctx.job_id, worker="fast")
    assert current is not None
    return current


@pytest.mark.django_db
def test_a_50000_cue_subtitle_file_is_written_in_a_few_bulk_statements(film_title: Title) -> None:
    data = _srt(50_000)

    with CaptureQueriesContext(connection) as queries:
        track = import_subtitle_file(title=film_title, language="en", data=data, filename="long.srt")

    assert Cue.objects.filter(track=track).count() == 50_000
    assert CueRevision.objects.filter(cue__track=track).count() == 50_000
    # One row at a time this was 100,000 INSERTs inside one transaction; in bulk it is one
    # per ~120 rows on SQLite (999 parameters a statement), fewer on PostgreSQL.
    assert len(queries) < 1000, f"{len(queries)} statements"

    with CaptureQueriesContext(connection) as queries:
        import_subtitle_file(title=film_title, language="en", data=_srt(50_000, changed=7),
                             filename="long.srt", replace=True)
    assert Cue.objects.get(track=track, index=7).text == "Line 7 of the caravan's story (revised)"
    assert CueRevision.objects.filter(cue__track=track).count() == 50_001  # the one changed cue
    assert len(queries) < 20, f"{len(queries)} statements"


@pytest.mark.django_db
def test_a_translation_finished_by_an_attempt_that_was_taken_over_writes_no_track(film_title: Title) -> None:
    import_subtitle_file(title=film_title, language="en", data=SRT.encode(), filename="caravan.srt")
    stale = _attempt("localization.translate", target=film_title,
                     params={"title_id": film_title.pk, "language": "ur"})
    current = _taken_over(stale)
    handler = get_handler("localization.translate").func

    with attempt_scope(stale), pytest.raises(LeaseLost, match=f"Job #{stale.job_id} attempt 1 on slow"):
        handler(stale)
    assert not SubtitleTrack.objects.filter(title=film_title, language="ur").exists()

    with attempt_scope(current):
        result = handler(current)
    track = SubtitleTrack.objects.get(title=film_title, language="ur")
    assert result is not None and result["track_id"] == track.pk
    assert track.cues.count() == 2


@pytest.mark.django_db
def test_a_new_language_encoded_by_a_cancelled_job_is_not_published(published_film: Title, tmp_path: Path) -> None:
    dub = tmp_path / "dub.wav"
    run([*base_args(), "-f", "lavfi", "-i", "sine=frequency=220:duration=4", str(dub)], check=True,
        capture_output=True)
    versions = Version.objects.filter(title=published_film).count()
    ctx = _attempt("media.add_audio", target=published_film,
                   params={"title_id": published_film.pk, "language": "ur", "path": str(dub)})

    cancel_job(job_id=ctx.job_id)  # while ffmpeg encodes the new language

    # The encode itself reports no progress here, so only the check at commit can stop it.
    with attempt_scope(ctx), pytest.raises(JobCancelled, match=f"Job #{ctx.job_id} was cancelled"):
        add_audio_rendition(title=published_film, language="ur", audio_file=dub, kind="dub")
    assert Version.objects.filter(title=published_film).count() == versions
    assert not AudioRendition.objects.filter(title=published_film, language="ur").exists()


@pytest.mark.django_db
@pytest.mark.slow
def test_approving_a_voice_queues_its_encoding_instead_of_running_it_in_the_request(
        published_film: Title, studio: Organisation, member: Callable[..., Any]) -> None:
    studio.voice_tracks_need_approval = True
    studio.save()
    reviewer, _ = member("amina", "reviewer")
    track = create_track(title=published_film, language="kk", origin=SubtitleTrack.Origin.HUMAN,
                         cues=[CueData(300, 1800, "Керуен келді.", "A"), CueData(2000, 3800, "Таң атқанда.", "B")])
    voice, report = dub_track(track=approve_track(track=track, reviewer=reviewer))
    assert report is not None and voice.state == VoiceTrack.State.IN_REVIEW
    versions = Version.objects.filter(title=published_film).count()

    voice = approve_voice_track(voice=voice, reviewer=reviewer)

    assert voice.state == VoiceTrack.State.APPROVED
    assert Version.objects.filter(title=published_film).count() == versions, "nothing encoded yet"
    [job] = Job.objects.filter(kind="localization.publish_voice", state=JobState.QUEUED)
    assert run_queued_jobs(worker="test") == 1
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error_message
    assert VoiceTrack.objects.get(pk=voice.pk).state == VoiceTrack.State.PUBLISHED
    assert AudioRendition.objects.filter(title=published_film, language="kk").exists()
