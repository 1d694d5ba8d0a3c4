"""API shapes for /api/v1/rights (not domain types: those are in ``terms`` and ``decisions``)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class LicenceIn(Schema):
    ref: str
    title: str  # slug
    licence_type: str  # SVOD, AVOD, TVOD, EST, FVOD, festival
    territories: list[str]  # codes and group names
    territories_excluded: list[str] = []
    start: str  # 2027-03-01 or theatrical+90
    end: str | None = None  # same forms; None: no end
    edit: str = ""
    licensee: str = ""  # organisation slug or federation node address
    exclusive: bool = False
    audio_languages: list[str] = []
    subtitle_languages: list[str] = []
    holdback_languages: list[str] = []
    max_quality: str = "HD"
    download_allowed: bool = False
    view_cap: int | None = None
    contract_reference: str = ""

    def as_avails_row(self) -> dict[str, str]:
        return {
            "LicenceRef": self.ref, "Title": self.title, "Edit": self.edit, "Licensee": self.licensee,
            "LicenseType": self.licence_type, "Territory": "; ".join(self.territories),
            "TerritoryExclude": "; ".join(self.territories_excluded), "Start": self.start,
            "End": self.end or "", "Exclusive": "Yes" if self.exclusive else "No",
            "AudioLanguages": "; ".join(self.audio_languages),
            "SubtitleLanguages": "; ".join(self.subtitle_languages),
            "HoldbackLanguages": "; ".join(self.holdback_languages),
            "FormatProfile": self.max_quality, "Download": "Yes" if self.download_allowed else "No",
            "ViewCap": "" if self.view_cap is None else str(self.view_cap),
            "ContractID": self.contract_reference,
        }


class LicenceOut(Schema):
    ref: str
    title: str
    licensor: str
    revision: int
    revoked: bool
    countries: list[str]
    terms: dict[str, str]  # the avails columns (AVAILS.md)


class RevisionOut(Schema):
    number: int
    changed_at: datetime
    changed_by: str | None
    note: str
    terms: dict[str, str]


class ReleaseIn(Schema):
    title: str
    country: str
    event: str = "theatrical"
    day: date


class DecisionOut(Schema):
    allowed: bool
    reason: str
    code: str
    territory: str | None
    licence_ref: str | None
    allowed_audio: list[str]
    allowed_subtitles: list[str]
    max_height: int | None
    expires_at: datetime | None
    opens_at: datetime | None
    download_allowed: bool


class ComingOut(Schema):
    title: str
    opens_at: datetime
    opens_on: date  # the local day it opens in that country


class CatalogOut(Schema):
    territory: str
    at: datetime
    watchable: list[str]
    coming: list[ComingOut]


class AvailsColumnChoices(Schema):
    # ?map=Pays=Territory&map=Notes= : read a header cell as a column (or not at all),
    # over what is proposed from the header.
    map: list[str] = []
    # read with the mapping saved for this distributor (else one saved for the same header)
    distributor: str = ""
    # save the mapping this import used under the distributor's name
    save_mapping: str = ""
    # whose mapping to save (default: the owner of the file's titles)
    organisation: str = ""


class AvailsMappingOut(Schema):
    distributor: str
    organisation: str
    columns: dict[str, str]
    saved_by: str
    updated_at: datetime


class AvailsReport(Schema):
    dry_run: bool
    summary: str
    changes: list[str]
    mapping: list[str] = []  # "Country → Territory", "Notes: not read"
    rows: list[str] = []  # every row's fate, in file order
    warnings: list[str] = []  # repeats skipped, columns not read
