"""May this title play here and now, and how: one pure function, :func:`decide_playback`.

Everything a decision needs is passed in (licences as values, release dates, the
instant), so the same function serves the player, the API, the catalog and the
benchmark, and tests need no database. ``selectors.decide_playback_for`` loads the
licences and calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache

from dastan.catalog.countries import country_name, is_country
from dastan.catalog.languages import BY_CODE
from dastan.errors import InvalidInput
from dastan.rights.terms import LicenceTerms, Quality
from dastan.rights.windows import (
    NO_RELEASES,
    AfterEvent,
    Interval,
    ReleaseCalendar,
    format_day,
    resolve_days,
    resolve_interval,
)


@dataclass(frozen=True, slots=True)
class PlaybackDecision:
    allowed: bool
    reason: str  # a sentence for the viewer or the distributor
    code: str  # stable for programs: allowed, not_licensed, excluded, not_yet, ended, ...
    territory: str | None = None
    licence_ref: str | None = None
    allowed_audio: tuple[str, ...] = ()
    allowed_subtitles: tuple[str, ...] = ()
    max_height: int | None = None
    expires_at: datetime | None = None  # when the licence stops covering this playback
    opens_at: datetime | None = None  # for a refusal: when it will be allowed
    download_allowed: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "allowed": self.allowed, "reason": self.reason, "code": self.code,
            "territory": self.territory, "licence_ref": self.licence_ref,
            "allowed_audio": list(self.allowed_audio),
            "allowed_subtitles": list(self.allowed_subtitles), "max_height": self.max_height,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "download_allowed": self.download_allowed,
        }


_FOREVER = datetime.max.replace(tzinfo=UTC)


def decide_playback(
    *,
    title: int,
    territory: str | None,
    at: datetime,
    audio_languages: Sequence[str] = (),
    subtitle_languages: Sequence[str] = (),
    quality: int | str | None = None,
    user: int | None = None,
    licences: Sequence[LicenceTerms],
    releases: ReleaseCalendar = NO_RELEASES,
    edit: str = "",
    unknown_territory_policy: str = "deny",
) -> PlaybackDecision:
    """Decide whether title ``title`` (id) may play in ``territory`` at instant ``at``.

    ``audio_languages``/``subtitle_languages`` are the tracks on offer (or asked for):
    the decision keeps those the licence allows, and refuses when no audio is left.
    ``quality`` caps the height ("HD" or 1080). ``user`` (id) matters for seat-capped
    festival licences only. ``territory`` None or not a country follows
    ``unknown_territory_policy``: "deny", or a country code to assume (the reason then
    says so). Never raises for a refusal: the refusal is the returned decision.
    """
    country, assumed = _country_for(territory, unknown_territory_policy)
    if country is None:
        return PlaybackDecision(
            False, "Playback refused: the viewer's country could not be determined, and this "
            "node refuses unknown countries (DASTAN_UNKNOWN_TERRITORY_POLICY=deny).",
            "unknown_territory", territory=territory)
    mine = [lic for lic in licences
            if lic.title_id == title and not lic.revoked and lic.covers_edit(edit)]
    covering = [lic for lic in mine if lic.territories.covers(country)]
    if not covering:
        return _not_licensed(country, mine)
    timed = [(lic, resolve_interval(lic.window, title_id=title, country=country, releases=releases))
             for lic in covering]
    open_now = [(lic, iv) for lic, iv in timed if iv.contains(at)]
    if not open_now:
        return _closed(country, timed, at=at, releases=releases)
    open_now.sort(key=lambda pair: (pair[0].max_height, _sort_close(pair[1])), reverse=True)
    seated = [(lic, iv) for lic, iv in open_now if _has_seat(lic, user)]
    if not seated:
        lic = open_now[0][0]
        if user is None:
            return PlaybackDecision(
                False, f"Licence {lic.ref} lets {lic.view_cap} signed-in viewers watch in "
                f"{country_name(country)}; sign in to take a seat.", "sign_in_for_seat",
                territory=country, licence_ref=lic.ref)
        return PlaybackDecision(
            False, f"All {lic.view_cap} seats of licence {lic.ref} in {country_name(country)} "
            "are taken.", "seats_taken", territory=country, licence_ref=lic.ref)
    lic, interval = seated[0]
    decision = _granted(lic, interval, country=country, releases=releases,
                        audio=audio_languages, subtitles=subtitle_languages, quality=quality)
    if assumed and decision.allowed:
        decision = _with_reason(decision, "The viewer's country is unknown; treated as "
                                f"{country_name(country)} by DASTAN_UNKNOWN_TERRITORY_POLICY. "
                                + decision.reason)
    return decision


def _country_for(territory: str | None, policy: str) -> tuple[str | None, bool]:
    if territory and is_country(territory):
        return territory.upper(), False
    if policy and policy.lower() != "deny" and is_country(policy):
        return policy.upper(), True
    return None, False


def _not_licensed(country: str, licences: Sequence[LicenceTerms]) -> PlaybackDecision:
    name = country_name(country)
    excluders = [lic.ref for lic in licences if lic.territories.excludes(country)]
    if excluders:
        return PlaybackDecision(False, f"Not licensed for {name}: excluded by {', '.join(excluders)}.",
                                "excluded", territory=country, licence_ref=excluders[0])
    return PlaybackDecision(False, f"Not licensed for {name}: no licence of this title covers it.",
                            "not_licensed", territory=country)


def _closed(country: str, timed: list[tuple[LicenceTerms, Interval]], *, at: datetime,
            releases: ReleaseCalendar) -> PlaybackDecision:
    name = country_name(country)
    later = [(iv.opens_at, lic) for lic, iv in timed if iv.opens_at is not None and iv.opens_at > at]
    if later:
        opens_at, lic = min(later, key=lambda pair: pair[0])
        first = resolve_days(lic.window, title_id=lic.title_id, country=country, releases=releases).first
        day = format_day(first) if first else ""
        return PlaybackDecision(
            False, f"Not yet available in {name}: available in {name} from {day} under licence "
            f"{lic.ref}.", "not_yet", territory=country, licence_ref=lic.ref, opens_at=opens_at)
    pending = [lic for lic, iv in timed if iv.opens_at is None]
    if pending:
        lic = pending[0]
        start = lic.window.start
        event = start.event.replace("_", " ") if isinstance(start, AfterEvent) else "release"
        return PlaybackDecision(
            False, f"Not yet available in {name}: licence {lic.ref} opens at "
            f"{start.describe()}, and the {event} release in {name} has no date yet.",
            "pending_release", territory=country, licence_ref=lic.ref)
    ended = max(((iv.closes_at, lic) for lic, iv in timed if iv.closes_at is not None),
                key=lambda pair: pair[0])
    last = resolve_days(ended[1].window, title_id=ended[1].title_id, country=country,
                        releases=releases).last
    return PlaybackDecision(
        False, f"No longer available in {name}: licence {ended[1].ref} ended on "
        f"{format_day(last) if last else ''}.", "ended", territory=country,
        licence_ref=ended[1].ref)


def _granted(lic: LicenceTerms, interval: Interval, *, country: str, releases: ReleaseCalendar,
             audio: Sequence[str], subtitles: Sequence[str],
             quality: int | str | None) -> PlaybackDecision:
    name = country_name(country)
    audio_ok = lic.audio_allowed()
    wanted_audio = _codes(audio)
    allowed_audio = tuple(a for a in wanted_audio if lic.permits_audio(a)) if wanted_audio else audio_ok
    if not allowed_audio:
        reason = (f"None of the audio languages on offer ({', '.join(wanted_audio)}) is licensed "
                  f"in {name} under licence {lic.ref}." if wanted_audio else
                  f"Licence {lic.ref} allows no audio language in {name}: "
                  f"{', '.join(lic.holdback_languages)} held back.")
        return PlaybackDecision(False, reason, "language_not_licensed", territory=country,
                                licence_ref=lic.ref)
    subs_ok = lic.subtitles_allowed()
    wanted_subs = _codes(subtitles)
    allowed_subs = tuple(s for s in wanted_subs if lic.permits_subtitles(s)) if wanted_subs else subs_ok
    span = resolve_days(lic.window, title_id=lic.title_id, country=country, releases=releases)
    since = f" from {format_day(span.first)}" if span.first else ""
    until = f" until {format_day(span.last)}" if span.last else ""
    return PlaybackDecision(
        True, f"Available in {name}{since}{until} under licence {lic.ref}.", "allowed",
        territory=country, licence_ref=lic.ref, allowed_audio=allowed_audio,
        allowed_subtitles=allowed_subs, max_height=min(lic.max_height, _height(quality)),
        expires_at=interval.closes_at, download_allowed=lic.download_allowed)


def _codes(languages: Sequence[str]) -> tuple[str, ...]:
    return _normalized(tuple(languages)) if languages else ()


@lru_cache(maxsize=1024)
def _normalized(languages: tuple[str, ...]) -> tuple[str, ...]:
    """BCP 47 codes as Dastan writes them; unknown codes are kept (and never licensed)."""
    out = []
    for code in languages:
        lang = BY_CODE.get(code.replace("_", "-").lower())
        out.append(lang.code if lang else code)
    return tuple(dict.fromkeys(out))


def _height(quality: int | str | None) -> int:
    if quality is None:
        return Quality.UHD.max_height
    if isinstance(quality, int):
        return quality
    try:
        return Quality(quality.upper()).max_height
    except ValueError:
        raise InvalidInput(f"Quality '{quality}' is not SD, HD or UHD.",
                           "Ask for SD, HD, UHD or a height in lines (720).", field="quality") from None


def _has_seat(lic: LicenceTerms, user: int | None) -> bool:
    if lic.view_cap is None:
        return True
    if user is None:
        return False  # a seat belongs to a person; anonymous viewers cannot hold one
    return user in lic.seat_holders or lic.seats_taken < lic.view_cap


def _sort_close(interval: Interval) -> datetime:
    return interval.closes_at or _FOREVER


def _with_reason(decision: PlaybackDecision, reason: str) -> PlaybackDecision:
    return replace(decision, reason=reason)
