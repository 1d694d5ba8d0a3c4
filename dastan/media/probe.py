"""What a source file holds, read with PyAV before anything is stored or encoded.

Reading is cheap: the header, the first video packets (frame-rate regularity), a few
decoded frames (interlacing, rotation) and the packets near the end (is the file whole?).
Only a file that looks cut short is demuxed to its end, to say where it really ends.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from dastan.catalog.languages import BY_ISO639_2
from dastan.ffmpeg import gettext_noop, translated
from dastan.media.errors import ProbeFailed


@dataclass(frozen=True, slots=True)
class AudioTrack:
    index: int  # n-th audio stream of the file (ffmpeg's 0:a:N)
    language: str  # BCP 47, or "" when the file does not say
    channels: int
    layout: str  # "stereo", "5.1", "5.1(side)", ...
    codec: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class ProbeResult:
    size_bytes: int
    container: str
    duration_s: float  # what the header says
    readable_s: float  # where the data really ends
    width: int  # coded frame size
    height: int
    display_width: int  # after pixel aspect ratio and rotation: what a viewer sees
    display_height: int
    rotation: int  # degrees from the display matrix (phones)
    frame_rate: float
    is_variable_frame_rate: bool
    is_interlaced: bool
    video_codec: str
    video_bitrate_bps: int
    audio: tuple[AudioTrack, ...] = field(default=())

    @property
    def is_truncated(self) -> bool:
        return self.readable_s < self.duration_s - max(2.0, 0.02 * self.duration_s)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def probe_file(path: Path) -> ProbeResult:
    """Read ``path``. Raises ProbeFailed when it is not a media file at all, or has no
    picture (validate.check_mezzanine judges everything else)."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise ProbeFailed(
            translated(gettext_noop("'%(name)s' is not a video file Dastan can read (%(error)s)."))
            % {"name": path.name, "error": f"{exc.__class__.__name__}: {getattr(exc, 'strerror', None) or exc}"},
            translated(gettext_noop("Upload the film's master file (MP4, MOV, MKV or MXF); a document, "
                                     "image or archive cannot be played.")),
            code="not_a_video",
        ) from exc
    with container:
        if not container.streams.video or _is_still_image(container):
            raise ProbeFailed(
                translated(gettext_noop("'%(name)s' has no moving picture.")) % {"name": path.name},
                translated(gettext_noop("Upload the film's video master; sound alone or a still image "
                                         "cannot be streamed.")),
                code="not_a_video",
            )
        video = container.streams.video[0]
        header_s = float(container.duration or 0) / av.time_base if container.duration else \
            float((video.duration or 0) * (video.time_base or 0))
        frames = _first_frames(container, video, count=4)
        rotation = int(frames[0].rotation) if frames else 0
        pts = _first_packet_times(container, video, count=120)
        readable_s = _readable_until(container, video, header_s)
        audio = tuple(_audio_tracks(container))
        container_name = container.format.name
        container_bps = int(container.bit_rate or 0)
    width, height = video.codec_context.width, video.codec_context.height
    sar = video.sample_aspect_ratio or Fraction(1, 1)
    display_w, display_h = round(width * float(sar)), height
    if abs(rotation) % 180 == 90:
        display_w, display_h = display_h, display_w
    video_bps = int(video.codec_context.bit_rate or 0) or container_bps
    rate = video.average_rate or video.guessed_rate or video.base_rate or Fraction(25, 1)
    return ProbeResult(
        size_bytes=path.stat().st_size,
        container=container_name,
        duration_s=round(header_s, 3),
        readable_s=round(readable_s, 3),
        width=width, height=height, display_width=display_w, display_height=display_h,
        rotation=rotation,
        frame_rate=_usual_rate(pts) if _is_irregular(pts) else round(float(rate), 3),
        is_variable_frame_rate=_is_irregular(pts),
        is_interlaced=_is_interlaced(video, frames),
        video_codec=video.codec_context.name,
        video_bitrate_bps=video_bps,
        audio=audio,
    )


def _is_still_image(container: Any) -> bool:
    return container.format.name in {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "gif"} \
        and len(container.streams.video) == 1 and not container.streams.audio


