"""Migrations, the blob store and the versioned drafts."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from promptreel.storage import BlobStore, Database, sessions, users
from promptreel.storage.models import Base


def test_migrations_apply_twice_and_match_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    db.migrate()
    db.migrate()  # idempotent
    with db.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert diff == []
    assert {
        "users",
        "tokens",
        "balances",
        "credit_entries",
        "reservations",
        "sessions",
        "draft_versions",
        "turns",
        "turn_events",
        "media",
        "renders",
        "alembic_version",
    } <= tables
    assert mode == "wal"


def test_blob_store_is_content_addressed_and_atomic(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with store.writer(max_bytes=10) as w:
        assert w.write(b"hello") and w.write(b"12345")
        assert not w.write(b"x")  # would pass the limit
        sha = w.commit()
    assert store.path(sha).read_bytes() == b"hello12345" and store.exists(sha)
    with store.writer() as w2:
        w2.write(b"hello12345")
        assert w2.commit() == sha
    with store.writer() as w3:
        w3.write(b"abandoned")
        partial = w3.path
    assert not partial.exists()  # left without commit → removed
    (store.tmp / "crash.part").write_bytes(b"x")
    assert store.clean_tmp() == 1 and not any(store.tmp.iterdir())
    assert [p.name for p in store.blobs.rglob("*") if p.is_file()] == [sha]
    assert not store.exists("../../etc/passwd")


def test_draft_versions_form_an_undo_tree(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    db.migrate()
    with db.write() as s:
        u = users.create(s, kind="anonymous", client_id="c")
        sess = sessions.create(s, user_id=u.id, name="p", language="en")
        v1 = sessions.add_version(s, sess.id, "{}", stage="raw_cut", turn_id="t1")
        v2 = sessions.add_version(s, sess.id, "{}", stage="post", turn_id="t1")
        sessions.set_head(s, sess.id, v1)
        v3 = sessions.add_version(s, sess.id, "{}", stage="edit", turn_id="t2")
    assert (v1, v2, v3) == (1, 2, 3)
    with db.read() as s:
        assert sessions.version(s, sess.id, 3).parent == 1  # type: ignore[union-attr]
        assert [v.version for v in sessions.children(s, sess.id, 1)] == [2, 3]
        assert sessions.pre_turn_head(s, sess.id, "t1") == 0
        assert sessions.pre_turn_head(s, sess.id, "t2") == 1
