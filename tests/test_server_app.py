"""The app factory in-process: envelopes for unexpected faults, migrations on startup, the studio port."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from fake_studio import FakeStudio
from promptreel.api.app import create_app
from promptreel.settings import Settings


def _app(tmp_path: Path) -> TestClient:
    app = create_app(Settings(data_dir=tmp_path, heartbeat_s=0.2), studio=FakeStudio())

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    return TestClient(app, raise_server_exceptions=False)


def test_unexpected_errors_are_envelopes_without_tracebacks(tmp_path: Path) -> None:
    with _app(tmp_path) as client:
        r = client.get("/boom")
        assert r.status_code == 500
        body = r.json()
        assert body["code"] == 5000 and body["data"]["ref"] in body["message"]
        assert "Traceback" not in r.text and "secret" not in r.text and "passwd" not in r.text
        r = client.put("/api/credits/balance/simple")
        assert r.status_code == 405 and r.json()["code"] == 4050


def test_in_process_app_runs_a_turn_with_an_injected_studio(tmp_path: Path) -> None:
    with _app(tmp_path) as client:
        tok = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "in-process"}).json()["data"]
        h = {"Authorization": f"Bearer {tok['token']}"}
        sid = client.post("/api/tasks/me/with-session/nemo_agent", json={}, headers=h).json()["data"][
            "session_id"
        ]
        body = {
            "session_id": sid,
            "new_message": {"parts": [{"text": "generate a 2-second video about rain"}]},
        }
        with client.stream("POST", "/run_sse", json=body, headers=h) as r:
            lines = [line for line in r.iter_lines() if line.startswith("data:")]
        assert '"turn_complete":true' in lines[-1]
        state = client.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=h).json()["data"]
        assert state["ready"] and state["state"]["draft"]["d"] == 2000
    assert (tmp_path / "promptreel.db").exists() and (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
