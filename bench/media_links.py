"""What a signed media link costs: signing a grant (once per master playlist) and the
checks every media request passes (signature, folder, browser binding, the cached
publication and licence re-check).

The re-check's cache entries are warm, as they are for all but one request a minute per
grant; the database is not touched. Times are CPU time per call, median of 5 runs.

Usage: python bench/media_links.py [--calls 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["DASTAN_HOME"] = tempfile.mkdtemp(prefix="dastan-bench-links-")
os.environ.pop("DASTAN_DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dastan.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

import hashlib
from collections.abc import Callable

from django.core import signing
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from dastan.media import links
from dastan.media.playback import check_media_request

FOLDERS = ["a1/v/240p", "a1/v/360p", "a1/v/720p", "a1/v/1080p", "a1/a/0", "audio/ru-dub-0123456789",
           "audio/kk-voice-over-0123456789", "subtitles/en-0123456789", "subtitles/zh-Hans-0123456789",
           "a1/thumbs"]
CLAIMS = {"title": "maula-jatt", "version": 3, "territory": "KZ", "licence": "CA-SVOD-1", "max_height": 1080,
          "licence_expires": None}


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    runs = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(calls):
            fn()
        runs.append((time.process_time() - start) / calls * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20000)
    calls = parser.parse_args().calls
    key = "bench-viewer-key-0123456789abcdef"

    def sign() -> str:
        return links.sign_grant(title_id=1, prefix="titles/maula-jatt", folders=FOLDERS, viewer=key, claims=CLAIMS)

    token = sign()
    request = RequestFactory().get(f"/media/s/{token}/a1/v/720p/seg_00042.m4s", REMOTE_ADDR="10.1.1.1")
    request.COOKIES[links.VIEWER_COOKIE] = key
    request.user = None  # type: ignore[assignment]
    grant_id = hashlib.blake2b(token.encode(), digest_size=12).hexdigest()
    def sign_each_uri() -> list[str]:
        # The naive path (and this node's before): one compressed signed token per URI of
        # the master, each with its own claims.
        return [signing.dumps({"p": f"titles/maula-jatt/{folder}", **CLAIMS}, salt=links.SALT, compress=True)
                for folder in FOLDERS]

    with override_settings(DASTAN_SIGNED_REQUEST_CHECK="", DASTAN_MEDIA_RECHECK_S=60):
        cache.set(f"dastan.media.published:{grant_id}", True, 600)
        results = {
            "naive: one compressed token per URI (10 URIs of a master)": per_call_us(sign_each_uri, calls // 40),
            "sign a grant (once per master playlist, 10 folders)": per_call_us(sign, calls // 4),
            "verify a token not seen before (HMAC + zlib + JSON)": per_call_us(
                lambda: links._verified.__wrapped__(token), calls // 4),
            "check one media request (token seen, re-check cached)": per_call_us(
                lambda: check_media_request(request=request, token=token, path="a1/v/720p/seg_00042.m4s"), calls),
        }
    print(f"token length: {len(token)} characters")
    for what, us in results.items():
        print(f"  {what:58} {us:8.1f} µs")
    naive, grant = list(results.values())[:2]
    print(f"one signature per grant costs {grant / naive:.2f}× signing each URI of the master")
    print("\nReproduce: python bench/media_links.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
