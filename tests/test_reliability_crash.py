"""kill -9 during a render and during a turn, restart on the same data dir.

The render is resumed (same id → same job, finished once, nothing charged), the turn is failed
cleanly with its reservation released, its half-made draft is not the head, and no partial file
is left in the data dir.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from conftest import LiveServer
from securitykit import blob_files, ledger_problems, rows, tmp_files, user_of
from serverkit import Api

DRAFT = {
    "w": 320,
    "h": 180,
    "fps": 30,
    "t": [{"tt": 0, "sg": [{"s": 0, "d": 4000, "k": "scene", "m": {"text": "crash test"}}]}],
}


def _wait(pred: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_kill_9_during_a_render_and_a_turn(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(job_processes=True, FAKE_STUDIO_RENDER_S=6, cost_generate=60, heartbeat_s=0.2)
    api = Api(srv.url)
    token = api.anonymous()["token"]
    user = user_of(srv.data_dir, token)
    render_sid = api.session()["session_id"]
    turn_sid = api.session()["session_id"]

    # a turn in progress (its first stage takes 3 s)…
    ids: list[int] = []
    t = threading.Thread(target=_read_until_dropped, args=(srv.url, token, turn_sid, ids))
    t.start()
    _wait(lambda: ids)

    # …and a render in progress (6 s): its partial output exists in the store's tmp dir
    r = api.render(render_sid, DRAFT, render_id="render_crash")
    assert r.status_code == 200, r.text
    job_id = r.json()["data"]["job_id"]
    _wait(lambda: api.get("/api/render/proxy/lambda/render_crash").json()["progress"] > 0, timeout=60)
    assert tmp_files(srv.data_dir), "the render writes its partial file under files/tmp"

    # kill once the turn is past its first stage (a raw-cut draft is stored), the render still running
    _wait(
        lambda: rows(
            srv.data_dir, "SELECT 1 FROM draft_versions WHERE session_id = ? AND stage = 'raw_cut'", turn_sid
        ),
        timeout=20,
    )
    assert api.balance() == {"available": 40, "frozen": 60, "total": 100}
    assert api.get("/api/render/proxy/lambda/render_crash").json()["status"] == "processing"

    srv.stop(kill=True)
    t.join(10)
    assert ids  # events arrived, then the connection died with the server

    srv.start()
    # the turn: failed cleanly, reservation released, nothing charged, the half draft is not the head
    assert api.balance() == {"available": 100, "frozen": 0, "total": 100}
    assert ledger_problems(srv.data_dir, user) == []
    turns = rows(
        srv.data_dir,
        "SELECT t.status, r.status AS rs FROM turns t JOIN reservations r ON r.id = t.reservation_id "
        "WHERE t.session_id = ?",
        turn_sid,
    )
    assert turns == [{"status": "failed", "rs": "released"}]
    st = api.state(turn_sid)
    assert st["version"] == 0 and not st["ready"] and not st["turn_running"]
    last_id = ids[-1]
    resumed = api.run(turn_sid, "generate a SLOW video", last_event_id=last_id)
    assert resumed.complete and resumed.events[-1].get("error_code") == 5000
    assert resumed.ids == sorted(resumed.ids) and resumed.ids[0] > last_id
    again = api.run(turn_sid, "generate a 4-second video about rain")  # the session is usable again
    assert again.complete and api.balance() == {"available": 40, "frozen": 0, "total": 40}

    # the render: the same id is the same job, resumed to completion exactly once
    r2 = api.render(render_sid, DRAFT, render_id="render_crash")
    assert r2.status_code == 200 and r2.json()["data"]["job_id"] == job_id
    done = api.poll("render_crash", timeout=60)
    assert done["status"] == "completed" and done["data"]["job_id"] == job_id
    jobs = rows(srv.data_dir, "SELECT id, status, attempts FROM renders WHERE render_id = 'render_crash'")
    assert len(jobs) == 1 and jobs[0]["status"] == "completed" and jobs[0]["attempts"] == 2
    dl = api.get("/api/render/proxy/render_crash/download")
    assert dl.status_code == 200 and dl.content[4:8] == b"ftyp"

    # nothing orphaned: no temp files, every blob is referenced by a row
    assert tmp_files(srv.data_dir) == []
    referenced = {x["blob"] for x in rows(srv.data_dir, "SELECT blob FROM renders WHERE blob IS NOT NULL")}
    referenced |= {x["blob"] for x in rows(srv.data_dir, "SELECT blob FROM media")}
    assert {p.name for p in blob_files(srv.data_dir)} == referenced
    assert api.balance() == {"available": 40, "frozen": 0, "total": 40}  # export charged nothing
    assert ledger_problems(srv.data_dir, user) == []


def _read_until_dropped(url: str, token: str, sid: str, ids: list[int]) -> None:
    """Stream a turn, recording event ids, until the server goes away."""
    body = {"session_id": sid, "new_message": {"parts": [{"text": "generate a SLOW video"}]}}
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    try:
        with httpx.stream("POST", f"{url}/run_sse", json=body, headers=headers, timeout=60) as r:
            for line in r.iter_lines():
                if line.startswith("id:"):
                    ids.append(int(line[3:]))
    except httpx.HTTPError:
        pass
