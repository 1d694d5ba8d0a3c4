"""Which addresses may be a peer's. In production a node talks to other nodes over HTTPS
at public addresses only: an address given to follow, or given by a node that asks to
follow this one (which this node then fetches), must not reach this node's own network
(loopback, private ranges, link-local cloud metadata at 169.254.169.254 …).
``DASTAN_FEDERATION_ALLOW_PRIVATE`` allows plain HTTP and such addresses, for tests and
development; it is on by default only with ``DASTAN_DEBUG``.

The host's name is resolved here and every address it resolves to must be public; the
discovery document is then fetched without following redirects (identity.fetch_document),
so a public address cannot send the request on to a private one.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from dastan.federation.errors import PeerAddressRefused

ALLOW_SETTING = "DASTAN_FEDERATION_ALLOW_PRIVATE"
LOCAL_HINT = f"{ALLOW_SETTING}=true allows such addresses, for tests and development only."


def allow_private() -> bool:
    return bool(getattr(settings, ALLOW_SETTING, False))


def check_peer_address(url: str) -> None:
    """Raise PeerAddressRefused, naming what is wrong and the fix, unless ``url`` may be a
    peer's address here."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PeerAddressRefused(
            f"'{url}' is not a node's address.",
            "Give the node's public address, e.g. https://dastan.example.kz.",
        )
    if allow_private():
        return
    if parts.scheme != "https":
        raise PeerAddressRefused(
            f"'{url}' is not an HTTPS address: nodes talk to each other over HTTPS only.",
            f"Give its https:// address. {LOCAL_HINT}",
        )
    if parts.username or parts.password:
        raise PeerAddressRefused(
            f"'{url}' carries a user name or password.", "Give the bare public address."
        )
    for address in _addresses(parts.hostname, parts.port or 443):
        if not address.is_global:
            raise PeerAddressRefused(
                f"'{parts.hostname}' is {'' if str(address) == parts.hostname else f'at {address}, '}"
                "a loopback, private or reserved address: not another node on the internet.",
                f"Give the node's public address. {LOCAL_HINT}",
            )


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [literal]
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise PeerAddressRefused(
            f"'{host}' does not resolve to an address ({exc}).",
            "Check the node's address and this machine's DNS.",
        ) from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
