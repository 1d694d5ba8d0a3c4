from __future__ import annotations

from dastan.localization.subtitles.profiles import default_profile
from dastan.localization.subtitles.timing import TimedText, apply_timing_rules

EN = default_profile(language="en")  # 24 fps: 1 frame = 41.7 ms, 2 = 83, 8 = 333, 12 = 500


def _draft(start: int, end: int, text: str = "Hi.") -> TimedText:
    return TimedText(start_ms=start, speech_end_ms=end, lines=(text,))


def test_end_runs_twelve_frames_past_speech_when_there_is_room() -> None:
    (cue,) = apply_timing_rules(drafts=[_draft(0, 2000)], profile=EN)
    assert cue.end_ms == 2500


def test_short_speech_is_held_for_the_minimum_duration() -> None:
    (cue,) = apply_timing_rules(drafts=[_draft(0, 200)], profile=EN)
    assert cue.end_ms == 833


def test_long_text_is_held_long_enough_to_read_when_there_is_room() -> None:
    text = "A line with quite a lot of words in it to read"  # 46 chars at 20 cps = 2.3 s
    (cue,) = apply_timing_rules(drafts=[_draft(0, 1000, text)], profile=EN)
    assert cue.end_ms == 2300


def test_small_gap_is_closed_to_two_frames() -> None:
    first, second = apply_timing_rules(drafts=[_draft(0, 2000), _draft(2800, 4000)],
                                       profile=EN)
    assert second.start_ms - first.end_ms == 83  # 300 ms (≤ 12 frames) closed to 2 frames


def test_gap_longer_than_twelve_frames_is_kept() -> None:
    first, second = apply_timing_rules(drafts=[_draft(0, 2000), _draft(3200, 4000)],
                                       profile=EN)
    assert (first.end_ms, second.start_ms) == (2500, 3200)


def test_overlapping_speech_is_separated_by_the_minimum_gap() -> None:
    first, second = apply_timing_rules(drafts=[_draft(0, 2000), _draft(1900, 3000)],
                                       profile=EN)
    assert second.start_ms - first.end_ms == 83


def test_start_one_to_eight_frames_before_a_cut_snaps_to_the_cut() -> None:
    (near,) = apply_timing_rules(drafts=[_draft(1000, 3000)], profile=EN,
                                 shot_changes_ms=[1300])  # 7.2 frames before
    (far,) = apply_timing_rules(drafts=[_draft(1000, 3000)], profile=EN,
                                shot_changes_ms=[1400])  # 9.6 frames before
    assert near.start_ms == 1300 and far.start_ms == 1000


def test_end_within_twelve_frames_of_a_cut_moves_two_frames_before_it() -> None:
    (after,) = apply_timing_rules(drafts=[_draft(0, 2000)], profile=EN,
                                  shot_changes_ms=[2300])  # wanted end 2500, cut 200 before
    (before,) = apply_timing_rules(drafts=[_draft(0, 2000)], profile=EN,
                                   shot_changes_ms=[2900])  # cut 400 ms after wanted end
    assert after.end_ms == 2300 - 83 and before.end_ms == 2900 - 83


def test_frame_rules_follow_the_films_frame_rate() -> None:
    (cue,) = apply_timing_rules(drafts=[_draft(0, 2000)], profile=EN.with_fps(25))
    assert cue.end_ms == 2480  # 12 frames at 25 fps


def test_closing_a_gap_never_holds_a_cue_past_the_maximum_duration() -> None:
    first, _ = apply_timing_rules(drafts=[_draft(0, 6950), _draft(7200, 8000)], profile=EN)
    assert first.end_ms == 7000


def test_a_cue_held_short_by_the_next_one_starts_a_little_early() -> None:
    _, short, _ = apply_timing_rules(
        drafts=[_draft(0, 1000), _draft(3000, 3500), _draft(3800, 5000)], profile=EN)
    assert (short.start_ms, short.end_ms) == (3800 - 83 - 833, 3800 - 83)


def test_lead_in_never_crosses_a_cut() -> None:
    _, short, _ = apply_timing_rules(
        drafts=[_draft(0, 1000), _draft(3000, 3500), _draft(3800, 5000)], profile=EN,
        shot_changes_ms=[2950])
    assert short.start_ms == 2950


def test_end_is_not_snapped_to_a_cut_when_the_cue_would_become_too_short() -> None:
    (cue,) = apply_timing_rules(drafts=[_draft(0, 300)], profile=EN, shot_changes_ms=[700])
    assert cue.end_ms == 833  # 700 - 83 would leave it on screen under 833 ms
