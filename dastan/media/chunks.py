"""A long film transcoded in time chunks that any fitting worker may take, then joined.

The film is cut into chunks of ``DASTAN_CHUNK_S`` seconds (a multiple of the HLS segment
length), each starting on the frame where the one-job ladder puts a keyframe; every
chunk encodes every rung of the ladder with the same settings, its keyframes forced on
the film's segment grid. The join copies each rung's chunks one after the other (the
concat demuxer, no re-encoding) and cuts them into the same HLS segments as one encode of
the whole film would have: same frames, same times, same keyframes.

The sound is not chunked: one job encodes it for the whole film, as the one-job ladder
does, because an AAC encoder restarted at every chunk adds a priming frame at every join
(21 ms of silence or a click, and the sound drifting from the picture by that much per
join). It also takes the poster frame.

Frame times are exact rationals here (30000/1001, not 29.97): at 29.97 the difference
is a whole frame after two hours, enough to cut a chunk one frame off.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from django.conf import settings

from dastan.errors import ConfigurationError
from dastan.ffmpeg import ProgressFn, run_with_progress
from dastan.i18n import gettext, pgettext
from dastan.media import ffmpeg
from dastan.media.errors import MediaError
from dastan.media.ladder import LadderPlan, plan_ladder
from dastan.media.loudness import gain_filter, loudness_target, measure_source
from dastan.media.probe import ProbeResult
from dastan.media.thumbnails import (
    STORYBOARD_WIDTH_PX,
    make_poster,
    storyboard_interval_s,
    write_storyboard_vtt,
)
from dastan.media.transcode import TranscodeResult, x264_preset


class ChunkOutputInvalid(MediaError):
    """A chunk's stored output is not what its job reported (missing or changed bytes)."""

    code = "chunk_output_invalid"


@dataclass(frozen=True, slots=True)
class Chunk:
    """One time chunk: frames ``first_frame`` … ``first_frame + frame_count - 1`` of the
    film at ``frame_rate`` (the ladder's output rate, exact)."""

    index: int
    first_frame: int
    frame_count: int
    start_s: int  # the segment boundary it starts on (the first frame is at or just after it)
    frame_rate: Fraction
    is_last: bool = False  # runs to the film's end, however many frames that is

    @property
    def first_frame_s(self) -> Fraction:
        return self.first_frame / self.frame_rate

    @property
    def duration_s(self) -> Fraction:
        return self.frame_count / self.frame_rate

    @property
    def seek_s(self) -> float:
        # Half a frame early: the first frame is kept even when the source's timestamps
        # are rounded (milliseconds in Matroska), the one before it is not.
        return max(0.0, float(self.first_frame_s - 1 / (2 * self.frame_rate)))

    def as_params(self) -> dict[str, Any]:
        return {"index": self.index, "first_frame": self.first_frame, "frame_count": self.frame_count,
                "start_s": self.start_s, "frame_rate": str(self.frame_rate), "is_last": self.is_last}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Chunk:
        return cls(index=int(params["index"]), first_frame=int(params["first_frame"]),
                   frame_count=int(params["frame_count"]), start_s=int(params["start_s"]),
                   frame_rate=Fraction(str(params["frame_rate"])), is_last=bool(params.get("is_last")))


@dataclass(frozen=True, slots=True)
class ChunkOutput:
    """What one chunk wrote under ``out_dir``: every file with its SHA-256."""

    out_dir: Path
    files: dict[str, str]  # relative path → sha256
    frames: int = 0  # frames of each rung (chunks only)


# --- settings ---------------------------------------------------------------------------------

def chunk_length_s() -> int:
    """``DASTAN_CHUNK_S``; raises ConfigurationError unless it is a positive multiple of
    the HLS segment length (a chunk must start on a segment boundary)."""
    value = int(settings.DASTAN_CHUNK_S)
    if value <= 0 or value % ffmpeg.HLS_SEGMENT_S:
        raise ConfigurationError(
            gettext("DASTAN_CHUNK_S is %(value)s; a chunk must be a whole number of %(segment)s-second HLS segments.")
            % {"value": value, "segment": ffmpeg.HLS_SEGMENT_S},
            gettext("Set DASTAN_CHUNK_S to a multiple of %(segment)s (e.g. 120).") % {"segment": ffmpeg.HLS_SEGMENT_S})
    return value


