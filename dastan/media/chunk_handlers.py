"""Job handlers of a chunked transcode (registered in handlers.py; the graph is split.py's).

``media.transcode_chunk`` runs on a local worker or on a partner's machine over HTTPS
(``dastan.jobs.remote``): it reads only its params (the chunk, the probe, the node's x264
preset) and its one input, the mezzanine (``ctx.input_path("source")``: the stored file
here, a signed, expiring, range-capable link there), and names its files with
``ctx.add_output``. Its publish step, :func:`store_chunk_part`, runs on the node with
the files (a local attempt's staging folder, or a remote attempt's checksummed uploads):
it checks them (every rung, the chunk's frames counted here, no other names) and stores
them under a folder named after the attempt (``<asset>/parts/chunk-0003-<token>/``),
with every file's SHA-256 in the job's result. The sound job does the same on local
workers. Only the attempt that still holds the lease records that result, so the join
reads exactly what the current attempts wrote and checks the bytes against the sums
before using them; a lost attempt's folder is never read.

The join waits for its chunks and for the verification of any sampled remote chunk
(``dastan.jobs.remote.verification``); once it has checked the joined renditions and
recorded them, the parts are deleted, and its log says so.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from dastan.jobs.context import JobContext
from dastan.jobs.models import Job
from dastan.jobs.remote.ledger import Credit, resolution_weight
from dastan.media import storage
from dastan.media.chunks import (
    Chunk,
    check_checksums,
    check_chunk_outputs,
    encode_audio,
    encode_chunk,
    join_chunks,
    sha256_file,
)
from dastan.media.hls_check import check_renditions
from dastan.media.ladder import plan_ladder
from dastan.media.models import MediaAsset
from dastan.media.transcode import (
    measure_renditions,
    probe_from_summary,
    record_renditions,
    store_transcode,
)


def parts_prefix(asset: MediaAsset) -> str:
    return f"{asset.folder}/parts"


def _store_attempt(ctx: JobContext, out: Path, asset: MediaAsset, name: str) -> str:
    prefix = f"{parts_prefix(asset)}/{name}-{ctx.token.hex[:12]}"
    storage.store_tree(out, prefix)
    return prefix


def fetch_part(*, prefix: str, files: dict[str, str], into: Path, what: str) -> Path:
    """Copy a stored part (the files a job reported, under ``prefix``) into ``into`` and
    check every SHA-256. Raises ChunkOutputInvalid for a missing or changed file."""
    for name in files:
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.local_copy(f"{prefix}/{name}") as local:
                shutil.copyfile(local, target)
        except FileNotFoundError:
            continue  # reported by check_checksums with the others
    check_checksums(folder=into, expected=files, what=what)
    return into


def transcode_chunk_job(ctx: JobContext) -> dict[str, Any]:
    """Encode one chunk; the same on a local worker and a partner's machine (no database)."""
    chunk = Chunk.from_params(ctx.params["chunk"])
    of = f"chunk {chunk.index + 1} of {ctx.params['chunks']}"
    ctx.progress(0, f"{of}: fetching the film")
    # A remote worker may read a long film's mezzanine by ranges (only this chunk's part).
    source = ctx.input_source("source")
    out = ctx.staging_dir() / "out"
    output = encode_chunk(source=source, probe=probe_from_summary(ctx.params["probe"]), chunk=chunk, out_dir=out,
                          preset=ctx.params.get("preset") or None,
                          on_progress=lambda frac, msg: ctx.progress(frac * 95, f"{of}: {msg}"))
    for name in output.files:
        ctx.add_output(name, out / name)
    ctx.progress(96, f"{of}: storing")
    return {"index": chunk.index}


def store_chunk_part(ctx: JobContext, outputs: dict[str, Path], result: dict[str, Any]) -> dict[str, Any]:
    """The node's side of a chunk attempt, local or remote: check the files (names, rungs,
    frames, counted here) and store them under the attempt's own folder. Outside any
    transaction (files are copied); the result becomes the job's only if this attempt
    still holds the lease when it completes. Raises ChunkOutputInvalid."""
    asset = MediaAsset.objects.get(pk=ctx.params["asset_id"])
    chunk = Chunk.from_params(ctx.params["chunk"])
    frames = check_chunk_outputs(probe=probe_from_summary(ctx.params["probe"]), chunk=chunk, outputs=outputs)
    prefix = f"{parts_prefix(asset)}/chunk-{chunk.index:04d}-{ctx.token.hex[:12]}"
    files = {}
    for name, path in sorted(outputs.items()):
        storage.store_file(path, f"{prefix}/{name}")
        files[name] = sha256_file(path)
    return {"asset_id": asset.pk, "index": chunk.index, "prefix": prefix, "files": files, "frames": frames}


