"""The viewer's edge in one run: requests per second and p50/p99 latency for every kind
of request a viewer makes, side by side with the ceiling (a static file), and how the
page of titles and search grow with the catalogue.

One fresh node per database (the demo catalogue plus ``--titles`` generated titles, and
one 8 s 720p film with grain ingested with ffmpeg and licensed for Kazakhstan, where every request says it
comes from through a trusted proxy's CF-IPCountry, so the rights decision runs), served by gunicorns the way ``dastan serve`` runs
them: one sends media itself, one answers with X-Accel-Redirect behind Debian's nginx
configured by ``dastan nginx-config`` (which also serves the media folder bare, for the
segment line; the static file and the master playlist, and nginx's three segment rows,
are measured in turns and reported as medians, so a shared machine's swings weigh on a
row and its ceiling alike; a segment through it is measured both as hls.js asks for it, a folder link
nginx checks itself, and as a browser's own HLS does, a grant's link nginx asks Django about once per folder; pages and the catalogue API through it use its microcache), and one (a single process) without the catalogue's read cache, for what
an uncached page of titles and search cost as the catalogue grows. Another process adds
the grown titles, so the cached servers' own caches may answer from before the growth
until DASTAN_CATALOG_CACHE_S lapses (no shared cache in the bench). Each URL gets ``--duration`` seconds of wrk. Nothing is asserted.

    python bench/edge.py [--duration 3] [--connections 16] [--start-titles 1000] [--titles 10000] [--grow-to 100000]
                         [--workers 2] [--segment-rounds 3] [--only segments|masters] [--postgres URL | --no-postgres]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import api_rps  # its seeding, wrk and PostgreSQL helpers

VIEWER = "benchviewer0123456789abcdef"  # the dastan_viewer cookie the signed links are bound to
FILM_SLUG = "edge-bench-film"
FILM_S = 8
LOWEST = ", lowest rung"  # the rows of the lowest rung's segment
COUNTRY = "KZ"  # the viewers' country, stated by a trusted proxy's header (the rights decision runs)
SEED_FILM = f"""
from datetime import date
from dastan.catalog import services
from dastan.catalog.models import Organisation
from dastan.rights.actions import grant_licence
from dastan.rights.terms import LicenceTerms, LicenceType
from dastan.rights.territories import TerritorySet
from dastan.rights.windows import OnDate, Window
owner = Organisation.objects.get(slug="sever-film")
film = services.create_title(by=None, owner=owner, slug="{FILM_SLUG}",
    kind="film", original_language="ru", country_of_origin="RU", name="Край", is_published=True)
grant_licence.execute(licensor=owner, terms=LicenceTerms(ref="EDGE-{COUNTRY}", title_id=film.pk,
    licence_type=LicenceType.SVOD, territories=TerritorySet.of(("{COUNTRY}",), ()),
    window=Window(OnDate(date(2020, 1, 1)), None)))
"""
# Grows the catalogue fast (bulk inserts of titles, their texts and search entries) to
# argv[2] titles named grown-<n> from argv[1] on; the search index is filled as index_title would.
GROW_SCRIPT = r"""
import random, sys
import django
django.setup()
from django.db import transaction
from dastan.catalog.cache import bump_version
from dastan.catalog.models import Organisation, SearchEntry, Title, TitleText
from dastan.catalog.search.base import backend_for
from dastan.catalog.search.index import _entry
rng = random.Random(int(sys.argv[1]))
owner = Organisation.objects.get(slug="sever-film")
latin = "ka ra ma la jat noor sher dil ba ha ta za na ri su lo".split()
cyr = "ка ра ма ла джат нур шер дил ба ха та за на ри су ло".split()
arab = "کا را ما لا جٹ نور شیر دل با ہا تا زا نا ری سو لو".split()
han = "卡 拉 马 拉 贾 努 谢 迪 巴 哈 塔 扎 纳 里 苏 洛".split()
backend = backend_for()
start, end = int(sys.argv[1]), int(sys.argv[2])
for first in range(start, end, 2000):
    with transaction.atomic():
        titles = Title.objects.bulk_create([Title(owner=owner, slug=f"grown-{n}", kind="film", original_language="ru",
            country_of_origin="RU", is_published=True, year=1990 + n % 35) for n in range(first, min(first + 2000, end))])
        texts = []
        for title in titles:
            idx = [rng.randrange(len(latin)) for _ in range(4)]
            word = lambda table: "".join(table[i] for i in idx[:2]) + " " + "".join(table[i] for i in idx[2:])
            texts += [TitleText(title=title, language=lang, name=name) for lang, name in (
                ("ru", word(cyr).title()), ("en", word(latin).title()), ("ur", word(arab)), ("zh-Hans", word(han)))]
        texts = TitleText.objects.bulk_create(texts)
        entries = [_entry(title=t.title, text=t, field=SearchEntry.Field.NAME, value=t.name) for t in texts]
        backend.add(SearchEntry.objects.bulk_create(entries))
