"""Two apps with different data dirs never share a file: every byte a generation and a render
write (database, blobs, chunk cache, stills) lands under the app's own data dir, and the user's
default data dir is never touched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import ATTRIBUTION
from promptreel.api.app import create_app
from promptreel.settings import Settings, get_settings


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def _generate_and_render(client: TestClient, label: str) -> None:
    tok = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": f"dirs-{label}"}).json()["data"]
    h = {"Authorization": f"Bearer {tok['token']}", **ATTRIBUTION}
    sid = client.post("/api/tasks/me/with-session/nemo_agent", json={}, headers=h).json()["data"][
        "session_id"
    ]
    body = {"session_id": sid, "new_message": {"parts": [{"text": f"a 4-second video about {label}"}]}}
    with client.stream("POST", "/run_sse", json=body, headers=h) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data:")]
    assert '"turn_complete":true' in lines[-1], lines[-3:]
    draft = client.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=h).json()["data"]["state"]["draft"]
    rid = f"render_{label}_{time.time_ns()}"
    job = {"id": rid, "sessionId": sid, "draft": draft, "output": {"format": "mp4", "quality": "low"}}
    r = client.post("/api/render/proxy/lambda", json=job, headers=h)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 180
    while True:
        status = client.get(f"/api/render/proxy/lambda/{rid}", headers=h).json()
        if status["status"] in ("completed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status["status"] == "completed", status


def test_two_apps_with_different_data_dirs_never_share_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("PROMPTREEL_DATA_DIR", raising=False)
    monkeypatch.delenv("PROMPTREEL_CACHE_DIR", raising=False)
    get_settings.cache_clear()  # a stale process-wide Settings must not matter either way
    default_dir = get_settings().data_dir
    assert default_dir.is_relative_to(home)

    dirs = {label: tmp_path / f"data-{label}" for label in ("rain", "snow")}
    for label, data_dir in dirs.items():
        settings = Settings(data_dir=data_dir, studio="", fake_engines=True, heartbeat_s=0.2)
        with TestClient(create_app(settings)) as client:
            _generate_and_render(client, label)

    rain, snow = (_files(d) for d in dirs.values())
    assert any("chunks" in p.parts for p in rain) and any("chunks" in p.parts for p in snow)
    assert any(p.suffix == ".db" for p in rain) and any(p.suffix == ".db" for p in snow)
    rel = {p.relative_to(dirs["rain"]) for p in rain} & {p.relative_to(dirs["snow"]) for p in snow}
    assert all(not (dirs["rain"] / r).samefile(dirs["snow"] / r) for r in rel)
    assert not default_dir.exists(), sorted(_files(default_dir))
    assert not home.exists() or not _files(home), sorted(_files(home))
    get_settings.cache_clear()


def test_only_the_edges_read_the_process_wide_settings() -> None:
    """Below ``api/`` and the CLI every layer takes the Settings it is given."""
    src = Path(__file__).resolve().parents[1] / "src" / "promptreel"
    readers = {
        p.relative_to(src).as_posix()
        for p in src.rglob("*.py")
        if "get_settings(" in p.read_text(encoding="utf-8")
    }
    allowed = {"settings.py", "cli.py"}
    assert {r for r in readers if r not in allowed and not r.startswith(("api/", "cli"))} == set()
