"""The media app's ffmpeg commands: the ladder, chunks and their join, audio renditions,
stills and the chunk comparison, as argument lists that :mod:`dastan.ffmpeg` runs (the
binary, progress from ``-progress pipe:1``, and FFmpegFailed with its last stderr lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from dastan.ffmpeg import base_args, gettext_noop, run, run_with_progress, translated

if TYPE_CHECKING:
    from dastan.media.ladder import LadderPlan

HLS_SEGMENT_S = 4  # PeerTube's choice too; every rung and audio track cuts at these times


def hls_output_args(*, playlist: Path, segment_type: str = "fmp4") -> list[str]:
    """VOD HLS with fMP4 segments named ``seg_00000.m4s`` beside ``init.mp4``."""
    return [
        "-f", "hls", "-hls_time", str(HLS_SEGMENT_S), "-hls_playlist_type", "vod",
        "-hls_segment_type", segment_type, "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(playlist.parent / "seg_%05d.m4s"),
        "-hls_flags", "independent_segments",
        str(playlist),
    ]


# The H.264 encoders a ladder may use: x264 everywhere, NVENC on a GPU worker (transcode.video_encoder).
VIDEO_ENCODERS = ("libx264", "h264_nvenc")


def _keyframes(*, frame_rate: float, clock_offset_s: float, first_keyframe_s: float) -> tuple[int, str]:
    """(GOP length in frames, ``-force_key_frames`` expression): a keyframe exactly at
    every HLS segment's start (see :func:`x264_args`)."""
    gop = max(1, round(frame_rate * HLS_SEGMENT_S))
    if clock_offset_s or first_keyframe_s:
        return gop, f"expr:gte(t+{clock_offset_s:.6f},{first_keyframe_s:g}+n_forced*{HLS_SEGMENT_S})"
    return gop, f"expr:gte(t,n_forced*{HLS_SEGMENT_S})"


def video_args(*, encoder: str, bitrate_kbps: int, frame_rate: float, preset: str) -> list[str]:
    """The H.264 output arguments of one rung with ``encoder`` (one of VIDEO_ENCODERS)."""
    if encoder == "h264_nvenc":
        return nvenc_args(bitrate_kbps=bitrate_kbps, frame_rate=frame_rate)
    return x264_args(bitrate_kbps=bitrate_kbps, frame_rate=frame_rate, preset=preset)


def nvenc_args(*, bitrate_kbps: int, frame_rate: float) -> list[str]:
    """As :func:`x264_args`, with NVIDIA's encoder: the same capped bitrate, profile and
    keyframe at every segment start (no scene-cut keyframes, forced frames as IDR)."""
    gop, keyframes = _keyframes(frame_rate=frame_rate, clock_offset_s=0.0, first_keyframe_s=0.0)
    return [
        "-c:v", "h264_nvenc", "-preset", "p5", "-tune", "hq", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-rc", "vbr", "-b:v", f"{bitrate_kbps}k", "-maxrate", f"{int(bitrate_kbps * 1.1)}k",
        "-bufsize", f"{int(bitrate_kbps * 2)}k",
        "-g", str(gop), "-no-scenecut", "1", "-forced-idr", "1",
        "-force_key_frames", keyframes,
    ]


def x264_args(*, bitrate_kbps: int, frame_rate: float, preset: str, clock_offset_s: float = 0.0,
              first_keyframe_s: float = 0.0) -> list[str]:
    """H.264 High at a capped bitrate, a keyframe exactly every HLS segment (scene cuts
    may not add keyframes, so every rung's segments start at the same instants).

    A time chunk of a film (chunks.py) passes the film time of its first frame as
    ``clock_offset_s`` and its segment-aligned start as ``first_keyframe_s``: keyframes
    then fall on the same frames as in one encode of the whole film."""
    gop, keyframes = _keyframes(frame_rate=frame_rate, clock_offset_s=clock_offset_s,
                                first_keyframe_s=first_keyframe_s)
    return [
        "-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-b:v", f"{bitrate_kbps}k", "-maxrate", f"{int(bitrate_kbps * 1.1)}k",
        "-bufsize", f"{int(bitrate_kbps * 2)}k",
        "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
        "-force_key_frames", keyframes,
    ]


# The AAC encoder starts with one frame of priming samples, and x264 with B-frames shows
# its first frame a frame or two after its first decode time. HLS fMP4 players place
# samples by their raw timestamps (hls.js reads no edit lists, and ffmpeg writes none in
# HLS), so the muxers' shift to non-negative times puts sound 1024 samples (21.3 ms)
# late and the picture 2 frames (80 ms at 25 fps) late. Shifting the sound by the
# difference puts source sample n exactly under the picture's clock.
AAC_PRIMING_SAMPLES = 1024
AUDIO_RATE_HZ = 48000


