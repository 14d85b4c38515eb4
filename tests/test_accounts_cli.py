"""Operator CLI against a running server's database: credits grant/history, tokens create/list/revoke."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import httpx
from typer.testing import CliRunner

from conftest import LiveServer
from promptreel.cli import app
from serverkit import Api


def _cli(srv: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMPTREEL_")}
    env["PROMPTREEL_DATA_DIR"] = str(srv.data_dir)
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "promptreel.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_grant_raises_balance_and_shows_in_history(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=150)
    reg = httpx.post(f"{srv.url}/api/auth/register", json={"username": "shop", "password": "long password"})
    user = Api(srv.url, token=reg.json()["data"]["token"])
    sid = user.session()["session_id"]
    short = user.run(sid, "generate a 2-second video about shoes")
    assert short.body is not None and short.body["code"] == 2001 and "Top up" in short.body["message"]

    done = _cli(srv, "credits", "grant", "shop", "250", "--reason", "invoice 42")
    assert done.returncode == 0, done.stderr
    assert "available 250" in done.stdout
    assert user.balance() == {"available": 250, "frozen": 0, "total": 250}
    assert user.run(sid, "generate a 2-second video about shoes").complete
    assert user.balance()["available"] == 100

    # by user id too; history over the API and in the CLI's table
    uid = reg.json()["data"]["user_id"]
    assert _cli(srv, "credits", "grant", uid, "5").returncode == 0
    api_hist = user.get("/api/credits/history").json()["data"]
    assert [(e["kind"], e["available_delta"], e["reason"]) for e in api_hist][-1] == (
        "grant",
        250,
        "invoice 42",
    )
    assert {"reserve", "commit"} <= {e["kind"] for e in api_hist}
    table = _cli(srv, "credits", "history", "shop")
    assert table.returncode == 0 and "invoice 42" in table.stdout and "+250" in table.stdout
    assert "available 105" in table.stdout
    raw = json.loads(_cli(srv, "credits", "history", "shop", "--json").stdout)
    assert raw["credits"]["available"] == 105 and raw["entries"][0]["available_delta"] == 5

    missing = _cli(srv, "credits", "grant", "nobody", "5")
    assert missing.returncode == 1 and "No user named" in missing.stderr
    neg = _cli(srv, "credits", "grant", "shop", "--", "-1000")
    assert neg.returncode == 1 and "only 105 are available" in neg.stderr  # never below zero


def test_tokens_create_list_revoke(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory()
    httpx.post(f"{srv.url}/api/auth/register", json={"username": "bot", "password": "long password"})
    runner = CliRunner()
    dd = ["--data-dir", str(srv.data_dir)]
    made = runner.invoke(
        app, ["tokens", "create", "bot", "-n", "ci", "-s", "read", "-s", "upload", "-e", "30d", *dd]
    )
    assert made.exit_code == 0, made.output
    secret = [line for line in made.output.splitlines() if line.startswith("nmv_api_")]
    assert len(secret) == 1
    ci = Api(srv.url, token=secret[0])
    assert ci.balance()["available"] == 0
    sid_resp = ci.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "x"})
    assert sid_resp.json()["code"] == 4030  # no write scope

    rows = json.loads(runner.invoke(app, ["tokens", "list", "bot", "--json", *dd]).output)
    ci_row = next(r for r in rows if r["name"] == "ci")
    assert ci_row["scopes"] == ["read", "upload"] and ci_row["expires_at"] and not ci_row["revoked"]
    assert all("token" not in r for r in rows) and secret[0][-4:] == ci_row["hint"]
    table = runner.invoke(app, ["tokens", "list", "bot", *dd], env={"COLUMNS": "200"})
    assert ci_row["id"] in table.output and "active" in table.output

    assert runner.invoke(app, ["tokens", "revoke", "bot", ci_row["id"], *dd]).exit_code == 0
    assert ci.get("/api/credits/balance/simple").json()["code"] == 1001  # the very next request
    assert runner.invoke(app, ["tokens", "revoke", "bot", ci_row["id"], *dd]).exit_code == 1
    bad = runner.invoke(app, ["tokens", "create", "bot", "-s", "admin", *dd])
    assert bad.exit_code == 1
    anon = Api(srv.url)
    anon.anonymous()
    uid = anon.get("/api/auth/me").json()["data"]["user_id"]
    assert runner.invoke(app, ["tokens", "create", uid, *dd]).exit_code == 1  # trials cannot hold API tokens
