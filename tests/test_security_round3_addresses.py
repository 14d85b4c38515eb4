"""Limits per address, attacked over HTTP: a forwarded-for header counts only from a trusted proxy
(right-most untrusted address), and wrong passwords from one address never lock an account out
for its owner signing in from another."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from conftest import LiveServer
from serverkit import Api

PASSWORD = "correct horse battery"


def _anon(url: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4()), **headers}
    )


def _from(address: str) -> httpx.Client:
    """A client whose connections leave from ``address`` (any of 127.0.0.0/8 on this machine)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(tokens_per_ip=2)
    spoofs = [
        {"X-Forwarded-For": "203.0.113.1"},
        {"X-Forwarded-For": "198.51.100.7, 203.0.113.2"},
        {"Forwarded": "for=203.0.113.3"},
        {"X-Real-IP": "203.0.113.4"},
    ]
    assert _anon(srv.url, **spoofs[0]).status_code == 200
    assert _anon(srv.url, **spoofs[1]).status_code == 200
    for spoof in spoofs:  # each "new" address is still this peer: its limit is spent
        r = _anon(srv.url, **spoof)
        assert r.status_code == 429 and r.json()["code"] == 429, (spoof, r.text)
        assert int(r.headers["Retry-After"]) > 0
    # another peer is another address
    with _from("127.0.0.2") as other:
        r = other.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
        assert r.status_code == 200, r.text


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_counts(
    server_factory: Callable[..., LiveServer],
) -> None:
    # this test's client stands for the proxy (127.0.0.1); 10.0.0.0/8 are further proxies
    srv = server_factory(tokens_per_ip=2, trusted_proxies='["127.0.0.1", "10.0.0.0/8"]')
    for xff in ("203.0.113.9", "203.0.113.9, 10.1.2.3"):
        assert _anon(srv.url, **{"X-Forwarded-For": xff}).status_code == 200
    # a client writing other addresses to the left of its own is still itself
    for xff in ("203.0.113.9", "1.2.3.4, 203.0.113.9", "5.6.7.8, 203.0.113.9, 10.0.0.1"):
        r = _anon(srv.url, **{"X-Forwarded-For": xff})
        assert r.status_code == 429, (xff, r.text)
        assert "at most 2" in r.json()["message"]
    # other clients behind the same proxy keep their own limits
    assert _anon(srv.url, **{"X-Forwarded-For": "203.0.113.10"}).status_code == 200
    assert _anon(srv.url, **{"X-Forwarded-For": "[2001:db8::1]:443"}).status_code == 200
    # the Forwarded header is not what this proxy writes: ignored, the proxy's own address counts
    assert _anon(srv.url, **{"Forwarded": "for=198.51.100.1"}).status_code == 200
    assert _anon(srv.url, **{"Forwarded": "for=198.51.100.2"}).status_code == 200
    assert _anon(srv.url, **{"Forwarded": "for=198.51.100.3"}).status_code == 429
    # a peer that is no trusted proxy is counted itself, whatever it forwards
    with _from("127.0.0.3") as direct:
        for i in range(3):
            r = direct.post(
                f"{srv.url}/api/auth/anonymous-token",
                headers={"X-Client-Id": str(uuid.uuid4()), "X-Forwarded-For": f"192.0.2.{i}"},
            )
            assert r.status_code == (200 if i < 2 else 429), r.text


