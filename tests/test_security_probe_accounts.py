"""Accounts over HTTP, attacked: registering is how credits are handed out, so one address cannot
farm accounts; a username already taken is refused without counting."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from conftest import LiveServer
from securitykit import rows


def _register(url: str, name: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/auth/register", json={"username": name, "password": "correct horse battery"}
    )


def test_one_address_cannot_farm_accounts(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(tokens_per_ip=3, signup_credits=100)
    tag = uuid.uuid4().hex[:8]
    for i in range(3):
        r = _register(srv.url, f"farm{i}_{tag}")
        assert r.status_code == 200 and r.json()["data"]["credits"] == 100, r.text
        if i < 2:  # a name already taken: refused, and not counted
            taken = _register(srv.url, f"farm{i}_{tag}")
            assert taken.status_code == 422 and taken.json()["data"]["path"] == "username"
    r = _register(srv.url, f"farm3_{tag}")
    body = r.json()
    assert r.status_code == 429 and body["code"] == 429, r.text
    assert int(r.headers["Retry-After"]) > 0 and body["data"]["retry_after"] > 0
    assert "at most 3" in body["message"]
    # nothing was made for the refused one, and the server goes on answering
    assert rows(srv.data_dir, "SELECT id FROM users WHERE username = ?", f"farm3_{tag}") == []
    granted = rows(srv.data_dir, "SELECT COUNT(*) AS n FROM credit_entries WHERE reason LIKE 'sign-up%'")
    assert granted[0]["n"] == 3
    assert httpx.get(f"{srv.url}/api/health").status_code == 200
    # signing in to the accounts made still works
    r = httpx.post(
        f"{srv.url}/api/auth/login", json={"username": f"farm0_{tag}", "password": "correct horse battery"}
    )
    assert r.status_code == 200, r.text