def should_split(duration_s: float) -> bool:
    """Whether a film this long is transcoded in chunks: longer than
    ``DASTAN_CHUNK_THRESHOLD_S`` and than two chunks (a shorter one keeps the one-decode
    ladder, which decodes the source once)."""
    return duration_s > float(settings.DASTAN_CHUNK_THRESHOLD_S) and duration_s > 2 * chunk_length_s()


# --- planning ---------------------------------------------------------------------------------

def exact_rate(frame_rate: float) -> Fraction:
    """The rational frame rate behind a rounded one: 29.97 → 30000/1001."""
    ntsc = frame_rate * 1.001
    if abs(ntsc - round(ntsc)) < 0.005 and abs(frame_rate - round(frame_rate)) > 0.005:
        return Fraction(round(ntsc) * 1000, 1001)
    return Fraction(frame_rate).limit_denominator(1000)


def first_frame_at(time_s: int, rate: Fraction) -> int:
    """The first frame shown at or after ``time_s``: where the ladder forces a keyframe."""
    return math.ceil(time_s * rate)


def plan_chunks(*, duration_s: float, frame_rate: float, chunk_s: int) -> tuple[Chunk, ...]:
    """The chunks of a film, back to back: every frame in exactly one. A last chunk
    shorter than a third of ``chunk_s`` is merged into the one before."""
    rate = exact_rate(frame_rate)
    total = max(1, round(duration_s * rate))
    starts = list(range(0, math.ceil(duration_s), chunk_s))
    if len(starts) > 1 and duration_s - starts[-1] < chunk_s / 3:
        starts.pop()
    # The last chunk may run a second past the header's duration: a video stream a few
    # frames longer than the container says still ends whole (ffmpeg stops at its end).
    bounds = [first_frame_at(s, rate) for s in starts] + [total + math.ceil(rate)]
    return tuple(Chunk(index=n, first_frame=a, frame_count=b - a, start_s=starts[n], frame_rate=rate,
                       is_last=n == len(starts) - 1)
                 for n, (a, b) in enumerate(itertools.pairwise(bounds)))


def storyboard_every_frames(*, duration_s: float, rate: Fraction) -> Fraction:
    return Fraction(storyboard_interval_s(duration_s)).limit_denominator(1000) * rate


def is_storyboard_frame(frame: int, every: Fraction) -> bool:
    """Whether film frame ``frame`` is a storyboard picture: the first frame at or after
    each multiple of the storyboard interval (exact, so chunks agree at their joins)."""
    return frame == 0 or math.floor(frame / every) > math.floor((frame - 1) / every)


def _storyboard_select(chunk: Chunk, every: Fraction) -> str:
    # The same rule as is_storyboard_frame in ffmpeg's expression language, on the film's
    # frame number n + first_frame. ``every`` is exact: p/q frames, so compare n*q.
    p, q = every.numerator, every.denominator
    g = f"(n+{chunk.first_frame})"
    return (f"lt(n,{chunk.frame_count})*(eq({g},0)+gt(floor({g}*{q}/{p}),floor(({g}-1)*{q}/{p})))")


# --- the work of each job ---------------------------------------------------------------------

def encode_chunk(*, source: Path | str, probe: ProbeResult, chunk: Chunk, out_dir: Path, preset: str | None = None,
                 on_progress: ProgressFn | None = None) -> ChunkOutput:
    """Encode every rung of ``chunk`` into ``out_dir`` (``v/<rung>.mp4`` and its storyboard
    pictures under ``thumbs/``) with x264's ``preset`` (default: this machine's setting;
    a chunk job carries the node's, so a partner's machine encodes as the node would).
    Deterministic given the probe: any worker, and a verifier, gets the same frames.
    Raises FFmpegFailed, ChunkOutputInvalid."""
    plan = plan_ladder(probe)
    every = storyboard_every_frames(duration_s=probe.duration_s, rate=chunk.frame_rate)
    before = sum(1 for g in range(chunk.first_frame) if is_storyboard_frame(g, every))
    args = ffmpeg.chunk_command(
        source=source, plan=plan, out_dir=out_dir, preset=preset or x264_preset(), seek_s=chunk.seek_s,
        first_frame_s=float(chunk.first_frame_s), first_keyframe_s=chunk.start_s,
        frame_count=chunk.frame_count, storyboard_select=_storyboard_select(chunk, every),
        storyboard_start_number=before + 1, storyboard_width=STORYBOARD_WIDTH_PX)
    run_with_progress(args, what=f"encode chunk {chunk.index + 1}", duration_s=float(chunk.duration_s),
                      on_progress=on_progress)
    files = checksums(out_dir)
    frames = check_chunk_outputs(probe=probe, chunk=chunk, outputs={name: out_dir / name for name in files})
    return ChunkOutput(out_dir=out_dir, files=files, frames=frames)


