"""The credits ledger on a real SQLite file: race-free reservations, exact sums, settle-once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from promptreel.storage import Database, credits, users
from promptreel.storage.models import CreditEntry, Reservation


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(f"sqlite:///{tmp_path / 'p.db'}")
    d.migrate()
    return d


def _user(db: Database, grant: int) -> str:
    with db.write() as s:
        u = users.create(s, kind="anonymous", client_id="c")
        credits.grant(s, u.id, grant, "trial")
        return u.id


def _sums(db: Database, user_id: str) -> tuple[int, int]:
    with db.read() as s:
        row = s.execute(
            select(func.sum(CreditEntry.available_delta), func.sum(CreditEntry.frozen_delta)).where(
                CreditEntry.user_id == user_id
            )
        ).one()
        return int(row[0] or 0), int(row[1] or 0)


def test_concurrent_reservations_never_overspend(db: Database) -> None:
    uid = _user(db, 100)
    got: list[str | None] = []
    lock = threading.Lock()
    barrier = threading.Barrier(24)

    def take() -> None:
        barrier.wait()
        with db.write() as s:
            rid = credits.reserve(s, uid, 30, "gen")
        with lock:
            got.append(rid)

    threads = [threading.Thread(target=take) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [r for r in got if r]
    assert len(won) == 3
    with db.read() as s:
        assert credits.balance(s, uid) == (10, 90)
    assert _sums(db, uid) == (10, 90)


def test_settle_happens_exactly_once_even_when_raced(db: Database) -> None:
    uid = _user(db, 100)
    with db.write() as s:
        rid = credits.reserve(s, uid, 40, "edit")
    assert rid is not None
    outcomes: list[bool] = []
    barrier = threading.Barrier(10)

    def settle(commit: bool) -> None:
        barrier.wait()
        with db.write() as s:
            outcomes.append(credits.settle(s, rid, commit=commit))

    threads = [threading.Thread(target=settle, args=(i % 2 == 0,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count(True) == 1
    with db.read() as s:
        available, frozen = credits.balance(s, uid)
        status = s.get(Reservation, rid).status  # type: ignore[union-attr]
    assert frozen == 0 and available == (60 if status == "committed" else 100)
    assert _sums(db, uid) == (available, frozen)


def test_short_balance_reserves_nothing_and_take_all_is_logged(db: Database) -> None:
    uid = _user(db, 20)
    with db.write() as s:
        assert credits.reserve(s, uid, 21, "gen") is None
        assert credits.take_all(s, uid, "expired") == 20
        credits.grant(s, uid, 100, "new trial")
    with db.read() as s:
        assert credits.balance(s, uid) == (100, 0)
        kinds = [e.kind for e in credits.history(s, uid)]
    assert kinds == ["grant", "expire", "grant"]
    assert _sums(db, uid) == (100, 0)


def test_a_failed_transaction_leaves_no_trace(db: Database) -> None:
    uid = _user(db, 100)
    with pytest.raises(RuntimeError), db.write() as s:
        credits.reserve(s, uid, 50, "gen")
        raise RuntimeError("boom")
    with db.read() as s:
        assert credits.balance(s, uid) == (100, 0)
        assert credits.held_reservations(s, uid) == []
