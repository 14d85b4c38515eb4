"""Storage and credits on a real PostgreSQL (a throwaway cluster from ``tests/pg.py``).

The SQLite suite of the credits ledger runs here again unchanged against PostgreSQL (its tests
are collected a second time in this module, where ``db`` is a fresh PostgreSQL database), and
the services the server uses — anonymous tokens, sessions and draft versions, reserve / commit
/ release — are driven concurrently the way a busy server drives them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

import test_storage_credits as sqlite_suite
from pg import parallel
from promptreel.draft import Canvas, Draft
from promptreel.errors import NoCredits, RateLimited
from promptreel.service.auth import AuthService
from promptreel.service.credits import CreditService
from promptreel.service.sessions import SessionService
from promptreel.settings import Settings
from promptreel.storage import Database, credits, users
from promptreel.storage.models import Base, CreditEntry, User
from promptreel.wire import AnonymousToken

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# the SQLite credits suite, collected again here with ``db`` on PostgreSQL
test_concurrent_reservations_never_overspend = sqlite_suite.test_concurrent_reservations_never_overspend
test_settle_happens_exactly_once_even_when_raced = (
    sqlite_suite.test_settle_happens_exactly_once_even_when_raced
)
test_short_balance_reserves_nothing_and_take_all_is_logged = (
    sqlite_suite.test_short_balance_reserves_nothing_and_take_all_is_logged
)
test_a_failed_transaction_leaves_no_trace = sqlite_suite.test_a_failed_transaction_leaves_no_trace


@pytest.fixture
def db(pg_db: Database) -> Database:
    return pg_db


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=str(db.writer.url.render_as_string(hide_password=False)))


def test_migrations_apply_twice_and_create_every_table(db: Database) -> None:
    assert db.writer.dialect.name == "postgresql"
    db.migrate()  # idempotent
    tables = set(inspect(db.writer).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with db.read() as s:
        assert s.execute(text("select count(*) from alembic_version")).scalar_one() == 1


def test_anonymous_token_session_and_draft_versions(settings: Settings, db: Database) -> None:
    auth, sessions = AuthService(db, settings), SessionService(db, settings)
    # eight first requests of one client race: one token, the others told to keep it
    results = parallel(8, lambda i: auth.anonymous_token("client-race", f"10.0.0.{i}"))
    tokens = [r for r in results if isinstance(r, AnonymousToken)]
    assert len(tokens) == 1, results
    assert all(isinstance(r, RateLimited) for r in results if not isinstance(r, AnonymousToken))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 1
    principal = auth.authenticate(f"Bearer {tokens[0].token}")
    assert tokens[0].credits == settings.anonymous_credits
    info = sessions.create(principal.user_id, "coffee", "en")
    sid = info.session_id
    # concurrent saves on one session get distinct, consecutive versions
    draft = Draft("d_pg", Canvas(320, 180, 30))
    versions = parallel(6, lambda i: sessions.save_draft(sid, draft, stage="edit", turn_id=None))
    assert sorted(versions) == list(range(1, 7)), versions
    head, got = sessions.head(sid)
    assert head == 6 and got is not None and got.canvas == draft.canvas


def test_service_reservations_race_never_go_negative_and_the_ledger_adds_up(
    settings: Settings, db: Database
) -> None:
    ledger = CreditService(db, settings)
    with db.write() as s:
        uid = users.create(s, kind="anonymous", client_id="pg-service-race").id
        credits.grant(s, uid, 250, "trial")

    def reserve(i: int) -> str | None:
        with db.write() as s:
            return ledger.reserve_in(s, uid, 50, f"turn {i}", "http://studio")

    results = parallel(20, reserve)
    won = [r for r in results if isinstance(r, str)]
    assert len(won) == 5
    assert all(isinstance(r, NoCredits) and r.data["required"] == 50 for r in results if r not in won)
    assert ledger.balance(uid).model_dump() == {"available": 0, "frozen": 250, "total": 250}
    # settle concurrently: commit half, release the rest, each exactly once even when repeated
    outcomes = parallel(10, lambda i: ledger.settle(won[i % 5], commit=(i % 5) < 2))
    assert outcomes.count(True) == 5
    assert ledger.balance(uid).model_dump() == {"available": 150, "frozen": 0, "total": 150}
    with db.read() as s:
        avail, frozen = s.execute(
            select(func.sum(CreditEntry.available_delta), func.sum(CreditEntry.frozen_delta)).where(
                CreditEntry.user_id == uid
            )
        ).one()
    assert (int(avail), int(frozen)) == (150, 0)
