"""What a territory resolver is: given a request, a country code or None.

A resolver must never guess: None means "this resolver does not know", and the next
resolver in ``DASTAN_TERRITORY_RESOLVERS`` is asked; when none knows, the decision
follows ``DASTAN_UNKNOWN_TERRITORY_POLICY`` (deny by default).
"""

from __future__ import annotations

import ipaddress
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TerritoryResolver(Protocol):
    name: str

    def resolve(self, request: HttpRequest) -> str | None: ...


def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """DASTAN_TRUSTED_PROXIES: addresses or networks of the proxies in front of Dastan."""
    raw = getattr(settings, "DASTAN_TRUSTED_PROXIES", ())
    if isinstance(raw, str):
        raw = [part for part in raw.replace(",", " ").split() if part]
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in raw)


def is_trusted_proxy(address: str | None) -> bool:
    ip = parse_ip(address)
    return ip is not None and any(ip in net for net in trusted_proxies())


def parse_ip(text: str | None) -> IPAddress | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> IPAddress | None:
    """The viewer's address: REMOTE_ADDR, or, behind trusted proxies, the rightmost
    X-Forwarded-For entry that is not one of them (entries further left are the client's
    own claims and can be forged)."""
    remote = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(remote):
        return parse_ip(remote)
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    for hop in reversed(forwarded):
        if not is_trusted_proxy(hop):
            return parse_ip(hop)
    return parse_ip(remote)
