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

from django.contrib.contenttypes.models import ContentType

from dastan.accounts.permissions import Action, check
from dastan.jobs.models import ComputeRecord, Job, JobState, RemoteWorker
from dastan.jobs.services import submit_job
from dastan.media.chunks import Chunk, chunk_length_s, plan_chunks
from dastan.media.ladder import plan_ladder
from dastan.media.models import MediaAsset
from dastan.media.transcode import probe_from_summary, x264_preset

TRANSCODE_KIND = "media.transcode"
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
    start_s: float = 0.0  # film time of its first frame
    end_s: float = 0.0  # and of the frame after its last
    remote: bool = False  # its worker is a machine that joined over HTTPS (dastan.jobs.remote)
    organisation: str = ""  # that machine's organisation; "" for this node's own
    verification: str = ""  # of that machine's result: accepted, pending, passed, failed, voided


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
    (the transcode job's result names it), with who runs or ran each chunk."""
    join = Job.objects.get(pk=join_job_id)
    ids = list(join.params["chunk_jobs"])
    rows = {j.pk: j for j in Job.objects.filter(pk__in=[*ids, join.params["audio_job"]])}
    remote = {w.name: w for w in RemoteWorker.objects.filter(name__in={rows[i].worker for i in ids})
              .select_related("organisation")}
    # The result of the attempt that holds the chunk now (records come in order).
    verified = {(job_id, worker): state for job_id, worker, state in ComputeRecord.objects.filter(
        job_id__in=ids).order_by("pk").values_list("job_id", "worker_name", "verification")}
    chunks = tuple(_chunk_progress(rows[i], remote.get(rows[i].worker), verified.get((i, rows[i].worker), ""))
                   for i in ids)
    audio = _percent(rows[join.params["audio_job"]])
    chunk_avg = sum(c.percent for c in chunks) / max(1, len(chunks))
    whole = CHUNKS_SHARE * chunk_avg + AUDIO_SHARE * audio + JOIN_SHARE * _percent(join)
    return SplitProgress(chunks=chunks, audio_percent=audio, join_percent=_percent(join), percent=int(whole))


def _chunk_progress(job: Job, machine: RemoteWorker | None, verification: str) -> ChunkProgress:
    chunk = Chunk.from_params(job.params["chunk"])
    end_s = float((chunk.first_frame + chunk.frame_count) / chunk.frame_rate)
    film_s = job.params.get("probe", {}).get("duration_s")
    if chunk.is_last and film_s:  # planned a second past the end, to take every last frame
        end_s = min(end_s, float(film_s))
    return ChunkProgress(
        index=chunk.index, job_id=job.pk, state=job.state, percent=_percent(job), worker=job.worker,
        attempts=job.attempts, start_s=float(chunk.first_frame_s), end_s=end_s,
        remote=machine is not None,
        organisation=machine.organisation.name if machine is not None and machine.organisation else "",
        verification=verification if machine is not None else "")


def chunk_progress(*, title: Any, user: Any) -> SplitProgress | None:
    """The chunks of ``title``'s newest transcode, each with its progress and who runs or
    ran it (this node's workers, or a partner's machine and whether its result was
    verified); None when that film was not split (or is not planned yet). Raises
    NotFoundForUser (an unpublished title) or NotAllowed unless ``user`` may see the
    drafts, and so the jobs, of the title's organisation."""
    check(user=user, action=Action.VIEW_DRAFTS, organisation=title.owner, hidden=not title.is_published)
    transcode = Job.objects.filter(kind=TRANSCODE_KIND, target_type=ContentType.objects.get_for_model(title),
                                   target_id=str(title.pk)).order_by("-pk").first()
    join_id = transcode.result.get("join_job") if transcode is not None else None
    return split_progress(join_job_id=int(join_id)) if join_id else None
