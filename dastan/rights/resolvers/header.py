"""The country a trusted proxy or CDN states in a header (Cloudflare's ``CF-IPCountry``).

Read only when the request comes straight from an address in DASTAN_TRUSTED_PROXIES:
anyone else could send the header themselves. Headers tried, in order:
DASTAN_TERRITORY_HEADERS (default CF-IPCountry, X-Country-Code). Cloudflare's "XX"
(unknown) and "T1" (Tor) are not countries and resolve to None.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from dastan.catalog.countries import is_country
from dastan.rights.resolvers.base import is_trusted_proxy

DEFAULT_HEADERS = ("CF-IPCountry", "X-Country-Code")


class HeaderResolver:
    name = "header"

    def resolve(self, request: HttpRequest) -> str | None:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            return None
        for header in getattr(settings, "DASTAN_TERRITORY_HEADERS", DEFAULT_HEADERS):
            # META, not request.headers: that builds a dict of every header on each request.
            value = request.META.get(_meta_name(header), "").strip().upper()
            if value and is_country(value):
                return value
        return None


@lru_cache(maxsize=64)
def _meta_name(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")
