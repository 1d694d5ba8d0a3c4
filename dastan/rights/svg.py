"""Draw a :class:`~dastan.rights.chart.Chart` as SVG: the availability chart and the SCO
status grid. Server-side, no script: it prints, screenshots and reads without colour
(every bar carries its licence reference; holes and clashes have their own patterns)."""

from __future__ import annotations

from datetime import date, timedelta
from xml.sax.saxutils import escape, quoteattr

from django.utils.functional import Promise
from django.utils.translation import get_language_bidi, gettext, ngettext, pgettext_lazy

from dastan.rights.chart import Bar, Chart, Row, Span, Tile
from dastan.rights.formats import format_day, format_number, format_year, list_of, month_label

# Okabe–Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = (("#0072B2", "#fff"), ("#E69F00", "#000"), ("#009E73", "#fff"), ("#CC79A7", "#000"),
           ("#56B4E9", "#000"), ("#D55E00", "#fff"), ("#F0E442", "#000"), ("#000000", "#fff"))
LEFT, PLOT_W, TOP, LANE_H = 210, 900, 70, 20
FONT = "font-family='Noto Sans, DejaVu Sans, Arial, sans-serif'"
# Translators: an SCO grid tile's status word and its key below the grid (the title's
# availability in a country today).
TILE_STYLE: dict[str, tuple[str, str, Promise]] = {
    "allowed": ("#1b7f3b", "#fff", pgettext_lazy("availability", "available")),
    "not_yet": ("#f0b429", "#000", pgettext_lazy("availability", "coming")),
    "pending_release": ("#fde7a9", "#000", pgettext_lazy("availability", "awaiting release")),
    "ended": ("#8a8a8a", "#fff", pgettext_lazy("availability", "ended")),
    "excluded": ("#f4c7c3", "#7a1010", pgettext_lazy("availability", "excluded")),
    "not_licensed": ("#ffffff", "#555", pgettext_lazy("availability", "not licensed")),
    "seats_taken": ("#8a8a8a", "#fff", pgettext_lazy("availability", "seats taken")),
}

def _direction() -> str:
    """The root's text direction. In Urdu and Persian every label is laid out right to
    left (so "CA-SVOD-14 · 1 مارچ" keeps its order) yet anchored at its end, which in a
    right-to-left line is its left edge: the labels stay where the left-to-right time
    axis puts them."""
    return " direction='rtl' text-anchor='end'" if get_language_bidi() else ""


DEFS = """<defs>
<pattern id='hole' width='6' height='6' patternUnits='userSpaceOnUse' patternTransform='rotate(45)'>
<rect width='6' height='6' fill='#fafafa'/><line x1='0' y1='0' x2='0' y2='6' stroke='#c8c8c8' stroke-width='2'/></pattern>
<pattern id='clash' width='6' height='6' patternUnits='userSpaceOnUse'>
<rect width='6' height='6' fill='#fde0dc'/><path d='M0,0 L6,6 M6,0 L0,6' stroke='#c62828' stroke-width='1.2'/></pattern>
</defs>"""


