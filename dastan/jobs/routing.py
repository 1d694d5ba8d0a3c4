"""Queues by capability.

A job's queue is named after its needs (``"asr+gpu"``; ``"default"`` for none). A worker
that can do ``transcode,asr`` listens to the default queue, to one queue per capability
it has, and to the queue of every combination of needs that a handler declares and it
covers: it never receives work it cannot do, and a job that needs two capabilities
reaches only workers with both.

Listening to every subset of the capabilities would be simpler, but on the embedded
SQLite broker each queue is polled every second: 64 queues kept an idle worker at 7 %
of a CPU core; the few that handlers really use keep it near nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

DEFAULT_QUEUE = "default"
# What a worker started without --can does: everything this machine has the tools for.
ALL_CAPABILITIES = ("transcode", "asr", "mt", "tts", "mix", "gpu")


def _clean(names: Iterable[str]) -> list[str]:
    return sorted({n.strip().lower() for n in names if n.strip()})


def queue_for(needs: Iterable[str]) -> str:
    cleaned = _clean(needs)
    return "+".join(cleaned) if cleaned else DEFAULT_QUEUE


def queues_for_worker(capabilities: Iterable[str], *, declared: Iterable[Iterable[str]] = ()) -> list[str]:
    """Every queue a worker with these capabilities takes jobs from: the default queue,
    one per capability, and each ``declared`` combination of needs it covers."""
    caps = _clean(capabilities)
    names = [DEFAULT_QUEUE, *caps]
    for needs in declared:
        combo = _clean(needs)
        if len(combo) > 1 and set(combo) <= set(caps) and queue_for(combo) not in names:
            names.append(queue_for(combo))
    return names


def is_routable(needs: Iterable[str], *, declared: Iterable[Iterable[str]]) -> bool:
    """Whether some worker would listen to the queue of ``needs``."""
    combo = _clean(needs)
    return len(combo) <= 1 or any(_clean(d) == combo for d in declared)


def broker_queue(name: str) -> str:
    """The queue's name on the broker: ``DASTAN_QUEUE_PREFIX`` lets nodes share one broker."""
    return f"{settings.DASTAN_QUEUE_PREFIX}{name}"
