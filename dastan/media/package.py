"""The HLS master playlist, written in Python from the renditions' own media playlists,
and publishing a version of a title's stream.

Why not ffmpeg's ``var_stream_map``: it ties each subtitle track to a video rung, names
tracks generically, and cannot add a language later without re-running the video.
Here a master is a few lines of text over rendition rows, so adding a dub writes a new
master beside the old one and moves the title's pointer (REFERENCES.md, "Video and HLS").
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import m3u8
from django.db import transaction
from django.db.models import Max

from dastan.catalog import services as catalog_services
from dastan.catalog.models import Title
from dastan.media import storage
from dastan.media.models import (
    AudioRendition,
    MediaAsset,
    Stream,
    SubtitleRendition,
    Version,
    VideoRendition,
)

AUDIO_GROUP = "aud"
SUBTITLE_GROUP = "subs"
# Reverse-DNS characteristics (RFC 8216 allows UTIs) so players and tests can tell a dub
# or a machine-made track from the original without parsing names.
CHARACTERISTIC: dict[str, str] = {
    AudioRendition.Kind.DUB: "org.dastan.dub",
    AudioRendition.Kind.VOICE_OVER: "org.dastan.voice-over",
}
MACHINE_MADE = "org.dastan.machine-made"


@dataclass(frozen=True, slots=True)
class PlaylistMeasure:
    duration_s: float
    peak_bps: int
    average_bps: int


def measure_media_playlist(path: Path) -> PlaylistMeasure:
    """Peak and average bitrate of a local HLS media playlist, from its segment files."""
    playlist = m3u8.load(str(path))
    total_bytes, total_s, peak = 0, 0.0, 0.0
    for segment in playlist.segments:
        size = (path.parent / segment.uri).stat().st_size
        duration = float(segment.duration or 0) or 1e-3
        total_bytes += size
        total_s += duration
        peak = max(peak, size * 8 / duration)
    average = total_bytes * 8 / total_s if total_s else 0
    return PlaylistMeasure(duration_s=total_s, peak_bps=int(peak), average_bps=int(average))


def avc_codecs(init_segment: Path) -> str:
    """RFC 6381 codec string from the avcC box of an fMP4 init segment: avc1.PPCCLL."""
    data = init_segment.read_bytes()
    at = data.find(b"avcC")
    if at < 0:
        return "avc1.640028"
    profile, compat, level = data[at + 5], data[at + 6], data[at + 7]
    return f"avc1.{profile:02x}{compat:02x}{level:02x}"


def _quoted(value: str) -> str:
    return '"' + value.replace('"', "'").replace("\n", " ") + '"'


def default_audio(audio: Sequence[AudioRendition]) -> AudioRendition | None:
    """The latest rendition marked default; else the first original; else the first."""
    marked = [a for a in audio if a.is_default]
    if marked:
        return max(marked, key=lambda a: (a.created_at, a.pk))
    originals = [a for a in audio if a.kind == AudioRendition.Kind.ORIGINAL]
    candidates = originals or list(audio)
    return candidates[0] if candidates else None


def render_master(
    *,
    video: Sequence[VideoRendition],
    audio: Sequence[AudioRendition],
    subtitles: Sequence[SubtitleRendition],
    uri_for: Callable[[str], str],
) -> str:
    """The master playlist text. ``uri_for`` turns a rendition's storage name into the
    URI written in the playlist (relative for the stored master, signed for playback)."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS", ""]
    default = default_audio(audio)
    for a in audio:
        characteristics = [c for c in (CHARACTERISTIC.get(a.kind),
                                       MACHINE_MADE if a.is_machine_made else None) if c]
        attrs = [f"TYPE=AUDIO,GROUP-ID={_quoted(AUDIO_GROUP)}", f"NAME={_quoted(a.name)}"]
        if a.language and a.language != "und":
            attrs.append(f"LANGUAGE={_quoted(a.language)}")
        attrs += [f"DEFAULT={'YES' if a == default else 'NO'}", "AUTOSELECT=YES",
                  f"CHANNELS={_quoted(str(a.channels))}"]
        if characteristics:
            attrs.append(f"CHARACTERISTICS={_quoted(','.join(characteristics))}")
        attrs.append(f"URI={_quoted(uri_for(a.playlist_name))}")
        lines.append("#EXT-X-MEDIA:" + ",".join(attrs))
    for s in subtitles:
        attrs = [f"TYPE=SUBTITLES,GROUP-ID={_quoted(SUBTITLE_GROUP)}", f"NAME={_quoted(s.name)}",
                 f"LANGUAGE={_quoted(s.language)}", "DEFAULT=NO", "AUTOSELECT=YES", "FORCED=NO"]
        if s.is_machine_made:
            attrs.append(f"CHARACTERISTICS={_quoted(MACHINE_MADE)}")
        attrs.append(f"URI={_quoted(uri_for(s.playlist_name))}")
        lines.append("#EXT-X-MEDIA:" + ",".join(attrs))
    # issue 16: where a segment cannot carry a C2PA manifest, the playlist points at the
    # signed sidecar manifest of each machine-made track (see dastan/credentials).
    for a in audio:
        manifest = (a.provenance or {}).get("c2pa", {}).get("manifest")
        if manifest:
            lines.append(f"#EXT-X-SESSION-DATA:DATA-ID={_quoted(f'org.c2pa.manifest.{a.language}.{a.kind}')},"
                         f"URI={_quoted(manifest)}")
    for s in subtitles:
        if s.c2pa_manifest:
            lines.append(f"#EXT-X-SESSION-DATA:DATA-ID={_quoted(f'org.c2pa.manifest.{s.language}.subtitles')},"
                         f"URI={_quoted(s.c2pa_manifest)}")
    lines.append("")
    audio_peak = max((a.peak_bps for a in audio), default=0)
    audio_avg = max((a.average_bps for a in audio), default=0)
    audio_codec = audio[0].codecs if audio else ""
    for v in sorted(video, key=lambda r: r.height):
        attrs = [f"BANDWIDTH={v.peak_bps + audio_peak}",
                 f"AVERAGE-BANDWIDTH={v.average_bps + audio_avg}",
                 f"CODECS={_quoted(','.join(c for c in (v.codecs, audio_codec) if c))}",
                 f"RESOLUTION={v.width}x{v.height}", f"FRAME-RATE={v.frame_rate:.3f}"]
        if audio:
            attrs.append(f"AUDIO={_quoted(AUDIO_GROUP)}")
        if subtitles:
            attrs.append(f"SUBTITLES={_quoted(SUBTITLE_GROUP)}")
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attrs), uri_for(v.playlist_name)]
    return "\n".join(lines) + "\n"


