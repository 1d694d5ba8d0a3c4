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

from django.utils.translation import get_language, gettext, override

from dastan import processes

DEMO_APPS = ("catalog", "media", "localization", "dubbing", "rights", "accounts", "bazaar", "labs")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help=gettext("set up a demo node with sample films and serve it"),
        description=gettext("Create the database under DASTAN_HOME (default ./var), load the demo "
        "catalog and its films, then run `dastan serve`. Safe to run again: what exists is kept."),
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help=gettext("load the demo and stop, without serving"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "serve",
        help=gettext("run the web site, the API and (embedded default) a job worker"),
        description=gettext("Serve pages and the API with gunicorn. With the embedded default the "
        "command also starts a job worker (DASTAN_SERVE_WORKER=none to run workers elsewhere). "
        "Either is restarted if it dies. Migrations are applied first."),
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--web-workers", type=int, default=2, help=gettext("gunicorn processes (default 2)"))
    p.add_argument("--no-migrate", action="store_true", help=gettext("do not apply pending migrations"))
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "models",
        help=gettext("list speech, translation and voice engines and models found on this machine"),
        description=gettext("Every engine Dastan knows, whether it is usable here, the languages it "
        "covers, and the sha256 of its model files. A missing engine says how to install it."),
    )
    p.add_argument("--json", action="store_true", help=gettext("print JSON instead of a table"))
    p.set_defaults(func=cmd_models)

    p = sub.add_parser(
        "bench",
        help=gettext("run a benchmark from bench/ and print its report"),
        description=gettext("Benchmarks live in the repository's bench/ folder; each prints ratios "
        "measured side by side in one run. Without a name, lists them."),
    )
    p.add_argument("name", nargs="?", help=gettext("benchmark name (file bench/NAME.py)"))
    p.add_argument("args", nargs=argparse.REMAINDER, help=gettext("arguments passed to the benchmark"))
    p.set_defaults(func=cmd_bench)


