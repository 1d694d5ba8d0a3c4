"""The compute ledger: what each organisation's machines gave and what its jobs received,
per month, counted only from accepted output (checksums matched and, where sampled,
re-done and matched), measured on the output itself, never on what a worker claims.

Units: ``encoded`` output-minutes weighted by resolution (1080p counts 1, 720p 0.5, …),
``transcribed`` audio-minutes, ``synthesized`` minutes. A job kind says how its
output is measured with ``register_credit``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncMonth

from dastan.jobs.models import ComputeRecord

COUNTED = (ComputeRecord.Verification.ACCEPTED, ComputeRecord.Verification.PASSED)


@dataclass(frozen=True, slots=True)
class Credit:
    unit: str  # encoded, transcribed, synthesized
    minutes: float


Measure = Callable[[dict[str, Any], dict[str, Path], dict[str, Any]], Credit]
_MEASURES: dict[str, Measure] = {}


def register_credit(kind: str, measure: Measure) -> None:
    _MEASURES[kind] = measure


def measure(kind: str, params: dict[str, Any], outputs: dict[str, Path], result: dict[str, Any]) -> Credit:
    found = _MEASURES.get(kind)
    return found(params, outputs, result) if found else Credit("", 0.0)


def resolution_weight(height: int) -> float:
    """An encoded minute of 1080p counts 1; other heights by pixel count (16:9)."""
    return round((height / 1080) ** 2, 3) if height > 0 else 0.0


@dataclass(frozen=True, slots=True)
class LedgerRow:
    month: str
    organisation: str
    given_minutes: float
    received_minutes: float
    given_jobs: int
    received_jobs: int


def monthly(*, organisation_ids: list[int] | None = None) -> list[LedgerRow]:
    """Given and received minutes per organisation and month (``organisation_ids``: only
    those; None: every one, for operators)."""
    counted = ComputeRecord.objects.filter(verification__in=COUNTED)
    rows: dict[tuple[str, str], dict[str, float]] = {}
    for side, field in (("given", "giver"), ("received", "receiver")):
        qs = counted.exclude(**{f"{field}__isnull": True})
        if organisation_ids is not None:
            qs = qs.filter(**{f"{field}_id__in": organisation_ids})
        for r in qs.annotate(m=TruncMonth("created_at")).values("m", f"{field}__slug").annotate(
                minutes=Sum("minutes"), jobs=Count("id")):
            key = (r["m"].strftime("%Y-%m"), r[f"{field}__slug"])
            entry = rows.setdefault(key, {"given": 0.0, "received": 0.0, "given_jobs": 0, "received_jobs": 0})
            entry[side] += float(r["minutes"] or 0)
            entry[f"{side}_jobs"] += int(r["jobs"])
    return [LedgerRow(month=m, organisation=o, given_minutes=round(v["given"], 2),
                      received_minutes=round(v["received"], 2), given_jobs=int(v["given_jobs"]),
                      received_jobs=int(v["received_jobs"]))
            for (m, o), v in sorted(rows.items())]


def worker_throughput(*, organisation_ids: list[int] | None = None) -> dict[str, list[tuple[str, float]]]:
    """Counted minutes per worker per day."""
    qs = ComputeRecord.objects.filter(verification__in=COUNTED)
    if organisation_ids is not None:
        qs = qs.filter(Q(giver_id__in=organisation_ids) | Q(receiver_id__in=organisation_ids))
    out: dict[str, list[tuple[str, float]]] = {}
    for r in qs.annotate(d=TruncDay("created_at")).values("worker_name", "d").annotate(
            minutes=Sum("minutes")).order_by("worker_name", "d"):
        out.setdefault(r["worker_name"], []).append((r["d"].strftime("%Y-%m-%d"), round(float(r["minutes"]), 2)))
    return out


def as_csv(rows: list[LedgerRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["month", "organisation", "given_minutes", "received_minutes", "given_jobs", "received_jobs"])
    for r in rows:
        writer.writerow([r.month, r.organisation, r.given_minutes, r.received_minutes, r.given_jobs, r.received_jobs])
    return buf.getvalue()


def bars_svg(rows: list[LedgerRow], *, width: int = 640, bar_h: int = 14) -> str:
    """Given (dark) beside received (light) per organisation and month, as inline SVG."""
    top = max([1.0, *[max(r.given_minutes, r.received_minutes) for r in rows]])
    label_w, gap = 200, 6
    height = max(1, len(rows)) * (2 * bar_h + gap) + 10
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="compute given and received">')]
    y = 5
    for r in rows:
        for value, colour in ((r.given_minutes, "#2b5d8a"), (r.received_minutes, "#9cc3e6")):
            w = int((width - label_w - 60) * value / top)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h - 2}" fill="{colour}"/>'
                         f'<text x="{label_w + w + 4}" y="{y + bar_h - 4}" font-size="10">{value:g}</text>')
            y += bar_h
        parts.append(f'<text x="0" y="{y - bar_h + 2}" font-size="11">{_esc(r.month)} {_esc(r.organisation)}</text>')
        y += gap
    parts.append("</svg>")
    return "".join(parts)


def line_svg(series: dict[str, list[tuple[str, float]]], *, width: int = 640, height: int = 160) -> str:
    """A worker's counted minutes per day, one polyline per worker."""
    days = sorted({d for points in series.values() for d, _ in points})
    top = max([1.0, *[v for points in series.values() for _, v in points]])
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20}" role="img" '
             f'aria-label="worker throughput">')]
    colours = ["#2b5d8a", "#c0392b", "#27ae60", "#8e44ad", "#d35400"]
    for i, (name, points) in enumerate(sorted(series.items())):
        xy = [(40 + (width - 60) * (days.index(d) / max(1, len(days) - 1)), height - (height - 10) * v / top)
              for d, v in points]
        colour = colours[i % len(colours)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                     + " ".join(f"{x:.0f},{y:.0f}" for x, y in xy) + '"/>')
        parts.append(f'<text x="40" y="{height + 15 - 0}" dx="{i * 120}" font-size="10" fill="{colour}">'
                     f'{_esc(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
