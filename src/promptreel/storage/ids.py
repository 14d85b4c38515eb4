"""Opaque prefixed ids and the one clock (naive UTC) used by every table."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

__all__ = ["new_id", "utcnow"]


def new_id(prefix: str, nbytes: int = 12) -> str:
    return f"{prefix}_{secrets.token_hex(nbytes)}"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