# --- demo ------------------------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    print(gettext("Preparing the demo node in %(folder)s") % {"folder": os.environ.get("DASTAN_HOME", "./var")},
          flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    for label in DEMO_APPS:  # in this order: each app's demo builds on the ones before
        importlib.import_module(f"dastan.{label}.demo").load_demo(out=sys.stdout)
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
        # Translators: the line before a warning; "  fix:" under it is translated as in "error:".
        print(gettext("warning: %(message)s") % {"message": warning.message}, file=sys.stderr)
        print(gettext("  fix: %(hint)s") % {"hint": warning.hint}, file=sys.stderr)
    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        # Collected static files are served gzip-compressed with far-future caching by
        # whitenoise; straight from the apps' folders they would go out raw.
        call_command("collectstatic", interactive=False, verbosity=0)

    stopping = threading.Event()
    failed = threading.Event()
    web = [sys.executable, "-m", "gunicorn", "dastan.wsgi:application",
           "--bind", f"{args.host}:{args.port}", "--workers", str(args.web_workers),
           "--threads", "4", "--timeout", "120", "--access-logfile", "-", "--log-level", "warning"]
    programs = [(gettext("web server"), web)]
    if settings.DASTAN_SERVE_WORKER == "process":
        # One name across restarts, so the compute ledger and the block list follow the
        # machine rather than each process.
        name = f"{socket.gethostname()}-serve"
        programs.append((gettext("job worker"), [sys.executable, "-m", "dastan.cli", "worker", "--name", name]))
    if settings.DASTAN_FEDERATION_SYNC_S > 0:
        # Peers are kept in step with no operator at hand (dastan/federation/sync.py).
        programs.append((gettext("federation sync"), [sys.executable, "-m", "dastan.cli", "federation", "sync",
                                             "--every", f"{settings.DASTAN_FEDERATION_SYNC_S:g}"]))
    language = get_language()  # the supervisors' threads speak the operator's language too
    supervisors = [threading.Thread(target=_supervise, args=(what, cmd, stopping, failed, language), daemon=True)
                   for what, cmd in programs]
    for thread in supervisors:
        thread.start()

    def stop(signum: int, frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    url = f"http://{args.host}:{args.port}/"
    print("\n" + gettext("Dastan is running at %(url)s\n  API schema: %(url)sapi/v1/openapi.json\n"
                         "  Stop with Ctrl-C.") % {"url": url} + "\n", flush=True)
    try:
        while not stopping.wait(1):
            pass
    finally:
        stopping.set()
        for thread in supervisors:  # each stops its program: SIGTERM, then SIGKILL after 15 s
            thread.join(timeout=20)
    return 1 if failed.is_set() else 0


QUICK_EXIT_S = 10  # a program that dies sooner than this after starting is failing to start
GIVE_UP_AFTER = 5  # quick exits in a row: it will not start (a port in use, a broken setting)


def _supervise(what: str, cmd: list[str], stopping: threading.Event, failed: threading.Event,
               language: str | None = None) -> None:
    with override(language):
        _keep_running(what, cmd, stopping, failed)


def _keep_running(what: str, cmd: list[str], stopping: threading.Event, failed: threading.Event) -> None:
    """Keep ``cmd`` running until ``stopping``: restart it whenever it dies (the kernel's
    OOM killer, a crash), waiting longer after each quick exit; after GIVE_UP_AFTER quick
    exits in a row stop the node with exit status 1, so a service manager sees it."""
    quick_exits = 0
    while not stopping.is_set():
        started = time.monotonic()
        # Through dastan.processes: the program dies with `serve` even if it is SIGKILLed.
        with processes.started(cmd) as proc:
            while proc.poll() is None and not stopping.is_set():
                stopping.wait(0.5)
            if stopping.is_set():
                proc.terminate()  # the worker gives its running jobs back to the queue
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                return
        quick_exits = quick_exits + 1 if time.monotonic() - started < QUICK_EXIT_S else 0
        if quick_exits >= GIVE_UP_AFTER:
            # Translators: %(what)s is "web server", "job worker" or "federation sync"; "s" is seconds.
            message = gettext("the %(what)s stopped %(count)s times within %(seconds)s s of starting "
                              "(last exit %(status)s); stopping Dastan.") % {
                "what": what, "count": quick_exits, "seconds": QUICK_EXIT_S, "status": proc.returncode}
            print(gettext("error: %(message)s") % {"message": message}, file=sys.stderr)
            print(gettext("  fix: %(hint)s") % {"hint": gettext("read its messages above.")},
                  file=sys.stderr, flush=True)
            failed.set()
            stopping.set()
            return
        message = gettext("the %(what)s stopped (exit %(status)s); restarting it") % {
            "what": what, "status": proc.returncode}
        print(gettext("warning: %(message)s") % {"message": message}, file=sys.stderr, flush=True)
        stopping.wait(min(30.0, 2.0 * 2 ** max(0, quick_exits - 1)))


# --- models ----------------------------------------------------------------------------------------

def cmd_models(args: argparse.Namespace) -> int:
    import json

    from dastan.localization.engines.registry import describe_engines

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
        print(gettext("Benchmarks in %(folder)s") % {"folder": folder})
        for name in scripts:
            doc = (folder / f"{name}.py").read_text().split('"""')
            print(f"  {name:24} {doc[1].strip().splitlines()[0] if len(doc) > 1 else ''}")
        return 0
    if args.name not in scripts:
        from dastan.errors import InvalidInput

        raise InvalidInput(gettext("No benchmark '%(name)s' in %(folder)s.") % {"name": args.name, "folder": folder},
                           gettext("Run `dastan bench` to list them: %(names)s") % {"names": ", ".join(scripts)})
    return subprocess.call([sys.executable, str(folder / f"{args.name}.py"), *args.args])