def subtitle_media_playlist(*, vtt_filename: str, duration_s: float) -> str:
    """A WebVTT track as a one-segment VOD playlist (the whole file is the segment)."""
    return "\n".join([
        "#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{max(1, math.ceil(duration_s))}",
        "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD",
        f"#EXTINF:{duration_s:.3f},", vtt_filename, "#EXT-X-ENDLIST", ""])


# The picture's first sample is at media time 0 in every rung (fMP4, tfdt 0), so cue
# time 0 maps to MPEG-TS time 0. HLS (RFC 8216, 3.5) wants this header in every WebVTT
# segment; without it some players place cues against the wrong clock.
TIMESTAMP_MAP = "X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000"


def with_timestamp_map(vtt_text: str) -> str:
    """``vtt_text`` with :data:`TIMESTAMP_MAP` in its header (replacing any other map)."""
    lines = vtt_text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    header_end = lines.index("") if "" in lines else len(lines)
    header = [line for line in lines[1:header_end] if not line.startswith("X-TIMESTAMP-MAP")]
    return "\n".join([lines[0], TIMESTAMP_MAP, *header, *lines[header_end:]])


def current_version(title: Title) -> Version | None:
    # The asset and its title too: the poster's and storyboard's names are under its folder.
    stream = Stream.objects.select_related("current__asset__title").filter(title=title).first()
    return stream.current if stream else None


def publish_version(
    *,
    title: Title,
    asset: MediaAsset,
    video: Sequence[VideoRendition],
    audio: Sequence[AudioRendition],
    subtitles: Sequence[SubtitleRendition] = (),
    note: str = "",
) -> Version:
    """Write a new master beside the existing ones, record the version and point the
    title's stream at it, in one transaction: viewers get either the old version or the
    new one, never a mix, and the old one's files stay for those already watching."""
    with transaction.atomic():
        number = (Version.objects.filter(title=title).aggregate(n=Max("number"))["n"] or 0) + 1
        master_dir = f"titles/{title.slug}/versions/{number}"
        text = render_master(video=video, audio=audio, subtitles=subtitles,
                             uri_for=lambda name: posixpath.relpath(name, master_dir))
        master_name = storage.write_text(f"{master_dir}/master.m3u8", text)
        version = Version.objects.create(title=title, number=number, asset=asset,
                                         master_name=master_name, note=note[:200])
        version.video.set(video)
        version.audio.set(audio)
        version.subtitles.set(subtitles)
        Stream.objects.update_or_create(title=title, defaults={"current": version})
        # Viewers' kept answers (title pages, masters) name the version: stale on commit.
        catalog_services.changed()
    return version


def package_asset(*, asset: MediaAsset) -> Version:
    """Publish the first version of a transcoded asset: its rungs and its own audio.
    Idempotent: when the current version already plays this asset, it is returned."""
    current = current_version(asset.title)
    if current is not None and current.asset_id == asset.pk:
        return current
    return publish_version(
        title=asset.title, asset=asset,
        video=list(asset.video_renditions.all()),
        audio=list(asset.audio_renditions.all()),
        note=f"new master {asset.source_filename}",
    )
