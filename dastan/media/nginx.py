"""The scale path's web server: an nginx configuration generated from the settings, in
which Django decides and nginx sends the bytes.

A signed media request (``/media/s/<token>/<folder>/<file>``) is decided by Django once
per link, folder, browser and address, not once per file: nginx asks
``/media/a/<token>/<folder>/`` (``auth_request``), which checks the token, the browser
binding and the rights exactly as a file request would, and answers 204 with the grant's
storage folder and ``X-Accel-Expires``: how long nginx may reuse the answer, never past
the link's expiry nor ``DASTAN_MEDIA_RECHECK_S`` (the window in which Django itself
trusts an earlier rights decision). nginx then sends the file from the media root with
sendfile, and the next segments of that folder without asking again. A refusal (403)
hands the request to Django's own view, which answers with the reason and the status
(403 tampered or another browser's, 404, 451 licence), so errors read as without nginx.

Django answers a file request itself with ``X-Accel-Redirect`` to the internal location
(``DASTAN_MEDIA_ACCEL_REDIRECT``) where nginx does not decide: the refusal fallback, and
deployments that proxy ``/media/s/`` to Django without this configuration.

Faster still, folder links (``/media/k/<signature>/<expires>/<folder>/<file>``,
:mod:`dastan.media.edge_links`): nginx's ``secure_link`` checks them itself with the secret
it shares with Django, so no file of the folder costs a question to Django. The players
that renew their links (hls.js) get them; the browser's own HLS keeps ``/media/s/``. The
secret is written into the configuration, which is therefore as secret as the settings.

Segments are named once and never rewritten (a new version is a new folder), so the
internal location marks them ``immutable``; they stay ``private`` because every link is
bound to one browser's cookie: a shared cache keyed on the URL would hand them to anyone.
With ``DASTAN_MEDIA_CDN`` the folder links are one URL per folder for every viewer and their
files are sent ``public`` for the link's life, so a CDN in front keeps them
(:mod:`dastan.media.edge_links` says what that gives up).

``dastan nginx-config`` prints the file; ``--run-dir`` puts the pid, logs and temporary
folders under one folder so that nginx can run unprivileged (as the tests run it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from dastan.media import edge_links, links

DEFAULT_ACCEL_PREFIX = "/protected-media/"
SENT_BY_HEADER = "X-Dastan-Sent-By"  # added by nginx on the bytes it sends itself
DECISION_HEADER = "X-Dastan-Decision"  # MISS: nginx asked Django; HIT: reused its answer; EDGE: checked alone
PAGE_CACHE_HEADER = "X-Dastan-Page-Cache"  # nginx's microcache of anonymous pages: HIT, MISS, BYPASS…

# The content types Dastan's media files need; nginx's own mime.types lacks .m4s.
TYPES = {
    "application/vnd.apple.mpegurl": "m3u8", "video/iso.segment": "m4s", "video/mp4": "mp4 m4a",
    "text/vtt": "vtt", "image/jpeg": "jpg jpeg", "video/mp2t": "ts", "text/css": "css",
    "application/javascript": "js", "image/svg+xml": "svg", "font/woff2": "woff2",
}


@dataclass(frozen=True, slots=True)
class NginxSite:
    listen: str  # "8080" or "127.0.0.1:8080"
    upstream: str  # where `dastan serve` listens, "127.0.0.1:8000"
    media_root: Path
    static_root: Path
    accel_prefix: str
    url_ttl_s: int
    # What a folder link is bound to (the viewer's cookie; nothing for a CDN) and how its
    # files may be kept: edge_links.bound_to and edge_links.cache_control.
    edge_cookie: str
    edge_cache_control: str
    run_dir: Path | None = None  # pid, logs and temp folders; None: nginx's own defaults
    session_cookie: str = "sessionid"
    territory_key: str = ""  # the request's parts the node reads the viewer's country from
    edge_secret: str = ""  # folder links' secret (edge_links): the file holding it is a secret too


def site_from_settings(*, listen: str, upstream: str, run_dir: Path | None = None) -> NginxSite:
    return NginxSite(
        listen=listen, upstream=upstream, media_root=Path(settings.MEDIA_ROOT),
        static_root=Path(settings.STATIC_ROOT),
        accel_prefix=str(getattr(settings, "DASTAN_MEDIA_ACCEL_REDIRECT", "") or DEFAULT_ACCEL_PREFIX),
        url_ttl_s=int(getattr(settings, "DASTAN_MEDIA_URL_TTL_S", 300)), run_dir=run_dir,
        session_cookie=str(settings.SESSION_COOKIE_NAME), territory_key=_territory_key(),
        edge_secret=edge_links.secret(), edge_cookie=edge_links.bound_to(f"$cookie_{links.VIEWER_COOKIE}"),
        edge_cache_control=edge_links.cache_control())


def _territory_key() -> str:
    """nginx variables for what the territory resolvers named in the settings read
    (dastan/rights/resolvers): a trusted proxy's headers; the address for any other."""
    names = getattr(settings, "DASTAN_TERRITORY_RESOLVERS", ("header", "ip_ranges"))
    if isinstance(names, str):
        names = names.replace(",", " ").split()
    names = set(names)
    parts = []
    if "header" in names:
        headers = getattr(settings, "DASTAN_TERRITORY_HEADERS", ("CF-IPCountry", "X-Country-Code"))
        parts += ["$http_" + h.strip().lower().replace("-", "_") for h in headers]
    if names - {"header"}:
        parts += ["$remote_addr", "$http_x_forwarded_for"]
    return "|".join(parts)


