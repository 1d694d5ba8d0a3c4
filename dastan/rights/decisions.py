"""May this title play here and now, and how: one pure function, :func:`decide_playback`.

Everything a decision needs is passed in (licences as values, release dates, the
instant), so the same function serves the player, the API, the catalog and the
benchmark, and tests need no database. ``selectors.decide_playback_for`` loads the
licences and calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache

from django.utils.translation import get_language, gettext

from dastan.catalog.countries import is_country
from dastan.catalog.languages import BY_CODE
from dastan.errors import InvalidInput
from dastan.rights.formats import country_name, format_day, format_number, list_of
from dastan.rights.terms import LicenceTerms, Quality
from dastan.rights.windows import (
    NO_RELEASES,
    AfterEvent,
    Interval,
    ReleaseCalendar,
    event_name,
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
    says so). Never raises for a refusal: the refusal is the returned decision. The
    reason is written in the language Django has active (the viewer's, on a request).
    """
    country, assumed = _country_for(territory, unknown_territory_policy)
    if country is None:
        return PlaybackDecision(
            False, gettext("Playback refused: the viewer's country could not be determined, and this "
                           "node refuses unknown countries (DASTAN_UNKNOWN_TERRITORY_POLICY=deny)."),
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
                False, gettext("Licence %(licence)s lets %(count)s signed-in viewers watch in "
                               "%(country)s; sign in to take a seat.") % {
                    "licence": lic.ref, "count": format_number(lic.view_cap or 0),
                    "country": country_name(country)},
                "sign_in_for_seat", territory=country, licence_ref=lic.ref)
        return PlaybackDecision(
            False, gettext("All %(count)s seats of licence %(licence)s in %(country)s are taken.") % {
                "count": format_number(lic.view_cap or 0), "licence": lic.ref,
                "country": country_name(country)},
            "seats_taken", territory=country, licence_ref=lic.ref)
    lic, interval = seated[0]
    decision = _granted(lic, interval, country=country, releases=releases,
                        audio=audio_languages, subtitles=subtitle_languages, quality=quality)
    if assumed and decision.allowed:
        decision = _with_reason(decision, gettext(
            "The viewer's country is unknown; treated as %(country)s by "
            "DASTAN_UNKNOWN_TERRITORY_POLICY. %(reason)s") % {
                "country": country_name(country), "reason": decision.reason})
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
        return PlaybackDecision(
            False, gettext("Not licensed for %(country)s: excluded by %(licences)s.") % {
                "country": name, "licences": list_of(excluders)},
            "excluded", territory=country, licence_ref=excluders[0])
    return PlaybackDecision(
        False, gettext("Not licensed for %(country)s: no licence of this title covers it.") % {
            "country": name}, "not_licensed", territory=country)


def _closed(country: str, timed: list[tuple[LicenceTerms, Interval]], *, at: datetime,
            releases: ReleaseCalendar) -> PlaybackDecision:
    name = country_name(country)
    later = [(iv.opens_at, lic) for lic, iv in timed if iv.opens_at is not None and iv.opens_at > at]
    if later:
        opens_at, lic = min(later, key=lambda pair: pair[0])
        first = resolve_days(lic.window, title_id=lic.title_id, country=country, releases=releases).first
        day = format_day(first) if first else ""
        return PlaybackDecision(
            False, gettext("Not yet available in %(country)s: available in %(country)s from %(day)s "
                           "under licence %(licence)s.") % {"country": name, "day": day, "licence": lic.ref},
            "not_yet", territory=country, licence_ref=lic.ref, opens_at=opens_at)
    pending = [lic for lic, iv in timed if iv.opens_at is None]
    if pending:
        lic = pending[0]
        start = lic.window.start
        event = event_name(start.event) if isinstance(start, AfterEvent) else ""
        return PlaybackDecision(
            False, gettext("Not yet available in %(country)s: licence %(licence)s opens at %(start)s, "
                           "and the %(event)s release in %(country)s has no date yet.") % {
                "country": name, "licence": lic.ref, "start": start.describe(), "event": event},
            "pending_release", territory=country, licence_ref=lic.ref)
    ended = max(((iv.closes_at, lic) for lic, iv in timed if iv.closes_at is not None),
                key=lambda pair: pair[0])
    last = resolve_days(ended[1].window, title_id=ended[1].title_id, country=country,
                        releases=releases).last
    return PlaybackDecision(
        False, gettext("No longer available in %(country)s: licence %(licence)s ended on %(day)s.") % {
            "country": name, "licence": ended[1].ref, "day": format_day(last) if last else ""},
        "ended", territory=country, licence_ref=ended[1].ref)


def _granted(lic: LicenceTerms, interval: Interval, *, country: str, releases: ReleaseCalendar,
             audio: Sequence[str], subtitles: Sequence[str],
             quality: int | str | None) -> PlaybackDecision:
    audio_ok = lic.audio_allowed()
    wanted_audio = _codes(audio)
    allowed_audio = tuple(a for a in wanted_audio if lic.permits_audio(a)) if wanted_audio else audio_ok
    if not allowed_audio:
        reason = (gettext("None of the audio languages on offer (%(languages)s) is licensed in "
                          "%(country)s under licence %(licence)s.") % {
                      "languages": list_of(wanted_audio), "country": country_name(country), "licence": lic.ref}
                  if wanted_audio else
                  gettext("Licence %(licence)s allows no audio language in %(country)s: %(languages)s "
                          "held back.") % {
                      "licence": lic.ref, "country": country_name(country),
                      "languages": list_of(lic.holdback_languages)})
        return PlaybackDecision(False, reason, "language_not_licensed", territory=country,
                                licence_ref=lic.ref)
    subs_ok = lic.subtitles_allowed()
    wanted_subs = _codes(subtitles)
    allowed_subs = tuple(s for s in wanted_subs if lic.permits_subtitles(s)) if wanted_subs else subs_ok
    span = resolve_days(lic.window, title_id=lic.title_id, country=country, releases=releases)
    return PlaybackDecision(
        True, _available(country, span.first, span.last, lic.ref), "allowed",
        territory=country, licence_ref=lic.ref, allowed_audio=allowed_audio,
        allowed_subtitles=allowed_subs, max_height=min(lic.max_height, _height(quality)),
        expires_at=interval.closes_at, download_allowed=lic.download_allowed)


def _available(country: str, first: date | None, last: date | None, ref: str) -> str:
    return _available_in(get_language() or "", country, first, last, ref)


@lru_cache(maxsize=4096)
def _available_in(language: str, country: str, first: date | None, last: date | None, ref: str) -> str:
    # One sentence per language, country, window and licence: written once (Babel's dates
    # cost more than the rest of a decision), then read on every master playlist.
    values = {"country": country_name(country), "licence": ref, "first": format_day(first) if first else "",
              "last": format_day(last) if last else ""}
    if first and last:
        return gettext("Available in %(country)s from %(first)s until %(last)s under licence "
                       "%(licence)s.") % values
    if first:
        return gettext("Available in %(country)s from %(first)s under licence %(licence)s.") % values
    if last:
        return gettext("Available in %(country)s until %(last)s under licence %(licence)s.") % values
    return gettext("Available in %(country)s under licence %(licence)s.") % values


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
        raise InvalidInput(gettext("Quality '%(quality)s' is not SD, HD or UHD.") % {"quality": quality},
                           gettext("Ask for SD, HD, UHD or a height in lines (720)."),
                           field="quality") from None


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
