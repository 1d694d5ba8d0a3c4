"""The encoding ladder of a source: which rungs, at what size and bitrate, and the filters
that correct the source on the way. Pure functions of the probe; nothing runs here.

Rules (REFERENCES.md, "Video and HLS"; PeerTube's defaults):
- rungs from 240p up to the source's short side, never above it (no upscaling);
- bitrate from bits per pixel, capped at the source's own bitrate + 30%;
- at most 60 fps (a faster source is halved), constant frame rate, square pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from dastan.media.probe import AudioTrack, ProbeResult

RUNG_SIDES_PX = (240, 360, 480, 720, 1080, 1440, 2160)
# Smaller pictures need more bits per pixel for the same look.
BITS_PER_PIXEL = {240: 0.14, 360: 0.12, 480: 0.11, 720: 0.10, 1080: 0.085, 1440: 0.075, 2160: 0.065}
MAX_FRAME_RATE = 60.0
SOURCE_BITRATE_HEADROOM = 1.3
MIN_BITRATE_KBPS = 150
AUDIO_BITRATE_KBPS = 128


@dataclass(frozen=True, slots=True)
class Rung:
    name: str  # "720p": the short side, whatever the orientation
    width: int
    height: int
    bitrate_kbps: int


@dataclass(frozen=True, slots=True)
class AudioPlan:
    index: int  # the source's n-th audio stream
    downmix: str  # a pan filter, or "" when ``-ac 2`` is right
    channels: int


@dataclass(frozen=True, slots=True)
class LadderPlan:
    rungs: tuple[Rung, ...]
    frame_rate: float
    video_filters: tuple[str, ...]  # applied once, before the split into rungs
    audio: tuple[AudioPlan, ...]


def _even(value: float) -> int:
    return max(2, round(value / 2.0) * 2)


def output_frame_rate(probe: ProbeResult) -> float:
    rate = probe.frame_rate or 25.0
    while rate > MAX_FRAME_RATE:
        rate /= 2
    return round(rate, 3)


def rung_sides(short_side: int) -> list[int]:
    """240p … the source's short side; a source between two rungs gets its own size on
    top when it is more than 10% above the rung below it."""
    sides = [s for s in RUNG_SIDES_PX if s <= short_side]
    if not sides or short_side > sides[-1] * 1.1:
        sides.append(max(2, short_side - short_side % 2))  # round down: never upscale
    return sides


def plan_ladder(probe: ProbeResult) -> LadderPlan:
    fps = output_frame_rate(probe)
    landscape = probe.display_width >= probe.display_height
    aspect = probe.display_width / probe.display_height
    source_kbps = probe.video_bitrate_bps / 1000 if probe.video_bitrate_bps else 0
    rungs = []
    for side in rung_sides(min(probe.display_width, probe.display_height)):
        width, height = (_even(side * aspect), side) if landscape else (side, _even(side / aspect))
        bpp = BITS_PER_PIXEL.get(side) or BITS_PER_PIXEL[min(BITS_PER_PIXEL, key=lambda s: abs(s - side))]
        kbps = width * height * fps * bpp / 1000
        if source_kbps:
            kbps = min(kbps, source_kbps * SOURCE_BITRATE_HEADROOM)
        rungs.append(Rung(f"{side}p", width, height, max(MIN_BITRATE_KBPS, int(kbps))))
    return LadderPlan(
        rungs=tuple(rungs),
        frame_rate=fps,
        video_filters=tuple(_source_filters(probe, fps)),
        audio=tuple(AudioPlan(t.index, downmix_filter(t), t.channels) for t in probe.audio),
    )


def _source_filters(probe: ProbeResult, fps: float) -> list[str]:
    # Rotation needs no filter: ffmpeg applies a phone's display matrix while decoding.
    filters = []
    if probe.is_interlaced:
        # send_frame keeps the frame rate; deint=interlaced leaves progressive frames alone.
        filters.append("bwdif=mode=send_frame:parity=auto:deint=interlaced")
    if probe.is_variable_frame_rate or fps != probe.frame_rate:
        filters.append(f"fps={fps:g}")
    return filters


DOWNMIX_RULE = "ITU-R BS.775"


def downmix_filter(track: AudioTrack) -> str:
    """ITU-R BS.775 stereo downmix for 5.1: L/R at unity, centre and surrounds at -3 dB
    (0.707), LFE left out, mixed in floating point so nothing clips before the loudness
    gain. ``=``, not ``<``: ffmpeg renormalises ``<`` gains to sum to
    one, which put the dialogue (the centre) 10.7 dB down instead of 3; a loud scene's
    overs are handled by the loudness stage after it (loudness.gain_filter).
    Other layouts use ffmpeg's own matrix (``-ac 2``), the same rule for the common ones."""
    if track.layout == "5.1":
        return "aformat=sample_fmts=fltp,pan=stereo|FL=FL+0.707*FC+0.707*BL|FR=FR+0.707*FC+0.707*BR"
    if track.layout == "5.1(side)":
        return "aformat=sample_fmts=fltp,pan=stereo|FL=FL+0.707*FC+0.707*SL|FR=FR+0.707*FC+0.707*SR"
    return ""
