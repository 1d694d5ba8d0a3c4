"""One-decode HLS ladder vs one ffmpeg process per rung; adding a language vs re-encoding.

Side by side in one run, on the same generated source (testsrc2 with motion + stereo
sine, H.264 at high quality) and the same encoder settings as dastan.media:

  one-decode   dastan.media.ffmpeg.ladder_command: one process decodes once, ``split``s
               into every rung, writes the audio rendition and the storyboard sprites
  naive        one process per rung (decode each time) + one for the audio
  add language one new AAC rendition of the film's length (what add_audio_rendition
               encodes; the master rewrite and the pointer swap take milliseconds)
  NVENC        the one-decode ladder with h264_nvenc (DASTAN_VIDEO_ENCODER=auto on a GPU
               worker), against x264, where NVENC really encodes; elsewhere a line says so

Usage: python bench/ladder.py [--minutes 1 3] [--size 1280x720] [--preset veryfast]
Prints wall seconds, × real time and the ratios. Run once; numbers vary with the load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dastan.ffmpeg import base_args, encoder_works, ffmpeg_exe, run_with_progress
from dastan.media import ffmpeg
from dastan.media.ladder import plan_ladder
from dastan.media.probe import probe_file


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(func, *args):  # type: ignore[no-untyped-def]
    """(wall s, CPU s of the ffmpeg children): CPU time says more than wall time when
    other work shares the cores."""
    cpu = children_cpu_s()
    wall = func(*args)
    return wall, children_cpu_s() - cpu


def make_source(path: Path, *, minutes: float, size: str) -> None:
    seconds = int(minutes * 60)
    subprocess.run([
        *base_args(), "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}:sample_rate=48000",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", "-b:a", "192k", str(path)], check=True)


def one_decode(source: Path, out: Path, preset: str, encoder: str = "libx264") -> float:
    probe = probe_file(source)
    plan = plan_ladder(probe)
    args = ffmpeg.ladder_command(source=source, plan=plan, out_dir=out, preset=preset,
                                 storyboard_every_s=max(2.0, probe.duration_s / 200),
                                 storyboard_width=160, encoder=encoder)
    start = time.perf_counter()
    run_with_progress(args, what="encode the ladder (one decode)")
    return time.perf_counter() - start


def naive(source: Path, out: Path, preset: str) -> float:
    probe = probe_file(source)
    plan = plan_ladder(probe)
    start = time.perf_counter()
    for rung in plan.rungs:
        playlist = out / "v" / rung.name / "index.m3u8"
        playlist.parent.mkdir(parents=True, exist_ok=True)
        vf = ",".join([*plan.video_filters, f"scale={rung.width}:{rung.height}:flags=bicubic,setsar=1"])
        run_with_progress([*base_args(), "-i", str(source), "-map", "0:v:0", "-an", "-vf", vf,
                           *ffmpeg.x264_args(bitrate_kbps=rung.bitrate_kbps, frame_rate=plan.frame_rate,
                                             preset=preset),
                           *ffmpeg.hls_output_args(playlist=playlist)], what=f"encode {rung.name}")
    for track in plan.audio:
        playlist = out / "a" / str(track.index) / "index.m3u8"
        playlist.parent.mkdir(parents=True, exist_ok=True)
        run_with_progress([*base_args(), "-i", str(source), "-map", f"0:a:{track.index}", "-vn",
                           *ffmpeg.aac_stereo_args(filters=[f for f in (track.downmix,) if f]),
                           *ffmpeg.hls_output_args(playlist=playlist)], what="encode audio")
    return time.perf_counter() - start


def add_language(source: Path, out: Path, duration_s: float) -> float:
    out.mkdir(parents=True, exist_ok=True)
    dub = out / "dub.wav"
    subprocess.run([*base_args(), "-f", "lavfi", "-i",
                    f"sine=frequency=660:duration={duration_s}:sample_rate=48000", "-ac", "2",
                    str(dub)], check=True)
    start = time.perf_counter()
    run_with_progress(ffmpeg.audio_rendition_command(source=dub, playlist=out / "a" / "index.m3u8",
                                                     duration_s=duration_s), what="encode a dub")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--preset", default="veryfast")
    args = parser.parse_args()
    print(f"ffmpeg {Path(ffmpeg_exe()).name}, {os.cpu_count()} CPUs, source {args.size} 25 fps, "
          f"x264 {args.preset}, keyframes every {ffmpeg.HLS_SEGMENT_S} s, fMP4 HLS\n")
    print(f"{'source':>8} | {'rungs':<22} | {'one-decode s':>12} {'×rt':>5} {'cpu s':>6} | "
          f"{'naive s':>8} {'×rt':>5} {'cpu s':>6} | {'naive/one wall':>14} {'cpu':>5} | "
          f"{'add lang s':>10} {'×rt':>6} | {'full/add':>8}")
    nvenc: list[str] = []
    for minutes in args.minutes:
        with tempfile.TemporaryDirectory(prefix="dastan-bench-") as tmp:
            folder = Path(tmp)
            source = folder / "source.mp4"
            make_source(source, minutes=minutes, size=args.size)
            real_s = probe_file(source).duration_s
            rungs = ",".join(r.name for r in plan_ladder(probe_file(source)).rungs)
            one, one_cpu = timed(one_decode, source, folder / "one", args.preset)
            shutil.rmtree(folder / "one")
            many, many_cpu = timed(naive, source, folder / "naive", args.preset)
            shutil.rmtree(folder / "naive")
            add = add_language(source, folder / "dub", real_s)
            if encoder_works("h264_nvenc"):
                gpu, gpu_cpu = timed(one_decode, source, folder / "nvenc", args.preset, "h264_nvenc")
                nvenc.append(f"{minutes:>6g} m | NVENC one-decode {gpu:.1f} s ({real_s / gpu:.2f}× real time, "
                             f"{gpu_cpu:.0f} CPU s) against x264 {one:.1f} s: {one / gpu:.2f}× faster")
            print(f"{minutes:>6g} m | {rungs:<22} | {one:>12.1f} {real_s / one:>5.2f} {one_cpu:>6.0f} | "
                  f"{many:>8.1f} {real_s / many:>5.2f} {many_cpu:>6.0f} | {many / one:>14.2f} "
                  f"{many_cpu / one_cpu:>5.2f} | {add:>10.2f} {real_s / add:>6.1f} | {one / add:>8.0f}",
                  flush=True)
    print("\n" + ("\n".join(nvenc) if nvenc else "NVENC: h264_nvenc does not encode on this machine (no NVIDIA "
                                                   "GPU): run this on a GPU worker for the ratio."))
    print("\n×rt: seconds of film per second of wall time. full/add: how many times longer "
          "re-encoding the film takes than adding one language to the published version.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
