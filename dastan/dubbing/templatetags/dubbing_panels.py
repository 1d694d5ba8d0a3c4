"""``{% dub_panels track %}`` on the subtitles' review desk: the way to the track's human
dub desk and the content-credentials panel of what the track became (the page that uses
it has already checked the person may read the track)."""

from __future__ import annotations

from typing import Any

from django import template

from dastan.dubbing.desk import track_credentials
from dastan.dubbing.models import CastRole, HumanDub, Take
from dastan.localization.models import SubtitleTrack

register = template.Library()


@register.inclusion_tag("dubbing/_track_panels.html")
def dub_panels(track: SubtitleTrack) -> dict[str, Any]:
    dubbing = (
        HumanDub.objects.filter(track=track).exists()
        or CastRole.objects.filter(track=track).exists()
        or Take.objects.filter(track=track).exists()
    )
    return {"track": track, "dubbing": dubbing, "credentials": track_credentials(track)}