# What a chunk's encode writes, relative to its folder: a file per rung, storyboard pictures.
CHUNK_OUTPUT_NAME = re.compile(r"v/[0-9a-z]{1,20}\.mp4|thumbs/frame_[0-9]{5,7}\.jpg")


def check_chunk_outputs(*, probe: ProbeResult, chunk: Chunk, outputs: Mapping[str, Path]) -> int:
    """The frames of each rung of a chunk's encode (``outputs``: relative name → file),
    once it is checked to be what :func:`encode_chunk` writes: every rung of the ladder,
    storyboard pictures, nothing else, every rung with the chunk's frames (the last
    chunk: as many as the film has left). The node runs it on a partner's files, so
    every name is checked before a file is stored under it. Raises ChunkOutputInvalid."""
    rungs = {f"v/{rung.name}.mp4": rung.name for rung in plan_ladder(probe).rungs}
    strange = sorted(n for n in outputs if not CHUNK_OUTPUT_NAME.fullmatch(n) or (n.startswith("v/") and n not in rungs))
    missing = sorted(set(rungs) - set(outputs))
    if strange or missing:
        raise ChunkOutputInvalid(
            # Translators: a rung is one size of the stream's ladder (240p, 360p, ... 1080p).
            gettext("Chunk %(chunk)s's output has unexpected files (%(unexpected)s) or lacks rungs (%(missing)s).")
            % {"chunk": chunk.index + 1, "unexpected": ", ".join(strange[:5]) or _none(),
               "missing": ", ".join(missing) or _none()},
            gettext("Retry the chunk on a worker running the same Dastan version as the node."))
    frames = {}
    for name, rung in rungs.items():
        try:
            frames[rung] = count_frames(outputs[name])
        except (OSError, ValueError) as exc:  # av.error.* are OSError/ValueError subclasses
            raise ChunkOutputInvalid(gettext("Chunk %(chunk)s's %(rung)s cannot be read (%(error)s).")
                                     % {"chunk": chunk.index + 1, "rung": rung, "error": exc},
                                     gettext("Retry the chunk; its output is encoded again.")) from exc
    short = {name: n for name, n in frames.items() if n != chunk.frame_count and not chunk.is_last}
    if short or len(set(frames.values())) != 1 or 0 in frames.values():
        raise ChunkOutputInvalid(
            gettext("Chunk %(chunk)s came out with %(frames)s frames per rung, not %(expected)s.")
            % {"chunk": chunk.index + 1, "frames": frames, "expected": chunk.frame_count},
            gettext("The source may end early or be damaged there: check that it plays through that "
                    "point (%(seconds)s s), then retry the chunk.") % {"seconds": f"{float(chunk.first_frame_s):.0f}"})
    return next(iter(frames.values()))


def count_frames(path: Path) -> int:
    """Video frames in an encoded file, counted from its packets (no decoding)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sum(1 for packet in container.demux(stream) if packet.size)


def encode_audio(*, source: Path, probe: ProbeResult, out_dir: Path,
                 on_progress: ProgressFn | None = None) -> ChunkOutput:
    """The whole film's sound tracks (``a/<n>/``, as the one-job ladder writes them, at
    the loudness target and aligned with x264's picture delay) and ``thumbs/poster.jpg``."""
    plan = plan_ladder(probe)
    target = loudness_target()
    gains = {track.index: gain_filter(measured=measure_source(
        source=source, stream=f"0:a:{track.index}", filters=[f for f in (track.downmix,) if f],
        target=target), target=target) for track in plan.audio}
    delay_s = ffmpeg.picture_delay_s(preset=x264_preset(), frame_rate=plan.frame_rate)
    if plan.audio:
        run_with_progress(ffmpeg.audio_command(
            source=source, plan=plan, out_dir=out_dir, audio_filters=gains,
            picture_delay_samples=round(delay_s * ffmpeg.AUDIO_RATE_HZ)),
            what="encode the sound", duration_s=probe.duration_s, on_progress=on_progress)
    (out_dir / "thumbs").mkdir(parents=True, exist_ok=True)
    make_poster(source=source, duration_s=probe.duration_s, out=out_dir / "thumbs" / "poster.jpg",
                width=min(1280, plan.rungs[-1].width))
    return ChunkOutput(out_dir=out_dir, files=checksums(out_dir))


