"""Fetching a URL for an upload: SSRF-guarded, bounded in size, total time and concurrency.

* Only http(s); the host is resolved first and every address must be public
  (:func:`check_url_host`); the connection goes to the vetted address (no second lookup), and
  every redirect (at most ``max_redirects``) is checked again.
* One total deadline per fetch (``timeout_s``) covers resolving, connecting, redirects, headers
  and body. It runs on a timer (a cancel scope), so a source that trickles a byte a second is cut
  off on time, whatever the bytes do.
* At most ``per_user`` fetching requests per user and ``overall`` on the server at a time; more
  are refused at once with :class:`RateLimited` (429).
* Fetches run on the event loop (async httpx); the few blocking steps (name resolution, disk
  writes) run on this module's own bounded thread pool, never on the pool that synchronous
  endpoints share, so slow sources cannot starve other requests.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import anyio
import certifi
import httpx

from promptreel.errors import FileTooLarge, InvalidRequest, RateLimited, UpstreamError
from promptreel.settings import Settings
from promptreel.storage import BlobStore, BlobWriter

__all__ = ["FetchPolicy", "Fetched", "Fetcher", "check_url_host"]

T = TypeVar("T")

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_FLUSH = 1 << 20  # bytes gathered in memory before one disk write


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What a fetch may do; built from :class:`Settings` by :meth:`from_settings`."""

    max_bytes: int
    timeout_s: float
    per_user: int = 4
    overall: int = 16
    max_redirects: int = 5
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, st: Settings) -> FetchPolicy:
        return cls(
            max_bytes=st.max_upload_bytes,
            timeout_s=st.url_fetch_timeout_s,
            per_user=max(1, st.url_fetches_per_user),
            overall=max(1, st.url_fetches_max),
            allow_private=st.allow_private_urls,
            allow_hosts=tuple(st.url_allow_hosts),
        )


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched body in a closed, uncommitted blob writer (commit or discard it)."""

    writer: BlobWriter
    path: str  # the path of the last URL (after redirects), for a display name
    url: str  # as the user gave it


def _embedded_v4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64, Teredo), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.teredo:
        return ip.teredo[1]
    return None


def check_url_host(
    host: str, port: int, *, allow_private: bool, allow_hosts: Sequence[str] = ()
) -> list[str]:
    """Resolve ``host`` and refuse it unless every address is public; returns the addresses.

    ``allow_hosts`` names exact hosts that may be private anyway (a test server on loopback).
    """
    if host.lower().rstrip(".") in {h.lower() for h in allow_hosts}:
        allow_private = True
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise InvalidRequest(f"URL refused: cannot resolve host {host[:100]!r}.") from None
    addrs: list[str] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        ip = _embedded_v4(ip) or ip
        if not allow_private and (
            not ip.is_global
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_private
            or ip.is_unspecified
        ):
            raise InvalidRequest(
                f"URL refused: {host} resolves to a non-public address ({ip}).",
                data={"host": host, "reason": "private_address"},
            )
        addrs.append(str(ip))
    if not addrs:
        raise InvalidRequest(f"URL refused: cannot resolve host {host!r}.")
    return addrs


class Fetcher:
    """Fetches URLs into blob writers under one :class:`FetchPolicy`."""

    def __init__(self, blobs: BlobStore, policy: FetchPolicy) -> None:
        self.blobs = blobs
        self.policy = policy
        self._lock = threading.Lock()
        self._active: dict[str, int] = {}
        self._total = 0
        # headroom over ``overall``: a resolver abandoned at its deadline may hold a thread a while
        # built once: a TLS context takes tens of milliseconds of CPU, too long for the event loop
        self._tls = ssl.create_default_context(cafile=certifi.where())
        self._pool = ThreadPoolExecutor(max_workers=2 * policy.overall + 2, thread_name_prefix="url-fetch")

    # -- admission --------------------------------------------------------------------------
    @asynccontextmanager
    async def slot(self, user_id: str) -> AsyncIterator[None]:
        """Hold one of the user's and the server's fetch slots, or raise :class:`RateLimited`."""
        p = self.policy
        with self._lock:
            if self._active.get(user_id, 0) >= p.per_user:
                raise RateLimited(
                    f"Too many URL uploads in progress: at most {p.per_user} at a time per user. "
                    "Retry when one has finished.",
                    retry_after=max(1, int(p.timeout_s)),
                    data={"limit": p.per_user, "scope": "user"},
                )
            if self._total >= p.overall:
                raise RateLimited(
                    f"The server is busy fetching URLs: at most {p.overall} at a time. Retry shortly.",
                    retry_after=max(1, int(p.timeout_s)),
                    data={"limit": p.overall, "scope": "server"},
                )
            self._active[user_id] = self._active.get(user_id, 0) + 1
            self._total += 1
        try:
            yield
        finally:
            with self._lock:
                self._total -= 1
                left = self._active.get(user_id, 1) - 1
                if left:
                    self._active[user_id] = left
                else:
                    self._active.pop(user_id, None)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run blocking ``fn`` on the fetch pool to completion (not interrupted by deadlines)."""
        fut = asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        with anyio.CancelScope(shield=True):
            result = await fut
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- fetching ---------------------------------------------------------------------------
    async def fetch(self, url: str) -> Fetched:
        """Fetch ``url`` within the policy's total deadline; 4000 refused, 4002 too large, 5020 failed."""
        p = self.policy
        writer: BlobWriter | None = None
        fetched: Fetched | None = None
        try:
            with anyio.fail_after(p.timeout_s):
                async with httpx.AsyncClient(
                    timeout=httpx.Timeout(p.timeout_s),
                    verify=self._tls,
                    follow_redirects=False,
                    trust_env=False,
                ) as client:
                    current = url
                    for _ in range(p.max_redirects + 1):
                        request = await self._request(client, current)
                        resp = await client.send(request, stream=True)
                        try:
                            if resp.is_redirect:
                                current = urljoin(current, resp.headers.get("location", ""))
                                continue
                            if resp.status_code != 200:
                                raise UpstreamError(f"Fetching {url} failed with HTTP {resp.status_code}.")
                            declared = resp.headers.get("content-length", "")
                            if declared.isdigit() and int(declared) > p.max_bytes:
                                raise self._too_large(url)
                            writer = await self.run(self.blobs.writer, p.max_bytes)
                            await self._body(resp, writer, url)
                            fetched = Fetched(writer, urlsplit(current).path or "download", url)
                            return fetched
                        finally:
                            with anyio.CancelScope(shield=True):
                                await resp.aclose()
                    raise UpstreamError(f"Fetching {url}: too many redirects.")
        except TimeoutError:
            raise UpstreamError(
                f"Fetching {url} took longer than {p.timeout_s:g} s.", data={"timeout_s": p.timeout_s}
            ) from None
        except httpx.HTTPError as exc:
            raise UpstreamError(f"Fetching {url} failed ({exc.__class__.__name__}).") from None
        finally:
            if writer is not None and fetched is None:
                await self.run(writer.discard)

    async def _body(self, resp: httpx.Response, writer: BlobWriter, url: str) -> None:
        buf = bytearray()
        size = 0
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise self._too_large(url)
            buf += chunk
            if len(buf) >= _FLUSH:
                await self.run(writer.write, bytes(buf))
                buf.clear()
        if buf:
            await self.run(writer.write, bytes(buf))
        await self.run(writer.close_file)

    def _too_large(self, url: str) -> FileTooLarge:
        return FileTooLarge(
            f"{url} is larger than the upload limit.", data={"max_bytes": self.policy.max_bytes}
        )

    async def _request(self, client: httpx.AsyncClient, url: str) -> httpx.Request:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest(
                f"URL refused: only http(s) URLs can be fetched, got {url[:100]!r}.",
                data={"reason": "scheme"},
            )
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        p = self.policy
        # resolving blocks: on our pool, abandoned (not waited for) when the deadline passes
        addrs = await asyncio.get_running_loop().run_in_executor(
            self._pool,
            lambda: check_url_host(host, port, allow_private=p.allow_private, allow_hosts=p.allow_hosts),
        )
        target = httpx.URL(url).copy_with(host=addrs[0])  # connect to the vetted address only
        host_header = parts.netloc.rsplit("@", 1)[-1]
        ext = {"sni_hostname": host} if parts.scheme == "https" else {}
        headers = {"Host": host_header, "Accept-Encoding": "identity"}
        return client.build_request("GET", target, headers=headers, extensions=ext)
