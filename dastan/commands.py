"""The common subcommands of `dastan`: demo, serve, models, bench."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

DEMO_APPS = ("catalog", "media", "localization", "rights")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="set up a demo node with sample films and serve it",
        description="Create the database under DASTAN_HOME (default ./var), load the demo "
        "catalog and its films, then run `dastan serve`. Safe to run again: what exists is kept.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="load the demo and stop, without serving")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "serve",
        help="run the web site, the API and (embedded default) a job worker",
        description="Serve pages and the API with gunicorn. With the embedded default the "
        "command also starts a job worker and restarts it if it dies "
        "(DASTAN_SERVE_WORKER=none to run workers elsewhere). Migrations are applied first.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--web-workers", type=int, default=2, help="gunicorn processes (default 2)")
    p.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "models",
        help="list speech, translation and voice engines and models found on this machine",
        description="Every engine Dastan knows, whether it is usable here, the languages it "
        "covers, and the sha256 of its model files. A missing engine says how to install it.",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser(
        "bench",
        help="run a benchmark from bench/ and print its report",
        description="Benchmarks live in the repository's bench/ folder; each prints ratios "
        "measured side by side in one run. Without a name, lists them.",
    )
    p.add_argument("name", nargs="?", help="benchmark name (file bench/NAME.py)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the benchmark")
    p.set_defaults(func=cmd_bench)


# --- demo ------------------------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    print("Preparing the demo node in", os.environ.get("DASTAN_HOME", "./var"), flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    for label in DEMO_APPS:
        try:
            module = importlib.import_module(f"dastan.{label}.demo")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"dastan.{label}", f"dastan.{label}.demo"):
                raise
            continue
        module.load_demo(out=sys.stdout)
    if args.no_serve:
        return 0
    args.web_workers, args.no_migrate = 2, True
    return cmd_serve(args)


# --- serve -----------------------------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from dastan.config import check_settings

    for warning in check_settings():
        print(f"warning: {warning.message}\n  fix: {warning.hint}", file=sys.stderr)
    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        # Collected static files are served gzip-compressed with far-future caching by
        # whitenoise; straight from the apps' folders they would go out raw.
        call_command("collectstatic", interactive=False, verbosity=0)

    children: list[subprocess.Popen[bytes]] = []
    stopping = threading.Event()
    web = subprocess.Popen([
        sys.executable, "-m", "gunicorn", "dastan.wsgi:application",
        "--bind", f"{args.host}:{args.port}", "--workers", str(args.web_workers),
        "--threads", "4", "--timeout", "120", "--access-logfile", "-", "--log-level", "warning",
    ])
    children.append(web)
    if settings.DASTAN_SERVE_WORKER == "process":
        threading.Thread(target=_supervise_worker, args=(children, stopping), daemon=True).start()

    def stop(signum: int, frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    url = f"http://{args.host}:{args.port}/"
    print(f"\nDastan is running at {url}\n  API schema: {url}api/v1/openapi.json\n  Stop with Ctrl-C.\n",
          flush=True)
    try:
        while not stopping.is_set() and web.poll() is None:
            stopping.wait(0.5)
    finally:
        stopping.set()
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0 if web.returncode in (None, 0, -signal.SIGTERM) else 1


def _supervise_worker(children: list[subprocess.Popen[bytes]], stopping: threading.Event) -> None:
    """Keep one worker running beside the web server; restart it if it dies."""
    while not stopping.is_set():
        # One name across restarts, so the compute ledger and the block list follow the
        # machine rather than each process.
        name = f"{socket.gethostname()}-serve"
        worker = subprocess.Popen([sys.executable, "-m", "dastan.cli", "worker", "--name", name])
        children.append(worker)
        while worker.poll() is None and not stopping.is_set():
            stopping.wait(1)
        if not stopping.is_set():
            print(f"warning: the job worker stopped (exit {worker.returncode}); restarting it",
                  file=sys.stderr, flush=True)
            time.sleep(2)


# --- models ----------------------------------------------------------------------------------------

def cmd_models(args: argparse.Namespace) -> int:
    try:
        from dastan.localization.engines.registry import describe_engines
    except ModuleNotFoundError:
        print("No localization engines are part of this build yet.")
        return 0
    import json

    rows = describe_engines()
    if args.json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(row.as_line())
    return 0


# --- bench -----------------------------------------------------------------------------------------

def bench_dir() -> Path:
    for candidate in (Path.cwd() / "bench", Path(__file__).resolve().parent.parent / "bench"):
        if candidate.is_dir():
            return candidate
    return Path.cwd() / "bench"


def cmd_bench(args: argparse.Namespace) -> int:
    folder = bench_dir()
    scripts = sorted(p.stem for p in folder.glob("*.py") if not p.name.startswith("_"))
    if not args.name:
        print("Benchmarks in", folder)
        for name in scripts:
            doc = (folder / f"{name}.py").read_text().split('"""')
            print(f"  {name:24} {doc[1].strip().splitlines()[0] if len(doc) > 1 else ''}")
        return 0
    if args.name not in scripts:
        from dastan.errors import InvalidInput

        raise InvalidInput(f"No benchmark '{args.name}' in {folder}.",
                           "Run `dastan bench` to list them: " + ", ".join(scripts))
    return subprocess.call([sys.executable, str(folder / f"{args.name}.py"), *args.args])
