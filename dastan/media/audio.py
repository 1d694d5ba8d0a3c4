"""A title's own sound, taken out of its mezzanine for the apps that listen to it
(speech recognition) or mix over it (voice-over)."""

from __future__ import annotations

from pathlib import Path

from dastan.catalog.languages import normalize_code
from dastan.catalog.models import Title
from dastan.errors import NotFound
from dastan.ffmpeg import base_args, run_with_progress
from dastan.i18n import gettext
from dastan.media.models import MediaAsset
from dastan.media.storage import local_copy


def extract_audio_track(*, title: Title, out: Path, language: str | None = None, channels: int = 2,
                        sample_rate_hz: int = 48000) -> Path:
    """The title's latest mezzanine's sound in ``language`` (default: its original
    language; the first track when no track is tagged so) as a PCM WAV at ``out``.

    Raises NotFound when the title has no film yet, FFmpegFailed when ffmpeg cannot read it.
    """
    asset = MediaAsset.objects.filter(title=title).order_by("-created_at").first()
    if asset is None:
        raise NotFound(gettext("'%(title)s' has no uploaded film to take its sound from.") % {"title": title.slug},
                       gettext("Upload the film first, or upload its subtitles or script instead."))
    wanted = normalize_code(language or title.original_language)
    tracks = asset.probe.get("audio", [])
    index = next((t["index"] for t in tracks if t.get("language") == wanted), 0)
    with local_copy(asset.storage_name) as source:
        run_with_progress([*base_args(), "-i", str(source), "-map", f"0:a:{index}", "-vn",
                           "-ac", str(channels), "-ar", str(sample_rate_hz), "-c:a", "pcm_s16le", str(out)],
                          what=f"take the {wanted} sound out of the film")
    return out
