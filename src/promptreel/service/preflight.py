"""Checks before the server starts: a data dir it cannot use is one clear line, not a traceback."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from promptreel.errors import PromptreelError
from promptreel.settings import Settings
from promptreel.storage import Database

__all__ = ["data_dir_problem", "one_line"]


def one_line(exc: BaseException) -> str:
    """A short, single-line reason for ``exc`` (``OSError``: its ``strerror``)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, PromptreelError):
        return exc.message
    orig = getattr(exc, "orig", None) if isinstance(exc, SQLAlchemyError) else None
    text = " ".join(str(orig or exc).split()) or exc.__class__.__name__
    return text[:300]


def data_dir_problem(settings: Settings) -> str | None:
    """Why the server cannot use its data dir (missing and not creatable, not a directory, not
    writable, a database it cannot open), or ``None`` when it can."""
    d = Path(settings.data_dir)
    if d.exists() and not d.is_dir():
        return f"the data dir {d} is not a directory."
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"the data dir {d} does not exist and cannot be created ({one_line(exc)})."
    probe = d / f".write-check-{secrets.token_hex(4)}"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"ok")
            os.fsync(fh.fileno())
    except OSError as exc:
        return f"the data dir {d} is not writable ({one_line(exc)})."
    finally:
        probe.unlink(missing_ok=True)
    db = Database(settings.resolved_database_url)
    try:
        with db.write() as s:
            s.connection().exec_driver_sql("SELECT 1")
    except (SQLAlchemyError, OSError, PromptreelError) as exc:
        return f"the database cannot be opened for writing ({one_line(exc)})."
    finally:
        db.dispose()
    return None
