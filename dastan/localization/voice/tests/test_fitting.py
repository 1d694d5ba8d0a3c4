from __future__ import annotations

from dastan.localization.voice.fitting import FitDecision, FitOutcome, decide_fit


def test_speech_that_fits_its_cue_is_left_untouched() -> None:
    assert decide_fit(speech_ms=1800, slot_ms=2000, room_ms=3000, max_tempo=1.25) == FitDecision(
        tempo=1.0, outcome=FitOutcome.UNTOUCHED)


def test_slightly_long_speech_is_sped_up_just_enough() -> None:
    decision = decide_fit(speech_ms=2200, slot_ms=2000, room_ms=2000, max_tempo=1.25)
    assert decision == FitDecision(tempo=1.1, outcome=FitOutcome.STRETCHED)


def test_speech_too_long_at_the_tempo_cap_borrows_the_silence_after_the_cue() -> None:
    decision = decide_fit(speech_ms=3000, slot_ms=2000, room_ms=2600, max_tempo=1.25)
    assert decision == FitDecision(tempo=1.25, outcome=FitOutcome.BORROWED)


def test_speech_too_long_even_with_the_gap_is_flagged_with_its_overrun() -> None:
    decision = decide_fit(speech_ms=5000, slot_ms=2000, room_ms=2500, max_tempo=1.25)
    assert decision == FitDecision(tempo=1.25, outcome=FitOutcome.FLAGGED, overrun_ms=1500)


def test_the_tempo_never_exceeds_the_cap() -> None:
    for speech_ms in range(1000, 20000, 700):
        assert decide_fit(speech_ms=speech_ms, slot_ms=1000, room_ms=1200,
                          max_tempo=1.25).tempo <= 1.25
