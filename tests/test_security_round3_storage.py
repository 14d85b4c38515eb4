"""Sizes past 2 GiB: an upload's and an export's size are 64-bit after migration 0005, on SQLite
and on PostgreSQL (where the old 32-bit column refused them), and rows made before it are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from promptreel.storage import Database, sessions, users
from promptreel.storage.db import _config
from promptreel.storage.ids import utcnow
from promptreel.storage.models import Media

BIG = 5 * 1024**3 + 7  # 5 GiB and a little: over PostgreSQL's INTEGER


def _upgrade(engine: Engine, revision: str) -> None:
    cfg = _config(engine)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if conn.in_transaction():
            conn.commit()


def _media(db: Database, size: int, name: str) -> str:
    with db.write() as s:
        uid = users.create(s, kind="anonymous", client_id=f"c-{name}").id
        sid = sessions.create(s, user_id=uid, name="p", language="en").id
        m = Media(
            id=f"med_{name}",
            user_id=uid,
            session_id=sid,
            blob="0" * 64,
            name=f"{name}.mp4",
            kind="video",
            format="mp4",
            mime="video/mp4",
            size=size,
            created_at=utcnow(),
        )
        s.add(m)
        s.flush()
        return m.id


def _check(url: str) -> None:
    engine = create_engine(url)
    _upgrade(engine, "0004")
    before = Database(url)
    old = _media(before, 1234, "old")
    if engine.dialect.name == "postgresql":  # the defect: a 5 GiB upload could not be recorded
        with pytest.raises(DBAPIError):
            _media(before, BIG, "refused")
    before.dispose()
    _upgrade(engine, "head")
    after = Database(url)
    after.migrate()  # idempotent
    for table in ("media", "renders"):
        col = next(c for c in inspect(engine).get_columns(table) if c["name"] == "size")
        assert "BIGINT" in str(col["type"]).upper(), (table, col["type"])
    big = _media(after, BIG, "big")
    with after.read() as s:
        assert s.get(Media, big).size == BIG  # type: ignore[union-attr]
        assert s.get(Media, old).size == 1234  # type: ignore[union-attr]
    with engine.connect() as conn:
        conn.execute(text("UPDATE renders SET size = :n"), {"n": BIG})  # an export's column too
    after.dispose()
    engine.dispose()


def test_sizes_are_64_bit_on_sqlite(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'p.db'}")


@pytest.mark.postgres
def test_sizes_are_64_bit_on_postgres(postgres_url: str) -> None:
    _check(postgres_url)
