"""Who is asking, by network address, for every part that needs to know: the rights app
(a viewer's country), the throttles and the sign-in lockout (a client's count).

Behind proxies named in ``DASTAN_TRUSTED_PROXIES`` the client is the rightmost
X-Forwarded-For entry that is not one of them; entries further left are the client's own
claims, and trusting them would let anyone pick an address (a country, a fresh count).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """DASTAN_TRUSTED_PROXIES: addresses or networks of the proxies in front of Dastan."""
    raw = getattr(settings, "DASTAN_TRUSTED_PROXIES", ())
    return _networks(raw if isinstance(raw, str) else tuple(raw))


@lru_cache(maxsize=16)
def _networks(raw: str | tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    # Parsed once per value of the setting: every request's country and client ask.
    entries = [part for part in raw.replace(",", " ").split() if part] if isinstance(raw, str) else raw
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse_ip(text: str | None) -> IPAddress | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str | None) -> bool:
    raw = getattr(settings, "DASTAN_TRUSTED_PROXIES", ())
    return _is_trusted(address or "", raw if isinstance(raw, str) else tuple(raw))


@lru_cache(maxsize=4096)
def _is_trusted(address: str, raw: str | tuple[str, ...]) -> bool:
    # Asked on every request (country, client address); behind a proxy the same few addresses.
    ip = parse_ip(address)
    return ip is not None and any(ip in net for net in _networks(raw))


def client_address(request: HttpRequest) -> str:
    """The client's address as sent: REMOTE_ADDR, or, when that is a trusted proxy, the
    rightmost X-Forwarded-For entry that is not one."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    for hop in reversed(forwarded):
        if not is_trusted_proxy(hop):
            return hop
    return remote


def client_ip(request: HttpRequest) -> IPAddress | None:
    """:func:`client_address` parsed; None when it is not an address."""
    return parse_ip(client_address(request))
