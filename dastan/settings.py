"""Settings for both scales, read from environment variables.

The embedded default needs no server: SQLite in WAL mode under ``DASTAN_HOME``, files
in a local folder, and a Celery broker kept in a SQLite file that the worker started by
``dastan serve`` reads. Point ``DASTAN_DATABASE_URL`` at ``postgresql://…`` and
``DASTAN_BROKER_URL`` at ``redis://…`` or ``amqp://…`` and the same code runs with
workers on other hosts. :func:`dastan.config.check_settings` says when the two
disagree.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from dastan.catalog.languages import LANGUAGES as DASTAN_LANGUAGES

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DASTAN_HOME = Path(env("DASTAN_HOME", "./var")).resolve()
DASTAN_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """An explicit key wins; otherwise one is made once and kept under DASTAN_HOME."""
    explicit = env("DASTAN_SECRET_KEY")
    if explicit:
        return explicit
    path = DASTAN_HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DASTAN_DEBUG", False)
ALLOWED_HOSTS = [h for h in env("DASTAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("DASTAN_CSRF_TRUSTED_ORIGINS").split(",") if o]
# The public address of this node, used in printed URLs and federation.
DASTAN_PUBLIC_URL = env("DASTAN_PUBLIC_URL", "http://127.0.0.1:8000")
# Who this node is to its federation peers (its discovery document, /.well-known/dastan-node).
DASTAN_NODE_NAME = env("DASTAN_NODE_NAME", "Dastan")
DASTAN_NODE_COUNTRY = env("DASTAN_NODE_COUNTRY", "")
# `dastan serve` pushes to and pulls from every accepted peer this often (seconds; 0: never,
# `dastan federation sync` by hand or from cron). One host of a node is enough.
DASTAN_FEDERATION_SYNC_S = float(env("DASTAN_FEDERATION_SYNC_S", "60"))
# Peers are reached over HTTPS at public addresses only; true also allows http:// and
# loopback or private addresses (tests, development: the default with DASTAN_DEBUG).
DASTAN_FEDERATION_ALLOW_PRIVATE = env_bool("DASTAN_FEDERATION_ALLOW_PRIVATE", DEBUG)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "axes",  # failed sign-ins and lockouts (see "security" below)
    "ninja",  # serves the API docs' Swagger files itself, so the docs page obeys the CSP
    "dastan.accounts",
    "dastan.jobs",
    "dastan.catalog",
    "dastan.web",
    "dastan.media",
    "dastan.rights",
    "dastan.localization",
    "dastan.labs",  # programmes, calls, selection, mentoring
    "dastan.bazaar",  # the co-production market: profiles, projects, meetings, scripts under NDA
    "dastan.credentials",  # C2PA content credentials of machine-made tracks
    "dastan.dubbing",  # human dubbing, consent, disclosure by territory
    "dastan.federation",  # national nodes share catalogues and licence facts
    "dastan.signing",  # RFC 9421 signed requests between nodes and from partners' workers
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Home, title pages and the catalogue API for anonymous viewers, kept whole: a kept
    # answer skips everything below (dastan/web/page_cache.py).
    "dastan.web.page_cache.AnonymousPageCacheMiddleware",
    # Views marked lean_view (a viewer's master playlist without a session, remote
    # workers' signed doors) skip everything below (dastan/lean.py).
    "dastan.lean.LeanViewMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language a signed-in person reads in, for what is written to them later.
    "dastan.accounts.languages.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Sees a view's DastanError first: pages answer 403/404/451 in the viewer's language.
    "dastan.web.errors.DastanErrorMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dastan.urls"
WSGI_APPLICATION = "dastan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dastan.accounts.landing.places_context",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = env("DASTAN_DATABASE_URL", f"sqlite:///{DASTAN_HOME / 'dastan.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=60)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes; IMMEDIATE transactions take
    # the write lock up front instead of failing with "database is locked" mid-way.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- files ------------------------------------------------------------------------------
MEDIA_ROOT = Path(env("DASTAN_MEDIA_ROOT", str(DASTAN_HOME / "media"))).resolve()
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = DASTAN_HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
# Object storage when a bucket is named; the same code writes through Django's API.
DASTAN_S3_BUCKET = env("DASTAN_S3_BUCKET")
if DASTAN_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DASTAN_S3_BUCKET,
            "endpoint_url": env("DASTAN_S3_ENDPOINT_URL") or None,
            "access_key": env("DASTAN_S3_ACCESS_KEY") or None,
            "secret_key": env("DASTAN_S3_SECRET_KEY") or None,
            "region_name": env("DASTAN_S3_REGION") or None,
            "file_overwrite": True,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# `dastan serve` collects static files (compressed, cacheable); until something has been
# collected (tests, a bare gunicorn) they are found in the apps' folders instead.
WHITENOISE_USE_FINDERS = DEBUG or not any(STATIC_ROOT.iterdir())
WHITENOISE_AUTOREFRESH = DEBUG

# --- jobs -------------------------------------------------------------------------------
CELERY_BROKER_URL = env("DASTAN_BROKER_URL", f"sqla+sqlite:///{DASTAN_HOME / 'broker.sqlite3'}")
# The Job row is the truth; Celery only carries job ids, so no result backend is kept.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # one job at a time: no hoarding behind a long one
# Leases, not broker redelivery, bring lost jobs back: a message is acknowledged when a
# worker receives it, so RabbitMQ's consumer_timeout (30 min) never cuts off a long job
# and Redis never re-delivers one after its visibility_timeout. A job id that does arrive
# twice is harmless: only one claim on the row can win.
CELERY_TASK_ACKS_LATE = False
# Redis re-delivers what was taken but not acknowledged after visibility_timeout; a long one
# keeps a reserved message from turning into a duplicate. (The SQLite transport would pass
# the option on to SQLAlchemy, which refuses it.)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 12 * 3600} if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else {}
)
# Redis only (Celery ignores it elsewhere): take no message while the one slot is busy, so
# a queued job is not held back behind a long one on a busy worker. On other brokers a
# held-back job is re-sent by the sweeper after DASTAN_JOB_LEASE_S and an idle worker takes it.
CELERY_WORKER_DISABLE_PREFETCH = CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False  # the lease decides, not the broker
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env_bool("DASTAN_JOBS_EAGER", False)
# Seconds without a heartbeat before a running job counts as stalled. Workers sweep every
# quarter lease, so a dead worker's job is queued again within 1.25 leases of its last
# heartbeat: 25 s by default (PeerTube's 120 s lease left a job stuck for 2.5 minutes).
# A heartbeat every 5 s lets three beats go missing before a healthy job is taken back.
DASTAN_JOB_LEASE_S = int(env("DASTAN_JOB_LEASE_S", "20"))
DASTAN_JOB_HEARTBEAT_S = int(env("DASTAN_JOB_HEARTBEAT_S", "5"))
DASTAN_JOB_MAX_ATTEMPTS = int(env("DASTAN_JOB_MAX_ATTEMPTS", "3"))
# Seconds a queued job may wait before workers send its id again (its message was lost
# with a broker restart, or never sent while the broker was down).
DASTAN_JOB_RESEND_S = int(env("DASTAN_JOB_RESEND_S", "60"))
# "broker": queued jobs are sent to Celery; "none": they wait for run_queued_jobs (CLI --here).
DASTAN_JOBS_DISPATCH = env("DASTAN_JOBS_DISPATCH", "broker")
# Remote workers (dastan.jobs.remote): a job whose remote worker went silent is queued again
# within this many seconds of its last heartbeat; the node tells workers to call every
# INTERVAL_S; a new worker's first VERIFY_FIRST results are all re-done on a trusted worker,
# then a VERIFY_SHARE of them; input links live INPUT_TTL_S.
DASTAN_REMOTE_WORKER_SILENCE_S = float(env("DASTAN_REMOTE_WORKER_SILENCE_S", "30"))
DASTAN_REMOTE_WORKER_INTERVAL_S = float(env("DASTAN_REMOTE_WORKER_INTERVAL_S", "5"))
# How long a schedule call may use sharing agreements and cap use it read before (0: never).
DASTAN_REMOTE_SCHEDULE_CACHE_S = float(env("DASTAN_REMOTE_SCHEDULE_CACHE_S", "2"))
DASTAN_REMOTE_VERIFY_FIRST = int(env("DASTAN_REMOTE_VERIFY_FIRST", "5"))
DASTAN_REMOTE_VERIFY_SHARE = float(env("DASTAN_REMOTE_VERIFY_SHARE", "0.05"))
DASTAN_REMOTE_INPUT_TTL_S = int(env("DASTAN_REMOTE_INPUT_TTL_S", "3600"))
# A remote worker reads an input larger than this by ranges (a chunk: its minutes of the
# film) instead of downloading it whole once (jobs/remote/input_proxy.py); 0: every input.
DASTAN_REMOTE_RANGE_INPUT_MB = float(env("DASTAN_REMOTE_RANGE_INPUT_MB", "512"))
# "process": `dastan serve` starts a worker of its own; "none": workers run elsewhere.
DASTAN_SERVE_WORKER = env("DASTAN_SERVE_WORKER", "process")
# Prefix of every broker queue name, so that two nodes (or a test run) can share a broker.
DASTAN_QUEUE_PREFIX = env("DASTAN_QUEUE_PREFIX", "")
# Extra modules whose job handlers workers load, comma-separated (plugins, test handlers).
DASTAN_JOB_MODULES = [m.strip() for m in env("DASTAN_JOB_MODULES").split(",") if m.strip()]

# --- rights -------------------------------------------------------------------------------
# Every master playlist and signed segment asks the rights app (dastan/rights/AVAILS.md):
# a viewer gets only what a licence allows where they are, when they ask.
DASTAN_PLAYBACK_LIMITS = env("DASTAN_PLAYBACK_LIMITS", "dastan.rights.playback.playback_limits")
# Comma-separated: the rights app's check, and federation's for grants made for peers' viewers.
DASTAN_SIGNED_REQUEST_CHECK = env("DASTAN_SIGNED_REQUEST_CHECK", "dastan.rights.playback.check_signed_request,"
                                  "dastan.federation.grants.check_signed_request")
# Media links live minutes and the player renews them (dastan/media/links.py); a revoked
# licence or an unpublished title stops links already handed out within the re-check window.
DASTAN_MEDIA_URL_TTL_S = int(env("DASTAN_MEDIA_URL_TTL_S", "300"))
DASTAN_MEDIA_RECHECK_S = int(env("DASTAN_MEDIA_RECHECK_S", "60"))
# The secret nginx's secure_link shares with Django for folder links (dastan/media/edge_links.py):
# empty derives one from SECRET_KEY. Either way it is written into `dastan nginx-config`'s output.
DASTAN_MEDIA_EDGE_SECRET = env("DASTAN_MEDIA_EDGE_SECRET", "")
# A CDN in front: folder links are one URL per folder for every viewer (not bound to a
# browser's cookie) and their files are sent public, so the CDN keeps them (edge_links.py).
DASTAN_MEDIA_CDN = env_bool("DASTAN_MEDIA_CDN", False)
# Behind nginx (`dastan nginx-config`): answer allowed media requests with X-Accel-Redirect
# to this internal location (/protected-media/) and let nginx send the bytes.
DASTAN_MEDIA_ACCEL_REDIRECT = env("DASTAN_MEDIA_ACCEL_REDIRECT", "")
# The catalogue's read cache (dastan/catalog/cache.py): how long an answer may be kept; a
# change through the services invalidates it at once where the cache is shared
# (DASTAN_CACHE_URL), within this many seconds in other processes otherwise; 0 is off.
DASTAN_CATALOG_CACHE_S = int(env("DASTAN_CATALOG_CACHE_S", "60"))
# The ffmpeg every media, voice and shot-detection command runs (dastan/ffmpeg.py): empty
# for the imageio-ffmpeg wheel's (the same 9.x on every machine), else a path or a name on
# PATH; its ffprobe is the one beside it.
DASTAN_FFMPEG = env("DASTAN_FFMPEG", "")
# The rights read cache (dastan/rights/cache.py): the licences decisions read, kept until a
# licence changes (at once with a shared cache, within this many seconds otherwise); 0 is off.
DASTAN_RIGHTS_CACHE_S = int(env("DASTAN_RIGHTS_CACHE_S", str(DASTAN_CATALOG_CACHE_S)))
# How long nginx (`dastan nginx-config`) may keep an anonymous page or catalogue answer
# that holds nothing per viewer (its microcache; dastan/web/page_cache.py); 0: never.
DASTAN_EDGE_CACHE_S = int(env("DASTAN_EDGE_CACHE_S", "5"))
# The x264 preset of the ladder; the studio upload page's tus chunk size and progress polling.
DASTAN_X264_PRESET = env("DASTAN_X264_PRESET", "veryfast")
# The H.264 encoder of a whole film's ladder: auto (NVENC where it really encodes, on a GPU
# worker; x264 elsewhere), libx264 or h264_nvenc. Chunks of long films always use x264.
DASTAN_VIDEO_ENCODER = env("DASTAN_VIDEO_ENCODER", "auto")
# A film longer than this is transcoded in time chunks of DASTAN_CHUNK_S seconds (a
# multiple of the 4 s HLS segment) that any worker may take, then joined (media/chunks.py).
DASTAN_CHUNK_THRESHOLD_S = int(env("DASTAN_CHUNK_THRESHOLD_S", "1200"))
DASTAN_CHUNK_S = int(env("DASTAN_CHUNK_S", "120"))
DASTAN_STUDIO_CHUNK_BYTES = int(env("DASTAN_STUDIO_CHUNK_BYTES", str(8 * 1024 * 1024)))
DASTAN_STUDIO_POLL_MS = int(env("DASTAN_STUDIO_POLL_MS", "1000"))
# Uploads: the largest file, how long an unfinished one waits, each organisation's quota
# (one organisation's own in the admin's Media quotas), and the disk kept free on the web
# node beyond what pending uploads still need.
DASTAN_UPLOAD_MAX_BYTES = int(env("DASTAN_UPLOAD_MAX_BYTES", str(200 * 1024**3)))
DASTAN_UPLOAD_EXPIRY_S = int(env("DASTAN_UPLOAD_EXPIRY_S", str(24 * 3600)))
DASTAN_UPLOAD_QUOTA_BYTES = int(env("DASTAN_UPLOAD_QUOTA_BYTES", str(1024**4)))
DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES = int(env("DASTAN_UPLOAD_FREE_DISK_RESERVE_BYTES", str(2 * 1024**3)))
# Where a viewer's country comes from, in order: a trusted proxy's header, then a CSV of
# address ranges. A viewer whose country is unknown is refused unless this names one.
DASTAN_TERRITORY_RESOLVERS = env("DASTAN_TERRITORY_RESOLVERS", "header,ip_ranges")
DASTAN_TRUSTED_PROXIES = env("DASTAN_TRUSTED_PROXIES", "")
DASTAN_TERRITORY_HEADERS = [h for h in env("DASTAN_TERRITORY_HEADERS", "CF-IPCountry,X-Country-Code").split(",") if h]
DASTAN_GEOIP_CSV = env("DASTAN_GEOIP_CSV") or None
DASTAN_UNKNOWN_TERRITORY_POLICY = env("DASTAN_UNKNOWN_TERRITORY_POLICY", "deny")

# --- models and engines -------------------------------------------------------------------
DASTAN_MODELS_DIR = Path(env("DASTAN_MODELS_DIR", str(DASTAN_HOME / "models"))).resolve()
# Which engines to use and how, as JSON (see dastan/localization/engines/config.py), e.g.
# {"MT": ["ctranslate2", "apertium"], "OPTIONS": {"ctranslate2": {"models": ["nllb-200"]}}}
DASTAN_ENGINES = json.loads(env("DASTAN_ENGINES", "{}"))

# --- languages ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The eleven languages of the SCO region that Dastan speaks (DESIGN.md, "Languages"), from
# the one table of languages (dastan/catalog/languages.py), named in their own scripts.
LANGUAGES = [(lang.django_code, lang.native_name) for lang in DASTAN_LANGUAGES]
LANGUAGES_BIDI = [lang.django_code for lang in DASTAN_LANGUAGES if lang.rtl]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "dastan_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- auth ---------------------------------------------------------------------------------
LOGIN_URL = "/studio/login/"
LOGIN_REDIRECT_URL = "/studio/home/"  # dastan.accounts.landing: the desk the roles open
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
# axes first: it refuses a locked-out user name and address before a password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- security -----------------------------------------------------------------------------
# DASTAN_HTTPS=true: the node is reached over HTTPS only (directly, or through a proxy that
# ends TLS and says so in DASTAN_SECURE_PROXY_SSL_HEADER). It turns on secure cookies, HSTS
# and the redirect of plain HTTP; each can still be set on its own.
DASTAN_HTTPS = env_bool("DASTAN_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool(
    "DASTAN_SECURE_COOKIES", DASTAN_HTTPS)
SECURE_SSL_REDIRECT = env_bool("DASTAN_SSL_REDIRECT", DASTAN_HTTPS)
SECURE_HSTS_SECONDS = int(env("DASTAN_HSTS_SECONDS", str(365 * 24 * 3600) if DASTAN_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DASTAN_HSTS_INCLUDE_SUBDOMAINS", DASTAN_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DASTAN_HSTS_PRELOAD", DASTAN_HTTPS)
# "X-Forwarded-Proto=https": the header (and value) by which the TLS-ending proxy marks a
# request that reached it over HTTPS. Only set it when that proxy overwrites the header,
# or a client could claim HTTPS.
_proxy_ssl = env("DASTAN_SECURE_PROXY_SSL_HEADER")
if _proxy_ssl:
    _header, _, _value = _proxy_ssl.partition("=")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip() or "https")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Where players fetch media from besides this node: the S3 endpoint, and any CDN in front
# of it (DASTAN_MEDIA_ORIGINS, comma-separated origins).
DASTAN_MEDIA_ORIGINS = [o for o in (_origin(u.strip()) for u in env("DASTAN_MEDIA_ORIGINS").split(",")) if o]
if env("DASTAN_S3_BUCKET"):
    if env("DASTAN_S3_ENDPOINT_URL"):
        DASTAN_MEDIA_ORIGINS.append(_origin(env("DASTAN_S3_ENDPOINT_URL")))
    else:  # AWS itself: the bucket's virtual-hosted address, with and without the region
        DASTAN_MEDIA_ORIGINS.append(f"https://{env('DASTAN_S3_BUCKET')}.s3.amazonaws.com")
        if env("DASTAN_S3_REGION"):
            DASTAN_MEDIA_ORIGINS.append(
                f"https://{env('DASTAN_S3_BUCKET')}.s3.{env('DASTAN_S3_REGION')}.amazonaws.com")
# No inline script or style anywhere: an injected <script> or on*= attribute does not run.
# blob: is where hls.js puts the MediaSource buffers and its worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *DASTAN_MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *DASTAN_MEDIA_ORIGINS],
        "connect-src": ["'self'", "blob:", *DASTAN_MEDIA_ORIGINS],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"

# Sign-in lockout (django-axes), for the studio's and the admin's sign-in alike: after
# DASTAN_LOGIN_FAILURE_LIMIT wrong passwords for one user name from one address, that pair
# waits DASTAN_LOGIN_COOLOFF_MINUTES (each further try restarts the wait).
AXES_FAILURE_LIMIT = int(env("DASTAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("DASTAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dastan.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "dastan.net.client_address"
# API rates ("count/period", period s, m, h or d, e.g. "300/5m"): anonymous calls per
# address, calls per token (or signed-in session), and wrong bearer tokens per address
# (past that, every bearer request from the address waits, right token or not).
DASTAN_API_ANON_RATE = env("DASTAN_API_ANON_RATE", "120/m")
DASTAN_API_TOKEN_RATE = env("DASTAN_API_TOKEN_RATE", "600/m")
DASTAN_API_BAD_TOKEN_RATE = env("DASTAN_API_BAD_TOKEN_RATE", "10/5m")
# The counts live in Django's cache: per web process unless DASTAN_CACHE_URL names a shared
# one (redis://host:6379/2), as a node with several web processes or hosts should.
if env("DASTAN_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": env("DASTAN_CACHE_URL")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DASTAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- bazaar: mail for its notifications, how long a script stays shared -------------------------
# Django's mail backend; the console backend (mail printed by the server) unless a node sets
# one, e.g. django.core.mail.backends.smtp.EmailBackend with Django's EMAIL_HOST settings.
EMAIL_BACKEND = env("DASTAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DASTAN_EMAIL_FROM", "dastan@localhost")
DASTAN_SCRIPT_ACCESS_DAYS = int(env("DASTAN_SCRIPT_ACCESS_DAYS", "30"))

# --- dubbing: the booth's reels -----------------------------------------------------------------
# The booth counts progress per reel: fixed spans of the film of this many seconds (20 min,
# a reel of 35 mm film and the unit dubbing studios plan sessions by).
DASTAN_DUB_REEL_S = int(env("DASTAN_DUB_REEL_S", "1200"))
