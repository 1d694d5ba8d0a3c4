"""Translation routes: which engine goes from one language to another, directly or
through a pivot language (be→ru by Apertium, then ru→en by another engine).

Pure: :func:`find_route` works on ``(engine name, pairs)`` lists, so the rules are tested
without engines; ``registry.find_translation_route`` feeds it the engines found here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RouteStep:
    engine: str
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Route:
    """One or more steps from ``source`` to ``target``; each step's target is the next
    step's source."""

    source: str
    target: str
    steps: tuple[RouteStep, ...]

    @property
    def is_direct(self) -> bool:
        return len(self.steps) == 1

    @property
    def pivot(self) -> str:
        """The language(s) in between, ">"-joined; "" for a direct route."""
        return ">".join(step.target for step in self.steps[:-1])

    def describe(self) -> str:
        """``"be>ru (apertium), ru>en (openai-chat)"``."""
        return ", ".join(f"{s.source}>{s.target} ({s.engine})" for s in self.steps)


def find_route(engines: Sequence[tuple[str, set[tuple[str, str]]]], *, source: str,
               target: str, max_steps: int = 2) -> Route | None:
    """The route with the fewest steps; among equals, the one whose engines come first in
    ``engines`` (the preference order). ``None`` when no chain of at most ``max_steps``
    exists, or when ``source == target`` (nothing to translate)."""
    if source == target:
        return None
    # Breadth-first over languages; each language is reached first by its best route.
    frontier: list[tuple[str, tuple[RouteStep, ...]]] = [(source, ())]
    seen = {source}
    for _ in range(max_steps):
        following: list[tuple[str, tuple[RouteStep, ...]]] = []
        for language, steps in frontier:
            for engine, pairs in engines:
                for pair_source, pair_target in sorted(pairs):
                    if pair_source != language or pair_target in seen:
                        continue
                    path = (*steps, RouteStep(engine, pair_source, pair_target))
                    if pair_target == target:
                        return Route(source, target, path)
                    seen.add(pair_target)
                    following.append((pair_target, path))
        frontier = following
    return None
