"""Fountain screenplays rendered to PDF in the usual layout (Courier 12, scene headings,
character cues and dialogue indented), so a writer may upload either PDF or Fountain."""

from __future__ import annotations

import io
import re

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

LINE_PT = 12
_SCENE = re.compile(r"^(INT|EXT|EST|INT\./EXT|I/E)[. ]", re.IGNORECASE)
_TRANSITION = re.compile(r"^[A-Z ]+TO:$")


def _kind(line: str, previous_blank: bool, next_line: str) -> str:
    stripped = line.strip()
    if stripped.startswith(".") and not stripped.startswith(".."):
        return "scene"
    if _SCENE.match(stripped):
        return "scene"
    if _TRANSITION.match(stripped):
        return "transition"
    if previous_blank and stripped.isupper() and next_line.strip() and any(c.isalpha() for c in stripped):
        return "character"
    return "action"


def render_fountain(text: str) -> bytes:
    """A PDF of the Fountain ``text``."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    y = height - 72
    lines = text.replace("\r\n", "\n").split("\n")
    in_dialogue = False
    previous_blank = True

    def put(x: float, value: str) -> None:
        nonlocal y
        if y < 72:
            page.showPage()
            page.setFont("Courier", 12)
            y = height - 72
        page.drawString(x, y, value)
        y -= LINE_PT

    page.setFont("Courier", 12)
    for n, line in enumerate(lines):
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if not line.strip():
            in_dialogue = False
            previous_blank = True
            y -= LINE_PT
            continue
        kind = "dialogue" if in_dialogue else _kind(line, previous_blank, nxt)
        previous_blank = False
        if kind == "character":
            put(252, line.strip())
            in_dialogue = True
        elif kind == "dialogue":
            indent = 216 if line.strip().startswith("(") else 180
            for chunk in _wrap(line.strip(), 35):
                put(indent, chunk)
        elif kind == "transition":
            put(width - 72 - 7.2 * len(line.strip()), line.strip())
        else:
            for chunk in _wrap(line.strip().lstrip("."), 60):
                put(108, chunk.upper() if kind == "scene" else chunk)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines
