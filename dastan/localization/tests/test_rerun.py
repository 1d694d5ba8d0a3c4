"""Re-running a machine draft from the title page: the engine makes the track anew in a
job, earlier text kept in each cue's history; never over text people wrote or approved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dastan.catalog.models import Title
from dastan.errors import InvalidInput, PermissionDenied
from dastan.jobs.services import run_queued_jobs
from dastan.localization import orders
from dastan.localization.engines.registry import find_translation_route
from dastan.localization.models import CueRevision, SubtitleTrack
from dastan.localization.tracks import CueData, create_track, edit_cue

pytestmark = pytest.mark.django_db


@pytest.fixture
def hindi(film_title: Title) -> SubtitleTrack:
    Title.objects.filter(pk=film_title.pk).update(original_language="hi")
    return create_track(title=film_title, language="hi", origin="upload", is_source=True,
                        state=SubtitleTrack.State.APPROVED, cues=[CueData(0, 2000, "यह किताब बहुत अच्छी है।")])


def test_a_track_left_for_a_translator_is_drafted_by_the_engine_when_re_run(
        hindi: SubtitleTrack, member: Callable[..., Any]) -> None:
    if find_translation_route("hi", "ur") is None:
        pytest.skip("Apertium's hi→ur pair is not installed (apt-get install apertium-urd-hin).")
    manager, _ = member("manager", "editor")
    waiting = create_track(title=hindi.title, language="ur", origin="human", source_track=hindi,
                           state=SubtitleTrack.State.AWAITING_TRANSLATOR, cues=[CueData(0, 2000, "")],
                           provenance={"engine": "human", "why": "the engine was missing"})
    job = orders.rerun_draft(track=waiting, by=manager)
    assert (job.kind, job.params["redraft"]) == ("localization.translate", True)
    run_queued_jobs(worker="test")
    track = SubtitleTrack.objects.get(pk=waiting.pk)
    assert (track.origin, track.state, track.provenance["engine"]) == ("machine", "in_review", "apertium")
    assert track.cues.get().text.strip() != ""
    history = list(CueRevision.objects.filter(cue__track=track).values_list("text", flat=True))
    assert history[0] == "" and history[-1] == track.cues.get().text


def test_a_re_run_is_refused_where_it_would_lose_peoples_work_or_no_engine_exists(
        hindi: SubtitleTrack, member: Callable[..., Any]) -> None:
    manager, _ = member("manager", "editor")
    translator, _ = member("almaty", "translator")
    kazakh = create_track(title=hindi.title, language="kk", origin="human", source_track=hindi,
                          cues=[CueData(0, 2000, "")], state=SubtitleTrack.State.AWAITING_TRANSLATOR)
    with pytest.raises(InvalidInput, match="No engine on this node translates hi→kk"):
        orders.rerun_draft(track=kazakh, by=manager)
    with pytest.raises(InvalidInput, match="the film's own language"):
        orders.rerun_draft(track=hindi, by=manager)
    urdu = create_track(title=hindi.title, language="ur", origin="machine", source_track=hindi,
                        cues=[CueData(0, 2000, "یہ کتاب")], provenance={"engine": "apertium"})
    with pytest.raises(PermissionDenied):
        orders.rerun_draft(track=urdu, by=translator)
    if find_translation_route("hi", "ur") is not None:
        edit_cue(cue=urdu.cues.get(), author=translator, text="یہ کتاب بہت اچھی ہے۔")
        with pytest.raises(InvalidInput, match="would replace their work"):
            orders.rerun_draft(track=urdu, by=manager)
        SubtitleTrack.objects.filter(pk=urdu.pk).update(state=SubtitleTrack.State.PUBLISHED)
        with pytest.raises(InvalidInput, match="Withdraw it first"):
            orders.rerun_draft(track=SubtitleTrack.objects.get(pk=urdu.pk), by=manager)
