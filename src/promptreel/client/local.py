"""Find a promptreel server, or start a local one for the chat (``promptreel serve`` in a subprocess)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import httpx

__all__ = ["is_up", "local_server", "local_url"]


def local_url() -> str:
    """The local server's URL from promptreel's own settings (``PROMPTREEL_HOST``/``PROMPTREEL_PORT``)."""
    from promptreel.settings import Settings

    st = Settings()
    host = "127.0.0.1" if st.host in ("", "0.0.0.0", "::") else st.host
    return f"http://{host}:{st.port}"


def is_up(url: str, timeout: float = 2.0) -> bool:
    """Does something answer HTTP at ``url`` with a protocol envelope (any code)?"""
    try:
        r = httpx.get(f"{url.rstrip('/')}/api/credits/balance/simple", timeout=timeout)
    except httpx.HTTPError:
        return False
    try:
        body = r.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "code" in body


def _port_of(url: str) -> int | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        return None
    return parts.port or 80


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def local_server(
    url: str, *, start: bool = True, say: Callable[[str], None] = lambda _t: None, wait_s: float = 60.0
) -> Iterator[str]:
    """Yield ``url`` if a server answers there; otherwise (when ``start``) run ``promptreel serve``
    for the duration — on ``url``'s loopback port when it is free, else on any free port — and
    yield its URL."""
    if not start or is_up(url):
        yield url
        return
    port = _port_of(url)
    if port is None or not _port_free(port):
        port = _free_port()
    base = f"http://127.0.0.1:{port}"
    say(f"No server at {url} — starting a local one…")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "promptreel.cli",
            "serve",
            "--local",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + wait_s
        while not is_up(base, timeout=1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "The local promptreel server did not start; run `promptreel serve` to see why."
                )
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