def test_a_proxy_that_writes_forwarded(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(tokens_per_ip=1, trusted_proxies='["127.0.0.1"]', proxy_header="forwarded")
    assert _anon(srv.url, Forwarded='for="[2001:db8::7]:8443";proto=https').status_code == 200
    r = _anon(srv.url, Forwarded='for=192.0.2.60, for="[2001:db8::7]"')
    assert r.status_code == 429, r.text
    assert _anon(srv.url, Forwarded="for=192.0.2.61").status_code == 200
    # X-Forwarded-For is not what this proxy writes
    assert _anon(srv.url, **{"X-Forwarded-For": "192.0.2.62"}).status_code == 200  # counted as the proxy
    assert _anon(srv.url, **{"X-Forwarded-For": "192.0.2.63"}).status_code == 429
    # an obfuscated or missing client is the proxy itself (already counted once above)
    assert _anon(srv.url, Forwarded="for=unknown").status_code == 429


def _register(client: httpx.Client, url: str, name: str) -> None:
    r = client.post(f"{url}/api/auth/register", json={"username": name, "password": PASSWORD})
    assert r.status_code == 200, r.text


def _login(client: httpx.Client, url: str, name: str, password: str) -> httpx.Response:
    return client.post(f"{url}/api/auth/login", json={"username": name, "password": password})


def test_wrong_passwords_from_elsewhere_never_lock_the_owner_out(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(login_failures_per_address=25)
    names = [f"owner_{uuid.uuid4().hex[:8]}", f"Second.{uuid.uuid4().hex[:8]}"]
    with _from("127.0.0.1") as owner, _from("127.0.0.5") as attacker, _from("127.0.0.6") as third:
        for name in names:
            _register(owner, srv.url, name)
            for _ in range(10):
                assert _login(attacker, srv.url, name, "not the password").status_code == 401
            r = _login(attacker, srv.url, name.upper(), "not the password")  # any case: the same count
            assert r.status_code == 429 and r.json()["code"] == 429, r.text
            assert int(r.headers["Retry-After"]) > 0 and "from this address" in r.json()["message"]
            # the right password from the attacker's address waits too…
            assert _login(attacker, srv.url, name, PASSWORD).status_code == 429
            # …but the owner at home, and someone else's typo elsewhere, are not locked out
            ok = _login(owner, srv.url, name, PASSWORD)
            assert ok.status_code == 200 and ok.json()["data"]["username"] == name, ok.text
            assert _login(third, srv.url, name, "a typo in it").status_code == 401
            assert _login(third, srv.url, name, PASSWORD).status_code == 200
        # the wider limit per address: 25 wrong passwords in all from one address, whatever the names
        for i in range(5):
            assert _login(attacker, srv.url, f"madeup{i}_{uuid.uuid4().hex[:6]}", "guess").status_code == 401
        r = _login(attacker, srv.url, f"another_{uuid.uuid4().hex[:6]}", "guess")
        assert r.status_code == 429 and "at most 25" in r.json()["message"], r.text
        assert _login(owner, srv.url, names[0], PASSWORD).status_code == 200
    assert httpx.get(f"{srv.url}/api/health").status_code == 200


def _claim_url(url: str, **headers: str) -> str:
    api = Api(url)
    api.anonymous()
    s = api.session()
    body = {"task_id": s["task_id"], "session_id": s["session_id"]}
    r = api.post("/api/auth/claim-token", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return str(r.json()["data"]["url"])


def test_links_take_their_scheme_from_a_trusted_proxy_only(server_factory: Callable[..., LiveServer]) -> None:
    plain = server_factory()
    assert _claim_url(plain.url, **{"X-Forwarded-Proto": "https"}).startswith("http://127.0.0.1:")
    behind = server_factory(trusted_proxies='["127.0.0.0/8"]')
    assert _claim_url(behind.url, **{"X-Forwarded-Proto": "https"}).startswith("https://127.0.0.1:")
    assert _claim_url(behind.url, **{"X-Forwarded-Proto": "javascript"}).startswith("http://127.0.0.1:")
    assert _claim_url(behind.url).startswith("http://127.0.0.1:")


def test_the_throttle_tables_stay_bounded() -> None:
    from promptreel.service.throttle import LoginThrottle, Recent

    table = Recent(max_keys=1000, max_moments=3)
    for i in range(5000):
        table.add(f"k{i}", 0.0, 60.0)
        table.add("hot", float(i), 1e9)
    assert len(table) <= 1000 and 1 <= len(table.within("hot", 5000.0, 1e9)) <= 3
    throttle = LoginThrottle(per_address=10**9)
    for i in range(2000):
        throttle.failed(f"name{i}", f"10.0.{i // 250}.{i % 250}", known=bool(i % 2))
    throttle.check("name1", "10.0.0.1")  # one failure there: still allowed
