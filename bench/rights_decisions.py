"""Playback decisions per second: 10,000 titles × 20 licences, pure function vs database.

Builds the catalog twice, side by side in one run: as values in memory (what
``decide_playback`` takes) and as rows in a fresh SQLite file (what
``selectors.decide_playback_for`` loads), with the per-country availability index.
Then measures:

* pure decisions/s (licences already in memory);
* DB-loading decisions/s (each decision loads its title's licences and release dates);
* the catalog query "what may be watched in KZ now" over the whole index;
* the latency a decision adds to a manifest-like request (resolve the country from an
  address-ranges file, load, decide) against rendering the same small playlist alone.

Usage: python bench/rights_decisions.py [--titles 10000] [--per-title 20] [--queries 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="dastan-bench-rights-")
os.environ["DASTAN_HOME"] = HOME
os.environ.pop("DASTAN_DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dastan.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from typing import Self

from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory, override_settings

from dastan.catalog.models import Organisation, Title
from dastan.rights.decisions import decide_playback
from dastan.rights.models import Availability, Licence
from dastan.rights.selectors import catalog_availability, decide_playback_for
from dastan.rights.terms import LicenceTerms, LicenceType, Quality
from dastan.rights.territories import SCO_MEMBERS, TerritorySet
from dastan.rights.windows import OnDate, Window, resolve_interval

PLACES = [("KZ",), ("UZ",), ("RU", "BY"), ("IN",), ("PK",), ("CN",), ("IR",), ("Central Asia",),
          ("SCO members",), ("KG", "TJ"), ("CIS",), ("South Asia",)]
TYPES = list(LicenceType)
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def make_terms(rng: random.Random, title_id: int, n: int) -> list[LicenceTerms]:
    out = []
    for j in range(n):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 1800))
        end = None if rng.random() < 0.15 else start + timedelta(days=rng.randrange(30, 720))
        out.append(LicenceTerms(
            ref=f"T{title_id}-L{j}", title_id=title_id, licence_type=TYPES[j % len(TYPES)],
            territories=TerritorySet.of(rng.choice(PLACES), ("TM",) if rng.random() < 0.2 else ()),
            window=Window(OnDate(start), OnDate(end) if end else None),
            audio_languages=("ru", "kk", "en")[: rng.randrange(0, 4)],
            max_quality=rng.choice(list(Quality))))
    return out


def build_memory(titles: int, per_title: int) -> dict[int, list[LicenceTerms]]:
    rng = random.Random(7)
    return {t: make_terms(rng, t, per_title) for t in range(1, titles + 1)}


def build_database(catalog: dict[int, list[LicenceTerms]]) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        org = Organisation.objects.create(name="Bench", slug="bench", kind="studio", country="KZ")
        Title.objects.bulk_create([Title(id=t, slug=f"t{t}", original_language="kk", country_of_origin="KZ",
                                         owner=org) for t in catalog], batch_size=2000)
        rows, index = [], []
        next_id = 1
        for title_id, licences in catalog.items():
            for lic in licences:
                assert isinstance(lic.window.start, OnDate)
                end = lic.window.end
                rows.append(Licence(
                    id=next_id, ref=lic.ref, title_id=title_id, licensor=org,
                    licence_type=lic.licence_type.value,
                    territories_included=list(lic.territories.included),
                    territories_excluded=list(lic.territories.excluded),
                    start_date=lic.window.start.day, end_date=end.day if isinstance(end, OnDate) else None,
                    audio_languages=list(lic.audio_languages), max_quality=lic.max_quality.value))
                for country in lic.territories.countries():
                    iv = resolve_interval(lic.window, title_id=title_id, country=country)
                    index.append(Availability(licence_id=next_id, title_id=title_id, country=country,
                                              opens_at=iv.opens_at, closes_at=iv.closes_at))
                next_id += 1
        Licence.objects.bulk_create(rows, batch_size=2000)
        Availability.objects.bulk_create(index, batch_size=5000)
    print(f"  database: {len(rows):,} licences, {len(index):,} availability rows ({connection.vendor})")


class Clock:
    """Wall and CPU time together: on a shared 2-core machine the CPU time of this
    process (SQLite runs in it) is the steadier figure; both are printed."""

    def __enter__(self) -> Self:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def rate(label: str, n: int, clock: Clock) -> float:
    per_s = n / clock.cpu
    print(f"  {label:48} {per_s:>10,.0f} /s CPU  {clock.cpu / n * 1e6:>8.1f} µs CPU"
          f"  ({clock.wall / n * 1e6:.1f} µs wall)")
    return per_s


def bench_pure(catalog: dict[int, list[LicenceTerms]], queries: int) -> float:
    rng = random.Random(1)
    asks = [(rng.randrange(1, len(catalog) + 1), rng.choice(SCO_MEMBERS + ("TM", "US")),
             NOW + timedelta(hours=rng.randrange(-20000, 20000))) for _ in range(queries)]
    allowed = 0
    with Clock() as clock:
        for title, country, at in asks:
            allowed += decide_playback(title=title, territory=country, at=at, licences=catalog[title],
                                       audio_languages=("ru", "kk")).allowed
    print(f"  ({allowed / queries:.0%} of random asks allowed)")
    return rate("pure decide_playback (20 licences in memory)", queries, clock)


def bench_db(titles: int, queries: int) -> float:
    rng = random.Random(2)
    rows = {t.pk: t for t in Title.objects.filter(pk__in=[rng.randrange(1, titles + 1) for _ in range(queries)])}
    asks = [(rows[rng.choice(list(rows))], rng.choice(SCO_MEMBERS)) for _ in range(queries)]
    with Clock() as clock:
        for title, country in asks:
            decide_playback_for(title=title, territory=country, at=NOW, audio_languages=("ru",))
    return rate("DB-loading decide_playback_for (SQLite)", queries, clock)


def bench_catalog(repeats: int) -> None:
    times = []
    for country in (SCO_MEMBERS * 3)[:repeats]:
        with Clock() as clock:
            view = catalog_availability(territory=country, at=NOW)
        times.append(clock.cpu)
    print(f"  catalog_availability over the index: median {statistics.median(times) * 1000:.1f} ms CPU "
          f"(KZ: {len(view.watchable):,} watchable, {len(view.coming):,} coming)")


def bench_manifest(titles: int, queries: int) -> None:
    from dastan.rights.playback import playback_decision_for_request

    ranges = Path(HOME) / "ranges.csv"
    with ranges.open("w") as handle:  # 20,000 /24 ranges, like a national IP-to-country table
        for i in range(20000):
            handle.write(f"10.{i // 256}.{i % 256}.0/24,{SCO_MEMBERS[i % 10]}\n")
    factory = RequestFactory()
    title = Title.objects.get(pk=titles // 2)
    lines = ["#EXTM3U", "#EXT-X-VERSION:7"] + [
        f'#EXT-X-STREAM-INF:BANDWIDTH={b}000,RESOLUTION={w}x{h},AUDIO="aud"\nv{h}/index.m3u8?token=abc'
        for b, w, h in ((400, 426, 240), (800, 640, 360), (1400, 854, 480), (2800, 1280, 720), (5000, 1920, 1080))]

    def manifest(request: object, with_rights: bool) -> str:
        if with_rights:
            decision = playback_decision_for_request(request=request, title=title, at=NOW)  # type: ignore[arg-type]
            keep = [ln for ln in lines if "RESOLUTION" not in ln or int(ln.split("x")[1].split(",")[0])
                    <= (decision.max_height or 0)]
            return "\n".join(keep)
        return "\n".join(lines)

    with override_settings(DASTAN_GEOIP_CSV=str(ranges), DASTAN_TRUSTED_PROXIES=[]):
        requests = [factory.get("/master.m3u8", REMOTE_ADDR=f"10.{i % 78}.{i % 256}.9") for i in range(queries)]
        for r in requests:
            r.user = None  # type: ignore[attr-defined]
        manifest(requests[0], True)  # load the ranges file once
        results = {}
        for with_rights in (False, True):
            with Clock() as clock:
                for r in requests:
                    manifest(r, with_rights)
            results[with_rights] = clock.cpu / queries
    added = results[True] - results[False]
    print(f"  manifest-like request (CPU): {results[False] * 1e6:.1f} µs without rights, "
          f"{results[True] * 1e6:.1f} µs with (resolve country from 20,000 ranges + load + decide): "
          f"+{added * 1000:.2f} ms per request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=10000)
    parser.add_argument("--per-title", type=int, default=20)
    parser.add_argument("--queries", type=int, default=20000)
    args = parser.parse_args()
    print(f"Rights decisions: {args.titles:,} titles × {args.per_title} licences (home {HOME})")
    t0 = time.perf_counter()
    catalog = build_memory(args.titles, args.per_title)
    print(f"  built in memory in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    build_database(catalog)
    print(f"  built in SQLite in {time.perf_counter() - t0:.1f} s")
    pure = bench_pure(catalog, args.queries)
    db = bench_db(args.titles, max(1000, args.queries // 10))
    print(f"  pure / DB-loading: {pure / db:.1f}×")
    bench_catalog(10)
    bench_manifest(args.titles, max(1000, args.queries // 10))


if __name__ == "__main__":
    main()
