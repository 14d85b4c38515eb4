"""Helpers for the reliability and security tests: read the server's database and files directly.

The server under test writes SQLite in WAL mode; these helpers open it read-only, so they can
check invariants (ledger sums, stored hashes, media rows) while the server keeps running.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

__all__ = [
    "db",
    "rows",
    "user_of",
    "ledger_problems",
    "blob_files",
    "tmp_files",
    "png",
    "mp4",
    "jpeg",
    "webp_bomb",
]


@contextmanager
def db(data_dir: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{data_dir / 'promptreel.db'}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
    finally:
        conn.close()


def rows(data_dir: Path, sql: str, *args: Any) -> list[dict[str, Any]]:
    with db(data_dir) as c:
        return [dict(r) for r in c.execute(sql, args).fetchall()]


def user_of(data_dir: Path, token: str) -> str:
    h = hashlib.sha256(token.encode()).hexdigest()
    got = rows(data_dir, "SELECT user_id FROM tokens WHERE token_hash = ?", h)
    assert got, "token not found by hash"
    return str(got[0]["user_id"])


def ledger_problems(data_dir: Path, user_id: str) -> list[str]:
    """Every way the credit ledger of ``user_id`` disagrees with its balance (empty: consistent)."""
    out: list[str] = []
    with db(data_dir) as c:
        bal = c.execute("SELECT available, frozen FROM balances WHERE user_id = ?", (user_id,)).fetchone()
        sums = c.execute(
            "SELECT COALESCE(SUM(available_delta),0), COALESCE(SUM(frozen_delta),0) FROM credit_entries "
            "WHERE user_id = ?",
            (user_id,),
        ).fetchone()
        if bal is None:
            return ["no balance row"]
        if (bal[0], bal[1]) != (sums[0], sums[1]):
            out.append(f"balance {tuple(bal)} != ledger sums {tuple(sums)}")
        if bal[0] < 0 or bal[1] < 0:
            out.append(f"negative balance {tuple(bal)}")
        held = c.execute(
            "SELECT COALESCE(SUM(amount),0) FROM reservations WHERE user_id = ? AND status = 'held'",
            (user_id,),
        ).fetchone()[0]
        if held != bal[1]:
            out.append(f"frozen {bal[1]} != held reservations {held}")
        for r in c.execute("SELECT id, amount, status FROM reservations WHERE user_id = ?", (user_id,)):
            kinds = [
                (e[0], e[1], e[2])
                for e in c.execute(
                    "SELECT kind, available_delta, frozen_delta FROM credit_entries WHERE reservation_id = ? "
                    "ORDER BY id",
                    (r["id"],),
                )
            ]
            a = r["amount"]
            want = {
                "held": [("reserve", -a, a)],
                "committed": [("reserve", -a, a), ("commit", 0, -a)],
                "released": [("reserve", -a, a), ("release", a, -a)],
            }[r["status"]]
            if kinds != want:
                out.append(f"reservation {r['id']} ({r['status']}) has ledger rows {kinds}")
    return out


def blob_files(data_dir: Path) -> list[Path]:
    root = data_dir / "files" / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def tmp_files(data_dir: Path) -> list[Path]:
    root = data_dir / "files" / "tmp"
    return sorted(root.iterdir()) if root.exists() else []


def png(w: int = 32, h: int = 24, *, declared: tuple[int, int] | None = None) -> bytes:
    """A valid RGB PNG; ``declared`` writes other dimensions into the header (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    raw = b"".join(b"\0" + bytes([20, 120, 220]) * w for _ in range(h))
    dw, dh = declared or (w, h)
    ihdr = struct.pack(">IIBBBBB", dw, dh, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def mp4(seconds: int = 1, w: int = 32, h: int = 24) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as c:
        st = c.add_stream("libx264", rate=10)
        st.width, st.height, st.pix_fmt = w, h, "yuv420p"
        st.time_base = Fraction(1, 10)
        for i in range(seconds * 10):
            f = av.VideoFrame.from_ndarray(np.full((h, w, 3), i * 20 % 255, np.uint8), format="rgb24")
            f.pts = i
            for p in st.encode(f):
                c.mux(p)
        for p in st.encode():
            c.mux(p)
    return buf.getvalue()


def jpeg(w: int = 32, h: int = 24, *, declared: tuple[int, int] | None = None) -> bytes:
    """A valid baseline JPEG; ``declared`` rewrites the frame header's size (a decompression bomb)."""
    buf = io.BytesIO()
    with av.open(buf, "w", format="mjpeg") as c:
        st = c.add_stream("mjpeg", rate=1)
        st.width, st.height, st.pix_fmt = w, h, "yuvj420p"
        f = av.VideoFrame.from_ndarray(np.full((h, w, 3), 90, np.uint8), format="rgb24")
        for p in st.encode(f):
            c.mux(p)
        for p in st.encode():
            c.mux(p)
    data = bytearray(buf.getvalue())
    if declared:
        i = data.find(b"\xff\xc0")
        data[i + 5 : i + 9] = struct.pack(">HH", declared[1], declared[0])
    return bytes(data)


def webp_bomb(w: int = 60000, h: int = 60000) -> bytes:
    """A WebP (VP8X) header declaring ``w`` × ``h`` with no real picture behind it."""
    vp8x = (
        b"VP8X"
        + (10).to_bytes(4, "little")
        + b"\0" * 4
        + (w - 1).to_bytes(3, "little")
        + (h - 1).to_bytes(3, "little")
    )
    body = b"WEBP" + vp8x + b"\0" * 64
    return b"RIFF" + len(body).to_bytes(4, "little") + body