def align_with_picture(*, picture_delay_samples: int) -> list[str]:
    """Filters (at 48 kHz) that move the sound by the picture's start minus AAC's
    priming: silence in front, or the first samples dropped (the priming frame stands
    in for them)."""
    shift = picture_delay_samples - AAC_PRIMING_SAMPLES
    if shift > 0:
        return [f"adelay={shift}S:all=1"]
    if shift < 0:
        return [f"atrim=start_sample={-shift}", "asetpts=PTS-STARTPTS"]
    return []


@lru_cache(maxsize=16)
def picture_delay_s(*, preset: str, frame_rate: float, encoder: str = "libx264") -> float:
    """How long after its first decode time the encoder (x264 with :func:`x264_args`, or
    NVENC) shows its first frame: its B-frame delay, read from a few encoded frames
    (``framecrc`` keeps the negative decode times that an MP4 muxer shifts away)."""
    size = "256x144" if encoder == "h264_nvenc" else "64x64"  # NVENC's smallest frame is larger than x264's
    args = [*base_args(), "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={frame_rate:g}:duration=1",
            *video_args(encoder=encoder, bitrate_kbps=200, frame_rate=frame_rate, preset=preset),
            "-f", "framecrc", "-"]
    done = run(args, what=f"measure {encoder}'s delay",
                      hint=translated(gettext_noop("Check DASTAN_X264_PRESET names an x264 preset "
                                                   "(ultrafast … veryslow).")))
    lines = done.stdout.splitlines()
    tb_num, tb_den = next(line for line in lines if line.startswith("#tb 0:")).split(":")[1].split("/")
    first = next(line for line in lines if not line.startswith("#")).split(",")
    return (int(first[2]) - int(first[1])) * int(tb_num) / int(tb_den)


def aac_stereo_args(*, bitrate_kbps: int = 128, filters: Sequence[str] = (),
                    picture_delay_samples: int = 0) -> list[str]:
    """AAC-LC stereo 48 kHz, sample-aligned with a picture whose first frame shows
    ``picture_delay_samples`` after time 0; ``filters`` (a downmix, a loudness gain) run
    before the resampling to 48 kHz and the alignment."""
    chain = [*filters, f"aresample={AUDIO_RATE_HZ}",
             *align_with_picture(picture_delay_samples=picture_delay_samples)]
    return ["-af", ",".join(chain), "-c:a", "aac", "-b:a", f"{bitrate_kbps}k",
            "-ar", str(AUDIO_RATE_HZ), "-ac", "2"]


def still_frame_args(*, source: Path, at_s: float, out: Path, width: int) -> list[str]:
    """One JPEG frame at ``at_s`` seconds (input seeking: cheap even in a long film)."""
    return [*base_args(), "-ss", f"{at_s:.3f}", "-i", str(source), "-frames:v", "1",
            "-vf", f"scale={width}:-2,setsar=1", "-q:v", "3", str(out)]


def ladder_command(
    *,
    source: Path,
    plan: LadderPlan,
    out_dir: Path,
    preset: str,
    storyboard_every_s: float,
    storyboard_width: int,
    audio_filters: dict[int, str] | None = None,
    picture_delay_samples: int = 0,
    encoder: str = "libx264",
) -> list[str]:
    """One ffmpeg process that decodes the source once and writes every rung, every
    audio track and the storyboard sprites: ``split`` hands the same decoded frames to
    each scaler, so decoding (and the corrections) happen once, not once per rung.

    Layout under ``out_dir``: ``v/<rung>/index.m3u8``, ``a/<n>/index.m3u8``,
    ``thumbs/frames/frame_00001.jpg``… (see tile_storyboard). ``audio_filters`` adds a
    filter (the loudness gain) to the source's audio track of that index;
    ``picture_delay_samples`` (:func:`picture_delay_s` at 48 kHz) aligns the sound.
    ``encoder``: one of VIDEO_ENCODERS (``preset`` is x264's).
    """
    audio_filters = audio_filters or {}
    branches = len(plan.rungs) + 1
    pre = ",".join([*plan.video_filters, f"split={branches}"])
    graph = [f"[0:v:0]{pre}" + "".join(f"[s{i}]" for i in range(branches))]
    for i, rung in enumerate(plan.rungs):
        graph.append(f"[s{i}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1[v{i}]")
    graph.append(f"[s{len(plan.rungs)}]fps=1/{storyboard_every_s:g},"
                 f"scale={storyboard_width}:-2,setsar=1[sb]")
    args = [*base_args(), "-i", str(source), "-filter_complex", ";".join(graph)]
    for i, rung in enumerate(plan.rungs):
        playlist = out_dir / "v" / rung.name / "index.m3u8"
        playlist.parent.mkdir(parents=True, exist_ok=True)
        args += ["-map", f"[v{i}]", "-an", "-sn", "-dn",
                 *video_args(encoder=encoder, bitrate_kbps=rung.bitrate_kbps, frame_rate=plan.frame_rate,
                             preset=preset),
                 *hls_output_args(playlist=playlist)]
    args += audio_outputs(plan=plan, out_dir=out_dir, audio_filters=audio_filters,
                          picture_delay_samples=picture_delay_samples)
    # One JPEG per storyboard picture, tiled into sprites afterwards (tile_storyboard):
    # a ``tile`` here would hold the output's first packet back until 100 pictures were
    # taken, and ffmpeg reports no progress until every output has written one.
    frames = out_dir / "thumbs" / STORYBOARD_FRAMES_DIR
    frames.mkdir(parents=True, exist_ok=True)
    args += ["-map", "[sb]", "-c:v", "mjpeg", "-q:v", "2", "-fps_mode", "passthrough",
             str(frames / "frame_%05d.jpg")]
    return args


