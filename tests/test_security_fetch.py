"""URL fetches cannot freeze the server: a total deadline per fetch whatever the bytes do,
concurrency limits per user and overall (429), and fetches that never hold the threads the
synchronous endpoints need.

The source is a loopback web server (127.0.0.3, allowed through ``url_allow_hosts``) that sends
its headers and then one byte a second; it stops on its own when the test ends.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from conftest import ATTRIBUTION, LiveServer, server_env
from securitykit import blob_files, png, tmp_files
from serverkit import Api

HOST = "127.0.0.3"
DEADLINE_S = 2.0
UPLOADS = 40


@pytest.fixture(scope="module")
def trickle() -> Iterator[str]:
    """``/slow``: headers at once, then one byte a second (never enough to finish in time)."""
    stop = threading.Event()
    body = png()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for b in body:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    if stop.wait(1.0):
                        return
            except OSError:
                pass

        def log_message(self, *a: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 128
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://{HOST}:{httpd.server_address[1]}/slow.png"
    stop.set()
    httpd.shutdown()
    httpd.server_close()


def _server(tmp_path_factory: pytest.TempPathFactory, **settings: Any) -> LiveServer:
    d = tmp_path_factory.mktemp("fetch")
    env = server_env(d, url_allow_hosts=[HOST], url_fetch_timeout_s=DEADLINE_S, **settings)
    return LiveServer(d, env).start()


@pytest.fixture(scope="module")
def roomy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Limits high enough that all 40 slow uploads are in flight at once."""
    s = _server(tmp_path_factory, url_fetches_per_user=UPLOADS, url_fetches_max=UPLOADS)
    yield s
    s.stop(kill=True)


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    s = _server(tmp_path_factory, url_fetches_per_user=2, url_fetches_max=3)
    yield s
    s.stop(kill=True)


def _target(api: Api) -> str:
    sid = api.session()["session_id"]
    return f"/api/upload-video/nemo_agent/me/{sid}"


async def _upload(
    client: httpx.AsyncClient, token: str, path: str, url: str
) -> tuple[int, dict[str, Any], float]:
    t0 = time.monotonic()
    r = await client.post(
        path,
        json={"urls": [url], "source_type": "url"},
        headers={**ATTRIBUTION, "Authorization": f"Bearer {token}"},
    )
    return r.status_code, r.json(), time.monotonic() - t0


async def _health_times(client: httpx.AsyncClient, until: asyncio.Event) -> list[float]:
    took: list[float] = []
    while not until.is_set():
        t0 = time.monotonic()
        r = await client.get("/api/health", timeout=5.0)
        assert r.status_code == 200
        took.append(time.monotonic() - t0)
        await asyncio.sleep(0.1)
    return took


def test_a_trickling_source_fails_within_the_deadline(roomy: LiveServer, trickle: str) -> None:
    api = Api(roomy.url)
    api.anonymous()
    t0 = time.monotonic()
    r = api.post(_target(api), json={"urls": [trickle], "source_type": "url"}, timeout=30)
    took = time.monotonic() - t0
    assert (r.status_code, r.json()["code"]) == (502, 5020), r.text
    assert "longer than" in r.json()["message"]
    assert took < DEADLINE_S + 4, took  # the byte-a-second source never resets the clock
    assert tmp_files(roomy.data_dir) == [] and blob_files(roomy.data_dir) == []


