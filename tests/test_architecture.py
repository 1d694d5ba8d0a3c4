"""Which part of Dastan may import which: the layers in pyproject.toml's
[tool.importlinter], checked by import-linter over the whole package (function-level
imports included). A new import across the layers fails here, naming the chain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_app_imports_only_the_layers_below_it() -> None:
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout, done.stdout[-2000:]


def test_no_module_imports_itself_back_through_others() -> None:
    """Inside an app too (the layers only see between apps): no cycle of imports among
    the package's modules, tests, test helpers and migrations aside."""
    import grimp

    graph = grimp.build_graph("dastan", cache_dir=None)
    modules = {m for m in graph.modules
               if not {"tests", "migrations"} & set(m.split(".")) and "testing" not in m}
    cycles = []
    for module in sorted(modules):
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None and set(back) <= modules:
                cycles.append(" -> ".join((module, *back)))
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles))[:20])
