from __future__ import annotations

import pytest

from dastan.errors import InvalidInput
from dastan.localization.errors import EngineUnavailable
from dastan.localization.voice.casting import Role, cast_voices
from dastan.localization.voice.planner import plan_voices


def test_each_speaker_gets_a_distinct_espeak_voice_alternating_gender() -> None:
    plan = plan_voices(language="kk")
    casting = cast_voices(speakers=["AIGUL", "BEK", "AIGUL", "CHOLPON"], plan=plan)
    assert [r.speaker for r in casting.roles] == ["AIGUL", "BEK", "CHOLPON"]
    assert [r.voice_id for r in casting.roles] == [
        "espeak-ng:kk+m3", "espeak-ng:kk+f2", "espeak-ng:kk+m1"]


def test_casting_is_deterministic_for_the_same_cue_order() -> None:
    plan = plan_voices(language="hi")
    first = cast_voices(speakers=["A", "B", "C"], plan=plan)
    assert cast_voices(speakers=["A", "B", "C"], plan=plan) == first


def test_a_single_voice_engine_gives_further_characters_the_voice_at_other_pitches() -> None:
    casting = cast_voices(speakers=["ANNA", "BORIS", "VERA", "GLEB"], plan=plan_voices(language="ru"))
    assert [(r.voice_id, r.pitch) for r in casting.roles] == [
        ("festival:msu_ru_nsh_clunits", 1.0), ("festival:msu_ru_nsh_clunits", 1.19),
        ("festival:msu_ru_nsh_clunits", 0.84), ("espeak-ng:ru+m3", 1.0)]


def test_an_override_fixes_a_speaker_and_the_others_avoid_its_voice() -> None:
    plan = plan_voices(language="kk")
    casting = cast_voices(speakers=["A", "B"], plan=plan, overrides={"B": "espeak-ng:kk+m3@1.1"})
    assert casting.role_for("B") == Role(speaker="B", voice_id="espeak-ng:kk+m3", pitch=1.1)
    assert casting.role_for("A").voice_id == "espeak-ng:kk+m3"  # same voice, other pitch
    assert casting.role_for("A").pitch == 1.0


def test_an_override_naming_a_voice_of_another_language_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidInput, match="cannot speak kk") as caught:
        cast_voices(speakers=["A"], plan=plan_voices(language="kk"),
                    overrides={"A": "espeak-ng:ru+f2"})
    assert "espeak-ng:kk+m3" in caught.value.hint


def test_tajik_cannot_be_cast_and_says_subtitles_only() -> None:
    plan = plan_voices(language="tg")
    assert not plan.dubbable
    assert plan.reason.startswith("subtitles only: no Tajik voice is installed")
    with pytest.raises(EngineUnavailable, match="No voice can speak Tajik"):
        cast_voices(speakers=["A"], plan=plan)
