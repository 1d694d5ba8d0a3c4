"""Catalog API requests per second: list and search, on SQLite and on PostgreSQL, side by side.

For each database the bench makes a fresh node (migrations, the demo catalog plus
``--titles`` generated titles named in several scripts), starts gunicorn the way
``dastan serve`` does (same workers and threads for both), and drives each endpoint with
wrk for ``--duration`` seconds. Nothing is asserted: it prints a table, the command that
reproduces it, and writes bench/results/api_rps.json.

    python bench/api_rps.py [--duration 8] [--connections 16] [--titles 500] [--workers 2]
                            [--postgres postgresql://root@127.0.0.1:5432/postgres] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = {
    "list (page of 24, ru)": "/api/v1/catalog/titles?page_size=24&language=ru",
    "search latin 'Noori Jatt'": "/api/v1/catalog/search?q=Noori%20Jatt&language=en",
    "search cyrillic 'Северный'": "/api/v1/catalog/search?q=%D0%A1%D0%B5%D0%B2%D0%B5%D1%80%D0%BD%D1%8B%D0%B9",
}

# Generated titles: syllables in Latin, Cyrillic, Arabic script and Chinese, seeded.
SEED_SCRIPT = r"""
import io, random, sys
import django
django.setup()
from dastan.catalog.demo import load_demo
from dastan.catalog import services
from dastan.catalog.models import Organisation
load_demo(io.StringIO())
rng = random.Random(7)
owner = Organisation.objects.get(slug="sever-film")
latin = "ka ra ma la jat noor sher dil ba ha ta za na ri su lo".split()
cyr = "ка ра ма ла джат нур шер дил ба ха та за на ри су ло".split()
arab = "کا را ما لا جٹ نور شیر دل با ہا تا زا نا ری سو لو".split()
han = "卡 拉 马 拉 贾 努 谢 迪 巴 哈 塔 扎 纳 里 苏 洛".split()
for n in range(int(sys.argv[1])):
    idx = [rng.randrange(len(latin)) for _ in range(4)]
    word = lambda table: "".join(table[i] for i in idx[:2]) + " " + "".join(table[i] for i in idx[2:])
    title = services.create_title(by=None, owner=owner, slug=f"generated-{n}", kind="film",
        original_language="ru", country_of_origin="RU", name=word(cyr).title(), synopsis="",
        is_published=True, year=1990 + n % 35)
    services.set_title_text(by=None, title=title, language="en", name=word(latin).title())
    services.set_title_text(by=None, title=title, language="ur", name=word(arab))
    services.set_title_text(by=None, title=title, language="zh-Hans", name=word(han))
