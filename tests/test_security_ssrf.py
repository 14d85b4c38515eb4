"""URL uploads never reach private addresses: checked on the resolved address, before connecting,
after every redirect; remote fetches are bounded in size and time.

The test web server listens on 127.0.0.2 and only that host is allowed through the setting
``url_allow_hosts``; every other loopback/private target, and every redirect to one, is refused.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import LiveServer, server_env
from promptreel.errors import InvalidRequest
from promptreel.service.fetch import check_url_host
from securitykit import blob_files, png, rows, tmp_files
from serverkit import Api

HOST = "127.0.0.2"
PIC = png()


class _Trap:
    """A loopback listener that counts connections: a refused URL must never reach it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.hits = 0
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()


@pytest.fixture(scope="module")
def trap() -> Iterator[_Trap]:
    t = _Trap()
    yield t
    t.close()


@pytest.fixture(scope="module")
def web(trap: _Trap) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path
            if path == "/pic.png":
                self._send(200, PIC, {"Content-Type": "image/png"})
            elif path.startswith("/to/"):
                self._send(302, b"", {"Location": path[4:].replace("TRAP", str(trap.port))})
            elif path == "/loop":
                self._send(302, b"", {"Location": "/loop"})
            elif path == "/big-declared":
                self._send(200, PIC, {"Content-Length": str(10**9)}, length=False)
            elif path == "/big-chunked":
                self.send_response(200)
                self.end_headers()
                try:
                    self.wfile.write(PIC)
                    for _ in range(200):
                        self.wfile.write(b"\0" * 65536)
                except OSError:
                    pass
            elif path == "/trickle":
                self.send_response(200)
                self.send_header("Content-Length", str(len(PIC)))
                self.end_headers()
                try:
                    for b in PIC:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass
            elif path == "/stall":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                time.sleep(6)
            else:
                self._send(404, b"no", {})

        def _send(self, code: int, body: bytes, headers: dict[str, str], length: bool = True) -> None:
            self.send_response(code)
            for k, v in headers.items():
                self.send_header(k, v)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

        def log_message(self, *a: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://{HOST}:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("ssrf")
    s = LiveServer(
        d, server_env(d, url_allow_hosts=[HOST], max_upload_bytes=300_000, url_fetch_timeout_s=1.5)
    ).start()
    yield s
    s.stop()


def _upload(srv: LiveServer, *urls: str) -> tuple[int, dict[str, Any], float]:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    t0 = time.monotonic()
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", json={"urls": list(urls), "source_type": "url"})
    return r.status_code, r.json(), time.monotonic() - t0


def test_the_allowed_test_host_works(srv: LiveServer, web: str) -> None:
    status, body, _ = _upload(srv, f"{web}/pic.png")
    assert status == 200 and body["data"]["files"][0]["format"] == "png", body
    status, body, _ = _upload(srv, f"{web}/to//pic.png")  # a redirect within the allowed host
    assert status == 200, body


PRIVATE = [
    "http://127.0.0.1:TRAP/x.png",
    "http://localhost:TRAP/x.png",
    "http://[::1]:TRAP/x.png",
    "http://0.0.0.0:TRAP/x.png",
    "http://2130706433:TRAP/x.png",  # 127.0.0.1 as one number
    "http://0x7f.1:TRAP/x.png",
    "http://user:pw@127.0.0.1:TRAP/x.png",
    "http://[::ffff:127.0.0.1]:TRAP/x.png",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/x.png",
    "http://10.0.0.1/x.png",
    "http://10.255.255.254:8080/x.png",
    "http://192.168.1.1/x.png",
    "http://172.16.0.1/x.png",
    "http://172.31.255.1/x.png",
    "http://100.64.0.1/x.png",  # carrier-grade NAT
    "http://[fd00::1]/x.png",
    "http://[64:ff9b::a9fe:a9fe]/x.png",  # NAT64 form of 169.254.169.254
    "http://[2002:7f00:1::]/x.png",  # 6to4 form of 127.0.0.1
    "file:///etc/passwd",
    "gopher://127.0.0.1:TRAP/_GET",
    "ftp://127.0.0.1:TRAP/x.png",
    "dict://127.0.0.1:TRAP/",
    "javascript:alert(1)",
    "http:///x.png",
    "//127.0.0.1:TRAP/x.png",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_targets_are_refused_before_connecting(srv: LiveServer, trap: _Trap, url: str) -> None:
    hits = trap.hits
    status, body, took = _upload(srv, url.replace("TRAP", str(trap.port)))
    assert (status, body["code"]) == (422, 4000), body
    assert "refused" in body["message"]
    # decided from the resolved address, without connecting: a connection attempt to 10.x would
    # end in a fetch failure (5020) after the time limit, not in this refusal
    assert took < 5
    time.sleep(0.05)
    assert trap.hits == hits


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:TRAP/x.png",
        "http://localhost:TRAP/x.png",
        "http://[::1]:TRAP/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/x.png",
        "http://192.168.0.1/x.png",
        "file:///etc/passwd",
        "gopher://127.0.0.1:TRAP/_x",
    ],
)
def test_redirects_to_private_targets_are_refused(
    srv: LiveServer, web: str, trap: _Trap, target: str
) -> None:
    hits = trap.hits
    status, body, _ = _upload(srv, f"{web}/to/{target}")
    assert (status, body["code"]) == (422, 4000), body
    assert trap.hits == hits
    # two hops inside the allowed host, then out
    status, body, _ = _upload(srv, f"{web}/to/{web}/to/{target}")
    assert (status, body["code"]) == (422, 4000), body
    assert trap.hits == hits


