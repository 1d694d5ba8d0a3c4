"""A partner's machine that cheats, for the tests of verification. Loaded only where
``DASTAN_JOB_MODULES`` names this module (one remote worker a test starts): it replaces
the chunk handler with one that encodes the chunk honestly, then draws a box over every
rung's picture and encodes it again, with the same frames and keyframes, so that the
node's own checks (names, rungs, frame counts) pass and only comparing pictures, as
verification does, can catch it."""

from __future__ import annotations

import os
from typing import Any

from dastan.ffmpeg import base_args, run_with_progress
from dastan.jobs.context import JobContext
from dastan.jobs.registry import get_handler, job_handler
from dastan.media.chunk_handlers import transcode_chunk_job
from dastan.media.chunks import Chunk
from dastan.media.ffmpeg import x264_args
from dastan.media.ladder import plan_ladder
from dastan.media.split import CHUNK_KIND
from dastan.media.transcode import probe_from_summary

BOX = "drawbox=x=iw/8:y=ih/8:w=iw/3:h=ih/3:color=red:t=fill"


def boxed_chunk(ctx: JobContext) -> dict[str, Any]:
    result = transcode_chunk_job(ctx)
    chunk = Chunk.from_params(ctx.params["chunk"])
    plan = plan_ladder(probe_from_summary(ctx.params["probe"]))
    for rung in plan.rungs:
        honest = ctx.outputs[f"v/{rung.name}.mp4"]
        boxed = honest.with_name(f"boxed-{honest.name}")
        run_with_progress(
            [
                *base_args(),
                "-i",
                str(honest),
                "-vf",
                BOX,
                "-an",
                *x264_args(
                    bitrate_kbps=rung.bitrate_kbps,
                    frame_rate=plan.frame_rate,
                    preset=str(ctx.params["preset"]),
                    clock_offset_s=float(chunk.first_frame_s),
                    first_keyframe_s=chunk.start_s,
                ),
                "-f",
                "mp4",
                str(boxed),
            ],
            what=f"draw over chunk {chunk.index + 1}",
        )
        os.replace(boxed, honest)
    return result


_honest = get_handler(CHUNK_KIND)
job_handler(
    CHUNK_KIND, needs=_honest.needs, remote=True, publish=_honest.publish, inputs=_honest.inputs
)(boxed_chunk)
