"""Checking a chunk another machine encoded: encode it again here, from the source, with
the same parameters, and compare the pictures (PSNR and SSIM), not the bytes.

Bytes differ between honest encoders: x264 with another thread count, another CPU, or
NVENC on a GPU worker gives other bits of the same picture (two honest x264 runs differ by
~37 dB PSNR at low bitrates). So both encodes are scored against the source frames they
were made from: an honest chunk is as close to the source as ours, within
``MAX_PSNR_LOSS_DB`` on average and ``MAX_FRAME_LOSS_DB`` on its worst frame; a box drawn
over the picture, added noise or a cheaper preset loses 2–5 dB, frames from the wrong
place 15 dB. The frame count must match exactly, and the pictures must still look alike
(SSIM ≥ ``MIN_SSIM`` against ours).

The verification *policy* (which chunks, whose, what follows a failure) belongs to the
jobs app (``dastan.jobs.remote.verification``): a trusted worker runs the chunk job again
(that is our encode) and calls :func:`verify_chunk_outputs`, registered in handlers.py as
the chunk kind's verifier, with its outputs and the partner's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from dastan.ffmpeg import FFmpegFailed, run_with_progress
from dastan.jobs.context import JobContext
from dastan.jobs.remote.verification import Verdict
from dastan.media import ffmpeg
from dastan.media.chunks import Chunk, count_frames, encode_chunk
from dastan.media.ladder import plan_ladder
from dastan.media.probe import ProbeResult
from dastan.media.transcode import probe_from_summary

MAX_PSNR_LOSS_DB = 1.0
MAX_FRAME_LOSS_DB = 3.0
MIN_SSIM = 0.90


@dataclass(frozen=True, slots=True)
class RungScores:
    """One rung of a chunk: PSNR in dB (``inf`` for identical pictures), SSIM 0–1."""

    rung: str
    frames_submitted: int
    frames_expected: int
    psnr_db: float  # submitted against our encode
    ssim: float  # submitted against our encode
    source_psnr_db: float  # submitted against the source
    reference_source_psnr_db: float  # our encode against the source
    worst_frame_source_psnr_db: float
    reference_worst_frame_source_psnr_db: float


@dataclass(frozen=True, slots=True)
class ChunkVerdict:
    passed: bool
    reason: str  # a sentence for the operator: why it passed or which rule it broke
    scores: tuple[RungScores, ...]
    seconds: float  # the cost of verifying: encoding again and comparing


def verify_chunk(*, source: Path, probe: ProbeResult, chunk: Chunk, submitted_dir: Path, work_dir: Path,
                 max_psnr_loss_db: float = MAX_PSNR_LOSS_DB, max_frame_loss_db: float = MAX_FRAME_LOSS_DB,
                 min_ssim: float = MIN_SSIM) -> ChunkVerdict:
    """Encode ``chunk`` of ``source`` into ``work_dir`` as the chunk job does, and judge the
    output another worker submitted (``submitted_dir``, laid out as encode_chunk writes
    it: ``v/<rung>.mp4``) with :func:`judge_chunk`. ``seconds`` counts both. Raises
    FFmpegFailed only when our own encode fails."""
    started = time.monotonic()
    reference = encode_chunk(source=source, probe=probe, chunk=chunk, out_dir=work_dir / "reference")
    names = [f"v/{rung.name}.mp4" for rung in plan_ladder(probe).rungs]
    verdict = judge_chunk(source=source, probe=probe, chunk=chunk,
                          reference={n: reference.out_dir / n for n in names},
                          submitted={n: submitted_dir / n for n in names}, work_dir=work_dir,
                          max_psnr_loss_db=max_psnr_loss_db, max_frame_loss_db=max_frame_loss_db, min_ssim=min_ssim)
    return replace(verdict, seconds=time.monotonic() - started)


def judge_chunk(*, source: Path, probe: ProbeResult, chunk: Chunk, reference: Mapping[str, Path],
                submitted: Mapping[str, Path], work_dir: Path, max_psnr_loss_db: float = MAX_PSNR_LOSS_DB,
                max_frame_loss_db: float = MAX_FRAME_LOSS_DB, min_ssim: float = MIN_SSIM) -> ChunkVerdict:
    """Judge ``submitted`` (another worker's chunk: output name ``v/<rung>.mp4`` → file)
    against ``reference`` (our encode of the same chunk) and the source. Every rung is
    judged; the first broken rule fails the chunk. A submitted file that is missing or
    that ffmpeg cannot read fails the verdict. ``seconds`` counts the comparing."""
    started = time.monotonic()
    plan = plan_ladder(probe)
    scores, failures = [], []
    for rung in plan.rungs:
        name = f"v/{rung.name}.mp4"
        ours = reference[name]
        expected = count_frames(ours)
        try:
            frames = count_frames(submitted[name])
        except KeyError:
            failures.append(f"{rung.name}: not submitted")
            continue
        except (OSError, ValueError) as exc:  # av.error.* are OSError/ValueError subclasses
            failures.append(f"{rung.name}: the submitted file cannot be read ({exc})")
            continue
        if frames != expected:
            failures.append(f"{rung.name}: {frames} frames submitted, the chunk has {expected}")
            continue
        try:
            score = _score(submitted=submitted[name], reference=ours, source=source, chunk=chunk,
                           plan_filters=plan.video_filters, width=rung.width, height=rung.height, name=rung.name,
                           frames=(frames, expected), stats_dir=work_dir / "stats" / rung.name)
        except FFmpegFailed as exc:
            failures.append(f"{rung.name}: the submitted picture cannot be compared ({exc.message})")
            continue
        scores.append(score)
        failures += _broken_rules(score, max_psnr_loss_db, max_frame_loss_db, min_ssim)
    seconds = time.monotonic() - started
    if failures:
        return ChunkVerdict(passed=False, reason="; ".join(failures), scores=tuple(scores), seconds=seconds)
    return ChunkVerdict(passed=True, reason=f"all {len(scores)} rungs as close to the source as our encode",
                        scores=tuple(scores), seconds=seconds)


def _broken_rules(s: RungScores, max_loss: float, max_frame_loss: float, min_ssim: float) -> list[str]:
    broken = []
    loss = s.reference_source_psnr_db - s.source_psnr_db
    if loss > max_loss:
        broken.append(f"{s.rung}: {loss:.1f} dB further from the source than our encode (at most {max_loss:g})")
    frame_loss = s.reference_worst_frame_source_psnr_db - s.worst_frame_source_psnr_db
    if frame_loss > max_frame_loss:
        broken.append(f"{s.rung}: its worst frame is {frame_loss:.1f} dB further from the source than ours "
                      f"(at most {max_frame_loss:g})")
    if s.ssim < min_ssim:
        broken.append(f"{s.rung}: SSIM {s.ssim:.3f} against our encode (at least {min_ssim:g})")
    return broken


def _score(*, submitted: Path, reference: Path, source: Path, chunk: Chunk, plan_filters: tuple[str, ...],
           width: int, height: int, name: str, frames: tuple[int, int], stats_dir: Path) -> RungScores:
    stats_dir.mkdir(parents=True, exist_ok=True)
    run_with_progress(ffmpeg.compare_command(
        submitted=submitted, reference=reference, source=source, seek_s=chunk.seek_s,
        read_s=float(chunk.duration_s + 1 / chunk.frame_rate), source_filters=plan_filters,
        width=width, height=height, stats_dir=stats_dir), what=f"compare chunk {chunk.index + 1} ({name})")
    sub_src, ref_src = _psnr(stats_dir / "sub_src.psnr"), _psnr(stats_dir / "ref_src.psnr")
    return RungScores(rung=name, frames_submitted=frames[0], frames_expected=frames[1],
                      psnr_db=_psnr(stats_dir / "sub_ref.psnr")[0], ssim=_ssim(stats_dir / "sub_ref.ssim"),
                      source_psnr_db=sub_src[0], reference_source_psnr_db=ref_src[0],
                      worst_frame_source_psnr_db=sub_src[1], reference_worst_frame_source_psnr_db=ref_src[1])


def _fields(line: str) -> dict[str, str]:
    return dict(part.split(":", 1) for part in line.split() if ":" in part)


def _psnr(stats: Path) -> tuple[float, float]:
    """(PSNR of the mean squared error over all frames, PSNR of the worst frame), from the
    psnr filter's per-frame lines ``n:1 mse_avg:12.3 ... psnr_avg:37.2 ...``."""
    mses = [float(_fields(line)["mse_avg"]) for line in stats.read_text().splitlines() if "mse_avg" in line]
    if not mses:
        return (0.0, 0.0)

    def db(mse: float) -> float:
        return math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)

    return (db(sum(mses) / len(mses)), db(max(mses)))


def _ssim(stats: Path) -> float:
    values = [float(_fields(line)["All"]) for line in stats.read_text().splitlines() if "All:" in line]
    return sum(values) / len(values) if values else 0.0


# --- the verifier of the chunk job kind (dastan.jobs.remote.verification) ---------------------------

def verify_chunk_outputs(*, ctx: JobContext, trusted: dict[str, Path], claimed: dict[str, Path]) -> Verdict:
    """Judge a partner's chunk (``claimed``) against the trusted worker's encode of the same
    chunk job (``trusted``, made in ``ctx``'s attempt) and the mezzanine."""
    chunk = Chunk.from_params(ctx.params["chunk"])
    verdict = judge_chunk(source=ctx.input_path("source"), probe=probe_from_summary(ctx.params["probe"]),
                          chunk=chunk, reference=trusted, submitted=claimed, work_dir=ctx.staging_dir() / "judge")
    closest = min((s.psnr_db for s in verdict.scores), default=None)
    return Verdict(ok=verdict.passed, detail=f"chunk {chunk.index + 1}: {verdict.reason}", score=closest)
