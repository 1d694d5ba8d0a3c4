"""Per-recipient copies of a script, and finding whose copy a leaked page came from.

Every page of a recipient's copy carries two marks:

* a **visible** one: "Confidential — prepared for <name>, <organisation>, <date>, copy
  <code>" along the foot and across the page, so a reader knows the copy is theirs;
* an **invisible** one: the page is cut into a grid of :data:`COLS` × :data:`ROWS` cells
  and each cell is either left alone or darkened by :data:`ALPHA` (about two
  grey levels of 255) — a pattern of ±1 drawn from the copy's own seed. That is below
  what an eye picks out on paper or screen, but a cell's *median* grey survives rendering, JPEG at low
  quality and scaling, because they keep a flat area's mean and the median ignores the
  text that crosses the cell.

:func:`trace` renders or opens the leaked file, measures each cell's median, and
correlates that with every copy's pattern: the copy whose pattern correlates clearly
best is the leak. Among n copies, others correlate near 0 (±3/√768 ≈ ±0.11); the leaked
copy's correlation is far above. The grid is read proportionally to the page, so a
whole page (PDF, rendered PNG, JPEG, scaled) is read; a crop or a slanted photograph
would first need the page's corners found (not done here).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from dastan.bazaar.errors import RendererMissing, TraceFailed

COLS, ROWS = 24, 32
ALPHA = 0.008
# A trace is named only when the best copy correlates at least this much and this far
# above the second best; below, the answer is "not one of ours / unreadable".
MIN_CORRELATION = 0.25
MIN_MARGIN = 0.12


def pattern(seed: int) -> np.ndarray:
    """The copy's ±1 cell pattern, half of each, from its seed."""
    cells = np.array([1.0] * (COLS * ROWS // 2) + [-1.0] * (COLS * ROWS - COLS * ROWS // 2))
    rng = np.random.default_rng(seed & 0xFFFFFFFFFFFFFFFF)
    rng.shuffle(cells)
    return cells


def _overlay(width: float, height: float, seed: int, visible: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(width, height))
    cells = pattern(seed).reshape(ROWS, COLS)
    cell_w, cell_h = width / COLS, height / ROWS
    page.setFillColor(Color(0, 0, 0, alpha=ALPHA))
    for row in range(ROWS):
        for col in range(COLS):
            if cells[row, col] > 0:  # row 0 is the top of the page, as an image reads it
                page.rect(col * cell_w, height - (row + 1) * cell_h, cell_w, cell_h, stroke=0, fill=1)
    page.setFillColor(Color(0.35, 0.1, 0.1, alpha=0.9))
    page.setFont("Helvetica", 7)
    page.drawString(24, 14, visible)
    page.drawString(24, height - 20, visible)
    page.saveState()
    page.setFillColor(Color(0.6, 0.1, 0.1, alpha=0.10))
    page.setFont("Helvetica-Bold", 26)
    page.translate(width / 2, height / 2)
    page.rotate(35)
    page.drawCentredString(0, 0, visible.split(" · ")[1] if " · " in visible else visible)
    page.restoreState()
    page.showPage()
    page.save()
    return buffer.getvalue()


def mark_pdf(*, source: Path, seed: int, visible: str) -> bytes:
    """The recipient's copy of ``source``: both marks on every page."""
    writer = PdfWriter(clone_from=str(source))
    overlays: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in overlays:
            overlays[size] = PdfReader(io.BytesIO(_overlay(*size, seed, visible))).pages[0]
        page.merge_page(overlays[size])
    writer.add_metadata({"/Title": visible})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise RendererMissing("No PDF renderer (pdftoppm) on this machine.",
                              "Install poppler-utils (apt-get install poppler-utils).")
    return found


def render_page(*, pdf: Path, page: int, dpi: int = 100) -> bytes:
    """One page of ``pdf`` as PNG bytes (pages count from 1)."""
    with tempfile.TemporaryDirectory(prefix="dastan-render-") as tmp:
        out = Path(tmp) / "page"
        done = subprocess.run([pdftoppm(), "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                               "-singlefile", str(pdf), str(out)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise TraceFailed(f"Could not render page {page} of the PDF: {done.stderr.strip()[-300:]}",
                              "Check that the file is a whole, readable PDF.")
        return (out.with_suffix(".png")).read_bytes()


def cell_medians(image: Image.Image) -> np.ndarray:
    """Each grid cell's median grey, read from the cell's middle half (edges blur)."""
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    height, width = grey.shape
    values = np.empty(ROWS * COLS)
    for row in range(ROWS):
        for col in range(COLS):
            top, bottom = row * height / ROWS, (row + 1) * height / ROWS
            left, right = col * width / COLS, (col + 1) * width / COLS
            dy, dx = (bottom - top) / 4, (right - left) / 4
            cell = grey[int(top + dy):int(bottom - dy), int(left + dx):int(right - dx)]
            values[row * COLS + col] = float(np.median(cell)) if cell.size else 255.0
    return values


def correlation(values: np.ndarray, seed: int) -> float:
    darker = -(values - values.mean())  # a +1 cell is darker
    cells = pattern(seed)
    norm = float(np.linalg.norm(darker) * np.linalg.norm(cells))
    return float(darker @ cells / norm) if norm else 0.0


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int       # the grant's id
    seed: int


@dataclass(frozen=True, slots=True)
class TraceResult:
    key: int
    correlation: float
    runner_up: float
    pages_read: int


def read_leak(path: Path, *, max_pages: int = 3) -> list[np.ndarray]:
    """Cell medians of the leaked file's pages (a PDF's first pages, or the one image)."""
    if not path.exists():
        raise TraceFailed(f"No file {path}.", "Give the path of the leaked PDF or image.")
    head = path.read_bytes()[:5]
    if head == b"%PDF-":
        count = len(PdfReader(str(path)).pages)
        return [cell_medians(Image.open(io.BytesIO(render_page(pdf=path, page=n))))
                for n in range(1, min(count, max_pages) + 1)]
    try:
        return [cell_medians(Image.open(path))]
    except OSError as exc:
        raise TraceFailed(f"{path.name} is neither a PDF nor an image this can read.",
                          "Give a PDF, PNG or JPEG of a whole page.") from exc


def best_copy(pages: Sequence[np.ndarray], candidates: Iterable[Candidate]) -> TraceResult:
    """The candidate whose pattern the pages carry; TraceFailed when none clearly does."""
    scores = []
    for candidate in candidates:
        r = float(np.mean([correlation(values, candidate.seed) for values in pages]))
        scores.append((r, candidate.key))
    if not scores:
        raise TraceFailed("There are no shared copies to compare the file with.",
                          "Share a script with recipients first; only their copies can be traced.")
    scores.sort(reverse=True)
    best, key = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    if best < MIN_CORRELATION or best - second < MIN_MARGIN:
        raise TraceFailed(f"No copy's mark is clear in this file (best correlation {best:.2f}, "
                          f"next {second:.2f}).",
                          "Give a whole page, as large and as little compressed as you have it.")
    return TraceResult(key=key, correlation=best, runner_up=second, pages_read=len(pages))
