"""Tokens, claim links and signed links expire on the server's clock, checked by moving an
injected clock instead of waiting: the app runs in this process with a ManualClock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from promptreel.api.app import create_app
from promptreel.clock import ManualClock
from promptreel.settings import Settings

BALANCE = "/api/credits/balance/simple"
TTL_S = 10


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def client(tmp_path: Path, clock: ManualClock) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        jobs_in_serve=False,
        token_ttl_s=TTL_S,
        claim_ttl_s=TTL_S,
        link_ttl_s=TTL_S,
        tokens_per_ip=100_000,
    )
    with TestClient(create_app(settings, clock=clock)) as c:
        yield c


def _anonymous(c: TestClient, client_id: str = "client-a") -> dict[str, str]:
    r = c.post("/api/auth/anonymous-token", headers={"X-Client-Id": client_id})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['data']['token']}"}


def _code(r: object) -> tuple[int, int]:
    return r.status_code, r.json()["code"]  # type: ignore[attr-defined]


def test_an_anonymous_token_lives_its_ttl_and_not_a_second_more(
    client: TestClient, clock: ManualClock
) -> None:
    auth = _anonymous(client)
    clock.advance(TTL_S - 1)
    assert client.get(BALANCE, headers=auth).status_code == 200
    # while it is valid the same client gets no second token, and is told when to ask again
    again = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "client-a"})
    assert _code(again) == (429, 429) and int(again.headers["Retry-After"]) == 1
    clock.advance(1)
    r = client.get(BALANCE, headers=auth)
    assert _code(r) == (401, 1001) and "expired" in r.json()["message"]
    # once it has expired the same client id gets a fresh token
    assert client.get(BALANCE, headers=_anonymous(client)).status_code == 200


def test_a_claim_link_expires_on_the_clock(client: TestClient, clock: ManualClock) -> None:
    auth = _anonymous(client)
    made = client.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "x"}, headers=auth)
    assert made.status_code == 200, made.text
    ids = made.json()["data"]
    r = client.post(
        "/api/auth/claim-token",
        json={"task_id": ids["task_id"], "session_id": ids["session_id"]},
        headers=auth,
    )
    claim = r.json()["data"]["claim_token"]
    assert client.get(f"/api/claim/{claim}").status_code == 200
    clock.advance(TTL_S)
    assert _code(client.get(f"/api/claim/{claim}")) == (401, 1001)


def test_a_signed_link_is_refused_after_its_expiry(client: TestClient, clock: ManualClock) -> None:
    signer = client.app.state.services.signer  # type: ignore[attr-defined]
    query = dict(part.split("=") for part in signer.query("renders/r1").split("&"))
    assert signer.verify("renders/r1", query["exp"], query["sig"])
    assert not signer.verify("renders/r2", query["exp"], query["sig"])
    clock.advance(TTL_S + 1)
    assert not signer.verify("renders/r1", query["exp"], query["sig"])
