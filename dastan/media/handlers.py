"""Job handlers of the media app: load by id, call one domain function, publish through
the job's lease. Each is idempotent: a retry finds the finished work and skips it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dastan.catalog.models import Title
from dastan.i18n import in_english
from dastan.jobs.context import JobContext
from dastan.jobs.models import Job
from dastan.jobs.registry import job_handler
from dastan.jobs.remote.ledger import register_credit
from dastan.jobs.remote.verification import register_verifier
from dastan.media.chunk_handlers import (
    chunk_credit,
    join_chunks_job,
    store_chunk_part,
    transcode_audio_job,
    transcode_chunk_job,
)
from dastan.media.chunks import should_split
from dastan.media.ingest import (
    inspect_source,
    record_mezzanine,
    release_upload_bytes,
    source_file,
    store_mezzanine_file,
)
from dastan.media.models import MediaAsset, Upload
from dastan.media.package import package_asset
from dastan.media.renditions import add_audio_rendition, add_subtitle_rendition
from dastan.media.split import AUDIO_KIND, CHUNK_KIND, JOIN_KIND, submit_split_transcode
from dastan.media.transcode import (
    measure_renditions,
    probe_from_summary,
    record_renditions,
    store_transcode,
    transcode_asset,
)
from dastan.media.verify import verify_chunk_outputs


@dataclass(frozen=True, slots=True)
class AssetHandoff:
    """What one stage of a film's pipeline hands the next (ingest → transcode → package):
    the asset they work on. Kept in the job's result (JSON, since the next stage may run
    on another machine) under ``asset_id``, beside what the stage reports for people."""

    asset_id: int

    def result(self, **report: Any) -> dict[str, Any]:
        return {"asset_id": self.asset_id, **report}

    @classmethod
    def from_parent(cls, ctx: JobContext) -> AssetHandoff:
        """The handoff of the job this one waited for. Raises LookupError when there is none
        (a job submitted without its parent stage: a bug in whoever submitted it)."""
        parent = Job.objects.get(pk=ctx.job_id).parents.order_by("pk").first()
        if parent is None or "asset_id" not in parent.result:
            raise LookupError(f"job #{ctx.job_id} has no parent stage that handed it an asset")
        return cls(asset_id=int(parent.result["asset_id"]))

    def asset(self) -> MediaAsset:
        return MediaAsset.objects.select_related("title").get(pk=self.asset_id)


@job_handler("media.ingest", needs=())
def ingest(ctx: JobContext) -> dict[str, Any]:
    title = Title.objects.get(pk=ctx.params["title_id"])
    filename = ctx.params["filename"]
    upload_id = ctx.params.get("upload_id") or ""
    upload = Upload.objects.filter(pk=upload_id).first() if upload_id else None
    ctx.progress(5, f"checking {filename}")
    # An upload's bytes are read from the media storage: the worker may be on another host.
    with source_file(path=ctx.params.get("path", ""), source_name=ctx.params.get("source_name", "")) as path:
        report = inspect_source(path=path, filename=filename)
        ctx.progress(60, "storing the mezzanine")
        # Bytes are copied outside the publish transaction (a film can take minutes); only
        # the row that makes the asset exist is written under the lease.
        stored = store_mezzanine_file(title=title, path=path, filename=filename, report=report)
    asset = ctx.publish(lambda: record_mezzanine(title=title, stored=stored, filename=filename,
                                                 report=report, upload=upload))
    if upload is not None:
        release_upload_bytes(upload=upload)  # the mezzanine is in storage now
    return AssetHandoff(asset.pk).result(sha256=asset.sha256, corrections=[in_english(c) for c in report.corrections])


@job_handler("media.transcode", needs=("transcode",))
def transcode(ctx: JobContext) -> dict[str, Any]:
    handoff = AssetHandoff.from_parent(ctx)
    asset = handoff.asset()
    if asset.state == MediaAsset.State.TRANSCODED:
        return handoff.result(skipped="already transcoded")
    if should_split(probe_from_summary(asset.probe).duration_s):
        # A long film: chunks any worker may take (chunk_handlers.py); this job only plans them.
        split = ctx.publish(lambda: submit_split_transcode(asset=asset, transcode_job_id=ctx.job_id))
        return handoff.result(split=True, chunk_jobs=list(split.chunk_ids), audio_job=split.audio_id,
                              join_job=split.join_id)
    result = transcode_asset(asset=asset, work_dir=ctx.staging_dir() / "out",
                             on_progress=lambda frac, msg: ctx.progress(frac * 90, msg))
    ctx.progress(92, "storing renditions")
    store_transcode(asset=asset, result=result)  # under the asset's own folder, outside the lock
    measures = measure_renditions(result=result)  # outside the publish transaction too
    ctx.publish(lambda: record_renditions(asset=asset, result=result, measures=measures))
    return handoff.result(rungs=[r.name for r in result.plan.rungs], audio_tracks=len(result.plan.audio),
                          encoder=result.encoder)


@job_handler("media.package", needs=())
def package(ctx: JobContext) -> dict[str, Any]:
    asset = AssetHandoff.from_parent(ctx).asset()
    version = ctx.publish(lambda: package_asset(asset=asset))
    return {"version": version.number, "master": version.master_name}


@job_handler("media.add_audio", needs=("transcode",))
def add_audio(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    version = add_audio_rendition(
        title=Title.objects.get(pk=p["title_id"]), language=p["language"],
        audio_file=Path(p["path"]), kind=p.get("kind", "dub"), provenance=p.get("provenance"),
        on_progress=lambda frac, msg: ctx.progress(frac * 95, msg))
    return {"version": version.number}


@job_handler("media.add_subtitles", needs=())
def add_subtitles(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    version = add_subtitle_rendition(
        title=Title.objects.get(pk=p["title_id"]), language=p["language"],
        vtt_file=Path(p["path"]), machine_made=bool(p.get("machine_made")), label=p.get("label", ""))
    return {"version": version.number}


# The jobs of a chunked transcode (split.py): thin wrappers over chunk_handlers. A chunk may
# run on a partner's machine (dastan.jobs.remote): its publish step, its verifier (a
# trusted worker encodes a sample again and compares pictures) and its ledger credit.
job_handler(CHUNK_KIND, needs=("transcode",), remote=True, publish=store_chunk_part,
            inputs=("source",))(transcode_chunk_job)
job_handler(AUDIO_KIND, needs=("transcode",))(transcode_audio_job)
job_handler(JOIN_KIND, needs=("transcode",))(join_chunks_job)
register_verifier(CHUNK_KIND, verify_chunk_outputs)
register_credit(CHUNK_KIND, chunk_credit)