def join_chunks(*, probe: ProbeResult, chunks: Sequence[Chunk], chunk_dirs: Sequence[Path],
                audio_dir: Path, out_dir: Path,
                on_progress: ProgressFn | None = None) -> TranscodeResult:
    """Join the chunks' rungs into HLS under ``out_dir`` exactly as
    :func:`dastan.media.transcode.transcode_source` lays its output out (``v/<rung>/``,
    ``a/<n>/``, ``thumbs/``), so the renditions are recorded and packaged the same way.

    Each chunk is placed at its first frame's exact time (the concat demuxer's
    ``duration`` lines add up, to the microsecond, to where the next chunk begins)."""
    plan = plan_ladder(probe)
    lists = []
    for rung in plan.rungs:
        concat = out_dir / "lists" / f"{rung.name}.txt"
        concat.parent.mkdir(parents=True, exist_ok=True)
        concat.write_text(_concat_list(chunks, [d / "v" / f"{rung.name}.mp4" for d in chunk_dirs]))
        lists.append((concat, out_dir / "v" / rung.name / "index.m3u8"))
    run_with_progress(ffmpeg.concat_hls_command(lists=lists), what="join the chunks",
                      duration_s=probe.duration_s, on_progress=on_progress)
    shutil.rmtree(out_dir / "lists")
    if (audio_dir / "a").exists():
        shutil.copytree(audio_dir / "a", out_dir / "a")
    _join_storyboard(probe=probe, plan=plan, chunk_dirs=chunk_dirs, audio_dir=audio_dir, out_dir=out_dir)
    return TranscodeResult(plan=plan, out_dir=out_dir)


def _concat_list(chunks: Sequence[Chunk], files: Sequence[Path]) -> str:
    def at_us(frame: int, rate: Fraction) -> int:
        return round(frame * 1_000_000 / rate)

    lines = ["ffconcat version 1.0"]
    for chunk, path in zip(chunks, files, strict=True):
        end = chunk.first_frame + chunk.frame_count
        span_us = at_us(end, chunk.frame_rate) - at_us(chunk.first_frame, chunk.frame_rate)
        quoted = str(path).replace("'", "'\\''")
        lines += [f"file '{quoted}'", f"duration {span_us / 1_000_000:.6f}"]
    return "\n".join(lines) + "\n"


def _join_storyboard(*, probe: ProbeResult, plan: LadderPlan, chunk_dirs: Sequence[Path],
                     audio_dir: Path, out_dir: Path) -> None:
    thumbs = out_dir / "thumbs"
    frames = thumbs / ffmpeg.STORYBOARD_FRAMES_DIR
    frames.mkdir(parents=True, exist_ok=True)
    for chunk_dir in chunk_dirs:
        for picture in (chunk_dir / "thumbs").glob("frame_*.jpg"):
            shutil.copyfile(picture, frames / picture.name)
    ffmpeg.tile_storyboard(thumbs_dir=thumbs)
    aspect = probe.display_width / probe.display_height
    tile_h = max(2, round(STORYBOARD_WIDTH_PX / aspect / 2) * 2)
    write_storyboard_vtt(thumbs_dir=thumbs, duration_s=probe.duration_s,
                         interval_s=storyboard_interval_s(probe.duration_s),
                         tile_width=STORYBOARD_WIDTH_PX, tile_height=tile_h)
    shutil.copyfile(audio_dir / "thumbs" / "poster.jpg", thumbs / "poster.jpg")


# --- checksums ----------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _none() -> str:
    # Translators: shown in place of an empty list of files, e.g. "missing: none".
    return pgettext("no files", "none")


def check_checksums(*, folder: Path, expected: Mapping[str, str], what: str) -> None:
    """Raise ChunkOutputInvalid unless ``folder`` holds exactly ``expected``'s files with
    those SHA-256 sums (what the job reported when its attempt finished)."""
    found = checksums(folder)
    missing = sorted(set(expected) - set(found))
    changed = sorted(name for name in expected if name in found and found[name] != expected[name])
    if missing or changed:
        raise ChunkOutputInvalid(
            gettext("The stored output of %(what)s does not match what its job reported "
                    "(missing: %(missing)s; changed: %(changed)s).")
            % {"what": what, "missing": ", ".join(missing) or _none(), "changed": ", ".join(changed) or _none()},
            gettext("Retry %(what)s: its output is encoded again; the other chunks are kept.") % {"what": what})
