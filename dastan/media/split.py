"""The jobs of a chunked transcode, and where they stand.

A film's ``media.transcode`` job decides, from the probe, whether to split it
(chunks.should_split). When it does, it submits, as its own children (so they are
queued only once it has succeeded, and exactly once):

    media.transcode_chunk × N ─┐
    media.transcode_audio ─────┴→ media.join_chunks → (the film's media.package)

The package job that was waiting for the transcode waits for the join as well. Each
chunk is its own job, with its own attempts: a failed or lost chunk is run again alone,
and its siblings' stored output is kept. A chunk that fails for good cancels the join and
the package with the reason; retrying that chunk brings them back (jobs.services.retry_job).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dastan.jobs.models import Job, JobState
from dastan.jobs.services import submit_job
from dastan.media.chunks import Chunk, chunk_length_s, plan_chunks
from dastan.media.ladder import plan_ladder
from dastan.media.models import MediaAsset
from dastan.media.transcode import probe_from_summary, x264_preset

CHUNK_KIND = "media.transcode_chunk"
AUDIO_KIND = "media.transcode_audio"
JOIN_KIND = "media.join_chunks"
PACKAGE_KIND = "media.package"


@dataclass(frozen=True, slots=True)
class SplitJobs:
    chunk_ids: tuple[int, ...]
    audio_id: int
    join_id: int


def submit_split_transcode(*, asset: MediaAsset, transcode_job_id: int) -> SplitJobs:
    """Submit the chunk, sound and join jobs of ``asset`` as children of its transcode
    job, and make the film's package job wait for the join. Idempotent: a second call
    (a retried transcode attempt) returns the jobs the first one made. Call it inside the
    transcode attempt's ``ctx.publish`` so only the attempt holding the lease submits."""
    parent = Job.objects.get(pk=transcode_job_id)
    existing = Job.objects.filter(parents=parent, kind=JOIN_KIND).first()
    if existing is not None:
        return SplitJobs(chunk_ids=tuple(existing.params["chunk_jobs"]), audio_id=existing.params["audio_job"],
                         join_id=existing.pk)
    probe = probe_from_summary(asset.probe)
    chunks = plan_chunks(duration_s=probe.duration_s, frame_rate=plan_ladder(probe).frame_rate,
                         chunk_s=chunk_length_s())
    def child(kind: str, params: dict[str, Any]) -> Job:
        return submit_job(kind=kind, target=asset.title, params=params, parents=[parent],
                          priority=parent.priority, created_by=parent.created_by)

    # All a chunk needs travels in its params, so a machine without the database can run it:
    # the mezzanine's stored name and sha256 (its input), the probe, the node's x264 preset.
    shared = {"asset_id": asset.pk, "chunks": len(chunks), "source": asset.storage_name,
              "source_sha256": asset.sha256, "probe": asset.probe, "preset": x264_preset()}
    chunk_jobs = [child(CHUNK_KIND, {**shared, "chunk": chunk.as_params()}) for chunk in chunks]
    audio = child(AUDIO_KIND, {"asset_id": asset.pk})
    join = submit_job(kind=JOIN_KIND, target=asset.title, parents=[*chunk_jobs, audio],
                      priority=parent.priority, created_by=parent.created_by,
                      params={"asset_id": asset.pk, "chunk_jobs": [j.pk for j in chunk_jobs],
                              "audio_job": audio.pk})
    for package in Job.objects.filter(parents=parent, kind=PACKAGE_KIND):
        package.parents.add(join)
    return SplitJobs(chunk_ids=tuple(j.pk for j in chunk_jobs), audio_id=audio.pk, join_id=join.pk)


# --- where it stands ------------------------------------------------------------------------------

# Shares of the whole: the chunks are the encoding; the sound and the join are short.
CHUNKS_SHARE, AUDIO_SHARE, JOIN_SHARE = 0.85, 0.05, 0.10


@dataclass(frozen=True, slots=True)
class ChunkProgress:
    index: int
    job_id: int
    state: str
    percent: int
    worker: str
    attempts: int


@dataclass(frozen=True, slots=True)
class SplitProgress:
    chunks: tuple[ChunkProgress, ...]
    audio_percent: int
    join_percent: int
    percent: int  # the whole transcode, 0–100

    @property
    def message(self) -> str:
        done = sum(1 for c in self.chunks if c.state == JobState.SUCCEEDED)
        running = [c for c in self.chunks if c.state == JobState.RUNNING]
        return (f"{done} of {len(self.chunks)} chunks done, {len(running)} running "
                f"on {len({c.worker for c in running})} workers; {self.percent}% of the transcode")


def _percent(job: Job) -> int:
    return 100 if job.state == JobState.SUCCEEDED else int(job.progress)


def split_progress(*, join_job_id: int) -> SplitProgress:
    """Per chunk and overall progress of a chunked transcode, from its join job's id
    (the transcode job's result names it)."""
    join = Job.objects.get(pk=join_job_id)
    ids = list(join.params["chunk_jobs"])
    rows = {j.pk: j for j in Job.objects.filter(pk__in=[*ids, join.params["audio_job"]])}
    chunks = tuple(ChunkProgress(index=Chunk.from_params(rows[i].params["chunk"]).index, job_id=i,
                                 state=rows[i].state, percent=_percent(rows[i]), worker=rows[i].worker,
                                 attempts=rows[i].attempts) for i in ids)
    audio = _percent(rows[join.params["audio_job"]])
    chunk_avg = sum(c.percent for c in chunks) / max(1, len(chunks))
    whole = CHUNKS_SHARE * chunk_avg + AUDIO_SHARE * audio + JOIN_SHARE * _percent(join)
    return SplitProgress(chunks=chunks, audio_percent=audio, join_percent=_percent(join), percent=int(whole))