def chart_svg(chart: Chart, *, title: str) -> str:
    days = (chart.end - chart.start).days

    def x(day: date) -> float:
        return LEFT + (day - chart.start).days / days * PLOT_W

    heights = [row.lanes * LANE_H + 8 for row in chart.rows]
    plot_h = sum(heights)
    legend_y = TOP + plot_h + 34
    height = legend_y + 22 * (len(chart.legend) + 2) + 20
    width = LEFT + PLOT_W + 30
    # Translators: the availability chart's accessible name and tooltip.
    name = gettext("Availability of %(title)s") % {"title": title}
    out = [(f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
           f"height='{height}' role='img' aria-label={quoteattr(name)} {FONT} "
           f"font-size='12'{_direction()}>"), f"<title>{escape(name)}</title>", DEFS,
           f"<rect width='{width}' height='{height}' fill='#fff'/>"]
    out += _months(chart, x, plot_h)
    y = TOP
    for index, (row, h) in enumerate(zip(chart.rows, heights, strict=True)):
        out += _row(row, y, h, x, shaded=index % 2 == 0)
        if index == 9 and len(chart.rows) > 10:
            out.append(f"<line x1='8' x2='{LEFT + PLOT_W}' y1='{y + h}' y2='{y + h}' stroke='#444' "
                       "stroke-width='1.5'/>")
        y += h
    if chart.hidden_rows:
        # Translators: below the availability chart when it has too many countries to draw.
        more = ngettext("+ %(count)s more country (see the licence table)",
                        "+ %(count)s more countries (see the licence table)", chart.hidden_rows)
        out.append(f"<text x='8' y='{y + 16}' fill='#555'>"
                   f"{escape(more % {'count': format_number(chart.hidden_rows)})}</text>")
    today_x = x(chart.today)
    out.append(f"<line x1='{today_x:.1f}' x2='{today_x:.1f}' y1='{TOP - 62}' y2='{TOP + plot_h}' "
               "stroke='#b00020' stroke-width='2'/>")
    leftwards = today_x > LEFT + PLOT_W * 0.7
    shift = -5 if leftwards else 5
    # A right-to-left line starts at its right edge: its anchors swap.
    anchor = "end" if leftwards != get_language_bidi() else "start"
    # Translators: the availability chart's line for today's date.
    today = gettext("today, %(day)s") % {"day": format_day(chart.today)}
    out.append(f"<text x='{today_x + shift:.1f}' y='{TOP - 54}' fill='#b00020' font-weight='bold' "
               f"text-anchor='{anchor}'>{escape(today)}</text>")
    out.append(f"<rect x='{LEFT}' y='{TOP}' width='{PLOT_W}' height='{plot_h}' fill='none' "
               "stroke='#444'/>")
    out += _legend(chart, legend_y)
    out.append("</svg>")
    return "\n".join(out)


def _months(chart: Chart, x: object, plot_h: int) -> list[str]:
    out = []
    day = chart.start
    while day < chart.end:
        nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        left, right = x(day), x(nxt)  # type: ignore[operator]
        january = day.month == 1
        out.append(f"<line x1='{left:.1f}' x2='{left:.1f}' y1='{TOP - (22 if january else 0)}' "
                   f"y2='{TOP + plot_h}' stroke='{'#888' if january else '#e2e2e2'}'/>")
        out.append(f"<text x='{(left + right) / 2:.1f}' y='{TOP - 6}' text-anchor='middle' "
                   f"font-size='10' fill='#333'>{escape(month_label(day.month, narrow=right - left <= 26))}</text>")
        if january or day == chart.start:
            out.append(f"<text x='{left + 3:.1f}' y='{TOP - 28}' font-weight='bold' fill='#222'>"
                       f"{escape(format_year(day))}</text>")
        day = nxt
    return out


def _row(row: Row, y: int, h: int, x: object, *, shaded: bool) -> list[str]:
    out = []
    if shaded:
        out.append(f"<rect x='0' y='{y}' width='{LEFT + PLOT_W}' height='{h}' fill='#f4f6f8'/>")
    # Translators: under a country's name in the availability chart: the licences that
    # exclude it by name.
    notes = [gettext("excluded by %(licences)s") % {"licences": list_of(row.excluded_by)}] if row.excluded_by else []
    # Translators: under a country's name in the availability chart: two exclusive
    # licences overlap there ("clash: CA-SVOD-1 × KZ-SVOD-5").
    notes += [gettext("clash: %(licences)s") % {"licences": c.label} for c in row.clashes]
    label_y = y + h / 2 - 6 * len(notes[:2])
    out.append(f"<text x='8' y='{label_y + 4:.1f}' font-weight='600' fill='#111'>{escape(row.name)}"
               f" <tspan fill='#777' font-weight='normal'>{row.country}</tspan></text>")
    for i, note in enumerate(notes[:2]):
        out.append(f"<text x='8' y='{label_y + 16 + 12 * i:.1f}' font-size='10' fill='#a01818'>"
                   f"{escape(note)}</text>")
    for hole in row.holes:
        out.append(_span_rect(hole, y + 3, h - 6, x, "url(#hole)", "none"))
    for clash in row.clashes:  # behind the bars: the hatch shows around them
        out.append(_span_rect(clash, y + 1, h - 2, x, "url(#clash)", "none"))
    for bar in row.bars:
        out += _bar(bar, y + 4 + bar.lane * LANE_H, x)
    for clash in row.clashes:
        out.append(_span_rect(clash, y + 1, h - 2, x, "none", "#c62828", width=2))
    return out