bump_version()
from django.db import connection
if connection.vendor == "postgresql":
    # What autovacuum does within a minute of such a growth on a node: without statistics the
    # planner takes 100,000 fresh rows for a hundred and sorts them all instead of walking the
    # newest-first index (60 ms against 0.1 ms for a page of titles).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
"""


@dataclass(frozen=True, slots=True)
class Row:
    database: str
    request: str
    titles: int
    requests_per_s: float
    latency_p50_ms: float
    latency_p99_ms: float
    errors: int


def dastan(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "dastan.cli", *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def get(url: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": f"dastan_viewer={VIEWER}", "CF-IPCountry": COUNTRY})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.read().decode(errors="replace"))


def media_urls(base: str, *, edge_links: bool = False, top: bool = True) -> tuple[str, str, str]:
    """(master playlist, the top (else the lowest) rung's first segment, that segment's path) for the bench film; with
    ``edge_links`` as hls.js asks for them: folder links that nginx checks itself, living a
    minute (dastan/media/edge_links.py), so they are minted just before they are measured."""
    master = f"{base}/media/watch/{FILM_SLUG}/master.m3u8" + ("?links=edge" if edge_links else "")
    # The top rung's media playlist is what a player on a good connection (or loopback) asks
    # for; the lowest rung's small segments show what each request costs beyond its bytes.
    lines = get(master).splitlines()
    rungs = [(int(re.search(r"BANDWIDTH=(\d+)", info).group(1)), uri)  # type: ignore[union-attr]
             for info, uri in itertools.pairwise(lines) if info.startswith("#EXT-X-STREAM-INF")]
    media_path = (max(rungs) if top else min(rungs))[1]
    segment = next(line for line in get(base + media_path).splitlines() if line.endswith(".m4s"))
    segment_path = media_path.rsplit("/", 1)[0] + "/" + segment
    return master, base + segment_path, segment_path


def start_nginx(env: dict[str, str], home: Path, upstream_port: int) -> tuple[subprocess.Popen[bytes], int]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    run_dir = home / "nginx"
    run_dir.mkdir()
    port = api_rps.free_port()
    conf = dastan(env, "nginx-config", "--listen", f"127.0.0.1:{port}", "--upstream",
                  f"127.0.0.1:{upstream_port}", "--run-dir", str(run_dir))
    media_root = Path(env["DASTAN_HOME"]) / "media"
    # Bench only: the same media folder served bare, no decision at all (the last line).
    bare = f"        location /bare/ {{ alias {media_root}/; add_header X-Dastan-Sent-By nginx; }}\n\n"
    conf = conf.replace("        location / {", bare + "        location / {", 1)
    (run_dir / "nginx.conf").write_text(conf)
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    proc = subprocess.Popen([nginx, "-c", str(run_dir / "nginx.conf"), "-p", str(run_dir), "-g", directives],
                            start_new_session=True)
    time.sleep(1)
    return proc, port


def measure(rows: list[Row], database: str, titles: int, label: str, url: str, args: argparse.Namespace) -> None:
    for _ in range(3):
        get(url)
    rps, p50, p99, failed = api_rps.run_wrk(url, duration_s=args.duration, connections=args.connections,
                                            headers=(f"Cookie: dastan_viewer={VIEWER}", f"CF-IPCountry: {COUNTRY}"))
    rows.append(Row(database, label, titles, rps, p50, p99, failed))
    print(f"[{database}, {titles} titles] {label}: {rps:,.0f} req/s", flush=True)


def medians_of_turns(database: str, titles: int, urls: dict[str, Callable[[], str]],
                     args: argparse.Namespace, ceiling_of: Callable[[str], str] | None = None) -> list[Row]:
    """Each request measured ``--segment-rounds`` times in turns with the others (its URL
    asked for anew each turn), as the median of its turns; and, turn by turn, its ratio to
    its ceiling's (``ceiling_of(label)``, by default the first request's) measured in the
    same turn."""
    turns: list[Row] = []
    for _ in range(args.segment_rounds):
        for label, url in urls.items():
            measure(turns, database, titles, label, url(), args)
    first = next(iter(urls))
    found = []
    for label in urls:
        mine = [r for r in turns if r.request == label]
        found.append(sorted(mine, key=lambda r: r.requests_per_s)[len(mine) // 2])
        ceiling = ceiling_of(label) if ceiling_of else first
        if label != ceiling:
            of_ceiling = [r for r in turns if r.request == ceiling]
            ratios = sorted(r.requests_per_s / c.requests_per_s for r, c in zip(mine, of_ceiling, strict=True))
            print(f"[{database}] {label} ÷ {ceiling}, turn by turn: "
                  f"{', '.join(f'{x:.2f}' for x in ratios)} (median {ratios[len(ratios) // 2]:.2f})", flush=True)
    return found


def bench_database(name: str, database_url: str | None, args: argparse.Namespace) -> list[Row]:
    from dastan.media.tests.films import film

    home = Path(tempfile.mkdtemp(prefix=f"dastan-edge-{name}-"))
    env = {**os.environ, "DASTAN_HOME": str(home), "DJANGO_SETTINGS_MODULE": "dastan.settings",
           "DASTAN_SERVE_WORKER": "none", "DASTAN_LOG_LEVEL": "WARNING", "DASTAN_TRUSTED_PROXIES": "127.0.0.1",
           "DASTAN_API_ANON_RATE": "100000000/m",
           "DASTAN_API_TOKEN_RATE": "100000000/m"}
    env.pop("DASTAN_DATABASE_URL", None)
    if database_url:
        env["DASTAN_DATABASE_URL"] = database_url
    start = min(args.start_titles or args.titles, args.titles)
    print(f"[{name}] preparing the demo catalogue, {start} generated titles and a film…", flush=True)
    api_rps.prepare_node(env, start)
    dastan(env, "manage", "shell", "-c", SEED_FILM)
    # 720p with grain, so the top rung's segments are the size its bitrate gives (hundreds of
    # KB, like the 341 KB one), not the few KB a clean test pattern compresses to.
    dastan(env, "ingest", str(film(home / "film.mp4", seconds=FILM_S, size="1280x720",
                                   video_filter="noise=alls=16:allf=t")), "--title", FILM_SLUG)
    plain_port, accel_port = api_rps.free_port(), api_rps.free_port()
    plain = api_rps.serve(env, plain_port, args.workers)
    accel = api_rps.serve({**env, "DASTAN_MEDIA_ACCEL_REDIRECT": "/protected-media/"}, accel_port, args.workers)
    # The same node without the catalogue's read cache: what a first (or changed) answer costs.
    uncached_port = api_rps.free_port()
    uncached = api_rps.serve({**env, "DASTAN_CATALOG_CACHE_S": "0"}, uncached_port, 1)
    cold = f"http://127.0.0.1:{uncached_port}"
    nginx, nginx_port = start_nginx(env, home, accel_port)
    rows: list[Row] = []
    base, edge = f"http://127.0.0.1:{plain_port}", f"http://127.0.0.1:{nginx_port}"
    try:
        master, segment, _ = media_urls(base)
        media_root = home / "media"
        # nginx's three ways to send the same segment, measured in turns (--segment-rounds),
        # each row the median of its turns, so that the others' load on a shared machine
        # weighs on all three alike: hls.js's folder links, which nginx checks itself
        # (secure_link, no question to Django; minted just before each turn, since they
        # live a minute); the grant's links the browser's own HLS keeps, which nginx asks
        # Django about once per folder (auth_request); and no check at all. Once for the
        # top rung's segment and once for the lowest rung's, whose few bytes leave the
        # checks' own cost most visible.
        nginx_segments: dict[str, Callable[[], str]] = {}
        for top, suffix in ((True, ""), (False, LOWEST)):
            _, edge_segment, segment_path = media_urls(edge, top=top)
            under_token = "/".join(segment_path.split("/")[4:])  # after /media/s/<token>/
            on_disk = next(p for p in media_root.rglob("*.m4s") if p.as_posix().endswith("/" + under_token))
            print(f"[{name}] segment{suffix}: {on_disk.relative_to(media_root)}, "
                  f"{on_disk.stat().st_size / 1000:,.0f} KB", flush=True)
            nginx_segments |= {
                "segment via nginx-through-Dastan" + suffix:
                    functools.partial(lambda t: media_urls(edge, edge_links=True, top=t)[1], top),
                "segment via nginx auth_request" + suffix: edge_segment.__str__,
                "segment from bare nginx" + suffix: f"{edge}/bare/{on_disk.relative_to(media_root).as_posix()}".__str__,
            }
        requests = {
            "static file (whitenoise)": f"{base}/static/dastan/site.css",
            "smallest API answer (genres)": f"{base}/api/v1/catalog/genres",
            "page of 24 titles (API)": f"{base}/api/v1/catalog/titles?page_size=24&language=ru",
            "search (API)": f"{base}/api/v1/catalog/search?q=Noori%20Jatt&language=en",
            "home page": f"{base}/",
            "title page": f"{base}/titles/{FILM_SLUG}/",
            "home page via nginx": f"{edge}/",
            "title page via nginx": f"{edge}/titles/{FILM_SLUG}/",
            "page of 24 titles via nginx": f"{edge}/api/v1/catalog/titles?page_size=24&language=ru",
            "master playlist": master,
            # what hls.js asks for (signed-links.js): the same master with folder links
            "master playlist, folder links": master + "?links=edge",
            "segment via Dastan": segment,
        }
        requests["page of 24 titles (API, uncached)"] = requests["page of 24 titles (API)"].replace(base, cold)
        requests["search (API, uncached)"] = requests["search (API)"].replace(base, cold)
        growth = ("page of 24 titles (API)", "search (API)", "page of 24 titles (API, uncached)",
                  "search (API, uncached)")
        grown = 0

        def grow_to(size: int) -> None:
            nonlocal grown
            print(f"[{name}] growing to {size} titles…", flush=True)
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", GROW_SCRIPT, str(grown), str(size - start)],
                           env=env, check=True, cwd=ROOT)
            grown = size - start
            print(f"[{name}] grown in {time.monotonic() - started:.0f} s", flush=True)

        in_turns = ("static file (whitenoise)", "master playlist", "master playlist, folder links")
        if args.only == "segments":
            requests = {}
        elif args.only == "masters":
            requests = {label: requests[label] for label in in_turns}
            nginx_segments = {}
        elif start < args.titles:  # --start-titles: list and search first at the smaller catalogue
            for label in growth:
                measure(rows, name, start, label, requests[label], args)
            grow_to(args.titles)
        # The master playlist against its ceiling, the static file, also in turns (median
        # of each), for the same reason as the segments below.
        for label, url in requests.items():
            if label not in in_turns:
                measure(rows, name, args.titles, label, url, args)
        if requests:
            rows[:0] = medians_of_turns(name, args.titles, {label: requests[label].__str__ for label in in_turns},
                                        args)
        if nginx_segments:
            rows += medians_of_turns(name, args.titles, nginx_segments, args, ceiling_of=lambda label: (
                "segment from bare nginx" + (LOWEST if label.endswith(LOWEST) else "")))
        for size in sorted(n for n in args.grow_to if n > args.titles and not args.only):
            grow_to(size)
            for label in growth:
                measure(rows, name, size, label, requests[label], args)
    finally:
        for server in (plain, accel, uncached):
            server.terminate()
            server.wait(timeout=30)
        os.killpg(nginx.pid, signal.SIGQUIT)
        nginx.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    return rows


def print_table(rows: list[Row], args: argparse.Namespace, skipped: str) -> None:
    print(f"\nThe viewer's edge: gunicorn {args.workers} workers × 4 threads, wrk -t2 -c{args.connections} "
          f"-d{args.duration}s, {os.cpu_count()} CPUs (shared with other work while measured)\n")
    for database in dict.fromkeys(r.database for r in rows):
        mine = [r for r in rows if r.database == database]
        static = next((r.requests_per_s for r in mine if r.request.startswith("static")), float("nan"))
        bare = next((r.requests_per_s for r in mine if r.request == "segment from bare nginx"), float("nan"))
        bare_lowest = next((r.requests_per_s for r in mine if r.request == "segment from bare nginx" + LOWEST),
                           float("nan"))
        print(f"{database}:")
        print(f"  {'request':45} {'titles':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× static':>9} {'× bare':>7}")
        for r in mine:
            ceiling = bare_lowest if r.request.endswith(LOWEST) else bare
            print(f"  {r.request:45} {r.titles:>7} {r.requests_per_s:>9,.0f} {r.latency_p50_ms:>8.1f} "
                  f"{r.latency_p99_ms:>8.1f} {r.requests_per_s / static:>9.2f} {r.requests_per_s / ceiling:>7.2f}"
                  + (f"  ({r.errors} errors)" if r.errors else ""))
    if skipped:
        print(f"\nPostgreSQL skipped: {skipped}")
    print("\nReproduce: python bench/edge.py " + " ".join(sys.argv[1:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=int, default=3, help="seconds of load per request (default 3)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--titles", type=int, default=1000, help="generated titles besides the demo")
    parser.add_argument("--start-titles", type=int, default=0,
                        help="measure list and search first at this many generated titles, then grow to "
                             "--titles for the whole table (e.g. 1000 with --titles 10000)")
    parser.add_argument("--grow-to", type=lambda v: [int(n) for n in v.split(",") if n], default=[10000],
                        help="comma-separated catalogue sizes at which list and search are measured again "
                             "(e.g. 1000,10000,100000; bulk inserts, ~seconds per 10,000)")
    parser.add_argument("--segment-rounds", type=int, default=3,
                        help="turns of the three nginx segment rows, each reported as its median (default 3)")
    parser.add_argument("--only", choices=("segments", "masters"),
                        help="only nginx's segment rows, or only the static file and both masters, in "
                             "--segment-rounds turns (no other rows, no growth)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes per server")
    parser.add_argument("--postgres", default=os.environ.get("DASTAN_BENCH_POSTGRES_URL",
                                                             "postgresql://root@127.0.0.1:5432/postgres"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    for tool in ("wrk", "ffmpeg"):
        if shutil.which(tool) is None:
            print(f"error: {tool} is not installed.\n  fix: scripts/install-system-deps", file=sys.stderr)
            return 2
    rows = bench_database("sqlite", None, args)
    skipped = "--no-postgres given" if args.no_postgres else ""
    if not args.no_postgres:
        url, name = api_rps.postgres_database(args.postgres)
        if url is None:
            skipped = f"{args.postgres} not reachable ({name})"
        else:
            try:
                rows += bench_database("postgresql", url, args)
            finally:
                api_rps.drop_postgres_database(args.postgres, name)
    print_table(rows, args, skipped)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "edge.json").write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
