"""Settings for the test suite: a fresh DASTAN_HOME per run, jobs run in-process unless a
test starts real workers, and a file-backed SQLite test database that worker processes
can open too."""

import os
import tempfile

from dastan_testing import with_root_on_pythonpath

# Processes the tests start (servers, workers, CLI commands) inherit this environment; they
# load this package's job handlers, which are not installed (see dastan_testing/__init__.py).
os.environ["PYTHONPATH"] = with_root_on_pythonpath(os.environ)["PYTHONPATH"]
os.environ.setdefault("DASTAN_HOME", tempfile.mkdtemp(prefix="dastan-test-"))
# Under pytest-xdist every worker inherits the DASTAN_HOME its controller made: give each
# one a home of its own (media, uploads, the test database), or two workers' films with
# the same slug overwrite each other's files. Once per worker: the processes its tests
# start inherit both variables and keep that home.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("DASTAN_TEST_HOME_OF") != _worker:
    os.environ["DASTAN_HOME"] = tempfile.mkdtemp(prefix=f"dastan-test-{_worker}-")
    os.environ["DASTAN_TEST_HOME_OF"] = _worker
os.environ.setdefault("DASTAN_JOBS_DISPATCH", "none")
# The miniature handlers that the jobs tests (and the workers they start) run.
os.environ.setdefault("DASTAN_JOB_MODULES", "dastan_testing.job_handlers")
os.environ.setdefault("DASTAN_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
# The suite makes thousands of API calls from 127.0.0.1, and its fuzzers send wrong tokens on
# purpose: rates far above what it reaches (servers the tests start inherit these too). The
# throttle tests set their own low rates (dastan/accounts/tests/test_throttling.py).
for _rate in ("DASTAN_API_ANON_RATE", "DASTAN_API_TOKEN_RATE", "DASTAN_API_BAD_TOKEN_RATE"):
    os.environ.setdefault(_rate, "1000000/m")

# Tests roll their transactions back, so the services' cache invalidation (run on commit)
# never fires there: the catalogue's read cache is off in the suite and in the servers it
# starts; dastan/catalog/tests/test_cache.py turns it on for itself.
os.environ.setdefault("DASTAN_CATALOG_CACHE_S", "0")
# Federation tests peer nodes on loopback over plain HTTP (dastan/federation/addresses.py);
# its own tests turn the production rule back on.
os.environ.setdefault("DASTAN_FEDERATION_ALLOW_PRIVATE", "true")

from dastan.settings import *
from dastan.settings import DASTAN_HOME, DATABASES

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(DASTAN_HOME / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Media, player and localization tests play films that no licence covers; the rights
# tests switch enforcement on themselves (dastan/rights/tests/test_playback_media.py).
DASTAN_PLAYBACK_LIMITS = ""
DASTAN_SIGNED_REQUEST_CHECK = ""