"""


@dataclass(frozen=True, slots=True)
class Result:
    database: str
    endpoint: str
    requests_per_s: float
    latency_p50_ms: float
    latency_p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:  # wrk prints "-nan" or "0.00us" when nothing completed
        return float("nan")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[match.group(2)]


def run_wrk(url: str, *, duration_s: int, connections: int,
            headers: tuple[str, ...] = ()) -> tuple[float, float, float, int]:
    """wrk against ``url``: requests/s, p50 and p99 in ms, and failed requests (non-2xx/3xx
    answers and socket errors). ``headers`` are sent as given ("Name: value")."""
    extra = [arg for header in headers for arg in ("-H", header)]
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration_s}s", "--timeout", "10s",
                          "--latency", *extra, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # The percentile lines of "Latency Distribution" only: a thread-stats line ends in a
    # share such as "87.50%", which an unanchored "50%" would match (p50 read as "nan").
    p50 = to_ms(re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = int(bad.group(1)) if bad else 0
    count += sum(int(g) for g in errors.groups()) if errors else 0
    return rps, p50, p99, count


def prepare_node(env: dict[str, str], titles: int) -> None:
    subprocess.run([sys.executable, "-m", "dastan.cli", "manage", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", SEED_SCRIPT, str(titles)], env=env, check=True, cwd=ROOT)


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dastan.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", "4", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/catalog/genres", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {port} within 30 s")


def bench_database(name: str, database_url: str | None, args: argparse.Namespace) -> list[Result]:
    home = tempfile.mkdtemp(prefix=f"dastan-bench-{name}-")
    env = {**os.environ, "DASTAN_HOME": home, "DJANGO_SETTINGS_MODULE": "dastan.settings",
           "DASTAN_SERVE_WORKER": "none", "DASTAN_LOG_LEVEL": "WARNING"}
    if database_url:
        env["DASTAN_DATABASE_URL"] = database_url
    else:
        env.pop("DASTAN_DATABASE_URL", None)
    print(f"[{name}] preparing {args.titles} generated titles plus the demo catalog…", flush=True)
    prepare_node(env, args.titles)
    port = free_port()
    server = serve(env, port, args.workers)
    results = []
    try:
        for label, path in ENDPOINTS.items():
            url = f"http://127.0.0.1:{port}{path}"
            for _ in range(5):  # warm each worker's imports, connections and caches
                urllib.request.urlopen(url, timeout=30).read()
            rps, p50, p99, errors = run_wrk(url, duration_s=args.duration, connections=args.connections)
            print(f"[{name}] {label}: {rps:,.0f} req/s", flush=True)
            results.append(Result(name, label, rps, p50, p99, errors))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    return results


def postgres_database(admin_url: str) -> tuple[str | None, str]:
    """A fresh database on the server at ``admin_url``: (its URL, or None, and why not)."""
    import psycopg

    name = f"dastan_bench_{os.getpid()}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as exc:
        return None, str(exc).strip().splitlines()[0]
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def print_table(results: list[Result], args: argparse.Namespace, skipped: str) -> None:
    by = {(r.database, r.endpoint): r for r in results}
    print(f"\nCatalog API, gunicorn {args.workers} workers × 4 threads, wrk -t2 -c{args.connections} "
          f"-d{args.duration}s, {args.titles} generated titles + demo, {os.cpu_count()} CPUs\n")
    header = f"{'endpoint':30} {'SQLite req/s':>13} {'p50/p99 ms':>13} {'PostgreSQL req/s':>17} {'p50/p99 ms':>13} {'PG/SQLite':>9}"
    print(header)
    print("-" * len(header))
    for endpoint in ENDPOINTS:
        lite, pg = by.get(("sqlite", endpoint)), by.get(("postgresql", endpoint))
        cells = [f"{endpoint:30}"]
        for r, width in ((lite, 13), (pg, 17)):
            cells.append(f"{r.requests_per_s:>{width},.0f} {f'{r.latency_p50_ms:.0f}/{r.latency_p99_ms:.0f}':>13}"
                         if r else f"{'n/a':>{width}} {'':>13}")
        cells.append(f"{pg.requests_per_s / lite.requests_per_s:>9.2f}" if lite and pg and lite.requests_per_s else f"{'':>9}")
        print(" ".join(cells))
    if any(r.errors for r in results):
        print("\nErrors (non-2xx or socket):", {f"{r.database} {r.endpoint}": r.errors for r in results if r.errors})
    if skipped:
        print(f"\nPostgreSQL skipped: {skipped}")
    print("\nReproduce: python bench/api_rps.py " + " ".join(sys.argv[1:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per endpoint (default 8)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--titles", type=int, default=500, help="generated titles besides the demo")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--postgres", default=os.environ.get("DASTAN_BENCH_POSTGRES_URL",
                                                             "postgresql://root@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server's admin URL; a scratch database is made and dropped there")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is not installed.\n  fix: apt-get install wrk", file=sys.stderr)
        return 2
    results = bench_database("sqlite", None, args)
    skipped = "--no-postgres given" if args.no_postgres else ""
    if not args.no_postgres:
        url, name = postgres_database(args.postgres)
        if url is None:
            skipped = f"{args.postgres} not reachable ({name})"
        else:
            try:
                results += bench_database("postgresql", url, args)
            finally:
                drop_postgres_database(args.postgres, name)
    print_table(results, args, skipped)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "api_rps.json").write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