def _span_rect(span: Span, y: float, h: float, x: object, fill: str, stroke: str,
               width: float = 1.0) -> str:
    left = x(span.first)  # type: ignore[operator]
    right = x(span.last + timedelta(days=1))  # type: ignore[operator]
    return (f"<rect x='{left:.1f}' y='{y:.1f}' width='{max(right - left, 1):.1f}' height='{h:.1f}' "
            f"fill='{fill}' stroke='{stroke}' stroke-width='{width}'><title>{escape(span.label)}: "
            f"{escape(format_day(span.first))} – {escape(format_day(span.last))}</title></rect>")


def _bar(bar: Bar, y: float, x: object) -> list[str]:
    fill, ink = PALETTE[bar.colour % len(PALETTE)]
    left = x(bar.first)  # type: ignore[operator]
    right = x(bar.last + timedelta(days=1))  # type: ignore[operator]
    width = max(right - left, 2)
    # Translators: a licence bar's tooltip in the availability chart: its first and last day.
    tip = gettext("%(licence)s: %(first)s – %(last)s") % {
        "licence": bar.ref, "first": format_day(bar.first),
        # Translators: the tooltip's end of a licence bar whose start waits for a release date.
        "last": gettext("(no date yet)") if bar.pending else
        # Translators: the tooltip's end of a licence bar that runs on past the chart or forever.
        gettext("onwards") if bar.runs_on else format_day(bar.last)}
    if bar.pending:
        out = [(f"<rect x='{left:.1f}' y='{y:.1f}' width='{width:.1f}' height='{LANE_H - 4}' rx='3' "
               f"fill='#fff' stroke='{fill}' stroke-width='2' stroke-dasharray='5 3'>"
               f"<title>{escape(tip)}</title></rect>")]
        # Translators: the label of a dashed licence bar whose start waits for a release date.
        label, ink = gettext("%(licence)s · awaiting release date") % {"licence": bar.ref}, "#222"
    else:
        out = [(f"<rect x='{left:.1f}' y='{y:.1f}' width='{width:.1f}' height='{LANE_H - 4}' rx='3' "
               f"fill='{fill}'><title>{escape(tip)}</title></rect>")]
        label = bar.ref
    if bar.runs_before:
        out.append(f"<path d='M{left + 1:.1f},{y:.1f} l-8,{(LANE_H - 4) / 2:.1f} l8,{(LANE_H - 4) / 2:.1f} z' "
                   f"fill='{fill}'/>")
    if bar.runs_on:
        tip_x = left + width
        out.append(f"<path d='M{tip_x - 1:.1f},{y:.1f} l8,{(LANE_H - 4) / 2:.1f} l-8,{(LANE_H - 4) / 2:.1f} z' "
                   f"fill='{fill}'/>")
    if width > 7 * len(label) + 8:
        out.append(f"<text x='{left + 5:.1f}' y='{y + LANE_H - 8:.1f}' font-size='11' fill='{ink}' "
                   f"font-weight='600'>{escape(label)}</text>")
    else:  # too short to hold its name: the name follows the bar
        out.append(f"<text x='{left + width + (10 if bar.runs_on else 4):.1f}' y='{y + LANE_H - 8:.1f}' "
                   f"font-size='11' fill='#222' font-weight='600'>{escape(label)}</text>")
    return out


