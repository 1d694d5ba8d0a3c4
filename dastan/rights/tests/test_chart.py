"""The chart's data: bars per licence and country, holes, clashes, the SCO grid today."""

from __future__ import annotations

from datetime import date

from dastan.rights.chart import Span, build_chart
from dastan.rights.svg import chart_svg, tiles_svg
from dastan.rights.terms import LicenceType
from dastan.rights.windows import AfterEvent

from .factories import terms

TODAY = date(2026, 11, 24)
LICENCES = [
    terms("CA-SVOD-1", territories=("Central Asia",), excluded=("TM",), exclusive=True,
          start=date(2026, 3, 1), end=date(2027, 2, 28)),
    terms("KZ-SVOD-5", territories=("KZ",), start=date(2027, 1, 1), end=date(2027, 6, 30)),
    terms("RU-TVOD-2", territories=("RU",), licence_type=LicenceType.TVOD, start=date(2027, 1, 1), end=None),
    terms("CN-SVOD-4", territories=("CN",), start=AfterEvent("theatrical", 90), end=None),
]


def _row(country: str):  # type: ignore[no-untyped-def]
    chart = build_chart(title_id=1, licences=LICENCES, today=TODAY)
    return next(r for r in chart.rows if r.country == country)


def test_a_country_licensed_twice_at_once_gets_two_lanes_and_its_clash_marked() -> None:
    kz = _row("KZ")
    assert kz.lanes == 2 and {b.ref for b in kz.bars} == {"CA-SVOD-1", "KZ-SVOD-5"}
    assert kz.clashes == (Span(date(2027, 1, 1), date(2027, 2, 28), "CA-SVOD-1 × KZ-SVOD-5"),)


def test_months_no_licence_covers_are_holes_and_an_excluded_country_says_by_whom() -> None:
    ru = _row("RU")
    assert ru.holes == (Span(date(2026, 5, 1), date(2026, 12, 31), "not licensed"),)
    tm = _row("TM")
    assert tm.excluded_by == ("CA-SVOD-1",) and not tm.bars


def test_a_window_waiting_for_a_release_date_is_drawn_dashed_from_today() -> None:
    (bar,) = _row("CN").bars
    assert bar.pending and bar.first == TODAY


def test_the_sco_grid_gives_each_member_its_status_today() -> None:
    chart = build_chart(title_id=1, licences=LICENCES, today=TODAY)
    status = {t.country: (t.status, t.line) for t in chart.tiles}
    assert status["KZ"] == ("allowed", "CA-SVOD-1 until 28 Feb 2027")
    assert status["RU"] == ("not_yet", "from 1 Jan 2027")
    assert status["CN"][0] == "pending_release" and status["IR"][0] == "not_licensed"


def test_the_svg_escapes_names_and_names_every_licence() -> None:
    chart = build_chart(title_id=1, licences=LICENCES, today=TODAY)
    svg = chart_svg(chart, title="<Steppe & Wind>")
    assert "&lt;Steppe &amp; Wind&gt;" in svg and "<Steppe" not in svg
    assert all(ref in svg for ref in ("CA-SVOD-1", "KZ-SVOD-5", "RU-TVOD-2", "CN-SVOD-4"))
    assert tiles_svg(chart.tiles).count("<g>") == 10
