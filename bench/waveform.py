"""The editor's waveform for a long film: computing the peaks once (decode the sound at
8 kHz mono, min/max per 80 samples), and loading them in the editor — ours, the binary
audiowaveform .dat read into an Int8Array, beside the naive path, the same peaks as
audiowaveform-style JSON parsed with JSON.parse — fetched over HTTP by Chromium, timed
from the request to the visible window drawn.

    python bench/waveform.py [--minutes 120] [--repeat 5]
"""

from __future__ import annotations

import argparse
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dastan.ffmpeg import ffmpeg_exe
from dastan.localization.peaks import (
    SAMPLE_RATE_HZ,
    SAMPLES_PER_PIXEL,
    dat_bytes,
    peaks_of,
    read_pcm,
    speech_onsets_ms,
)

CHROMIUM = "/usr/bin/chromium"
PAGE = """<!doctype html><canvas id=c width=1280 height=80></canvas><script>
function draw(peaks, first) {
  const ctx = document.getElementById('c').getContext('2d'), h = 80;
  for (let x = 0; x < 1280; x++) { const i = (first + x) * 2, lo = peaks[i], hi = peaks[i + 1];
    ctx.fillRect(x, h / 2 - hi / 128 * h / 2, 1, Math.max(1, (hi - lo) / 128 * h / 2)); }
}
async function ours() { const t = performance.now();
  const buf = await (await fetch('/peaks.dat', {cache: 'no-store'})).arrayBuffer();
  const n = new DataView(buf, 0, 24).getUint32(16, true); draw(new Int8Array(buf, 24, n * 2), 360000);
  return performance.now() - t; }
async function naive() { const t = performance.now();
  const json = await (await fetch('/peaks.json', {cache: 'no-store'})).json(); draw(json.data, 360000);
  return performance.now() - t; }
</script>"""


def make_sound(path: Path, minutes: float) -> None:
    """Speech-like sound: bursts of tone in noise, with pauses (AAC, as a film's would be)."""
    seconds = int(minutes * 60)
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"anoisesrc=d={seconds}:c=pink:r=16000:a=0.3", "-af",
                    "volume='if(lt(mod(t,4),2.5),1,0.05)':eval=frame", "-ac", "1", "-c:a", "aac", "-b:a", "48k",
                    str(path)], check=True)


def compute(sound: Path, tmp: Path) -> tuple[np.ndarray, float]:
    """What the job does with the film's sound, timed: decode, peaks, onsets."""
    started = time.perf_counter()
    wav = tmp / "sound.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(sound), "-vn", "-ac", "1", "-ar",
                    str(SAMPLE_RATE_HZ), "-c:a", "pcm_s16le", str(wav)], check=True)
    peaks = peaks_of(read_pcm(wav), samples_per_pixel=SAMPLES_PER_PIXEL)
    speech_onsets_ms(peaks, ms_per_pixel=SAMPLES_PER_PIXEL * 1000 / SAMPLE_RATE_HZ)
    return peaks, time.perf_counter() - started


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    handler = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-waveform-") as name:
        tmp = Path(name)
        sound = tmp / "film.m4a"
        make_sound(sound, args.minutes)
        peaks, seconds = compute(sound, tmp)
        (tmp / "peaks.dat").write_bytes(dat_bytes(peaks, sample_rate_hz=SAMPLE_RATE_HZ,
                                                  samples_per_pixel=SAMPLES_PER_PIXEL))
        (tmp / "peaks.json").write_text(json.dumps({
            "version": 2, "channels": 1, "sample_rate": SAMPLE_RATE_HZ, "samples_per_pixel": SAMPLES_PER_PIXEL,
            "bits": 8, "length": len(peaks), "data": peaks.reshape(-1).tolist()}))
        (tmp / "index.html").write_text(PAGE)
        server = serve(tmp)
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(url)
            timings = {kind: [page.evaluate(f"{kind}()") for _ in range(args.repeat)] for kind in ("ours", "naive")}
            browser.close()
        server.shutdown()
        dat_mb = (tmp / "peaks.dat").stat().st_size / 1e6
        json_mb = (tmp / "peaks.json").stat().st_size / 1e6
    print(f"film: {args.minutes:g} min of sound; {len(peaks):,} columns at {SAMPLES_PER_PIXEL} samples/pixel, "
          f"{SAMPLE_RATE_HZ} Hz")
    print(f"computed once (decode + peaks + onsets): {seconds:.1f} s")
    ours, naive = statistics.median(timings["ours"]), statistics.median(timings["naive"])
    print(f"editor load, ours  (.dat {dat_mb:.1f} MB → Int8Array → draw): median {ours:.0f} ms "
          f"(runs: {', '.join(f'{t:.0f}' for t in timings['ours'])})")
    print(f"editor load, naive (JSON {json_mb:.1f} MB → JSON.parse → draw): median {naive:.0f} ms "
          f"(runs: {', '.join(f'{t:.0f}' for t in timings['naive'])})")
    print(f"ours / naive: {ours / naive:.2f}×")
    print(f"reproduce: python bench/waveform.py --minutes {args.minutes:g} --repeat {args.repeat}")


if __name__ == "__main__":
    main()
