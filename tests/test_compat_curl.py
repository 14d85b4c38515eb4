"""Drop-in compatibility: a curl-only skill session (tests/compat/curl_skill.sh) against promptreel,
with only NEMO_API_URL / NEMO_WEB_URL pointing here instead of the hosted service."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import av
import httpx
import pytest

from conftest import TESTS, LiveServer

SCRIPT = TESTS / "compat" / "curl_skill.sh"

pytestmark = pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")


def _run(out: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEMO_", "PROMPTREEL_", "SKILL_"))}
    base |= {"OUT_DIR": str(out), "POLL_S": "0.3", "SKILL_SOURCE": "free-generation-maker", **env}
    proc = subprocess.run(["bash", str(SCRIPT)], env=base, capture_output=True, text=True, timeout=600)
    steps = (out / "steps.log").read_text().splitlines() if (out / "steps.log").exists() else []
    return proc, steps


def _check_mp4(path: Path) -> None:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        assert v.codec_context.name == "h264"
        frames = sum(1 for _ in c.decode(video=0))
    assert frames >= 10


def test_curl_skill_session_anonymous(server_factory: Callable[..., LiveServer], tmp_path: Path) -> None:
    srv = server_factory(FAKE_STUDIO_RENDER_S=1.5)
    web = srv.url.replace("127.0.0.1", "localhost")  # the studio base is its own setting
    proc, steps = _run(tmp_path, NEMO_API_URL=srv.url, NEMO_WEB_URL=web)
    assert proc.returncode == 0, proc.stderr + "\n".join(steps) + srv.log()
    assert steps[0] == "token anonymous credits=100"
    assert steps[-1] == "done" and f"studio {web}/workspace/claim" in steps
    assert any(s.startswith("claim expires_in=604800") for s in steps)
    assert "credits available=0 frozen=0 total=0" in steps  # 100 trial credits, one generation
    statuses = [s.split()[1] for s in steps if s.startswith("poll ")]
    assert statuses[-1] == "status=completed" and len(statuses) >= 2  # it was polled while running
    url_mp4, fallback = tmp_path / "video.mp4", tmp_path / "video_fallback.mp4"
    assert url_mp4.read_bytes() == fallback.read_bytes()
    _check_mp4(url_mp4)
    # the stream's ids are monotonic and the last event completes the turn
    ids = [
        int(line[3:]) for line in (tmp_path / "stream.txt").read_text().splitlines() if line.startswith("id:")
    ]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) > 2


def test_curl_skill_with_nemo_token(server_factory: Callable[..., LiveServer], tmp_path: Path) -> None:
    """NEMO_TOKEN set (a registered account's API token with read/write/render): no anonymous call."""
    srv = server_factory(cost_generate=10)
    reg = httpx.post(f"{srv.url}/api/auth/register", json={"username": "skill", "password": "long password"})
    admin = reg.json()["data"]["token"]
    from promptreel.service.accounts import open_accounts
    from promptreel.settings import Settings

    open_accounts(Settings(data_dir=srv.data_dir)).grant("skill", 50)
    made = httpx.post(
        f"{srv.url}/api/tokens",
        json={"name": "skill", "scopes": ["read", "write", "render"]},
        headers={"Authorization": f"Bearer {admin}"},
    ).json()["data"]
    proc, steps = _run(
        tmp_path,
        NEMO_API_URL=srv.url,
        NEMO_WEB_URL=srv.url,
        NEMO_TOKEN=made["token"],
        PROMPT="generate a 3-second video about a bakery",
    )
    assert proc.returncode == 0, proc.stderr + "\n".join(steps)
    assert steps[0] == "token from NEMO_TOKEN" and steps[-1] == "done"
    assert "credits available=40 frozen=0 total=40" in steps
    _check_mp4(tmp_path / "video.mp4")

    # the same script with a token lacking `render` stops at the export with 402 (not a credits problem)
    ro = httpx.post(
        f"{srv.url}/api/tokens",
        json={"name": "ro", "scopes": ["read", "write"]},
        headers={"Authorization": f"Bearer {admin}"},
    ).json()["data"]
    proc, steps = _run(
        tmp_path / "ro", NEMO_API_URL=srv.url, NEMO_TOKEN=ro["token"], PROMPT="what is in my video"
    )
    assert proc.returncode == 1 and 'FAILED: render: {"code":402' in proc.stderr
    assert steps[-1].startswith("FAILED render") and any(
        s.startswith("state tracks_with_segments=") for s in steps
    )
