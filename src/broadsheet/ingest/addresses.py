"""Is an IP address public? What does a host name resolve to? (for ``fetch``'s rule on where a feed may lead)

"Public" means a globally routable unicast address. Everything else has a
name here: loopback, private (RFC 1918, unique-local ``fc00::/7`` and the
other special-purpose blocks), link-local (``169.254.0.0/16``, where cloud
metadata services answer, and ``fe80::/10``), shared (carrier-grade NAT,
``100.64.0.0/10``), multicast, reserved, unspecified, site-local.

An IPv6 address that carries an IPv4 one is judged by the IPv4 address it
reaches: IPv4-mapped ``::ffff:127.0.0.1`` (a dual-stack socket connects to
127.0.0.1), 6to4 ``2002:7f00:1::`` and NAT64 ``64:ff9b::7f00:1``. Host
names, and the numeric forms ``inet_aton`` reads (``2130706433``,
``0x7f.1``), are resolved with ``getaddrinfo``, as the connection would be.
"""

from __future__ import annotations

import socket
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address

_NAT64 = IPv6Network("64:ff9b::/96")  # RFC 6052's well-known prefix: the last 32 bits are the IPv4 address
_SHARED = IPv4Network("100.64.0.0/10")  # RFC 6598, carrier-grade NAT: neither private nor global to ipaddress


def non_public(address: IPAddress) -> str:
    """What ``address`` is when it is not public (``"loopback"``, ``"link-local"``, …); ``""`` when it is."""
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:  # a dual-stack socket connects to the IPv4 address itself
            return non_public(address.ipv4_mapped)
        if address in _NAT64:  # the prefix is "reserved" to ipaddress, yet an IPv6-only network's way out
            return non_public(IPv4Address(int(address) & 0xFFFF_FFFF))
        if address.sixtofour is not None:
            return non_public(address.sixtofour) or _kind(address)
    return _kind(address)


def _kind(address: IPAddress) -> str:
    kinds = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("site-local", isinstance(address, IPv6Address) and address.is_site_local),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("carrier-grade NAT", address in _SHARED),
        ("non-global", not address.is_global),
    )
    return next((kind for kind, applies in kinds if applies), "")


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses a TCP connection to ``host`` may go to, in the resolver's order, each once.

    Raises ``OSError`` (``socket.gaierror``) when the name does not resolve.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ip_address(info[4][0]) for info in infos))
