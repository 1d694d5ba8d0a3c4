"""Licence terms to and from the avails columns (AVAILS.md), the one text form of a licence.

The same columns are the CSV/TSV exchange format, the API's licence body and the
revision history's snapshots, so what a distributor exports reads the way the history
shows it. Pure: the caller maps a title slug to its id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from django.utils.translation import gettext

from dastan.catalog.languages import BY_CODE, CODES
from dastan.errors import DastanError, InvalidInput
from dastan.rights.errors import InvalidLicence, InvalidWindow
from dastan.rights.terms import LicenceTerms, LicenceType, Quality
from dastan.rights.territories import TerritorySet
from dastan.rights.windows import EVENT_KINDS, AfterEvent, Boundary, OnDate, Window, check_order

COLUMNS: tuple[str, ...] = (
    "LicenceRef", "Title", "Edit", "Licensee", "LicenseType", "Territory", "TerritoryExclude",
    "Start", "End", "Exclusive", "AudioLanguages", "SubtitleLanguages", "HoldbackLanguages",
    "FormatProfile", "Download", "ViewCap", "ContractID",
)
# What distributors call Dastan's columns, compared after lower-casing and dropping all
# but letters and digits ("Avail Start" → "availstart"). A header cell that is a column's
# own name, or one of these, is read as that column; AVAILS.md lists them.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "LicenceRef": ("licenseref", "licence", "license", "licenceid", "licenseid", "availid",
                   "availsid", "reference", "ref", "dealid"),
    "Title": ("titleid", "titleslug", "slug", "alid", "contentid"),
    "Edit": ("version", "cut", "editname"),
    "Licensee": ("platform", "distributor", "buyer", "licensor", "customer"),
    "LicenseType": ("licencetype", "licensetype", "rights", "righttype", "rightstype",
                    "offertype", "windowtype", "type", "businessmodel"),
    "Territory": ("territories", "country", "countries", "region", "regions", "market"),
    "TerritoryExclude": ("excludedterritories", "excludedcountries", "exclude", "excluding"),
    "Start": ("availstart", "windowstart", "startdate", "from", "licencestart",
              "licensestart", "begin"),
    "End": ("availend", "windowend", "enddate", "to", "until", "licenceend", "licenseend",
            "expiry", "expires"),
    "Exclusive": ("exclusivity", "exclusiveyn"),
    "AudioLanguages": ("languages", "language", "audio", "audiolanguage", "dubbing",
                       "dubbedlanguages", "languagesaudio"),
    "SubtitleLanguages": ("subtitles", "subtitlelanguage", "subs", "subtitled",
                          "languagessubtitles"),
    "HoldbackLanguages": ("holdbacklanguage", "holdback", "holdbacks"),
    "FormatProfile": ("format", "quality", "resolution", "hdsd"),
    "Download": ("downloadallowed", "offline", "downloadable"),
    "ViewCap": ("seats", "viewers", "cap"),
    "ContractID": ("contract", "contractref", "contractreference", "contractno",
                   "contractnumber", "dealref"),
}
T = TypeVar("T")
REQUIRED: tuple[str, ...] = ("LicenceRef", "Title", "LicenseType", "Territory", "Start")
_LAG = re.compile(r"^\s*([a-z_]+)\s*(?:\+\s*(\d+)\s*(?:d|days?)?)?\s*$", re.IGNORECASE)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def column_for(header: str) -> str:
    """The Dastan column a distributor's header cell names ("Avail Start" → "Start"),
    or "" when it names none (the column is then not read)."""
    key = re.sub(r"[^a-z0-9]", "", header.lower())
    for column in COLUMNS:
        if key == column.lower() or key in SYNONYMS.get(column, ()):
            return column
    return ""


def propose_mapping(header: Sequence[str]) -> dict[str, str]:
    """Each header cell → the column it is read as ("" for none). When two cells name
    one column, the first wins and the later is not read: a file's own name for a column
    ("Territory") beats a synonym further right ("Region")."""
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for cell in header:
        column = column_for(cell)
        mapping[cell] = "" if column in taken else column
        taken.add(column)
    return mapping


def split_list(text: str) -> tuple[str, ...]:
    """'KZ; UZ, SCO members' → ('KZ', 'UZ', 'SCO members')."""
    return tuple(p.strip() for p in re.split(r"[;,|]", text or "") if p.strip())


def parse_boundary(text: str, *, column: str) -> Boundary:
    """'2027-03-01' or 'theatrical+90' (days after the title's release in that country)."""
    value = text.strip()
    try:
        return OnDate(date.fromisoformat(value))
    except ValueError:
        pass
    match = _LAG.match(value)
    if match and match.group(1).lower() in EVENT_KINDS:
        return AfterEvent(match.group(1).lower(), int(match.group(2) or 0))
    raise InvalidWindow(
        gettext("%(column)s '%(value)s' is neither a date nor a release condition.") % {
            "column": column, "value": value},
        gettext("Write a date as YYYY-MM-DD (2027-03-01) or a condition as EVENT+DAYS "
                "(theatrical+90); events: %(events)s.") % {"events": ", ".join(EVENT_KINDS)}, field=column)


def format_boundary(boundary: Boundary | None) -> str:
    if boundary is None:
        return "Open"
    if isinstance(boundary, OnDate):
        return boundary.day.isoformat()
    return f"{boundary.event}+{boundary.lag_days}"


def parse_row(row: Mapping[str, str], *, title_id_for: Callable[[str], int]) -> LicenceTerms:
    """Terms from one avails row; raises the app's InvalidInput subclasses naming the column.

    The error raised is the first problem; its ``all_errors`` holds every column's."""
    cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    for column in REQUIRED:
        if not cells.get(column):
            raise InvalidLicence(gettext("The column %(column)s is empty.") % {"column": column},
                                 gettext("Fill in %(column)s; AVAILS.md describes each column.") % {
                                     "column": column}, field=column)
    errors: list[DastanError] = []

    def attempt(parse: Callable[[], T], fallback: T) -> T:
        try:
            return parse()
        except DastanError as exc:  # gather every column's problem, not just the first
            errors.append(exc)
            return fallback

    end_text = cells.get("End", "")
    placeholder: Boundary = OnDate(date.min)
    start = attempt(lambda: parse_boundary(cells["Start"], column="Start"), placeholder)
    end = None if end_text.lower() in ("", "open") else attempt(
        lambda: parse_boundary(end_text, column="End"), placeholder)
    window = Window(start, end)
    problem = None if placeholder in (start, end) else check_order(window)
    if problem:
        errors.append(InvalidWindow(problem, gettext("Correct Start or End so that the window starts first."),
                                    field="End"))
    terms = LicenceTerms(
        ref=cells["LicenceRef"],
        title_id=attempt(lambda: title_id_for(cells["Title"]), 0),
        licence_type=attempt(lambda: _licence_type(cells["LicenseType"]), LicenceType.SVOD),
        territories=attempt(lambda: TerritorySet.of(split_list(cells["Territory"]),
                                                    split_list(cells.get("TerritoryExclude", ""))),
                            TerritorySet(())),
        window=window,
        licensee=cells.get("Licensee", ""),
        edit=cells.get("Edit", ""),
        exclusive=attempt(lambda: _flag(cells.get("Exclusive", ""), column="Exclusive"), False),
        audio_languages=attempt(lambda: _languages(cells.get("AudioLanguages", ""),
                                                   column="AudioLanguages"), ()),
        subtitle_languages=attempt(lambda: _languages(cells.get("SubtitleLanguages", ""),
                                                      column="SubtitleLanguages"), ()),
        holdback_languages=attempt(lambda: _languages(cells.get("HoldbackLanguages", ""),
                                                      column="HoldbackLanguages"), ()),
        max_quality=attempt(lambda: _quality(cells.get("FormatProfile", "") or "HD"), Quality.HD),
        download_allowed=attempt(lambda: _flag(cells.get("Download", ""), column="Download"), False),
        view_cap=attempt(lambda: _view_cap(cells.get("ViewCap", "")), None),
        contract_reference=cells.get("ContractID", ""),
    )
    if errors:
        first = errors[0]
        first.all_errors = tuple(errors)  # type: ignore[attr-defined]
        raise first
    return terms


def format_row(terms: LicenceTerms, *, title_slug: str) -> dict[str, str]:
    return {
        "LicenceRef": terms.ref, "Title": title_slug, "Edit": terms.edit,
        "Licensee": terms.licensee, "LicenseType": terms.licence_type.value,
        "Territory": "; ".join(terms.territories.included),
        "TerritoryExclude": "; ".join(terms.territories.excluded),
        "Start": format_boundary(terms.window.start), "End": format_boundary(terms.window.end),
        "Exclusive": "Yes" if terms.exclusive else "No",
        "AudioLanguages": "; ".join(terms.audio_languages),
        "SubtitleLanguages": "; ".join(terms.subtitle_languages),
        "HoldbackLanguages": "; ".join(terms.holdback_languages),
        "FormatProfile": terms.max_quality.value, "Download": "Yes" if terms.download_allowed else "No",
        "ViewCap": "" if terms.view_cap is None else str(terms.view_cap),
        "ContractID": terms.contract_reference,
    }


def _licence_type(text: str) -> LicenceType:
    for kind in LicenceType:
        if kind.value.lower() == text.lower():
            return kind
    raise InvalidLicence(gettext("LicenseType '%(value)s' is not a licence type.") % {"value": text},
                         gettext("Use one of: %(types)s.") % {"types": ", ".join(k.value for k in LicenceType)},
                         field="LicenseType")


def _quality(text: str) -> Quality:
    try:
        return Quality(text.upper())
    except ValueError:
        raise InvalidLicence(gettext("FormatProfile '%(value)s' is not a format.") % {"value": text},
                             gettext("Use SD (576 lines), HD (1080) or UHD (2160)."),
                             field="FormatProfile") from None


def _flag(text: str, *, column: str) -> bool:
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise InvalidLicence(gettext("%(column)s '%(value)s' is not Yes or No.") % {"column": column, "value": text},
                         gettext("Write Yes or No in %(column)s.") % {"column": column}, field=column)


def _view_cap(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) == 0:
        raise InvalidLicence(gettext("ViewCap '%(value)s' is not a positive whole number.") % {"value": text},
                             gettext("Write the number of seats (300), or leave ViewCap empty for no cap."),
                             field="ViewCap")
    return int(text)


def _languages(text: str, *, column: str) -> tuple[str, ...]:
    codes = []
    for code in split_list(text):
        lang = BY_CODE.get(code.replace("_", "-").lower())
        if lang is None:
            raise InvalidInput(gettext("%(column)s: '%(code)s' is not one of Dastan's languages.") % {
                                   "column": column, "code": code},
                               gettext("Use BCP 47 codes from: %(codes)s.") % {"codes": ", ".join(CODES)},
                               field=column)
        codes.append(lang.code)
    return tuple(dict.fromkeys(codes))
