"""The same guarantees on PostgreSQL (``PROMPTREEL_DATABASE_URL``): migrations, race-free credits, the flow."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest

from conftest import LiveServer
from promptreel.storage import Database, credits, users
from serverkit import Api

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_reservations_race_on_postgres(postgres_url: str) -> None:
    db = Database(postgres_url)
    db.migrate()
    db.migrate()
    with db.write() as s:
        uid = users.create(s, kind="anonymous", client_id="pg-race").id
        credits.grant(s, uid, 100, "trial")
    won: list[str] = []
    barrier = threading.Barrier(16)

    def take() -> None:
        barrier.wait()
        with db.write() as s:
            rid = credits.reserve(s, uid, 30, "gen")
        if rid:
            won.append(rid)

    threads = [threading.Thread(target=take) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 3
    with db.read() as s:
        assert credits.balance(s, uid) == (10, 90)
    db.dispose()


def test_server_flow_on_postgres(postgres_url: str, server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(database_url=postgres_url)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 3-second video about tea").complete
    draft = api.state(sid)["state"]["draft"]
    assert api.render(sid, draft, "render_pg").status_code == 200
    done = api.poll("render_pg")
    assert done["status"] == "completed"
    assert httpx.get(done["output"]["url"]).status_code == 200
    assert not (srv.data_dir / "promptreel.db").exists()  # everything went to PostgreSQL
