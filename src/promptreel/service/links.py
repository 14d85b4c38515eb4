"""Signed, expiring download links: ``?exp=<unix>&sig=<hmac-sha256>`` — never a bearer token.

The key is ``settings.secret_key`` or, when empty, a random key generated once into
``<data_dir>/secret.key`` (mode 0600) so links survive restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import urlencode

from promptreel.clock import SYSTEM, Clock

__all__ = ["Signer", "load_secret"]


def load_secret(configured: str, data_dir: Path) -> bytes:
    if configured:
        return configured.encode()
    path = Path(data_dir) / "secret.key"
    if path.is_file():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    return key


class Signer:
    def __init__(self, key: bytes, ttl_s: int, clock: Clock = SYSTEM) -> None:
        self._key = key
        self.ttl_s = ttl_s
        self.clock = clock

    def _mac(self, subject: str, exp: int) -> str:
        return hmac.new(self._key, f"{subject}\n{exp}".encode(), hashlib.sha256).hexdigest()

    def query(self, subject: str, *, now: float | None = None) -> str:
        """Query string that proves access to ``subject`` until ``now + ttl``."""
        exp = int((now or self.clock.time()) + self.ttl_s)
        return urlencode({"exp": exp, "sig": self._mac(subject, exp)})

    def verify(self, subject: str, exp: str | int | None, sig: str | None) -> bool:
        """Whether ``sig`` signs ``subject`` until ``exp``, not yet past. The link must be the one
        that was signed, character for character: ``exp`` in the decimal digits :meth:`query`
        writes (no sign, space or leading zero) and ``sig`` in lower-case hex."""
        text = str(exp) if exp is not None else ""
        if not (text.isascii() and text.isdigit() and text == str(int(text))):
            return False
        exp_i = int(text)
        if not sig or exp_i < self.clock.time():
            return False
        return hmac.compare_digest(self._mac(subject, exp_i), sig)
