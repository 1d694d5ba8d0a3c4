"""The jobs app is below the apps that run their work as jobs: none of its modules imports
one of them, however indirectly (tests and test support may import anything)."""

from __future__ import annotations

import grimp


def _is_test_support(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] in ("testing", "testing_handlers", "conftest")


def test_jobs_imports_no_app_that_builds_on_jobs() -> None:
    graph = grimp.build_graph("dastan", cache_dir=None)
    for module in list(graph.modules):
        if _is_test_support(module):
            graph.remove_module(module)
    apps = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1} - {"jobs"}
    builds_on_jobs = sorted(
        app
        for app in apps
        if f"dastan.{app}" in graph.modules
        and graph.find_shortest_chains(
            importer=f"dastan.{app}", imported="dastan.jobs", as_packages=True
        )
    )
    assert "media" in builds_on_jobs  # the transcodes are jobs: the rule below has teeth
    cycles = {
        app: sorted(
            graph.find_shortest_chains(
                importer="dastan.jobs", imported=f"dastan.{app}", as_packages=True
            )
        )
        for app in builds_on_jobs
    }
    assert {app: chains for app, chains in cycles.items() if chains} == {}
    assert (
        graph.find_shortest_chain(
            importer="dastan.jobs.remote.views", imported="dastan.media.upload"
        )
        is None
    )
