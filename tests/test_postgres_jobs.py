"""The job queue on a real PostgreSQL: migrations raced from many connections, turns and renders
claimed with ``FOR UPDATE SKIP LOCKED`` by many workers at once, leases that run out and are
taken over, and a worker that lost its lease unable to finish anything.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from pg import PostgresCluster, parallel
from promptreel.storage import Database, renders, sessions, turns, users
from promptreel.storage.ids import utcnow
from promptreel.storage.models import Render, Turn

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def db(pg_db: Database) -> Database:
    return pg_db


_MIGRATE_AT = """
import sys, time
from promptreel.storage import Database
db = Database(sys.argv[1])
with db.writer.connect():
    pass
while time.time() < float(sys.argv[2]):  # everyone ready: go at the same instant
    pass
db.migrate()
print("migrated")
"""


def test_migrations_run_once_when_many_processes_start_together(pg_cluster: PostgresCluster) -> None:
    url = pg_cluster.create_database()
    go = time.time() + 4
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE_AT, url, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [o[0].strip() for o in outs] == ["migrated"] * 4, [o[1][-2000:] for o in outs]
    db = Database(url)
    try:
        with db.read() as s:
            assert s.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert db.at_head()
    finally:
        db.dispose()


def _turns(db: Database, n: int) -> list[str]:
    ids = []
    with db.write() as s:
        uid = users.create(s, kind="anonymous", client_id="jobs").id
        for i in range(n):
            sid = sessions.create(s, user_id=uid, name=f"p{i}", language="en").id
            t = turns.create(
                s,
                turn_id=f"turn_{i:03d}",
                session_id=sid,
                user_id=uid,
                message="generate",
                kind="generate",
                cost=0,
                reservation_id=None,
                deadline_at=utcnow() + timedelta(minutes=15),
            )
            ids.append(t.id)
    return ids


def test_each_turn_is_claimed_by_exactly_one_of_many_workers(db: Database) -> None:
    ids = _turns(db, 40)

    def work(i: int) -> list[str]:
        got = []
        while True:
            with db.write() as s:
                t = turns.claim(s, f"w{i}", 30)
            if t is None:
                with db.read() as s:
                    if not turns.claimable(s):
                        return got
                continue
            got.append(t.id)

    results = parallel(8, work)
    claimed = [tid for r in results for tid in r]
    assert sorted(claimed) == sorted(ids)  # every turn once, none twice
    with db.read() as s:
        assert {t.attempts for t in s.query(Turn)} == {1}


def test_an_expired_lease_is_taken_over_and_the_old_worker_can_finish_nothing(db: Database) -> None:
    (tid,) = _turns(db, 1)
    with db.write() as s:
        assert turns.claim(s, "dead", 30).id == tid  # type: ignore[union-attr]
    with db.write() as s:
        assert turns.claim(s, "other", 30) is None  # leased
        assert turns.heartbeat(s, "dead", 30) == 1
    with db.write() as s:  # the worker died: its lease runs out
        s.execute(update(Turn).values(lease_until=utcnow() - timedelta(seconds=1)))
    with db.write() as s:
        t = turns.claim(s, "other", 30)
        assert t is not None and t.id == tid and t.attempts == 2 and t.lease_owner == "other"
    with db.write() as s:
        assert not turns.holds(s, tid, "dead") and turns.holds(s, tid, "other")
        assert turns.heartbeat(s, "dead", 30) == 0
        assert turns.finish(s, tid, "completed", owner="dead") is False
        assert turns.finish(s, tid, "completed", owner="other") is True
        assert turns.finish(s, tid, "failed") is False  # exactly once


def test_renders_one_per_session_and_taken_over_after_the_lease(db: Database) -> None:
    with db.write() as s:
        uid = users.create(s, kind="anonymous", client_id="renders").id
        sids = [sessions.create(s, user_id=uid, name=f"p{i}", language="en").id for i in range(3)]
        for i in range(12):
            renders.create(s, render_id=f"r{i}", user_id=uid, session_id=sids[i % 3], draft="{}")

    def claim(i: int) -> str | None:
        with db.write() as s:
            job = renders.claim_next(s, f"w{i}", 30)
            return job.session_id if job else None

    got = [g for g in parallel(8, claim) if g]
    assert sorted(got) == sorted(sids)  # one job per session at a time, never two
    with db.write() as s:  # a worker dies: its job's lease runs out, another worker claims it again
        dead = s.query(Render).filter(Render.status == "processing").first()
        assert dead is not None and dead.lease_owner is not None
        owner, job_id = dead.lease_owner, dead.id
        s.execute(
            update(Render).where(Render.id == job_id).values(lease_until=utcnow() - timedelta(seconds=1))
        )
    with db.write() as s:
        again = renders.claim_next(s, "rescuer", 30)
        assert again is not None and again.id == job_id and again.attempts == 2
    with db.write() as s:
        assert renders.finish(s, job_id, status="completed", owner=owner) is False
        assert renders.finish(s, job_id, status="completed", owner="rescuer") is True
        assert renders.heartbeat(s, "rescuer", 30) == 0


def test_a_preview_is_claimed_before_older_exports(db: Database) -> None:
    with db.write() as s:
        uid = users.create(s, kind="anonymous", client_id="previews").id
        sids = [sessions.create(s, user_id=uid, name=f"p{i}", language="en").id for i in range(4)]
        for i in range(3):
            renders.create(s, render_id=f"x{i}", user_id=uid, session_id=sids[i], draft="{}", quality="high")
        renders.create(s, render_id="pv", user_id=uid, session_id=sids[3], draft="{}", quality="preview")
    order = []
    for i in range(4):
        with db.write() as s:
            job = renders.claim_next(s, f"w{i}", 30)
            assert job is not None
            order.append(job.render_id)
    assert order == ["pv", "x0", "x1", "x2"]  # the watched preview first, then the exports in order