def test_health_answers_while_40_slow_uploads_are_in_flight(roomy: LiveServer, trickle: str) -> None:
    apis = [Api(roomy.url) for _ in range(UPLOADS)]
    jobs = [(a.anonymous()["token"], _target(a)) for a in apis]

    async def main() -> tuple[list[tuple[int, dict[str, Any], float]], list[float], float]:
        limits = httpx.Limits(max_connections=UPLOADS + 10)
        async with httpx.AsyncClient(base_url=roomy.url, timeout=20.0, limits=limits) as client:
            done = asyncio.Event()
            health = asyncio.create_task(_health_times(client, done))
            t0 = time.monotonic()
            uploads = [asyncio.create_task(_upload(client, tok, path, trickle)) for tok, path in jobs]
            try:
                await asyncio.sleep(DEADLINE_S / 2)  # every upload is now waiting on the source
                t1 = time.monotonic()
                r = await client.get("/api/health", timeout=3.0)
                in_flight_health = time.monotonic() - t1
                assert r.status_code == 200
                results = await asyncio.gather(*uploads)
                wall = time.monotonic() - t0
                done.set()
                return results, [in_flight_health, *await health], wall
            finally:
                for task in [health, *uploads]:
                    task.cancel()
                await asyncio.gather(health, *uploads, return_exceptions=True)

    results, health, wall = asyncio.run(main())
    assert all((s, b["code"]) == (502, 5020) for s, b, _ in results), [b for _, b, _ in results][:3]
    assert max(t for _, _, t in results) < DEADLINE_S + 5, sorted(t for _, _, t in results)[-3:]
    assert wall < DEADLINE_S + 7, wall
    assert max(health) < 2.0, sorted(health)[-3:]
    # the server is free again at once, and left nothing behind
    assert httpx.get(f"{roomy.url}/api/health", timeout=2.0).status_code == 200
    assert tmp_files(roomy.data_dir) == []


def test_concurrent_fetches_are_limited_per_user_and_overall(tight: LiveServer, trickle: str) -> None:
    alice, bob = Api(tight.url), Api(tight.url)
    a_tok, b_tok = alice.anonymous()["token"], bob.anonymous()["token"]
    a_path, b_path = _target(alice), _target(bob)

    async def main() -> tuple[
        list[tuple[int, dict[str, Any], float]], list[tuple[int, dict[str, Any], float]]
    ]:
        async with httpx.AsyncClient(base_url=tight.url, timeout=20.0) as client:
            first = [asyncio.create_task(_upload(client, a_tok, a_path, trickle)) for _ in range(2)]
            await asyncio.sleep(DEADLINE_S / 4)
            # alice has her 2; a third of hers is refused at once, bob's first still fits
            more = [
                await _upload(client, a_tok, a_path, trickle),
                *[await t for t in [asyncio.create_task(_upload(client, b_tok, b_path, trickle))]],
            ]
            return [*await asyncio.gather(*first)], more

    held, (over_user, fits) = asyncio.run(main())
    assert all((s, b["code"]) == (502, 5020) for s, b, _ in held), held
    status, body, took = over_user
    assert (status, body["code"]) == (429, 429) and took < 2.0, over_user
    assert body["data"]["limit"] == 2 and body["data"]["scope"] == "user"
    assert "at a time" in body["message"]
    assert fits[0] == 502, fits  # within bob's own and the server's limit: fetched (and timed out)

    # the server-wide limit: 3 in flight from three users, a fourth user is refused
    users = [Api(tight.url) for _ in range(4)]
    creds = [(u.anonymous()["token"], _target(u)) for u in users]

    async def overall() -> tuple[int, dict[str, Any], float]:
        async with httpx.AsyncClient(base_url=tight.url, timeout=20.0) as client:
            busy = [asyncio.create_task(_upload(client, t, p, trickle)) for t, p in creds[:3]]
            await asyncio.sleep(DEADLINE_S / 4)
            refused = await _upload(client, *creds[3], trickle)
            await asyncio.gather(*busy)
            return refused

    status, body, took = asyncio.run(overall())
    assert (status, body["code"]) == (429, 429) and took < 2.0, body
    assert body["data"]["scope"] == "server" and body["data"]["limit"] == 3
    # once they are done, fetching works again
    ok = Api(tight.url)
    ok.anonymous()
    r = ok.post(_target(ok), json={"urls": [trickle], "source_type": "url"}, timeout=20)
    assert r.json()["code"] == 5020
