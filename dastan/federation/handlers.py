"""Federation's jobs: making a cache copy of a peer's film (mirrors.py)."""

from __future__ import annotations

from typing import Any

from dastan.federation.mirror_copy import copy_stream
from dastan.federation.mirrors import MIRROR_JOB, install_mirror, may_mirror
from dastan.federation.models import RemoteTitle
from dastan.jobs.context import JobContext
from dastan.jobs.registry import job_handler


@job_handler(MIRROR_JOB, needs=())
def mirror(ctx: JobContext) -> dict[str, Any]:
    remote = RemoteTitle.objects.select_related("peer").get(pk=ctx.params["remote_id"])
    if not may_mirror(remote):
        return {"copied": False, "why": "no longer allowed"}
    staging = ctx.staging_dir()
    version = copy_stream(remote=remote, into=staging, progress=ctx.progress)
    prefix = ctx.publish(lambda: install_mirror(remote=remote, local_dir=staging, version=version))
    return {"copied": bool(prefix), "version": version, "prefix": prefix}
