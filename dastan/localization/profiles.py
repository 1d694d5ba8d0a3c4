"""The style profile in force for an organisation's subtitles in one language."""

from __future__ import annotations

from dastan.catalog.models import Organisation
from dastan.localization.models import StyleProfileOverride
from dastan.localization.subtitles.profiles import (
    StyleProfile,
    default_profile,
    profile_from_dict,
    profile_to_dict,
)


def profile_for(*, language: str, organisation: Organisation | None = None, fps: float = 24.0,
                audience: str = "adult") -> StyleProfile:
    """The house default for ``language``, with the organisation's changes on top."""
    base = default_profile(language=language, audience=audience, fps=fps)
    if organisation is None:
        return base
    override = StyleProfileOverride.objects.filter(organisation=organisation, language=base.language).first()
    if override is None:
        return base
    return profile_from_dict(data={**profile_to_dict(profile=base), **override.values, "fps": fps,
                                   "language": base.language})


def set_profile_override(*, organisation: Organisation, language: str, values: dict[str, object]) -> StyleProfile:
    """Store an organisation's changes after checking them (InvalidInput names the field)."""
    base = default_profile(language=language)
    profile = profile_from_dict(data={**profile_to_dict(profile=base), **values, "language": base.language})
    StyleProfileOverride.objects.update_or_create(
        organisation=organisation, language=base.language, defaults={"values": dict(values)})
    return profile
