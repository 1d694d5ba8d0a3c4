"""Territory resolvers: proxy headers only from trusted proxies, address ranges from a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from dastan.errors import ConfigurationError
from dastan.rights.resolvers import resolve_territory

RANGES = "network_or_first,last,country\n10.0.0.0/8,KZ\n192.0.2.0,192.0.2.255,RU\n2001:db8::/32,UZ\n"


@pytest.fixture
def ranges(tmp_path: Path) -> Path:
    path = tmp_path / "ranges.csv"
    path.write_text(RANGES)
    return path


def test_country_header_is_ignored_unless_the_request_comes_from_a_trusted_proxy(ranges: Path) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_CF_IPCOUNTRY="KZ")
    with override_settings(DASTAN_TRUSTED_PROXIES=["10.1.0.0/16"], DASTAN_GEOIP_CSV=str(ranges)):
        assert resolve_territory(request) is None
        trusted = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_CF_IPCOUNTRY="kz")
        assert resolve_territory(trusted) == "KZ"


def test_address_ranges_resolve_ipv4_ranges_cidrs_and_ipv6(ranges: Path) -> None:
    with override_settings(DASTAN_GEOIP_CSV=str(ranges), DASTAN_TRUSTED_PROXIES=[]):
        for address, country in [("10.20.30.40", "KZ"), ("192.0.2.200", "RU"), ("2001:db8::1", "UZ"),
                                 ("198.51.100.1", None)]:
            assert resolve_territory(RequestFactory().get("/", REMOTE_ADDR=address)) == country


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_looked_up(ranges: Path) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                                   HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.7")
    with override_settings(DASTAN_GEOIP_CSV=str(ranges), DASTAN_TRUSTED_PROXIES=["127.0.0.1"]):
        # the rightmost untrusted hop is the client the proxy saw; 10.9.9.9 could be forged
        assert resolve_territory(request) == "RU"


def test_a_missing_ranges_file_names_the_setting_to_fix() -> None:
    with (override_settings(DASTAN_GEOIP_CSV="/nowhere/ranges.csv"),
          pytest.raises(ConfigurationError, match="DASTAN_GEOIP_CSV names /nowhere/ranges.csv")):
        resolve_territory(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1"))


def test_an_unknown_resolver_name_lists_the_known_ones() -> None:
    with (override_settings(DASTAN_TERRITORY_RESOLVERS=["maxmind"]),
          pytest.raises(ConfigurationError, match="No territory resolver 'maxmind'") as info):
        resolve_territory(RequestFactory().get("/"))
    assert "header, ip_ranges" in info.value.hint
