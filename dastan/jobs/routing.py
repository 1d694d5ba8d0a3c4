"""Queues by capability.

A job's queue is named after its needs (``"asr+gpu"``; ``"default"`` for none). A worker
that can do ``transcode,asr`` listens to every queue whose needs it covers, so it never
receives work it cannot do, and a job that needs two capabilities reaches only workers
with both.
"""

from __future__ import annotations

from itertools import combinations

from django.conf import settings

DEFAULT_QUEUE = "default"
# What a worker started without --can does: everything this machine has the tools for.
ALL_CAPABILITIES = ("transcode", "asr", "mt", "tts", "mix", "gpu")


def queue_for(needs: list[str] | tuple[str, ...]) -> str:
    cleaned = sorted({n.strip().lower() for n in needs if n.strip()})
    return "+".join(cleaned) if cleaned else DEFAULT_QUEUE


def queues_for_worker(capabilities: list[str] | tuple[str, ...]) -> list[str]:
    """Every queue a worker with these capabilities may take jobs from."""
    caps = sorted({c.strip().lower() for c in capabilities if c.strip()})
    names = [DEFAULT_QUEUE]
    for size in range(1, len(caps) + 1):
        names.extend("+".join(combo) for combo in combinations(caps, size))
    return names


def broker_queue(name: str) -> str:
    """The queue's name on the broker: ``DASTAN_QUEUE_PREFIX`` lets nodes share one broker."""
    return f"{settings.DASTAN_QUEUE_PREFIX}{name}"
