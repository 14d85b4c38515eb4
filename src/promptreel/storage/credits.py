"""The credits ledger. Every change is one conditional ``UPDATE`` on ``balances`` plus one
appended ``credit_entries`` row, in the caller's transaction — so no race can spend a credit
twice (the ``WHERE available >= n`` guard is evaluated under the row's write lock on every
database) and the ledger always sums to the balance.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from promptreel.storage.ids import new_id, utcnow
from promptreel.storage.models import Balance, CreditEntry, Reservation

__all__ = [
    "transfer",
    "balance",
    "grant",
    "take_all",
    "reserve",
    "settle",
    "history",
    "reservation",
    "held_reservations",
]


def _entry(
    s: Session,
    user_id: str,
    kind: str,
    avail: int,
    frozen: int,
    reason: str,
    reservation_id: str | None = None,
) -> None:
    s.add(
        CreditEntry(
            user_id=user_id,
            kind=kind,
            available_delta=avail,
            frozen_delta=frozen,
            reservation_id=reservation_id,
            reason=reason[:200],
            created_at=utcnow(),
        )
    )


def balance(s: Session, user_id: str) -> tuple[int, int]:
    row = s.get(Balance, user_id)
    return (row.available, row.frozen) if row else (0, 0)


def grant(s: Session, user_id: str, amount: int, reason: str, kind: str = "grant") -> None:
    if amount == 0:
        return
    s.execute(update(Balance).where(Balance.user_id == user_id).values(available=Balance.available + amount))
    _entry(s, user_id, kind, amount, 0, reason)


def take_all(s: Session, user_id: str, reason: str, kind: str = "expire") -> int:
    """Zero the available balance (e.g. an expired trial grant); returns how much was removed."""
    row = s.scalars(select(Balance).where(Balance.user_id == user_id).with_for_update()).first()
    if row is None or row.available <= 0:
        return 0
    amount = row.available
    res = s.execute(
        update(Balance).where(Balance.user_id == user_id, Balance.available == amount).values(available=0)
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return 0
    _entry(s, user_id, kind, -amount, 0, reason)
    return amount


def reserve(s: Session, user_id: str, amount: int, reason: str) -> str | None:
    """Move ``amount`` from available to frozen; ``None`` when the balance is short."""
    res = s.execute(
        update(Balance)
        .where(Balance.user_id == user_id, Balance.available >= amount)
        .values(available=Balance.available - amount, frozen=Balance.frozen + amount)
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return None
    rid = new_id("rsv")
    s.add(
        Reservation(
            id=rid, user_id=user_id, amount=amount, status="held", reason=reason[:200], created_at=utcnow()
        )
    )
    _entry(s, user_id, "reserve", -amount, amount, reason, rid)
    return rid


def settle(s: Session, reservation_id: str, *, commit: bool, reason: str = "") -> bool:
    """Spend (``commit``) or give back a held reservation; exactly once, later calls return False."""
    status = "committed" if commit else "released"
    res = s.execute(
        update(Reservation)
        .where(Reservation.id == reservation_id, Reservation.status == "held")
        .values(status=status, settled_at=utcnow())
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        return False
    r = s.get(Reservation, reservation_id)
    assert r is not None
    if commit:
        s.execute(
            update(Balance).where(Balance.user_id == r.user_id).values(frozen=Balance.frozen - r.amount)
        )
        _entry(s, r.user_id, "commit", 0, -r.amount, reason or r.reason, r.id)
    else:
        s.execute(
            update(Balance)
            .where(Balance.user_id == r.user_id)
            .values(frozen=Balance.frozen - r.amount, available=Balance.available + r.amount)
        )
        _entry(s, r.user_id, "release", r.amount, -r.amount, reason or r.reason, r.id)
    return True


def reservation(s: Session, reservation_id: str) -> Reservation | None:
    return s.get(Reservation, reservation_id)


def held_reservations(s: Session, user_id: str | None = None) -> list[Reservation]:
    q = select(Reservation).where(Reservation.status == "held")
    if user_id:
        q = q.where(Reservation.user_id == user_id)
    return list(s.scalars(q))


def history(s: Session, user_id: str, limit: int = 200) -> list[CreditEntry]:
    q = select(CreditEntry).where(CreditEntry.user_id == user_id).order_by(CreditEntry.id.desc()).limit(limit)
    return list(s.scalars(q))


def transfer(s: Session, src: str, dst: str, reason: str) -> int:
    """Move ``src``'s whole available balance to ``dst`` (two ledger rows); returns the amount."""
    amount = take_all(s, src, reason, kind="transfer")
    if amount:
        grant(s, dst, amount, reason, kind="transfer")
    return amount
