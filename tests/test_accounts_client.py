"""promptreel's own client, configured only by NEMO_* / SKILL_SOURCE, with a registered account's token."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import av
import httpx
import pytest
from sqlalchemy import select

from conftest import LiveServer
from promptreel.client.config import load_config
from promptreel.client.sdk import Client
from promptreel.errors import ExportBlocked
from promptreel.service.accounts import open_accounts
from promptreel.settings import Settings
from promptreel.storage.models import StudioSession


def test_client_from_environment_with_scoped_token(
    server_factory: Callable[..., LiveServer], tmp_path: Path
) -> None:
    srv = server_factory(cost_generate=20)
    reg = httpx.post(f"{srv.url}/api/auth/register", json={"username": "sdk", "password": "long password"})
    admin = {"Authorization": f"Bearer {reg.json()['data']['token']}"}
    accounts = open_accounts(Settings(data_dir=srv.data_dir))
    accounts.grant("sdk", 40)

    def token(*scopes: str) -> str:
        r = httpx.post(f"{srv.url}/api/tokens", json={"name": "sdk", "scopes": list(scopes)}, headers=admin)
        return str(r.json()["data"]["token"])

    env = {
        "NEMO_API_URL": srv.url,
        "NEMO_WEB_URL": "http://studio.example",
        "NEMO_TOKEN": token("read", "write", "render"),
        "NEMO_CLIENT_ID": "client-from-env",
        "SKILL_SOURCE": "my-own-skill",
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "HOME": str(tmp_path),
    }
    cfg = load_config(env)
    with Client(config=cfg) as c:
        assert c.registration_url("bind_x").startswith("http://studio.example/register?bind=bind_x")
        sess = c.create_session("project", "en")
        with c.turn(sess.session_id, "generate a 2-second video about kites") as stream:
            items = list(stream)
        assert items and getattr(items[-1], "turn_complete", False)
        assert c.balance().available == 20
        job = c.submit_render(sess.session_id, c.state(sess.session_id).draft_json or {})
        done = c.wait_render(job.id, poll_s=0.2, timeout_s=120)
        path = c.download(done, tmp_path / "out.mp4")
    with av.open(str(path)) as f:
        assert f.streams.video and sum(1 for _ in f.decode(video=0)) > 5

    with accounts.db.read() as s:
        row = s.scalars(select(StudioSession).where(StudioSession.id == sess.session_id)).one()
        assert json.loads(row.attribution)["X-Skill-Source"] == "my-own-skill"

    # the same client with a token that lacks `render`: export blocked (402), not a credits problem
    no_render = load_config({**env, "NEMO_TOKEN": token("read", "write")})
    with Client(config=no_render) as c, pytest.raises(ExportBlocked):
        c.submit_render(sess.session_id, c.state(sess.session_id).draft_json or {})
