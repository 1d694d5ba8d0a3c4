"""Incremental re-dubbing: only what changed is spoken again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dastan.localization.voice.casting import cast_voices
from dastan.localization.voice.cues import VoiceCue
from dastan.localization.voice.dub import DubReport, render_voice_track
from dastan.localization.voice.planner import default_synthesizers, plan_voices
from dastan.localization.voice.synthesis import synthesize_cues, synthesize_track

from .conftest import cue_list

KK = ("Кеше кешке қайда болдың?", "Мен өзенде қайықтарды қарап отырдым.",
      "Балықшылар таң атпай оралды.", "Онда ертең қалаға кетеміз.")


def test_synthesize_track_after_one_edit_names_only_the_edited_cue(tmp_path: Path) -> None:
    cues = cue_list(KK)
    assert synthesize_track(cues=cues, language="kk", cache_dir=tmp_path).synthesized_indices == (
        1, 2, 3, 4)
    edited = [replace(c, text="Онда бүгін кетеміз.") if c.index == 4 else c for c in cues]
    again = synthesize_track(cues=edited, language="kk", cache_dir=tmp_path)
    assert again.synthesized_indices == (4,)


def test_editing_one_cue_resynthesizes_only_that_cue(tmp_path: Path) -> None:
    plan = plan_voices(language="kk")
    cues = cue_list(KK)
    casting = cast_voices(speakers=[c.speaker for c in cues], plan=plan)
    engines = default_synthesizers()
    first = synthesize_cues(cues=cues, casting=casting, plan=plan, synthesizers=engines,
                            cache_dir=tmp_path)
    assert first.synthesized_indices == (1, 2, 3, 4)
    edited = [replace(c, text="Балықшылар түнде оралды.") if c.index == 3 else c for c in cues]
    second = synthesize_cues(cues=edited, casting=casting, plan=plan, synthesizers=engines,
                             cache_dir=tmp_path)
    assert second.synthesized_indices == (3,)
    assert second.reused_indices == (1, 2, 4)


def test_a_changed_voice_pitch_resynthesizes_that_speakers_cues(tmp_path: Path) -> None:
    plan = plan_voices(language="kk")
    cues = cue_list(KK)
    engines = default_synthesizers()
    casting = cast_voices(speakers=["ANNA", "BORIS"], plan=plan)
    synthesize_cues(cues=cues, casting=casting, plan=plan, synthesizers=engines, cache_dir=tmp_path)
    recast = cast_voices(speakers=["ANNA", "BORIS"], plan=plan,
                         overrides={"BORIS": "espeak-ng:kk+f2@1.2"})
    again = synthesize_cues(cues=cues, casting=recast, plan=plan, synthesizers=engines,
                            cache_dir=tmp_path)
    assert again.synthesized_indices == (2, 4)  # BORIS speaks cues 2 and 4


def test_re_rendering_a_track_after_one_edit_reports_only_that_cue_as_spoken(
        tmp_path: Path, original_audio: Path) -> None:
    def render(cues: list[VoiceCue]) -> DubReport:
        return render_voice_track(cues=cues, language="kk", original_audio=original_audio,
                                  mode="voice-over", cache_dir=tmp_path / "cache",
                                  out_path=tmp_path / "kk.wav")

    cues = cue_list(KK)
    render(cues)
    edited = [replace(c, text="Мен өзенде болдым.") if c.index == 2 else c for c in cues]
    report = render(edited)
    assert report.synthesized_indices == (2,)
    assert [c.resynthesized for c in report.cues] == [False, True, False, False]
    assert report.loudness.within_target()
