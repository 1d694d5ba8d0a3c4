"""Which text of a title a viewer sees: their language, else English, else the original.

Every displayed text says which language it is in and who wrote it, so a page can say
"machine translation" or "shown in English" instead of passing one off as the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title, TitleText

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class DisplayText:
    name: str
    synopsis: str
    language: str  # the language the text is written in
    requested_language: str
    origin: str  # "original", "human" or "machine"
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def is_machine(self) -> bool:
        return self.origin == TitleText.Origin.MACHINE

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested_language


def fallback_chain(*, language: str, original_language: str) -> tuple[str, ...]:
    """Languages to try in order: ``language`` → English → the original language."""
    return tuple(dict.fromkeys([normalize_code(language), FALLBACK_LANGUAGE, original_language]))


def choose_text(*, title: Title, texts: Iterable[TitleText], language: str) -> DisplayText:
    """The text to show for ``language``, following :func:`fallback_chain`.

    ``texts`` are the title's texts (prefetched by the caller). A title without any text
    shows its slug, marked as in its original language.
    """
    requested = normalize_code(language)
    by_language = {t.language: t for t in texts}
    for code in fallback_chain(language=requested, original_language=title.original_language):
        text = by_language.get(code)
        if text is not None:
            return DisplayText(name=text.name, synopsis=text.synopsis, language=code,
                               requested_language=requested, origin=text.origin,
                               provenance=dict(text.provenance))
    if by_language:
        text = min(by_language.values(), key=lambda t: t.language)
        return DisplayText(name=text.name, synopsis=text.synopsis, language=text.language,
                           requested_language=requested, origin=text.origin,
                           provenance=dict(text.provenance))
    return DisplayText(name=title.slug, synopsis="", language=title.original_language,
                       requested_language=requested, origin=TitleText.Origin.ORIGINAL)
