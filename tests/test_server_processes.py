"""Where turns and renders compute: worker processes at a lower CPU priority, never the request path.

Every test drives a real ``promptreel serve`` subprocess over HTTP and looks at its processes in
``/proc`` (Linux).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import LiveServer
from serverkit import Api

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

PROMPT = "generate a 10-second video about tea"


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _stat(pid: int) -> list[str]:
    """``/proc/<pid>/stat`` from field 3 (state) on: index 16 is the nice value, 38 the policy."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _workers(srv: LiveServer) -> dict[int, str]:
    """The server's worker processes: pid → ``turn-worker`` / ``render-worker``."""
    assert srv.proc is not None
    found = {}
    for pid in _children(srv.proc.pid):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except FileNotFoundError:
            continue
        if comm.endswith("-worker") and _alive(pid):
            found[pid] = comm
    return found


def _until(pred: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _render(api: Api, sid: str, render_id: str) -> dict[str, object]:
    r = api.render(sid, None, render_id)
    assert r.status_code == 200, r.text
    return api.poll(render_id)


def test_turns_and_renders_run_in_worker_processes_at_lower_priority(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(
        job_processes=True,
        job_nice=7,
        turn_processes=1,
        render_workers=2,
        anonymous_credits=1000,
        FAKE_STUDIO_RENDER_S=3,
    )
    api = Api(srv.url)
    api.anonymous()
    sids = [api.session()["session_id"] for _ in range(2)]
    for sid in sids:
        turn = api.run(sid, PROMPT)
        assert turn.complete and turn.calls()[:2] == ["generate_raw_cut", "add_post_production"]
    for sid, rid in zip(sids, ("render_a", "render_b"), strict=True):  # at once: a second process starts
        assert api.render(sid, None, rid).status_code == 200
    assert [api.poll(rid)["status"] for rid in ("render_a", "render_b")] == ["completed"] * 2
    workers = _workers(srv)
    assert sorted(workers.values()) == ["render-worker", "render-worker", "turn-worker"]
    assert srv.proc is not None
    server = _stat(srv.proc.pid)
    for pid in workers:
        st = _stat(pid)
        assert int(st[16]) == min(19, int(server[16]) + 7)  # nice: 7 below the API process
        assert int(st[38]) == 3  # SCHED_BATCH: never preempts a waking API thread


@pytest.mark.parametrize("job_processes", [True, False])
def test_the_first_event_and_reads_never_wait_for_the_studio(
    server_factory: Callable[..., LiveServer], tmp_path: Path, job_processes: bool
) -> None:
    """Until the gate opens the studio cannot load (in the worker processes, or in-process): the
    turn's first event, the state and the stream's resumption still answer; then the turn ends."""
    gate = tmp_path / "gate"
    srv = server_factory(
        studio="gated_studio:GatedStudio", job_processes=job_processes, FAKE_STUDIO_GATE=str(gate)
    )
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    first = api.run(sid, PROMPT, stop_after=1)
    assert first.status == 200 and len(first.events) == 1
    assert "generating your video" in first.events[0]["content"]["parts"][0]["text"]
    st = api.state(sid)
    assert st["turn_running"] and st["version"] == 0
    gate.touch()
    rest = api.run(sid, PROMPT, last_event_id=first.ids[-1])
    assert rest.complete and rest.calls()[:2] == ["generate_raw_cut", "add_post_production"]
    assert [t for t in rest.texts() if "generating your video" in t] == []  # said once
    assert api.state(sid)["version"] == 2


def test_a_worker_process_that_dies_fails_its_render_and_is_replaced(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(
        job_processes=True, turn_processes=1, render_workers=1, anonymous_credits=1000, FAKE_STUDIO_RENDER_S=8
    )
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, PROMPT).complete
    r = api.render(sid, None, "render_killed")
    assert r.status_code == 200, r.text

    def processing() -> bool:
        body = api.get("/api/render/proxy/lambda/render_killed").json()
        return body["status"] == "processing" and body["progress"] > 0

    _until(processing, "the render never started")
    (victim,) = [pid for pid, role in _workers(srv).items() if role == "render-worker"]
    os.kill(victim, signal.SIGKILL)
    failed = api.poll("render_killed")
    assert failed["status"] == "failed" and "worker process stopped" in str(failed["error"])
    # a new render process replaces it; the server, its turns and later renders carry on
    _until(lambda: "render-worker" in _workers(srv).values(), "the render process was not replaced")
    assert victim not in _workers(srv)
    assert api.run(sid, "make it vertical").complete
    assert _render(api, sid, "render_after")["status"] == "completed"


def test_worker_processes_exit_with_a_killed_server(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(job_processes=True, turn_processes=1, render_workers=1)
    _until(lambda: len(_workers(srv)) == 2, "the worker processes did not start")
    workers = list(_workers(srv))
    srv.stop(kill=True)
    _until(lambda: not any(_alive(p) for p in workers), "worker processes outlived the server")


def _alive(pid: int) -> bool:
    try:
        return _stat(pid)[0] != "Z"
    except FileNotFoundError:
        return False