def audio_outputs(*, plan: LadderPlan, out_dir: Path, audio_filters: dict[int, str],
                  picture_delay_samples: int) -> list[str]:
    """The output arguments of every sound track of the ladder: ``a/<n>/index.m3u8``."""
    args: list[str] = []
    for track in plan.audio:
        playlist = out_dir / "a" / str(track.index) / "index.m3u8"
        playlist.parent.mkdir(parents=True, exist_ok=True)
        filters = [f for f in (track.downmix, audio_filters.get(track.index, "")) if f]
        args += ["-map", f"0:a:{track.index}", "-vn", "-sn", "-dn",
                 *aac_stereo_args(filters=filters, picture_delay_samples=picture_delay_samples),
                 *hls_output_args(playlist=playlist)]
    return args


STORYBOARD_FRAMES_DIR = "frames"


def tile_storyboard(*, thumbs_dir: Path) -> None:
    """Tile the storyboard pictures the ladder run wrote into 10x10 ``sprite_NNN.jpg``
    and remove the single pictures."""
    frames = thumbs_dir / STORYBOARD_FRAMES_DIR
    run_with_progress([*base_args(), "-framerate", "1", "-i", str(frames / "frame_%05d.jpg"),
                "-vf", "tile=10x10", "-q:v", "4", str(thumbs_dir / "sprite_%03d.jpg")],
                      what="tile the storyboard")
    for picture in frames.glob("*.jpg"):
        picture.unlink()
    frames.rmdir()


def audio_rendition_command(*, source: Path, playlist: Path, duration_s: float,
                            filters: Sequence[str] = (), picture_delay_samples: int = 0) -> list[str]:
    """An added language: any audio file → AAC stereo HLS exactly as long as the film
    (silence added at the end of a short track, a long one cut), so it ends with the
    picture. ``filters`` (the loudness gain) run first; ``picture_delay_samples``: as
    for :func:`ladder_command`, of the film's published picture."""
    playlist.parent.mkdir(parents=True, exist_ok=True)
    return [*base_args(), "-i", str(source), "-map", "0:a:0", "-vn", "-sn", "-dn",
            *aac_stereo_args(filters=[*filters, "apad"], picture_delay_samples=picture_delay_samples),
            "-t", f"{duration_s:.3f}",
            *hls_output_args(playlist=playlist)]


# --- a long film in time chunks (chunks.py) ---------------------------------------------------

