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
from django.utils.translation import gettext

from dastan.federation.errors import PeerAddressRefused

ALLOW_SETTING = "DASTAN_FEDERATION_ALLOW_PRIVATE"
LOCAL_HINT = f"{ALLOW_SETTING}=true allows such addresses, for tests and development only."


def local_hint() -> str:
    """LOCAL_HINT in the user's language."""
    # Translators: %(setting)s is the name of a setting, DASTAN_FEDERATION_ALLOW_PRIVATE.
    return gettext("%(setting)s=true allows such addresses, for tests and development only.") % {
        "setting": ALLOW_SETTING}


def allow_private() -> bool:
    return bool(getattr(settings, ALLOW_SETTING, False))


def check_peer_address(url: str) -> None:
    """Raise PeerAddressRefused, naming what is wrong and the fix, unless ``url`` may be a
    peer's address here."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PeerAddressRefused(
            gettext("'%(url)s' is not a node's address.") % {"url": url},
            gettext("Give the node's public address, e.g. https://dastan.example.kz."),
        )
    if allow_private():
        return
    if parts.scheme != "https":
        raise PeerAddressRefused(
            gettext("'%(url)s' is not an HTTPS address: nodes talk to each other over HTTPS only.") % {"url": url},
            gettext("Give its https:// address. %(local)s") % {"local": local_hint()},
        )
    if parts.username or parts.password:
        raise PeerAddressRefused(
            gettext("'%(url)s' carries a user name or password.") % {"url": url},
            gettext("Give the bare public address."),
        )
    for address in _addresses(parts.hostname, parts.port or 443):
        if not address.is_global:
            raise PeerAddressRefused(
                (gettext("'%(host)s' is a loopback, private or reserved address: "
                         "not another node on the internet.") if str(address) == parts.hostname else
                 gettext("'%(host)s' is at %(address)s, a loopback, private or reserved address: "
                         "not another node on the internet.")) % {"host": parts.hostname, "address": address},
                gettext("Give the node's public address. %(local)s") % {"local": local_hint()},
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
            # Translators: %(error)s is the resolver's own message, in English.
            gettext("'%(host)s' does not resolve to an address (%(error)s).") % {"host": host, "error": exc},
            gettext("Check the node's address and this machine's DNS."),
        ) from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
