"""GPU and render capacity, linked to the compute pool: a profile names the workers its
organisation shares with the node, and the market shows them as the jobs system knows
them (capabilities, last seen, jobs done — the compute ledger), not as claimed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dastan.bazaar.models import Profile
from dastan.jobs.models import WorkerNode


@dataclass(frozen=True, slots=True)
class SharedWorker:
    name: str
    known: bool                      # the jobs system has seen this worker
    capabilities: tuple[str, ...]
    last_seen_at: datetime | None
    jobs_done: int


def shared_workers(*, profile: Profile) -> list[SharedWorker]:
    seen = {w.name: w for w in WorkerNode.objects.filter(name__in=profile.compute_workers)}
    out = []
    for name in profile.compute_workers:
        worker = seen.get(name)
        out.append(SharedWorker(name=name, known=worker is not None,
                                capabilities=tuple(worker.capabilities) if worker else (),
                                last_seen_at=worker.last_seen_at if worker else None,
                                jobs_done=worker.jobs_done if worker else 0))
    return out
