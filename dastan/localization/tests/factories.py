"""Rows for localization tests, made through the services as an uploader and a translator
would make them."""

from __future__ import annotations

from collections.abc import Sequence

from dastan.catalog.models import Organisation, Title
from dastan.localization.models import SubtitleTrack
from dastan.localization.tracks import CueData, create_track

Line = tuple[int, int, str]  # start_ms, end_ms, text


def translated_track(*, owner: Organisation, source: Sequence[Line], language: str, lines: Sequence[Line],
                     slug: str = "caravan") -> SubtitleTrack:
    """A film title of ``owner`` with an English source track of ``source`` and a human
    translation into ``language`` whose cues are ``lines``; returns the translation."""
    title = Title.objects.create(slug=slug, original_language="en", country_of_origin="PK", owner=owner)
    original = create_track(title=title, language="en", origin=SubtitleTrack.Origin.UPLOAD, is_source=True,
                            cues=[CueData(*line) for line in source])
    return create_track(title=title, language=language, origin=SubtitleTrack.Origin.HUMAN, source_track=original,
                        cues=[CueData(*line) for line in lines])
