"""The address a request comes from, for every limit counted per address.

By default it is the connecting peer: ``X-Forwarded-For`` and ``Forwarded`` say whatever the
client wants, so they are ignored. Behind a reverse proxy the operator lists the proxy's
addresses (or networks) in ``trusted_proxies``: a request whose peer is one of them is read
through ``proxy_header``, from the right (the entries the trusted proxies appended), and the
right-most address that is not a trusted proxy is the client. Entries a client wrote itself sit
to the left of that and never count. An unreadable entry stops the walk there: the last trusted
hop's peer is used, never a value the client could have chosen.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["TrustedProxies", "client_address", "forwarded_chain", "from_trusted_proxy"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(value: str) -> Address | None:
    v = value.strip().strip('"')
    if v.startswith("["):  # [v6]:port
        v = v[1 : v.find("]")] if "]" in v else ""
    elif v.count(":") == 1:  # v4:port
        v = v.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(v.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


class TrustedProxies:
    """A set of proxy addresses and networks (``"10.0.0.2"``, ``"172.16.0.0/12"``, ``"::1"``)."""

    def __init__(self, entries: Iterable[str]) -> None:
        nets: list[Network] = []
        for e in entries:
            e = e.strip()
            if e:
                nets.append(ipaddress.ip_network(e, strict=False))
        self.networks: tuple[Network, ...] = tuple(nets)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, ip: object) -> bool:
        return isinstance(ip, ipaddress.IPv4Address | ipaddress.IPv6Address) and any(
            ip.version == n.version and ip in n for n in self.networks
        )


@lru_cache(maxsize=16)
def _trusted(entries: tuple[str, ...]) -> TrustedProxies:
    return TrustedProxies(entries)


def from_trusted_proxy(peer: str | None, trusted: Sequence[str]) -> bool:
    """Whether the connecting ``peer`` is one of the ``trusted`` proxies."""
    ip = _address(peer) if peer else None
    return ip is not None and ip in _trusted(tuple(trusted))


def forwarded_chain(values: Sequence[str], header: str) -> list[str]:
    """The addresses a proxy header lists, left (the first client) to right (the last hop), over
    every line of that header in order. ``Forwarded`` (RFC 7239) gives each element's ``for=``;
    an element without one, or an obfuscated one (``for=unknown``, ``for=_hidden``), is kept as an
    unreadable entry."""
    out: list[str] = []
    for line in values:
        for element in line.split(","):
            if header == "forwarded":
                found = ""
                for pair in element.split(";"):
                    name, _, val = pair.strip().partition("=")
                    if name.strip().lower() == "for":
                        found = val.strip()
                out.append(found)
            else:
                out.append(element.strip())
    return out


def client_address(
    peer: str | None, headers: Sequence[tuple[bytes, bytes]], trusted: Sequence[str], header: str
) -> str:
    """The client's address: ``peer`` unless it is a trusted proxy; then the right-most address of
    ``header`` that is not one (see the module's notes). ``unknown`` when there is no peer."""
    if not peer:
        return "unknown"
    proxies = _trusted(tuple(trusted))
    here = _address(peer)
    if not proxies or here is None or here not in proxies:
        return peer
    name = header.lower().encode()
    values = [v.decode("latin-1") for k, v in headers if k == name]
    for entry in reversed(forwarded_chain(values, header.lower())):
        ip = _address(entry)
        if ip is None:
            return str(here)  # unreadable: the last hop we trust is all we know
        if ip not in proxies:
            return str(ip)
        here = ip
    return str(here)  # every hop is a trusted proxy: the left-most of them
