"""decide_playback: one pure function, reasons a person understands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dastan.rights.decisions import decide_playback
from dastan.rights.terms import Quality
from dastan.rights.windows import AfterEvent, ReleaseCalendar, ReleaseEvent

from .factories import terms

KZ_SVOD = terms("KZ-SVOD-14", territories=("Central Asia",), excluded=("TM",),
                audio_languages=("kk", "ru", "en"), holdback_languages=("en",),
                max_quality=Quality.HD)
IN_WINDOW = datetime(2027, 5, 1, 12, tzinfo=UTC)


def decide(**kwargs):  # type: ignore[no-untyped-def]
    args = {"title": 1, "territory": "KZ", "at": IN_WINDOW, "licences": [KZ_SVOD]}
    args.update(kwargs)
    return decide_playback(**args)


def test_playback_allowed_in_window_names_the_licence_and_its_window() -> None:
    decision = decide(audio_languages=["ru", "kk", "en"], subtitle_languages=["ru", "zh-hans"])
    assert decision.allowed
    assert decision.reason == ("Available in Kazakhstan from 1 March 2027 until 31 August 2027 "
                               "under licence KZ-SVOD-14.")
    assert decision.allowed_audio == ("ru", "kk")  # English held back
    assert decision.allowed_subtitles == ("ru", "zh-Hans")
    assert decision.max_height == 1080
    assert decision.expires_at == datetime(2027, 8, 31, 19, tzinfo=UTC)


def test_playback_refused_before_the_window_names_the_day_it_opens() -> None:
    decision = decide(at=datetime(2027, 2, 28, 18, 59, tzinfo=UTC))
    assert not decision.allowed and decision.code == "not_yet"
    assert "available in Kazakhstan from 1 March 2027 under licence KZ-SVOD-14" in decision.reason
    assert decision.opens_at == datetime(2027, 2, 28, 19, tzinfo=UTC)
    assert decide(at=datetime(2027, 2, 28, 19, tzinfo=UTC)).allowed


def test_playback_refused_outside_licence_window_names_the_window() -> None:
    decision = decide(at=datetime(2027, 9, 1, tzinfo=UTC))
    assert not decision.allowed and decision.code == "ended"
    assert decision.reason == ("No longer available in Kazakhstan: licence KZ-SVOD-14 ended on "
                               "31 August 2027.")


def test_playback_refused_in_an_excluded_country_names_the_excluding_licence() -> None:
    decision = decide(territory="TM")
    assert decision.reason == "Not licensed for Turkmenistan: excluded by KZ-SVOD-14."
    assert decide(territory="RU").reason == "Not licensed for Russia: no licence of this title covers it."


def test_unknown_territory_is_denied_by_default_and_never_silently_allowed() -> None:
    assert decide(territory=None).code == "unknown_territory"
    assert decide(territory="XX").allowed is False
    assumed = decide(territory=None, unknown_territory_policy="KZ")
    assert assumed.allowed and "treated as Kazakhstan by DASTAN_UNKNOWN_TERRITORY_POLICY" in assumed.reason


def test_only_held_back_audio_on_offer_is_refused_naming_the_languages() -> None:
    decision = decide(audio_languages=["en"])
    assert not decision.allowed and decision.code == "language_not_licensed"
    assert "(en)" in decision.reason and "KZ-SVOD-14" in decision.reason


def test_audio_of_undetermined_language_plays_under_a_licence_that_lists_no_languages() -> None:
    everything = terms("KZ-ALL", holdback_languages=("en",))
    decision = decide(licences=[everything], audio_languages=["und", "en"])
    assert decision.allowed and decision.allowed_audio == ("und",)
    assert not decide(audio_languages=["und"]).allowed  # KZ-SVOD-14 lists kk, ru, en


def test_requested_quality_never_exceeds_the_licence() -> None:
    assert decide(quality="UHD").max_height == 1080
    assert decide(quality=720).max_height == 720
    sd = terms("KZ-SD", max_quality=Quality.SD)
    assert decide(licences=[sd]).max_height == 576


def test_the_best_of_two_open_licences_is_chosen() -> None:
    uhd = terms("KZ-AVOD-2", max_quality=Quality.UHD, start=date(2027, 1, 1), end=None)
    decision = decide(licences=[KZ_SVOD, uhd])
    assert decision.licence_ref == "KZ-AVOD-2" and decision.max_height == 2160
    assert decision.expires_at is None


def test_a_festival_licence_refuses_a_new_viewer_when_every_seat_is_taken() -> None:
    festival = terms("KZ-FEST-1", view_cap=300, seats_taken=300, seat_holders=frozenset({42}))
    assert decide(licences=[festival], user=42).allowed
    refused = decide(licences=[festival], user=43)
    assert refused.reason == "All 300 seats of licence KZ-FEST-1 in Kazakhstan are taken."


def test_a_window_counted_from_a_release_opens_90_days_after_it() -> None:
    lagged = terms("KZ-SVOD-9", start=AfterEvent("theatrical", 90), end=None)
    pending = decide(licences=[lagged])
    assert pending.code == "pending_release"
    assert "theatrical release + 90 days" in pending.reason
    cal = ReleaseCalendar.of([ReleaseEvent(1, "KZ", "theatrical", date(2027, 1, 15))])
    assert decide(licences=[lagged], releases=cal).allowed  # opens 15 April 2027
    early = decide(licences=[lagged], releases=cal, at=datetime(2027, 4, 14, tzinfo=UTC))
    assert "from 15 April 2027" in early.reason


def test_a_licence_for_another_title_or_a_revoked_one_allows_nothing() -> None:
    assert decide(title=2).code == "not_licensed"
    revoked = terms("KZ-SVOD-14", territories=("KZ",), revoked=True)
    assert not decide(licences=[revoked]).allowed


@settings(max_examples=80, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 1, 1),
                    timezones=st.just(UTC)),
       st.sampled_from(["KZ", "UZ", "KG", "TJ", "TM", "RU", "CN", "BY"]))
def test_an_allowed_decision_always_lies_inside_the_window_and_names_its_licence(
        at: datetime, country: str) -> None:
    decision = decide(at=at, territory=country)
    if decision.allowed:
        assert country in KZ_SVOD.territories.countries()
        assert decision.expires_at is not None and at < decision.expires_at
        assert at >= decision.expires_at - timedelta(days=184)
        assert decision.licence_ref in decision.reason
    else:
        assert decision.reason and decision.opens_at is None or decision.opens_at > at


LANGS = st.lists(st.sampled_from(["en", "ru", "kk", "uz", "zh-Hans", "fa", "ur", "xx"]), max_size=5)


@settings(max_examples=80, deadline=None)
@given(LANGS, LANGS, LANGS, LANGS)
def test_held_back_languages_never_reach_the_player_and_only_offered_ones_do(
        listed: list[str], held: list[str], offered_audio: list[str], offered_subs: list[str]) -> None:
    lic = terms("KZ-SVOD-14", audio_languages=tuple(x for x in listed if x != "xx"),
                subtitle_languages=tuple(x for x in listed if x != "xx"),
                holdback_languages=tuple(x for x in held if x != "xx"))
    decision = decide(licences=[lic], audio_languages=offered_audio, subtitle_languages=offered_subs)
    for chosen, offered in ((decision.allowed_audio, offered_audio), (decision.allowed_subtitles, offered_subs)):
        assert not set(chosen) & set(lic.holdback_languages)
        licensed = {x for x in listed if x != "xx"}
        assert set(chosen) <= (licensed or set(chosen))
        if offered:
            assert set(chosen) <= set(offered)
    if not decision.allowed:
        assert decision.code == "language_not_licensed"
        assert offered_audio or not lic.audio_allowed()
        assert decision.reason.endswith("held back.") or "on offer" in decision.reason