def test_size_and_time_limits_on_remote_fetches(srv: LiveServer, web: str) -> None:
    before = blob_files(srv.data_dir)
    status, body, _ = _upload(srv, f"{web}/big-declared")
    assert (status, body["code"]) == (413, 4002), body
    status, body, _ = _upload(srv, f"{web}/big-chunked")  # no length: counted while streaming
    assert (status, body["code"]) == (413, 4002), body
    status, body, took = _upload(srv, f"{web}/trickle")  # each byte arrives in time, the whole does not
    assert (status, body["code"]) == (502, 5020) and took < 5, (body, took)
    status, body, took = _upload(srv, f"{web}/stall")
    assert (status, body["code"]) == (502, 5020) and took < 5, (body, took)
    status, body, _ = _upload(srv, f"{web}/loop")
    assert (status, body["code"]) == (502, 5020), body
    # a good URL and a refused one in one request: nothing stored
    status, body, _ = _upload(srv, f"{web}/pic.png", "http://10.0.0.1/x.png")
    assert body["code"] == 4000
    assert blob_files(srv.data_dir) == before and tmp_files(srv.data_dir) == []
    assert rows(srv.data_dir, "SELECT count(*) AS n FROM media WHERE source_url LIKE '%big%'")[0]["n"] == 0


# -- the guard itself, with a stub resolver (no DNS) ----------------------------------------------


def _resolver(table: dict[str, list[str]]) -> Any:
    def fake(host: str, port: int, *a: Any, **kw: Any) -> list[Any]:
        if host not in table:
            raise socket.gaierror("unknown")
        return [
            (socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))
            for ip in table[host]
        ]

    return fake


RESOLVES = {
    "public.example": ["93.184.216.34"],
    "rebind.example": ["93.184.216.34", "127.0.0.1"],  # one private answer is enough to refuse
    "meta.example": ["169.254.169.254"],
    "v6loop.example": ["::1"],
    "mapped.example": ["::ffff:10.0.0.5"],
    "nat64.example": ["64:ff9b::c0a8:0101"],
    "teredo.example": ["2001:0:4136:e378:8000:63bf:3fff:fdd2"],
    "multicast.example": ["224.0.0.1"],
    "broadcast.example": ["255.255.255.255"],
    "v6public.example": ["2606:2800:220:1:248:1893:25c8:1946"],
    "scoped.example": ["fe80::1%eth0"],
}


@pytest.mark.parametrize("host", sorted(set(RESOLVES) - {"public.example", "v6public.example"}))
def test_guard_checks_every_resolved_address(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolver(RESOLVES))
    with pytest.raises(InvalidRequest) as e:
        check_url_host(host, 80, allow_private=False)
    assert e.value.code == 4000


def test_guard_accepts_public_and_allowed_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _resolver({**RESOLVES, "test.local": ["127.0.0.2"]}))
    assert check_url_host("public.example", 80, allow_private=False) == ["93.184.216.34"]
    assert check_url_host("v6public.example", 443, allow_private=False) == [
        "2606:2800:220:1:248:1893:25c8:1946"
    ]
    assert check_url_host("test.local", 80, allow_private=False, allow_hosts=["test.local"]) == ["127.0.0.2"]
    with pytest.raises(InvalidRequest):  # the allowance is per host, not for everything
        check_url_host("meta.example", 80, allow_private=False, allow_hosts=["test.local"])
    with pytest.raises(InvalidRequest):
        check_url_host("nowhere.example", 80, allow_private=False)