def chunk_credit(params: dict[str, Any], outputs: dict[str, Path], result: dict[str, Any]) -> Credit:
    """What a partner's chunk is worth in the compute ledger: its output-minutes of every
    rung, weighted by resolution, from the frames the node counted (store_chunk_part)."""
    minutes = int(result["frames"]) / Chunk.from_params(params["chunk"]).frame_rate / 60
    rungs = plan_ladder(probe_from_summary(params["probe"])).rungs
    return Credit("encoded", round(float(sum(minutes * resolution_weight(r.height) for r in rungs)), 4))


def transcode_audio_job(ctx: JobContext) -> dict[str, Any]:
    asset = MediaAsset.objects.select_related("title").get(pk=ctx.params["asset_id"])
    out = ctx.staging_dir() / "out"
    with storage.local_copy(asset.storage_name) as source:
        output = encode_audio(source=source, probe=probe_from_summary(asset.probe), out_dir=out,
                              on_progress=lambda frac, msg: ctx.progress(frac * 95, msg))
    prefix = _store_attempt(ctx, out, asset, "audio")
    return {"asset_id": asset.pk, "prefix": prefix, "files": output.files}


def join_chunks_job(ctx: JobContext) -> dict[str, Any]:
    asset = MediaAsset.objects.select_related("title").get(pk=ctx.params["asset_id"])
    if asset.state == MediaAsset.State.TRANSCODED:
        return {"asset_id": asset.pk, "skipped": "already transcoded"}
    probe = probe_from_summary(asset.probe)
    jobs = {j.pk: j for j in Job.objects.filter(pk__in=[*ctx.params["chunk_jobs"], ctx.params["audio_job"]])}
    chunk_jobs = [jobs[pk] for pk in ctx.params["chunk_jobs"]]
    chunks = [Chunk.from_params(j.params["chunk"]) for j in chunk_jobs]
    parts = ctx.staging_dir() / "parts"
    ctx.progress(2, f"fetching {len(chunks)} chunks")
    dirs = [fetch_part(prefix=j.result["prefix"], files=j.result["files"], into=parts / f"chunk-{c.index:04d}",
                       what=f"chunk {c.index + 1} (job #{j.pk})") for j, c in zip(chunk_jobs, chunks, strict=True)]
    audio_job = jobs[ctx.params["audio_job"]]
    audio = fetch_part(prefix=audio_job.result["prefix"], files=audio_job.result["files"], into=parts / "audio",
                       what=f"the sound (job #{audio_job.pk})")
    result = join_chunks(probe=probe, chunks=chunks, chunk_dirs=dirs, audio_dir=audio,
                         out_dir=ctx.staging_dir() / "out",
                         on_progress=lambda frac, msg: ctx.progress(5 + frac * 60, msg))
    shutil.rmtree(parts)
    ctx.progress(70, "checking the joins against the source")
    # Frames are compared with the source's by number, which holds unless the ladder
    # changes the frame rate (a variable-rate or > 60 fps source): then the timeline checks
    # stand alone. The sound may be shorter than the picture in a real source.
    same_frames = not any(f.startswith("fps=") for f in result.plan.video_filters)
    with storage.local_copy(asset.storage_name) as source:
        report = check_renditions(
            video=sorted((result.out_dir / "v").glob("*/index.m3u8")),
            audio=sorted((result.out_dir / "a").glob("*/index.m3u8")), source=source if same_frames else None,
            joins_frames=[c.first_frame for c in chunks[1:]],
            expected_frames=sum(int(j.result["frames"]) for j in chunk_jobs), compare_rungs=1,
            audio_ends_with_picture=False)
    report.raise_for_problems(what=f"{asset.source_filename} (joined from {len(chunks)} chunks)")
    ctx.progress(92, "storing renditions")
    store_transcode(asset=asset, result=result)
    measures = measure_renditions(result=result)  # the sound's loudness: not inside the lock
    ctx.publish(lambda: record_renditions(asset=asset, result=result, measures=measures))
    # The join is checked and recorded, its chunks verified (it waited for that): the parts
    # have served. A retried join finds the asset transcoded and needs none of them.
    files, size = storage.delete_prefix(parts_prefix(asset))
    ctx.log_event("cleaned", f"deleted the {len(chunks)} chunks' and the sound's parts ({files} files, "
                             f"{size / 1e6:.1f} MB) under {parts_prefix(asset)}/: the join passed its checks")
    return {"asset_id": asset.pk, "rungs": [r.name for r in result.plan.rungs], "chunks": len(chunks),
            "frames": report.frames, "joins_checked": report.joins_checked, "parts_deleted": files}
