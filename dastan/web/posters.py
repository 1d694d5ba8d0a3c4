"""Generated posters for titles that have no artwork yet: two hues from the slug, so a
title keeps its colours from page to page.

The hues come in steps of HUE_STEP degrees, one CSS class each (site.css), because the
Content-Security-Policy allows no inline style attribute."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

HUE_STEP = 15


@dataclass(frozen=True, slots=True)
class Poster:
    hue_a: int
    hue_b: int

    @property
    def css_class(self) -> str:
        return f"hue-a-{self.hue_a} hue-b-{self.hue_b}"


def poster_for(slug: str) -> Poster:
    digest = hashlib.sha256(slug.encode()).digest()
    hue_a = int.from_bytes(digest[:2], "big") % 360
    hue_b = (hue_a + 40 + digest[2] % 80) % 360
    return Poster(hue_a=hue_a - hue_a % HUE_STEP, hue_b=hue_b - hue_b % HUE_STEP)


def poster_css() -> str:
    """The hue classes that site.css ends with (regenerate them after changing HUE_STEP)."""
    return "\n".join(f".hue-a-{h} {{ --hue-a: {h}; }} .hue-b-{h} {{ --hue-b: {h}; }}"
                     for h in range(0, 360, HUE_STEP)) + "\n"