def chunk_command(
    *,
    source: Path | str,
    plan: LadderPlan,
    out_dir: Path,
    preset: str,
    seek_s: float,
    first_frame_s: float,
    first_keyframe_s: float,
    frame_count: int,
    storyboard_select: str,
    storyboard_start_number: int,
    storyboard_width: int,
) -> list[str]:
    """One ffmpeg process for one time chunk of the ladder: the source read from
    ``seek_s`` (half a frame before the chunk's first frame, so that frame is the first
    kept), ``frame_count`` frames of every rung as ``v/<rung>.mp4`` (H.264 only, joined
    later without re-encoding), and the chunk's storyboard pictures
    ``thumbs/frame_NNNNN.jpg`` numbered as in the whole film.

    ``setpts=PTS-STARTPTS`` puts the first frame at 0 exactly: the join adds the chunk's
    start, so a frame's time never depends on how ffmpeg rounded the seek."""
    branches = len(plan.rungs) + 1
    pre = ",".join(["setpts=PTS-STARTPTS", *plan.video_filters, f"split={branches}"])
    graph = [f"[0:v:0]{pre}" + "".join(f"[s{i}]" for i in range(branches))]
    for i, rung in enumerate(plan.rungs):
        graph.append(f"[s{i}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1[v{i}]")
    graph.append(f"[s{len(plan.rungs)}]select='{storyboard_select}',"
                 f"scale={storyboard_width}:-2,setsar=1[sb]")
    # Reading one frame more than needed bounds the storyboard output too (it has no
    # frame count of its own); the rungs stop at exactly ``frame_count``.
    read_s = (frame_count + 1) / plan.frame_rate
    args = [*base_args(), "-ss", f"{seek_s:.6f}", "-t", f"{read_s:.6f}", "-i", str(source),
            "-filter_complex", ";".join(graph)]
    (out_dir / "v").mkdir(parents=True, exist_ok=True)
    for i, rung in enumerate(plan.rungs):
        args += ["-map", f"[v{i}]", "-an", "-sn", "-dn", "-frames:v", str(frame_count),
                 *x264_args(bitrate_kbps=rung.bitrate_kbps, frame_rate=plan.frame_rate, preset=preset,
                            clock_offset_s=first_frame_s, first_keyframe_s=first_keyframe_s),
                 "-f", "mp4", str(out_dir / "v" / f"{rung.name}.mp4")]
    frames = out_dir / "thumbs"
    frames.mkdir(parents=True, exist_ok=True)
    args += ["-map", "[sb]", "-c:v", "mjpeg", "-q:v", "2", "-fps_mode", "passthrough",
             "-start_number", str(storyboard_start_number), str(frames / "frame_%05d.jpg")]
    return args


def audio_command(*, source: Path, plan: LadderPlan, out_dir: Path, audio_filters: dict[int, str],
                  picture_delay_samples: int) -> list[str]:
    """The sound of a chunked film, encoded once for the whole film exactly as
    :func:`ladder_command` encodes it: AAC restarted at every chunk would put a priming
    frame (21 ms of silence, or a click) at every join."""
    return [*base_args(), "-i", str(source),
            *audio_outputs(plan=plan, out_dir=out_dir, audio_filters=audio_filters,
                           picture_delay_samples=picture_delay_samples)]


def concat_hls_command(*, lists: Sequence[tuple[Path, Path]]) -> list[str]:
    """Join each rung's chunks (a concat demuxer list → its HLS playlist) without
    re-encoding: the packets are copied and cut into segments at their keyframes, which
    the chunks put on the segment grid."""
    args = [*base_args()]
    for concat_list, _ in lists:
        args += ["-f", "concat", "-safe", "0", "-i", str(concat_list)]
    for n, (_, playlist) in enumerate(lists):
        playlist.parent.mkdir(parents=True, exist_ok=True)
        args += ["-map", f"{n}:v:0", "-c", "copy", *hls_output_args(playlist=playlist)]
    return args


def compare_command(*, submitted: Path, reference: Path, source: Path, seek_s: float, read_s: float,
                    source_filters: Sequence[str], width: int, height: int, stats_dir: Path) -> list[str]:
    """Score ``submitted`` and ``reference`` (two encodes of one chunk of one rung) frame by
    frame: PSNR of each against the source (read as the chunk reads it, scaled to the
    rung), and PSNR and SSIM of one against the other. The filters write their per-frame
    ``stats_file`` into ``stats_dir``: sub_src.psnr, ref_src.psnr, sub_ref.psnr, sub_ref.ssim."""
    def stats(name: str) -> str:
        return "'" + str(stats_dir / name) + "'"  # quoted: a ':' in a path is not an option

    chain = ",".join(["setpts=PTS-STARTPTS", *source_filters,
                      f"scale={width}:{height}:flags=bicubic,setsar=1", "split[s0][s1]"])
    graph = ";".join([
        "[0:v:0]split=3[a0][a1][a2]", "[1:v:0]split=3[b0][b1][b2]", f"[2:v:0]{chain}",
        f"[a0][s0]psnr=stats_file={stats('sub_src.psnr')}[o0]",
        f"[b0][s1]psnr=stats_file={stats('ref_src.psnr')}[o1]",
        f"[a1][b1]psnr=stats_file={stats('sub_ref.psnr')}[o2]",
        f"[a2][b2]ssim=stats_file={stats('sub_ref.ssim')}[o3]",
    ])
    return [*base_args(), "-i", str(submitted), "-i", str(reference),
            "-ss", f"{seek_s:.6f}", "-t", f"{read_s:.6f}", "-i", str(source),
            "-filter_complex", graph, *[a for n in range(4) for a in ("-map", f"[o{n}]")],
            "-f", "null", "-"]
