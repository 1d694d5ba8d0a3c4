"""A licence's terms as a value: what decisions, clash checks and avails files work on.

The vocabulary follows EMA/MovieLabs Avails: licence type (SVOD, AVOD, TVOD, EST,
FVOD, festival), territories in and out, a window, exclusivity, allowed and held-back
languages, the highest format (SD, HD, UHD), download, and a seat cap for festival
screenings. :class:`LicenceTerms` never touches the database; ``selectors`` builds it
from rows and ``actions`` store it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import pgettext

from dastan.catalog.languages import CODES
from dastan.rights.territories import TerritorySet
from dastan.rights.windows import Window


class LicenceType(StrEnum):
    SVOD = "SVOD"
    AVOD = "AVOD"
    TVOD = "TVOD"
    EST = "EST"
    FVOD = "FVOD"
    FESTIVAL = "festival"


def licence_type_name(licence_type: str) -> str:
    """The type as a rights manager reads it: the industry's acronyms (SVOD, TVOD) stay as
    they are in every language; a festival licence is named in the reader's language."""
    if licence_type == LicenceType.FESTIVAL:
        # Translators: the licence type of festival screenings (beside SVOD, TVOD, EST).
        return pgettext("licence type", "festival")
    return str(licence_type)


class Quality(StrEnum):
    SD = "SD"
    HD = "HD"
    UHD = "UHD"

    @property
    def max_height(self) -> int:
        return {"SD": 576, "HD": 1080, "UHD": 2160}[self.value]


ALL_LANGUAGES: tuple[str, ...] = CODES


@dataclass(frozen=True, slots=True)
class LicenceTerms:
    """One licence, as stored in its current revision.

    ``audio_languages``/``subtitle_languages`` empty means every language Dastan has;
    ``holdback_languages`` are withheld in both, whatever the lists allow.
    """

    ref: str
    title_id: int
    licence_type: LicenceType
    territories: TerritorySet
    window: Window
    licensee: str = ""
    edit: str = ""  # "" covers every edit of the title
    exclusive: bool = False
    audio_languages: tuple[str, ...] = ()
    subtitle_languages: tuple[str, ...] = ()
    holdback_languages: tuple[str, ...] = ()
    max_quality: Quality = Quality.HD
    download_allowed: bool = False
    view_cap: int | None = None
    seats_taken: int = 0
    seat_holders: frozenset[int] = frozenset()
    contract_reference: str = ""
    revoked: bool = False

    @property
    def max_height(self) -> int:
        return self.max_quality.max_height

    def covers_edit(self, edit: str) -> bool:
        return not self.edit or self.edit == edit

    def permits_audio(self, code: str) -> bool:
        """Any code (even 'und' or one Dastan lacks) passes a licence that lists no languages."""
        return code not in self.holdback_languages and (not self.audio_languages or code in self.audio_languages)

    def permits_subtitles(self, code: str) -> bool:
        return code not in self.holdback_languages and (
            not self.subtitle_languages or code in self.subtitle_languages)

    def audio_allowed(self) -> tuple[str, ...]:
        return _allowed(self.audio_languages, self.holdback_languages)

    def subtitles_allowed(self) -> tuple[str, ...]:
        return _allowed(self.subtitle_languages, self.holdback_languages)


def _allowed(listed: tuple[str, ...], held_back: tuple[str, ...]) -> tuple[str, ...]:
    base = listed or ALL_LANGUAGES
    return tuple(code for code in base if code not in held_back)
