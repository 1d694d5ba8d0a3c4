"""Territory resolvers: which country a request comes from.

To add one: 1. a module here with a class that has ``name`` and ``resolve(request)``
(see ``base.TerritoryResolver``); 2. one line in ``REGISTRY``; 3. name it in
DASTAN_TERRITORY_RESOLVERS (default: header, then ip_ranges). The first resolver that
knows wins.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dastan.errors import ConfigurationError
from dastan.rights.resolvers.base import TerritoryResolver
from dastan.rights.resolvers.header import HeaderResolver
from dastan.rights.resolvers.ip_ranges import IpRangesResolver

REGISTRY: dict[str, type[TerritoryResolver]] = {
    "header": HeaderResolver,
    "ip_ranges": IpRangesResolver,
}
DEFAULT_RESOLVERS = ("header", "ip_ranges")


def configured_resolvers() -> list[TerritoryResolver]:
    names = getattr(settings, "DASTAN_TERRITORY_RESOLVERS", DEFAULT_RESOLVERS)
    if isinstance(names, str):
        names = [n for n in names.replace(",", " ").split() if n]
    resolvers = []
    for name in names:
        if name not in REGISTRY:
            raise ConfigurationError(f"No territory resolver '{name}' in DASTAN_TERRITORY_RESOLVERS.",
                                     "Use any of: " + ", ".join(REGISTRY) + ".")
        resolvers.append(REGISTRY[name]())
    return resolvers


def resolve_territory(request: HttpRequest) -> str | None:
    """The request's country (ISO alpha-2), or None when no resolver knows."""
    for resolver in configured_resolvers():
        country = resolver.resolve(request)
        if country:
            return country
    return None


__all__ = ["REGISTRY", "TerritoryResolver", "configured_resolvers", "resolve_territory"]