def render_config(site: NginxSite) -> str:
    """A complete nginx.conf for ``site``. Django must run with
    ``DASTAN_MEDIA_ACCEL_REDIRECT`` set to ``site.accel_prefix`` for nginx to send media."""
    prefix = "/" + site.accel_prefix.strip("/") + "/"
    run = site.run_dir
    main = ""
    temps = ""
    cache_dir = "/var/cache/nginx/dastan-media-auth"
    page_cache_dir = "/var/cache/nginx/dastan-pages"
    if run is not None:
        main = f"pid {run}/nginx.pid;\nerror_log {run}/error.log warn;\n"
        temps = "".join(f"    {kind}_temp_path {run}/{kind}_temp;\n"
                        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        cache_dir = f"{run}/media_auth_cache"
        page_cache_dir = f"{run}/page_cache"
    proxied = """proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;"""
    types = "".join(f"        {mime} {exts};\n" for mime, exts in TYPES.items())
    return f"""# Generated by `dastan nginx-config` from Dastan's settings; regenerate after changing them.
# SECRET: this file holds the folder links' secret (DASTAN_MEDIA_EDGE_SECRET, or one derived
# from SECRET_KEY); keep it as private as the settings (mode 0600, out of any repository).
# Django decides (signature, browser, rights); nginx sends the files (X-Accel-Redirect).
# Run Dastan with DASTAN_MEDIA_ACCEL_REDIRECT={prefix}
worker_processes auto;
pcre_jit on;  # the media locations' patterns, compiled once
{main}events {{ worker_connections 4096; }}

http {{
    types {{
{types}    }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 10000;
    # Segments and playlists are written once and never changed in place: their open file
    # descriptors are kept (a removed file is noticed within open_file_cache_valid).
    open_file_cache max=10000 inactive=30s;
    open_file_cache_valid 30s;
    access_log off;
    server_tokens off;
{temps}
    # Django's answers to "may this browser have the files of this folder?" (see below).
    proxy_cache_path {cache_dir} levels=1:2 keys_zone=dastan_media_auth:10m max_size=64m inactive=10m;
    # Anonymous pages and catalogue answers for the seconds Django's X-Accel-Expires allows.
    proxy_cache_path {page_cache_dir} levels=1:2 keys_zone=dastan_pages:10m max_size=256m inactive=1m;

    upstream dastan {{
        server {site.upstream};
        keepalive 64;
    }}

    server {{
        listen {site.listen};
        client_max_body_size 0;  # tus uploads come in chunks Django limits itself

        # Files Django has allowed: reachable only through its X-Accel-Redirect answers.
        location {prefix} {{
            internal;
            alias {site.media_root}/;
            # Named once, never rewritten; private because each link is one browser's.
            add_header Cache-Control "private, max-age={site.url_ttl_s}, immutable" always;
            add_header {SENT_BY_HEADER} nginx always;
        }}

        # Signed media: Django decides once per link, folder, browser and address
        # (auth_request, cached for as long as its X-Accel-Expires allows); nginx sends.
        location ~ ^/media/s/(?<dastan_token>[^/]+)/(?<dastan_folder>(?:[^/]+/)+)(?<dastan_file>[^/]+)$ {{
            auth_request /_dastan_media_auth;
            auth_request_set $dastan_prefix $upstream_http_x_dastan_prefix;
            auth_request_set $dastan_decision $upstream_cache_status;
            # A grant for a federation peer's player: CORS for that one site (empty: none).
            auth_request_set $dastan_cors $upstream_http_x_dastan_cors;
            error_page 403 = @dastan_media;
            root {site.media_root};
            try_files /$dastan_prefix$dastan_folder$dastan_file @dastan_media;
            add_header Cache-Control "private, max-age={site.url_ttl_s}, immutable" always;
            add_header {SENT_BY_HEADER} nginx always;
            add_header {DECISION_HEADER} $dastan_decision always;  # MISS: Django asked; HIT: reused
            add_header Access-Control-Allow-Origin $dastan_cors always;
            add_header Vary Origin always;
        }}

        # Folder links (dastan/media/edge_links.py): nginx checks the signature over the
        # expiry, the folder and the browser's cookie itself, and sends every file of the
        # folder with no question to Django. What it refuses, Django answers with the reason.
        location ~ ^{edge_links.PATH}(?<dastan_signature>[A-Za-z0-9_-]+)/(?<dastan_expires>[0-9]+)/(?<dastan_edge_folder>.+/)(?<dastan_edge_file>[^/]+)$ {{
            secure_link $dastan_signature,$dastan_expires;
            secure_link_md5 "$secure_link_expires|$dastan_edge_folder|{site.edge_cookie}|{site.edge_secret}";
            error_page 403 404 = @dastan_media;
            if ($secure_link != "1") {{ return 403; }}  # "": tampered or another browser's; "0": expired
            # The file itself, with no try_files stat first (the open-file cache keeps it open).
            alias {site.media_root}/$dastan_edge_folder$dastan_edge_file;
            add_header Cache-Control "{site.edge_cache_control}" always;
            add_header {SENT_BY_HEADER} nginx always;
            add_header {DECISION_HEADER} EDGE always;  # nginx decided alone
        }}

        location = /_dastan_media_auth {{
            internal;
            proxy_pass http://dastan/media/a/$dastan_token/$dastan_folder;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            {proxied}
            proxy_cache dastan_media_auth;
            # The Origin too: a peer's grant is bound to its site's Origin, not to a cookie.
            proxy_cache_key "$dastan_token|$dastan_folder|$cookie_dastan_viewer|$http_origin|$remote_addr|$http_x_forwarded_for";
            proxy_cache_valid 204 {site.url_ttl_s}s;
            proxy_cache_lock on;
        }}

        # Microcache: the home page, title pages, search and the catalogue API for anonymous viewers,
        # kept as long as Django's X-Accel-Expires says (DASTAN_EDGE_CACHE_S), which it sends
        # only on answers holding nothing per viewer (a title page with a player is private).
        # Keyed like Django's own page cache: the URL, the language (cookie, Accept-Language)
        # and what the viewer's country is read from; never for a session or a token.
        location ~ ^/(titles/[^/]+/|search/)?$|^/api/v1/catalog/(titles|search|genres)(/[^/]+)?$ {{
            proxy_pass http://dastan;
            {proxied}
            proxy_cache dastan_pages;
            proxy_cache_key "$scheme$host$request_uri|$cookie_dastan_language|$http_accept_language|{site.territory_key}";
            proxy_cache_bypass $cookie_{site.session_cookie} $http_authorization;
            proxy_no_cache $cookie_{site.session_cookie} $http_authorization;
            # The key holds what Django varies on (Cookie: the language and the session).
            proxy_ignore_headers Vary;
            # No proxy_cache_lock: a title page with a player is never kept, and a lock
            # would queue every viewer's request for it behind the one before.
            proxy_cache_use_stale updating;
            add_header {PAGE_CACHE_HEADER} $upstream_cache_status always;
        }}

        # Refusals and what nginx cannot find: Django answers, with the reason.
        location @dastan_media {{
            proxy_pass http://dastan;
            {proxied}
        }}

        location /static/ {{
            alias {site.static_root}/;
            add_header Cache-Control "public, max-age=31536000, immutable";
            add_header {SENT_BY_HEADER} nginx;
        }}

        location / {{
            proxy_pass http://dastan;
            {proxied}
            proxy_request_buffering off;
        }}
    }}
}}
"""
