"""What a territory resolver is: given a request, a country code or None.

A resolver must never guess: None means "this resolver does not know", and the next
resolver in ``DASTAN_TERRITORY_RESOLVERS`` is asked; when none knows, the decision
follows ``DASTAN_UNKNOWN_TERRITORY_POLICY`` (deny by default).
"""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest

# Who is asking, by address, is one module for the whole node (the throttles use it too).
from dastan.net import IPAddress, client_ip, is_trusted_proxy, parse_ip, trusted_proxies


class TerritoryResolver(Protocol):
    name: str

    def resolve(self, request: HttpRequest) -> str | None: ...


__all__ = ["IPAddress", "TerritoryResolver", "client_ip", "is_trusted_proxy", "parse_ip", "trusted_proxies"]
