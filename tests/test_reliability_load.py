"""50 concurrent SSE turns with heartbeats: no event lost, duplicated or reordered; a dropped
stream resumed with Last-Event-ID gets exactly the missed events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from conftest import ATTRIBUTION, LiveServer
from securitykit import ledger_problems, rows, user_of
from serverkit import Api

N = 50
DROP = 10  # of the 50, these drop after two events and resume


@dataclass
class Got:
    ids: list[int] = field(default_factory=list)
    payloads: list[dict[str, Any]] = field(default_factory=list)
    heartbeats: int = 0
    turn: str = ""


async def _stream(
    client: httpx.AsyncClient, token: str, sid: str, got: Got, *, last: int | None = None, stop_after: int = 0
) -> None:
    body = {"session_id": sid, "new_message": {"parts": [{"text": "generate a 6-second video about bees"}]}}
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    if last is not None:
        headers["Last-Event-ID"] = str(last)
    async with client.stream("POST", "/run_sse", json=body, headers=headers) as r:
        assert r.status_code == 200, await r.aread()
        got.turn = got.turn or r.headers["x-turn-id"]
        ev_id: int | None = None
        n = 0
        async for line in r.aiter_lines():
            if line.startswith(":"):
                got.heartbeats += 1
            elif line.startswith("id:"):
                ev_id = int(line[3:])
            elif line.startswith("data:"):
                assert ev_id is not None
                got.ids.append(ev_id)
                got.payloads.append(json.loads(line[5:]))
                n += 1
                if got.payloads[-1].get("turn_complete") or (stop_after and n >= stop_after):
                    return


async def _one(client: httpx.AsyncClient, token: str, sid: str, drop: bool) -> Got:
    got = Got()
    if not drop:
        await _stream(client, token, sid, got)
        return got
    await _stream(client, token, sid, got, stop_after=2)  # the connection goes away here
    await asyncio.sleep(0.5)
    await _stream(client, token, sid, got, last=got.ids[-1])
    return got


async def _all(url: str, token: str, sids: list[str]) -> list[Got]:
    limits = httpx.Limits(max_connections=N + 10, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=120.0, limits=limits) as client:
        return await asyncio.gather(*(_one(client, token, sid, i < DROP) for i, sid in enumerate(sids)))


def test_50_concurrent_turns_lose_nothing(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(anonymous_credits=N * 100, turn_workers=8, heartbeat_s=0.2, FAKE_STUDIO_STAGE_S=0.3)
    api = Api(srv.url)
    token = api.anonymous()["token"]
    sids = [api.session()["session_id"] for _ in range(N)]
    results = asyncio.run(_all(srv.url, token, sids))

    for i, (sid, got) in enumerate(zip(sids, results, strict=True)):
        stored = rows(
            srv.data_dir, "SELECT seq, payload FROM turn_events WHERE turn_id = ? ORDER BY seq", got.turn
        )
        assert got.ids == [r["seq"] for r in stored], (i, got.ids, [r["seq"] for r in stored])
        assert got.payloads == [json.loads(r["payload"]) for r in stored]
        assert got.ids == sorted(set(got.ids))  # strictly increasing: no duplicate, no reorder
        done = [p.get("turn_complete") for p in got.payloads]
        assert done[-1] is True and done.count(True) == 1
        assert {p["invocation_id"] for p in got.payloads} == {got.turn}
        names = [
            part["function_call"]["name"]
            for p in got.payloads
            for part in p["content"]["parts"]
            if "function_call" in part
        ]
        assert names == ["generate_raw_cut", "add_post_production"], (sid, names)
    # turns queued behind the 8 workers waited with heartbeats
    assert sum(1 for g in results if g.heartbeats) >= N // 2
    assert len({g.turn for g in results}) == N
    assert api.balance() == {"available": 0, "frozen": 0, "total": 0}
    assert ledger_problems(srv.data_dir, user_of(srv.data_dir, token)) == []