def _first_frames(container: Any, video: Any, *, count: int) -> list[Any]:
    frames = []
    try:
        for frame in container.decode(video):
            frames.append(frame)
            if len(frames) >= count:
                break
    except av.error.FFmpegError:
        pass  # a damaged start is judged by _readable_until; frames seen so far suffice
    container.seek(0)
    return frames


def _first_packet_times(container: Any, video: Any, *, count: int) -> list[float]:
    """Display times of the first frames, in order, without a gap where none is.

    Packets come in decode order: with B-frames, the window's last packets include a
    frame shown after B-frames that are not read yet, which looked like a dropped frame
    and made every long-GOP master (XDCAM MXF, x264 MP4) "variable frame rate". Every
    frame shown at or before the last decode time read has been read (a frame is decoded
    before it is shown), so only those times are kept."""
    times, last_dts = [], None
    try:
        for packet in container.demux(video):
            if packet.pts is not None:
                times.append(float(packet.pts * packet.time_base))
            if packet.dts is not None:
                last_dts = float(packet.dts * packet.time_base)
            if len(times) >= count:
                break
    except av.error.FFmpegError:
        pass
    times.sort()
    if last_dts is not None and len(times) >= count:
        times = [t for t in times if t <= last_dts + 1e-6]
    return times


def _is_irregular(times: list[float]) -> bool:
    """Variable frame rate: frame intervals differ by more than a quarter of the usual one."""
    deltas = [b - a for a, b in itertools.pairwise(times) if b > a]
    if len(deltas) < 8:
        return False
    usual = statistics.median(deltas)
    return any(abs(d - usual) > 0.25 * usual for d in deltas)


STANDARD_RATES = (23.976, 24.0, 25.0, 29.97, 30.0, 48.0, 50.0, 59.94, 60.0)


def _usual_rate(times: list[float]) -> float:
    """A variable-rate source's usual rate (its median frame interval), snapped to the
    nearest broadcast rate: phones record "30 fps" with jitter and dropped frames."""
    usual = 1 / statistics.median([b - a for a, b in itertools.pairwise(times) if b > a])
    nearest = min(STANDARD_RATES, key=lambda r: abs(r - usual))
    return nearest if abs(nearest - usual) < 0.03 * usual else round(usual, 3)


def _is_interlaced(video: Any, frames: list[Any]) -> bool:
    # AVFieldOrder: 0 unknown, 1 progressive, 2..5 the interlaced orders.
    field_order = getattr(video.codec_context, "field_order", 0)
    if isinstance(field_order, int) and field_order >= 2:
        return True
    return any(getattr(f, "interlaced_frame", False) for f in frames)


def _last_time(container: Any, video: Any) -> float:
    last = 0.0
    try:
        for packet in container.demux(video):
            if packet.pts is not None and packet.size:
                last = max(last, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    except av.error.FFmpegError:
        pass  # a cut file ends in a damaged packet: what came before is what is there
    return last


def _readable_until(container: Any, video: Any, header_s: float) -> float:
    """Where the video data ends: near the header's duration for a whole file."""
    if header_s <= 0:
        return _last_time(container, video)
    try:
        target = int(max(0.0, header_s - 5.0) / float(video.time_base))
        container.seek(target, stream=video, backward=True)
        end = _last_time(container, video)
    except av.error.FFmpegError:
        end = 0.0
    if end >= header_s - max(2.0, 0.02 * header_s):
        return end
    container.seek(0)
    return _last_time(container, video)


def _audio_tracks(container: Any) -> list[AudioTrack]:
    tracks = []
    for n, stream in enumerate(container.streams.audio):
        ctx = stream.codec_context
        tag = (stream.metadata.get("language") or "").lower()
        tracks.append(AudioTrack(
            index=n,
            language=BY_ISO639_2.get(tag, "" if tag in ("", "und") else tag),
            channels=int(ctx.channels or 0),
            layout=str(getattr(ctx.layout, "name", "") or ""),
            codec=ctx.name,
            title=stream.metadata.get("title", ""),
        ))
    return tracks
