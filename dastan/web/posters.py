"""Generated posters for titles that have no artwork yet: two hues from the slug, so a
title keeps its colours from page to page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Poster:
    hue_a: int
    hue_b: int

    @property
    def style(self) -> str:
        return f"--hue-a:{self.hue_a};--hue-b:{self.hue_b}"


def poster_for(slug: str) -> Poster:
    digest = hashlib.sha256(slug.encode()).digest()
    hue_a = int.from_bytes(digest[:2], "big") % 360
    return Poster(hue_a=hue_a, hue_b=(hue_a + 40 + digest[2] % 80) % 360)
