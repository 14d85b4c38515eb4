"""Counting recent events in memory: new accounts per address, wrong passwords at sign-in.

Wrong passwords are counted per (account, address): ten wrong passwords for one account from one
address in 15 minutes → 429 for that account *from that address only*, so nobody can lock a user
out from somewhere else. A wider limit per address (``login_failures_per_address``, across every
account and made-up name) keeps one address from guessing at many accounts. Every table holds a
bounded number of keys (the one counted longest goes first), so a flood of names or addresses
never grows memory without end.
"""

from __future__ import annotations

import threading
import time

from promptreel.errors import RateLimited

__all__ = ["LOGIN_FAILURES", "LOGIN_WINDOW_S", "LoginThrottle", "Recent"]

LOGIN_FAILURES = 10  # wrong passwords per account per address per window
LOGIN_WINDOW_S = 15 * 60
_SWEEP_EVERY = 1000  # recorded moments between sweeps of keys whose window has passed
_MAX_KEYS = 100_000  # keys one table keeps at most


class Recent:
    """Moments per key inside a sliding window, kept in memory (per server process). Keys whose
    moments have all left the window are dropped, so the table holds only what is still counted;
    with ``max_keys``, a full table drops the key it has counted longest. A key keeps at most
    ``max_moments`` (its newest): nothing counts past a limit."""

    def __init__(self, max_keys: int | None = None, max_moments: int = 1000) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, list[float]] = {}
        self._added = 0
        self._max_keys = max_keys
        self._max_moments = max(1, max_moments)

    def within(self, key: str, now: float, window_s: float) -> list[float]:
        """The moments of ``key`` in the last ``window_s`` seconds, oldest first."""
        with self._lock:
            recent = [t for t in self._by_key.get(key, ()) if now - t < window_s]
            if recent:
                self._by_key[key] = recent
            else:
                self._by_key.pop(key, None)
            return recent

    def add(self, key: str, now: float, window_s: float) -> None:
        with self._lock:
            self._added += 1
            if self._added % _SWEEP_EVERY == 0:  # amortized: a sweep per _SWEEP_EVERY moments
                for k in [k for k, ts in self._by_key.items() if now - ts[-1] >= window_s]:
                    del self._by_key[k]
            if self._max_keys is not None and key not in self._by_key and len(self._by_key) >= self._max_keys:
                del self._by_key[next(iter(self._by_key))]  # the key counted first
            moments = self._by_key.setdefault(key, [])
            moments.append(now)
            if len(moments) > self._max_moments:
                del moments[: len(moments) - self._max_moments]

    def __len__(self) -> int:
        return len(self._by_key)


class LoginThrottle:
    """Wrong passwords per (account, address) and per address (see the module's notes)."""

    def __init__(self, per_address: int) -> None:
        self.per_address = max(1, per_address)
        self._accounts = Recent(_MAX_KEYS, LOGIN_FAILURES)  # (existing account, address)
        # (made-up name, address): answered alike, held apart
        self._unknown = Recent(_MAX_KEYS, LOGIN_FAILURES)
        self._addresses = Recent(_MAX_KEYS, self.per_address)

    @staticmethod
    def _key(name: str, address: str) -> str:
        return f"{name}\n{address}"

    def check(self, name: str, address: str) -> None:
        """429 with ``Retry-After`` while ``address`` may not try ``name`` (or anything) again."""
        now = time.monotonic()
        key = self._key(name, address)
        recent = self._accounts.within(key, now, LOGIN_WINDOW_S) or self._unknown.within(
            key, now, LOGIN_WINDOW_S
        )
        if len(recent) >= LOGIN_FAILURES:
            wait = max(1, int(LOGIN_WINDOW_S - (now - recent[0])))
            raise RateLimited(
                "Too many wrong passwords for this account from this address. Try again later.",
                retry_after=wait,
                data={"retry_after": wait},
            )
        wide = self._addresses.within(address, now, LOGIN_WINDOW_S)
        if len(wide) >= self.per_address:
            wait = max(1, int(LOGIN_WINDOW_S - (now - wide[0])))
            raise RateLimited(
                f"Too many wrong passwords from this address (at most {self.per_address} in "
                f"{LOGIN_WINDOW_S // 60} minutes). Try again later.",
                retry_after=wait,
                data={"retry_after": wait},
            )

    def failed(self, name: str, address: str, *, known: bool) -> None:
        now = time.monotonic()
        table = self._accounts if known else self._unknown
        table.add(self._key(name, address), now, LOGIN_WINDOW_S)
        self._addresses.add(address, now, LOGIN_WINDOW_S)
