"""Checking an HLS package as a player would meet it: every URI resolves, every rung cuts
its segments at the same instants, no frame is missing or shown twice (at a chunk's join
above all), and sound and picture start together.

Used by the join of a chunked transcode before it records anything (chunk_handlers.py), and
by tests on any package. It reads local files: a stored package on local storage, or a
job's staging folder.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import m3u8
import numpy as np

from dastan.i18n import gettext, ngettext
from dastan.media.errors import MediaError

# A frame is "the same frame" when its distance to the source frame of its number is
# the smallest among its neighbours; lossy coding keeps that order for moving pictures.
NEIGHBOURS = (-1, 0, 1)


class HlsCheckFailed(MediaError):
    code = "hls_check_failed"
    status = 500


@dataclass(frozen=True, slots=True)
class RungTimeline:
    """What a video rung's packets say: presentation times (seconds, raw as players
    read them), keyframe times, the first decode time."""

    playlist: Path
    times_s: tuple[Fraction, ...]  # sorted presentation times
    keyframes_s: tuple[Fraction, ...]
    first_dts_s: Fraction
    frame_s: Fraction  # the most common step between frames


@dataclass(frozen=True, slots=True)
class HlsReport:
    problems: tuple[str, ...]
    frames: dict[str, int] = field(default_factory=dict)  # rung folder → frames
    joins_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_for_problems(self, *, what: str) -> None:
        if self.problems:
            more = len(self.problems) - 5
            shown = {"what": what, "problems": "; ".join(self.problems[:5]), "count": more}
            raise HlsCheckFailed(
                ngettext("The HLS package of %(what)s failed its check: %(problems)s (and %(count)s more)",
                         "The HLS package of %(what)s failed its check: %(problems)s (and %(count)s more)",
                         more) % shown
                if more > 0 else
                gettext("The HLS package of %(what)s failed its check: %(problems)s") % shown,
                gettext("Nothing was published. Retry the job; if it fails again, report it with the job's log."))


# --- entry points -------------------------------------------------------------------------------

def check_master(*, master: Path, source: Path | None = None, joins_frames: Sequence[int] = (),
                 expected_frames: int | None = None) -> HlsReport:
    """Check the package under a master playlist (URIs relative to it, as stored)."""
    problems: list[str] = []
    playlist = m3u8.load(str(master))
    video = [_resolve(master, p.uri, problems) for p in playlist.playlists]
    audio = [_resolve(master, m.uri, problems) for m in playlist.media if m.type == "AUDIO" and m.uri]
    for media in playlist.media:
        if media.type == "SUBTITLES" and media.uri:
            _resolve(master, media.uri, problems)
    report = check_renditions(video=[v for v in video if v], audio=[a for a in audio if a], source=source,
                              joins_frames=joins_frames, expected_frames=expected_frames)
    return HlsReport(problems=(*problems, *report.problems), frames=report.frames,
                     joins_checked=report.joins_checked)


def check_renditions(*, video: Sequence[Path], audio: Sequence[Path] = (), source: Path | None = None,
                     joins_frames: Sequence[int] = (), expected_frames: int | None = None,
                     compare_rungs: int | None = None, audio_ends_with_picture: bool = True) -> HlsReport:
    """Check video rungs and audio tracks given by their media playlists.

    ``expected_frames``: how many frames each rung must have (the source's). With
    ``source`` and ``joins_frames`` (the film frame number each chunk after the first
    starts with), the frames on both sides of every join are compared with the source's
    frames of the same numbers, in the ``compare_rungs`` smallest rungs (all by default).
    Every sound track must start at 0 with the picture and, unless
    ``audio_ends_with_picture`` is False (a source whose sound is shorter), end with it.
    """
    problems: list[str] = []
    for playlist in [*video, *audio]:
        problems += _missing_files(playlist)
    if problems:
        return HlsReport(problems=tuple(problems))
    timelines = [rung_timeline(p) for p in video]
    problems += _alignment_problems(timelines)
    for rung in timelines:
        problems += _continuity_problems(rung, expected_frames)
    problems += _audio_problems(timelines, audio, check_end=audio_ends_with_picture)
    joins_checked = 0
    if source is not None and joins_frames:
        for rung in sorted(timelines, key=_rung_height)[:compare_rungs]:
            for frame in joins_frames:
                problems += _join_problems(rung, source, frame)
                joins_checked += 1
    frames = {t.playlist.parent.name: len(t.times_s) for t in timelines}
    return HlsReport(problems=tuple(problems), frames=frames, joins_checked=joins_checked)


# --- files --------------------------------------------------------------------------------------

def _resolve(master: Path, uri: str, problems: list[str]) -> Path | None:
    path = (master.parent / uri).resolve()
    if not path.is_file():
        problems.append(f"{master.name} names {uri}, which does not exist")
        return None
    return path


def _missing_files(playlist: Path) -> list[str]:
    parsed = m3u8.load(str(playlist))
    names = [s.uri for s in parsed.segments]
    names += [m.uri for m in parsed.segment_map or [] if m.uri]
    if not parsed.is_endlist:
        return [f"{playlist.parent.name}/{playlist.name} has no EXT-X-ENDLIST (a VOD must end)"]
    return [f"{playlist.parent.name}/{playlist.name} names {n}, which is missing or empty"
            for n in names if not (playlist.parent / n).is_file() or not (playlist.parent / n).stat().st_size]


def joined_file(playlist: Path, out: Path, *, segments: Sequence[int] | None = None) -> Path:
    """The init segment and the media segments (all, or those numbered) as one file."""
    parsed = m3u8.load(str(playlist))
    init = [m.uri for m in parsed.segment_map or [] if m.uri]
    chosen = [s.uri for n, s in enumerate(parsed.segments) if segments is None or n in segments]
    with out.open("wb") as fh:
        for name in [*init, *chosen]:
            fh.write((playlist.parent / name).read_bytes())
    return out


# --- timelines ----------------------------------------------------------------------------------

def rung_timeline(playlist: Path) -> RungTimeline:
    with tempfile.TemporaryDirectory(prefix="dastan-hls-") as tmp:
        joined = joined_file(playlist, Path(tmp) / "rung.mp4")
        with av.open(str(joined), options={"ignore_editlist": "1"}) as container:
            stream = container.streams.video[0]
            tick = Fraction(stream.time_base or Fraction(1, 90000))
            packets = [(p.pts, p.dts, p.is_keyframe) for p in container.demux(stream) if p.pts is not None]
    times = sorted(pts * tick for pts, _, _ in packets)
    steps = [b - a for a, b in itertools.pairwise(times)]
    frame_s = max(set(steps), key=steps.count) if steps else Fraction(0)
    return RungTimeline(playlist=playlist, times_s=tuple(times),
                        keyframes_s=tuple(sorted(pts * tick for pts, _, key in packets if key)),
                        first_dts_s=min((dts for _, dts, _ in packets if dts is not None), default=0) * tick,
                        frame_s=frame_s)


def _rung_height(rung: RungTimeline) -> int:
    name = rung.playlist.parent.name
    return int(name[:-1]) if name.endswith("p") and name[:-1].isdigit() else 0


def _segment_starts(playlist: Path) -> list[float]:
    starts, at = [], 0.0
    for segment in m3u8.load(str(playlist)).segments:
        starts.append(round(at, 3))
        at += float(segment.duration or 0)
    return starts


def _alignment_problems(rungs: Sequence[RungTimeline]) -> list[str]:
    problems = []
    if not rungs:
        return ["no video rung"]
    first = rungs[0]
    for rung in rungs:
        name = rung.playlist.parent.name
        segments = len(m3u8.load(str(rung.playlist)).segments)
        if len(rung.keyframes_s) != segments:
            problems.append(f"{name}: {len(rung.keyframes_s)} keyframes for {segments} segments "
                            "(each segment must start with the only keyframe in it)")
        if rung.keyframes_s != first.keyframes_s:
            differ = next((float(a) for a, b in zip(rung.keyframes_s, first.keyframes_s, strict=False) if a != b),
                          None)
            problems.append(f"{name}: keyframes differ from {first.playlist.parent.name}'s"
                            + (f" (first at {differ:.3f} s)" if differ is not None else " (count)"))
        if _segment_starts(rung.playlist) != _segment_starts(first.playlist):
            problems.append(f"{name}: segment boundaries differ from {first.playlist.parent.name}'s")
    return problems


def _continuity_problems(rung: RungTimeline, expected_frames: int | None) -> list[str]:
    name = rung.playlist.parent.name
    problems = []
    if expected_frames is not None and len(rung.times_s) != expected_frames:
        problems.append(f"{name}: {len(rung.times_s)} frames, the source has {expected_frames}")
    # One tick of slack: the muxer rounds each time to its timescale.
    tick = Fraction(1, 90000)
    for a, b in zip(rung.times_s, rung.times_s[1:], strict=False):
        step = b - a
        if abs(step - rung.frame_s) > tick:
            kind = "repeated frame time" if step == 0 else ("gap" if step > rung.frame_s else "overlap")
            problems.append(f"{name}: {kind} at {float(a):.3f} s ({float(step) * 1000:.1f} ms after "
                            f"the frame before, not {float(rung.frame_s) * 1000:.1f})")
    return problems


def _audio_problems(rungs: Sequence[RungTimeline], audio: Sequence[Path], *, check_end: bool) -> list[str]:
    if not rungs:
        return []
    problems = []
    picture = rungs[0]
    end_s = float(picture.times_s[-1] + picture.frame_s) if picture.times_s else 0.0
    if picture.first_dts_s != 0:
        problems.append(f"the picture's first decode time is {float(picture.first_dts_s):.3f} s, not 0")
    for playlist in audio:
        with tempfile.TemporaryDirectory(prefix="dastan-hls-") as tmp:
            joined = joined_file(playlist, Path(tmp) / "audio.mp4")
            with av.open(str(joined), options={"ignore_editlist": "1"}) as container:
                stream = container.streams.audio[0]
                tick = Fraction(stream.time_base or Fraction(1, 48000))
                times = [p.pts * tick for p in container.demux(stream) if p.pts is not None]
        name = f"audio {playlist.parent.name}"
        if not times:
            problems.append(f"{name} has no sound")
            continue
        if min(times) != 0:
            problems.append(f"{name} starts at {float(min(times)):.3f} s, the picture at 0")
        # The AAC track ends within a frame of 1024 samples plus a picture frame of the picture.
        if check_end and abs(float(max(times)) - end_s) > 0.1:
            problems.append(f"{name} ends at {float(max(times)):.3f} s, the picture at {end_s:.3f} s")
    return problems


# --- joins --------------------------------------------------------------------------------------

def _join_problems(rung: RungTimeline, source: Path, frame: int) -> list[str]:
    """Compare the rung's frames ``frame - 1`` and ``frame`` (either side of a join) with
    the source's frames around them: each must be closest to the source frame of its own
    number, or a frame was dropped or shown twice."""
    name = rung.playlist.parent.name
    wanted = [frame - 1, frame]
    ours = _rung_frames(rung, wanted)
    if len(ours) != len(wanted):
        return [f"{name}: frames {wanted} around the join at frame {frame} are not in the package"]
    height, width = next(iter(ours.values())).shape
    theirs = _source_frames(source, range(frame - 2, frame + 2), width=width, height=height,
                            frame_s=rung.frame_s)
    problems = []
    for number in wanted:
        distances = {d: _mse(ours[number], theirs[number + d]) for d in NEIGHBOURS if number + d in theirs}
        if 0 not in distances or distances[0] > min(distances.values()):
            closest = min(distances, key=lambda d: distances[d]) if distances else None
            problems.append(f"{name}: frame {number} at the join at frame {frame} shows source frame "
                            f"{number + closest if closest is not None else '?'} (a frame is missing or repeated)")
    return problems


def _mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))


def _rung_frames(rung: RungTimeline, numbers: Sequence[int]) -> dict[int, np.ndarray]:
    """Decoded luma planes of the rung's frames of those numbers (0 = its first frame),
    decoding only the segments that hold them."""
    starts = _segment_starts(rung.playlist)
    first = rung.times_s[0]
    wanted = set(numbers)
    needed = {max(i for i, s in enumerate(starts) if s <= float(n * rung.frame_s) + 1e-6) for n in numbers}
    segments = set(range(min(needed), max(needed) + 1))
    found: dict[int, np.ndarray] = {}
    with tempfile.TemporaryDirectory(prefix="dastan-hls-") as tmp:
        joined = joined_file(rung.playlist, Path(tmp) / "part.mp4", segments=sorted(segments))
        with av.open(str(joined), options={"ignore_editlist": "1"}) as container:
            stream = container.streams.video[0]
            tick = Fraction(stream.time_base or Fraction(1, 90000))
            for decoded in container.decode(stream):
                if decoded.pts is None:
                    continue
                number = round((decoded.pts * tick - first) / rung.frame_s)
                if number in wanted:
                    found[number] = decoded.to_ndarray(format="gray")
    return found


def _source_frames(source: Path, numbers: range, *, width: int, height: int,
                   frame_s: Fraction) -> dict[int, np.ndarray]:
    """The source's frames of those numbers, scaled to the rung's size (luma only)."""
    found: dict[int, np.ndarray] = {}
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        tick = Fraction(stream.time_base or Fraction(1, 90000))
        start = Fraction(stream.start_time or 0) * tick
        seek_s = max(0.0, float(numbers.start * frame_s) - 2.0)
        container.seek(int(seek_s / tick) + (stream.start_time or 0), stream=stream, backward=True)
        for decoded in container.decode(stream):
            if decoded.pts is None:
                continue
            number = round((decoded.pts * tick - start) / frame_s)
            if number in numbers:
                found[number] = decoded.reformat(width=width, height=height, format="gray",
                                                 interpolation="BICUBIC").to_ndarray()
            if number >= numbers.stop:
                break
    return found
