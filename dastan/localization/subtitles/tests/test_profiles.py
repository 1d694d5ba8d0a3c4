from __future__ import annotations

import pytest

from dastan.errors import InvalidInput
from dastan.localization.subtitles.profiles import (
    default_profile,
    profile_from_dict,
    profile_to_dict,
)


@pytest.mark.parametrize(("language", "chars", "adult", "children", "script"), [
    ("en", 42, 20, 17, "Latn"), ("ru", 39, 17, 13, "Cyrl"), ("zh-Hans", 16, 9, 7, "Hans"),
    ("hi", 42, 22, 18, "Deva"), ("ur", 42, 20, 17, "Arab"), ("fa", 42, 20, 17, "Arab"),
    ("kk", 42, 17, 13, "Cyrl"), ("uz", 42, 20, 17, "Latn"), ("tg", 42, 17, 13, "Cyrl"),
])
def test_defaults_follow_the_per_language_references(language: str, chars: int, adult: float,
                                                     children: float, script: str) -> None:
    grown = default_profile(language=language)
    young = default_profile(language=language, audience="children")
    assert (grown.chars_per_line, grown.max_cps, young.max_cps, grown.script) == (
        chars, adult, children, script)
    assert (grown.max_lines, grown.min_duration_ms, grown.max_duration_ms) == (2, 833, 7000)


def test_frame_rules_turn_into_milliseconds_at_the_films_frame_rate() -> None:
    profile = default_profile(language="en")
    assert profile.min_gap_ms == 83  # 2 frames at 24 fps
    assert profile.with_fps(25).min_gap_ms == 80
    assert profile.with_fps(25).frames_ms(12) == 480


def test_only_chinese_breaks_between_characters() -> None:
    assert default_profile(language="zh-Hans").break_between_characters
    assert not default_profile(language="ru").break_between_characters


def test_profile_round_trips_through_a_dict() -> None:
    profile = default_profile(language="kk", audience="children", fps=25)
    data = profile_to_dict(profile=profile)
    assert isinstance(data["break_before"], list)
    assert profile_from_dict(data=data) == profile


def test_organisation_override_changes_only_what_it_names() -> None:
    data = {**profile_to_dict(profile=default_profile(language="ru")), "chars_per_line": 37}
    profile = profile_from_dict(data=data)
    assert profile.chars_per_line == 37 and profile.max_cps == 17


def test_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="Unknown style profile setting 'max_chars'") as err:
        profile_from_dict(data={"language": "en", "max_chars": 40})
    assert err.value.field == "max_chars"


def test_value_out_of_range_names_the_range() -> None:
    with pytest.raises(InvalidInput, match="'max_lines' is 5, outside 1–3"):
        profile_from_dict(data={"language": "en", "max_lines": 5})


def test_text_where_a_number_belongs_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'chars_per_line' must be a whole number"):
        profile_from_dict(data={"language": "en", "chars_per_line": "42"})


def test_kazakh_profile_cannot_be_set_to_latin_script() -> None:
    with pytest.raises(InvalidInput, match="kk subtitles are written in Cyrl, not Latn"):
        profile_from_dict(data={"language": "kk", "script": "Latn"})


def test_minimum_duration_must_be_below_maximum() -> None:
    with pytest.raises(InvalidInput, match="must be below the maximum"):
        profile_from_dict(data={"language": "en", "min_duration_ms": 5000,
                                "max_duration_ms": 4000})


def test_unknown_language_lists_the_languages() -> None:
    with pytest.raises(InvalidInput, match="'xx' is not one of Dastan's languages"):
        default_profile(language="xx")
