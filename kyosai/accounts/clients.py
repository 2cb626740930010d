"""The client's address: the peer, or what a trusted reverse proxy says it forwarded.

`X-Forwarded-For` is believed only when the request comes from a proxy listed in
`KYOSAI_TRUSTED_PROXIES` (addresses or networks, e.g. `127.0.0.1,10.0.0.0/8`). The header is then
read from the right, skipping further trusted proxies; the first address that is not one of them
is the client. A header sent by anybody else (a client talking to us directly) is ignored, so it
cannot be used to dodge a lockout or to lock out someone else's address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address", "trusted_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    """The trusted proxies as networks (a single address is a /32 or /128)."""
    return _networks(tuple(getattr(settings, "KYOSAI_TRUSTED_PROXIES", ())))


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as text, or None when the peer's address is not an IP address."""
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:  # garbage in the chain: trust nothing beyond the last good hop
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