def _legend(chart: Chart, y: int) -> list[str]:
    # Translators: the heading of the availability chart's legend.
    heading = gettext("Licences")
    out = [f"<text x='8' y='{y}' font-weight='bold'>{escape(heading)}</text>"]
    for i, entry in enumerate(chart.legend):
        fill, _ = PALETTE[entry.colour % len(PALETTE)]
        row_y = y + 10 + i * 22
        out.append(f"<rect x='8' y='{row_y}' width='26' height='14' rx='3' fill='{fill}'/>")
        out.append(f"<text x='42' y='{row_y + 11}'><tspan font-weight='bold'>{escape(entry.ref)}</tspan>"
                   f"  {escape(entry.text)}</text>")
    keys_y = y + 14 + len(chart.legend) * 22
    # Translators: the keys of the availability chart's patterns.
    keys = [("url(#hole)", "#bbb", gettext("not licensed (hole)"), ""),
            ("url(#clash)", "#c62828", gettext("clash of exclusive licences"), ""),
            ("#fff", "#555", gettext("awaiting a release date (dashed)"), " stroke-dasharray='5 3'")]
    x0 = 8
    for fill, stroke, text, dash in keys:
        out.append(f"<rect x='{x0}' y='{keys_y}' width='26' height='14' fill='{fill}' stroke='{stroke}'{dash}/>")
        out.append(f"<text x='{x0 + 32}' y='{keys_y + 11}'>{escape(text)}</text>")
        x0 += 34 + 7 * len(text) + 24
    # Translators: the key of the arrow at a licence bar's end in the availability chart.
    runs_on = gettext("runs on beyond the chart, or has no end")
    out.append(f"<path d='M{x0},{keys_y} l8,7 l-8,7 z' fill='#444'/><text x='{x0 + 14}' "
               f"y='{keys_y + 11}'>{escape(runs_on)}</text>")
    return out


def tiles_svg(tiles: tuple[Tile, ...], *, columns: int = 5) -> str:
    w, h, gap = 190, 64, 10
    rows = (len(tiles) + columns - 1) // columns
    width, height = columns * (w + gap) + gap, rows * (h + gap) + gap + 30
    # Translators: the accessible name of the grid of SCO member countries.
    grid_name = gettext("SCO members: status today")
    out = [(f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' "
           f"height='{height}' role='img' aria-label={quoteattr(grid_name)} "
           f"{FONT} font-size='12'{_direction()}>"),
           DEFS, f"<rect width='{width}' height='{height}' fill='#fff'/>"]
    for i, tile in enumerate(tiles):
        fill, ink, label = TILE_STYLE.get(tile.status, ("#eee", "#222", tile.status.replace("_", " ")))
        word = str(label)
        left, top = gap + (i % columns) * (w + gap), gap + (i // columns) * (h + gap)
        pattern = "url(#hole)" if tile.status == "not_licensed" else fill
        out.append(f"<g><title>{escape(tile.reason)}</title>"
                   f"<rect x='{left}' y='{top}' width='{w}' height='{h}' rx='6' fill='{pattern}' "
                   f"stroke='#555'/>"
                   f"<text x='{left + 10}' y='{top + 20}' font-weight='bold' font-size='13' fill='{ink}'>"
                   f"{escape(tile.name)} <tspan font-weight='normal'>{tile.country}</tspan></text>"
                   f"<text x='{left + 10}' y='{top + 38}' fill='{ink}' font-weight='600'>{escape(word)}</text>"
                   f"<text x='{left + 10}' y='{top + 54}' fill='{ink}' font-size='11'>{escape(tile.line)}</text></g>")
    key_y = height - 16
    x0 = gap
    for status in ("allowed", "not_yet", "pending_release", "ended", "excluded", "not_licensed"):
        fill, _, label = TILE_STYLE[status]
        word = str(label)
        pattern = "url(#hole)" if status == "not_licensed" else fill
        out.append(f"<rect x='{x0}' y='{key_y - 10}' width='14' height='14' fill='{pattern}' stroke='#555'/>"
                   f"<text x='{x0 + 18}' y='{key_y + 1}' font-size='11'>{escape(word)}</text>")
        x0 += 28 + 7 * len(word)
    out.append("</svg>")
    return "\n".join(out)
