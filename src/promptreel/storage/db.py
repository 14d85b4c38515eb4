"""Engine and transactions: SQLite (WAL) by default, any SQLAlchemy URL through settings.

Two kinds of transaction: :meth:`Database.read` (plain ``BEGIN``) and :meth:`Database.write`
(``BEGIN IMMEDIATE`` on SQLite, so a writer takes the lock up front and waits on the busy
timeout instead of failing on a lock upgrade). On other databases both are ordinary
transactions and row-level safety comes from conditional ``UPDATE … WHERE`` statements.
SQLite runs in WAL mode, with separate connections for readers and writers: a read never waits
for the write lock, however many writers queue for it.

:meth:`Database.reading` makes every :meth:`~Database.read` of the calling thread join one
transaction: a request that authenticates, checks ownership and reads a view pays for one
connection checkout, one ``BEGIN`` and one ``COMMIT``, and sees one snapshot.

A write that fails because the disk or the database's storage is full raises
:class:`~promptreel.errors.StorageFull` (the transaction is rolled back), whatever the driver.

Migrations run exactly once however many processes start at the same moment: on PostgreSQL
they run under a transaction-scoped advisory lock (the others wait, then find the schema at
head); on SQLite the migration transaction itself takes the database's write lock.
"""

from __future__ import annotations

import contextlib
import errno
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from promptreel.errors import StorageFull

__all__ = ["Database", "migrate", "at_head", "storage_full"]

_SQLITE_FULL = 13
_PG_DISK_FULL = "53100"

_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x70726D6967  # pg_advisory_xact_lock key shared by every promptreel process


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=16, max_overflow=32
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def storage_full(exc: BaseException) -> bool:
    """Whether ``exc`` (a driver error or an ``OSError``) says the storage is full."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if getattr(orig, "sqlite_errorcode", None) == _SQLITE_FULL:
        return True
    if _PG_DISK_FULL in (getattr(orig, "sqlstate", None), getattr(orig, "pgcode", None)):
        return True
    text = str(orig).lower()
    return "database or disk is full" in text or "no space left on device" in text


class Database:
    """Owns the engines and hands out sessions; ``url`` is any SQLAlchemy URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.reader = _sqlite_engine(url, immediate=False)
            self.writer = _sqlite_engine(url, immediate=True)
        else:
            self.reader = self.writer = create_engine(url, pool_pre_ping=True, pool_size=16, max_overflow=32)
        self._read = sessionmaker(self.reader, expire_on_commit=False)
        self._write = sessionmaker(self.writer, expire_on_commit=False)
        # SQLite has one writer at a time: this process's writers queue here and are woken the
        # moment the previous one commits, instead of polling in SQLite's busy handler (sleeps up
        # to 100 ms each) while holding a request thread
        self._write_lock: AbstractContextManager[Any] = (
            threading.RLock() if self.is_sqlite else contextlib.nullcontext()
        )
        self._shared = threading.local()  # the thread's transaction inside :meth:`reading`

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (the thread's shared one inside :meth:`reading`)."""
        shared: Session | None = getattr(self._shared, "session", None)
        if shared is not None:
            yield shared
            return
        with self._read() as s, s.begin():
            yield s

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every :meth:`read` of this thread inside joins one transaction (one snapshot).

        For read-only work: a :meth:`write` inside is its own transaction, and the shared
        snapshot does not see it.
        """
        if getattr(self._shared, "session", None) is not None:
            yield
            return
        with self._read() as s, s.begin():
            self._shared.session = s
            try:
                yield
            finally:
                self._shared.session = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that commits on success and rolls back on any exception.

        Raises :class:`StorageFull` when the storage is full (nothing of the transaction is kept).
        """
        try:
            with self._write_lock, self._write() as s, s.begin():
                yield s
        except (DBAPIError, OSError) as exc:
            if storage_full(exc):
                raise StorageFull() from exc
            raise

    def migrate(self) -> None:
        migrate(self.writer)

    def at_head(self) -> bool:
        return at_head(self.writer)

    def dispose(self) -> None:
        self.reader.dispose()
        if self.writer is not self.reader:
            self.writer.dispose()


def _config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration up to head (idempotent, and safe to run from many processes at once).

    On PostgreSQL the whole upgrade is one transaction holding an advisory lock, so concurrent
    callers run it one after the other and all but the first find nothing to do.
    """
    from alembic import command

    cfg = _config(engine)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if conn.in_transaction():
            conn.commit()


def at_head(engine: Engine) -> bool:
    """Whether every migration has been applied to this database."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config(engine))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current >= set(script.get_heads())
