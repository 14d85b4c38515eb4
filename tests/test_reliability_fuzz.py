"""Schemathesis against the live server's ``/openapi.json``: no 5xx, every response matches the
documented schema, status code and content type.

Runs the schemathesis CLI (bounded examples, fixed seed) with a real bearer token, the
attribution headers, and real ids for the path parameters, so generated requests reach the
handlers' logic instead of stopping at 404.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ATTRIBUTION, LiveServer, server_env
from securitykit import png
from serverkit import Api

CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("schemathesis")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("schemathesis")
    if not found:
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    return [found]


def test_schemathesis_finds_no_server_errors_or_schema_violations(tmp_path: Path) -> None:
    d = tmp_path / "data"
    srv = LiveServer(d, server_env(d, anonymous_credits=1000)).start()
    try:
        api = Api(srv.url)
        api.anonymous()
        s = api.session()
        sid = s["session_id"]
        assert (
            api.post(
                f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("p.png", png()))]
            ).status_code
            == 200
        )
        draft = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene"}]}]}
        assert api.render(sid, draft, render_id="render_fuzz").status_code == 200
        assert api.poll("render_fuzz")["status"] == "completed"
        ct = api.post("/api/auth/claim-token", json={"task_id": s["task_id"], "session_id": sid}).json()[
            "data"
        ]["claim_token"]
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            "[parameters]\n"
            f'"path.session_id" = "{sid}"\n'
            '"path.app_name" = "nemo_agent"\n'
            '"path.render_id" = "render_fuzz"\n'
            f'"path.claim_token" = "{ct}"\n'
        )
        headers = {"Authorization": f"Bearer {api.token}", **ATTRIBUTION}
        cmd = [
            *_cli(),
            "--config-file",
            str(config),
            "run",
            f"{srv.url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "12",
            "--seed",
            "7",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            "--max-failures",
            "20",
        ]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=tmp_path)
        report = out.stdout[-20000:] + out.stderr[-2000:]
        assert out.returncode == 0, report
        assert "passed" in out.stdout
        # the server survived all of it and logged no unexpected error
        assert api.get("/api/health").status_code == 200
        assert "unexpected error" not in srv.log(), srv.log()[-3000:]
    finally:
        srv.stop()
