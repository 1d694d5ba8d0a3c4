"""When a licence day begins and ends in a country: midnight in the country's time zones.

A window "from 1 March 2027" opens at midnight on 1 March where the viewer is. Most
SCO countries keep one zone; Russia spans eleven (Kaliningrad UTC+2 to Kamchatka
UTC+12), China's Xinjiang keeps Urumqi time beside Beijing's, and Kazakhstan kept two
until 2024. The rule for a country with several zones, chosen so that no viewer
anywhere in the country sees a title on a day the contract does not cover:

* a window **opens** at the *latest* of the local midnights (the westernmost zone's:
  Kaliningrad for Russia), when the first day has begun everywhere;
* a window **closes** at the *earliest* of the local midnights after its last day (the
  easternmost zone's: Kamchatka for Russia), before the next day has begun anywhere.

A viewer in Vladivostok therefore waits for midnight in Kaliningrad, and loses the last
hours of the last day; a licensee who wants the opposite names separate windows. The
zones of each country come from CLDR (Babel's ``territory_zones``); a country CLDR gives
no zone (Bouvet Island, Heard Island) uses UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.core import get_global

# The zone shown to people for a country (its capital's), where CLDR lists several.
REPRESENTATIVE_ZONE: dict[str, str] = {
    "CN": "Asia/Shanghai", "RU": "Europe/Moscow", "IN": "Asia/Kolkata", "PK": "Asia/Karachi",
    "IR": "Asia/Tehran", "KZ": "Asia/Almaty", "UZ": "Asia/Tashkent", "KG": "Asia/Bishkek",
    "TJ": "Asia/Dushanbe", "BY": "Europe/Minsk", "TM": "Asia/Ashgabat", "MN": "Asia/Ulaanbaatar",
    "AF": "Asia/Kabul", "US": "America/New_York", "BR": "America/Sao_Paulo",
    "AU": "Australia/Sydney", "ID": "Asia/Jakarta", "MX": "America/Mexico_City",
    "CA": "America/Toronto",
}


@lru_cache(maxsize=512)
def zones_for(country: str) -> tuple[ZoneInfo, ...]:
    """Every zone in use in ``country`` (ISO alpha-2); UTC where CLDR lists none."""
    names = get_global("territory_zones").get(country.upper(), ())
    zones = []
    for name in names:
        try:
            zones.append(ZoneInfo(name))
        except (KeyError, ValueError):  # a CLDR zone this system's tzdata lacks
            continue
    return tuple(zones) or (ZoneInfo("UTC"),)


def representative_zone(country: str) -> ZoneInfo:
    name = REPRESENTATIVE_ZONE.get(country.upper())
    return ZoneInfo(name) if name else zones_for(country)[0]


@lru_cache(maxsize=65536)
def day_opens_at(country: str, day: date) -> datetime:
    """The instant (UTC) when ``day`` has begun in every zone of ``country``."""
    return max(_local_midnight(zone, day) for zone in zones_for(country))


@lru_cache(maxsize=65536)
def day_closes_at(country: str, day: date) -> datetime:
    """The instant (UTC) when the day after ``day`` begins in the first zone of ``country``."""
    return min(_local_midnight(zone, day + timedelta(days=1)) for zone in zones_for(country))


def local_day(country: str, at: datetime) -> date:
    """The calendar date at ``at`` in the country's representative zone."""
    return at.astimezone(representative_zone(country)).date()


def _local_midnight(zone: ZoneInfo, day: date) -> datetime:
    # No SCO zone moves clocks at midnight today, but some did (and others do): a
    # midnight that falls in a gap is the first instant after it, which fold=0 and a
    # round trip through UTC give.
    local = datetime.combine(day, time.min, tzinfo=zone)
    return local.astimezone(UTC)
