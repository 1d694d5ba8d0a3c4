"""Country from the viewer's address, looked up in a CSV file of address ranges.

DASTAN_GEOIP_CSV names the file (default ``$DASTAN_HOME/rights/ip-ranges.csv`` when it
exists). Each line is either ``network,country`` (CIDR) or ``first,last,country``
(inclusive range), IPv4 or IPv6; a header line and ``#`` comments are skipped. This is
the shape of the free DB-IP "IP to Country Lite" CSV (``first,last,country``) and of
what `ip2location`/MaxMind CSV exports reduce to. The file is read once and re-read
when it changes; lookups are a binary search.
"""

from __future__ import annotations

import bisect
import csv
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest

from dastan.catalog.countries import is_country
from dastan.errors import ConfigurationError
from dastan.rights.resolvers.base import IPAddress, client_ip


@dataclass(frozen=True, slots=True)
class RangeTable:
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    countries: tuple[str, ...]

    def lookup(self, address: int) -> str | None:
        i = bisect.bisect_right(self.starts, address) - 1
        if i >= 0 and address <= self.ends[i]:
            return self.countries[i]
        return None


def load_ranges(path: Path) -> dict[int, RangeTable]:
    """Tables by IP version; raises ConfigurationError naming the bad line."""
    rows: dict[int, list[tuple[int, int, str]]] = {4: [], 6: []}
    header_allowed = True  # the first line that is not a comment may be a header
    with path.open(newline="", encoding="utf-8") as handle:
        for number, cells in enumerate(csv.reader(handle), start=1):
            cells = [c.strip() for c in cells]
            if not cells or not cells[0] or cells[0].startswith("#"):
                continue
            is_first, header_allowed = header_allowed, False
            try:
                if len(cells) == 2:
                    net = ipaddress.ip_network(cells[0], strict=False)
                    first, last, version = net[0], net[-1], int(net.version)
                else:
                    first, last = ipaddress.ip_address(cells[0]), ipaddress.ip_address(cells[1])
                    version = int(first.version)
            except ValueError:
                if is_first:
                    continue  # a header line
                raise ConfigurationError(
                    f"Line {number} of {path} is not an address range.",
                    "Write 'network,country' (10.0.0.0/8,KZ) or 'first,last,country' per line; "
                    "fix the line or point DASTAN_GEOIP_CSV at another file.") from None
            country = cells[-1].upper()
            if is_country(country):
                rows[version].append((int(first), int(last), country))
    tables: dict[int, RangeTable] = {}
    for version, entries in rows.items():
        entries.sort()
        tables[version] = RangeTable(tuple(e[0] for e in entries), tuple(e[1] for e in entries),
                                     tuple(e[2] for e in entries))
    return tables


_CACHE: dict[str, tuple[float, dict[int, RangeTable]]] = {}


def table_path() -> Path | None:
    configured = getattr(settings, "DASTAN_GEOIP_CSV", None)
    if configured:
        path = Path(configured)
        if not path.exists():
            raise ConfigurationError(f"DASTAN_GEOIP_CSV names {path}, which does not exist.",
                                     "Point DASTAN_GEOIP_CSV at a CSV of address ranges, or unset it.")
        return path
    default = Path(settings.DASTAN_HOME) / "rights" / "ip-ranges.csv"
    return default if default.exists() else None


def country_for_ip(address: IPAddress, *, path: Path) -> str | None:
    mtime = path.stat().st_mtime
    cached = _CACHE.get(str(path))
    if cached is None or cached[0] != mtime:
        cached = (mtime, load_ranges(path))
        _CACHE[str(path)] = cached
    table = cached[1].get(address.version)
    return table.lookup(int(address)) if table else None


class IpRangesResolver:
    name = "ip_ranges"

    def resolve(self, request: HttpRequest) -> str | None:
        path = table_path()
        address = client_ip(request)
        if path is None or address is None:
            return None
        return country_for_ip(address, path=path)
