"""What the test suite needs besides the tests: its settings (``dastan_testing.settings``),
the miniature job handlers that its worker processes load by name (``job_handlers``,
``media_handlers``), nodes and worker processes to start (``nodes``) and the helpers that
several apps' tests share (``shared``).

It lives beside ``dastan/``, not in it, so that none of it is installed with Dastan: a
process that imports it needs the repository's root on its path. Pytest puts it there
(``pythonpath`` in pyproject.toml); the processes that tests start get it through
PYTHONPATH (:func:`with_root_on_pythonpath`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository


def with_root_on_pythonpath(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with the repository's root first on PYTHONPATH, for a process that must
    import ``dastan_testing`` (a worker loading its job handlers, a child pytest)."""
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(ROOT) not in paths:
        paths.insert(0, str(ROOT))
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}
