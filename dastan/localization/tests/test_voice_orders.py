"""A voice-over ordered with a title's languages is made once people approve each
language's text, whichever route made it: an engine, a person, or a person through a
pivot (the pivot itself is not voiced)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import m3u8
import pytest

from dastan.catalog.models import Title
from dastan.errors import PermissionDenied
from dastan.jobs.models import Job
from dastan.jobs.services import run_queued_jobs
from dastan.localization import editing, orders, review
from dastan.localization.dubbing import approve_voice_track, order_voice
from dastan.localization.engines.registry import find_translation_route
from dastan.localization.models import SubtitleTrack, VoiceTrack
from dastan.localization.publishing import publish_track, withdraw_track
from dastan.localization.tracks import CueData, create_track, edit_cue
from dastan.media.models import Stream
from dastan.media.storage import read_text

pytestmark = pytest.mark.django_db


def _translate(track: SubtitleTrack, who: Any, text: str) -> SubtitleTrack:
    for cue in track.cues.all():
        edit_cue(cue=cue, author=who, text=text)
    return editing.submit_track(track=SubtitleTrack.objects.get(pk=track.pk), by=who)


def _dub_jobs(title: Title) -> list[str]:
    return [j.params["language"] for j in Job.objects.filter(kind="localization.dub", target_id=str(title.pk))
            .order_by("pk")]


def _source(title: Title, language: str, text: str) -> SubtitleTrack:
    Title.objects.filter(pk=title.pk).update(original_language=language)
    return create_track(title=title, language=language, origin="upload", is_source=True,
                        state=SubtitleTrack.State.APPROVED, cues=[CueData(500, 3000, text)])


@pytest.mark.slow
def test_a_persons_translation_is_voiced_once_approved_and_withdrawn_with_its_voice(
        published_film: Title, member: Callable[..., Any]) -> None:
    manager, _ = member("manager", "editor")
    reviewer, _ = member("reviewer", "reviewer")
    almaty, _ = member("almaty", "translator")
    _source(published_film, "en", "We arrived in the city at dawn.")
    orders.start_localization(title=published_film, by=manager, voice_over=True,
                              plans=[orders.LanguagePlan("kk", "person", "almaty")])
    track = SubtitleTrack.objects.get(title=published_film, language="kk")
    assert track.voice_mode == "voice-over" and _dub_jobs(published_film) == []  # nothing to voice yet
    track = _translate(track, almaty, "Біз таң атқанда қалаға жеттік.")
    approved = review.approve_track(track=track, reviewer=reviewer)
    assert _dub_jobs(published_film) == ["kk"]
    publish_track(track=approved, by=reviewer)
    run_queued_jobs(worker="test")
    voice = VoiceTrack.objects.get(subtitle_track=track)
    assert voice.state == VoiceTrack.State.IN_REVIEW and voice.loudness["integrated_lufs"] < 0
    approve_voice_track(voice=voice, reviewer=reviewer)
    run_queued_jobs(worker="test")  # the voice into the film's HLS
    master = m3u8.loads(read_text(Stream.objects.get(title=published_film).current.master_name))
    assert {(m.type, m.language) for m in master.media} >= {("AUDIO", "kk"), ("SUBTITLES", "kk")}
    withdraw_track(track=SubtitleTrack.objects.get(pk=track.pk), by=reviewer, reason="Wrong city name.")
    master = m3u8.loads(read_text(Stream.objects.get(title=published_film).current.master_name))
    assert [(m.type, m.language) for m in master.media] == [("AUDIO", "en")]
    assert VoiceTrack.objects.get(pk=voice.pk).state == VoiceTrack.State.IN_REVIEW


def test_through_a_pivot_the_last_language_is_voiced_and_the_pivot_is_not(
        film_title: Title, member: Callable[..., Any]) -> None:
    manager, _ = member("manager", "editor")
    reviewer, _ = member("reviewer", "reviewer")
    lahore, _ = member("lahore", "translator")
    bishkek, _ = member("bishkek", "translator")
    _source(film_title, "ur", "ہم صبح سویرے شہر پہنچے۔")
    orders.start_localization(title=film_title, by=manager, voice_over=True,
                              plans=[orders.LanguagePlan("ky", "pivot", via="ru")])
    russian = SubtitleTrack.objects.get(title=film_title, language="ru")
    assert russian.voice_mode == "" and russian.task.then_voice_mode == "voice-over"
    review.approve_track(track=_translate(russian, lahore, "Мы прибыли в город на рассвете."), reviewer=reviewer)
    kyrgyz = SubtitleTrack.objects.get(title=film_title, language="ky")
    assert (kyrgyz.provenance["route"], kyrgyz.voice_mode) == (["ur", "ru", "ky"], "voice-over")
    assert _dub_jobs(film_title) == []  # the pivot is not voiced
    review.approve_track(track=_translate(kyrgyz, bishkek, "Биз шаарга таң атканда жеттик."), reviewer=reviewer)
    assert _dub_jobs(film_title) == ["ky"]


def test_an_engines_draft_keeps_its_voice_order_until_people_approve_it(
        film_title: Title, member: Callable[..., Any]) -> None:
    if find_translation_route("hi", "ur") is None:
        pytest.skip("Apertium's hi→ur pair is not installed (apt-get install apertium-urd-hin).")
    manager, _ = member("manager", "editor")
    reviewer, _ = member("reviewer", "reviewer")
    _source(film_title, "hi", "यह किताब बहुत अच्छी है।")
    orders.start_localization(title=film_title, by=manager, voice_over=True,
                              plans=[orders.LanguagePlan("ur", "engine")])
    run_queued_jobs(worker="test")  # the draft; its dub step finds it unapproved and leaves the order
    urdu = SubtitleTrack.objects.get(title=film_title, language="ur")
    assert (urdu.state, urdu.voice_mode, _dub_jobs(film_title)) == ("in_review", "voice-over", ["ur"])
    review.approve_track(track=urdu, reviewer=reviewer, override_reason="a short test line")
    assert _dub_jobs(film_title) == ["ur", "ur"]


def test_a_voice_ordered_later_for_approved_text_is_made_at_once(
        film_title: Title, member: Callable[..., Any]) -> None:
    manager, _ = member("manager", "editor")
    translator, _ = member("almaty", "translator")
    source = _source(film_title, "en", "We arrived.")
    track = create_track(title=film_title, language="kk", origin="human", source_track=source,
                         cues=[CueData(500, 3000, "Біз келдік.")])
    assert order_voice(track=track, by=manager) is None  # in review: the voice waits for the approval
    SubtitleTrack.objects.filter(pk=track.pk).update(state=SubtitleTrack.State.APPROVED)  # people approved it
    track.refresh_from_db()
    with pytest.raises(PermissionDenied, match="does not allow"):
        order_voice(track=track, by=translator)
    job = order_voice(track=track, by=manager)
    assert job is not None and job.params == {"title_id": film_title.pk, "language": "kk", "mode": "voice-over"}
