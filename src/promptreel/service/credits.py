"""Credits: balance, reservations (reserve → commit/release) and the registration link when short."""

from __future__ import annotations

from sqlalchemy.orm import Session

from promptreel.errors import NoCredits
from promptreel.settings import Settings
from promptreel.storage import Database, users
from promptreel.storage import credits as ledger
from promptreel.wire import Balance, Costs, LedgerEntry

__all__ = ["CreditService"]


class CreditService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def balance(self, user_id: str) -> Balance:
        with self.db.read() as s:
            available, frozen = ledger.balance(s, user_id)
        return Balance(available=available, frozen=frozen, total=available + frozen)

    def costs(self) -> Costs:
        """What each action costs on this server (undo, redo and questions are free; export too)."""
        st = self.settings
        return Costs(
            generate=st.cost_generate,
            edit=st.cost_edit,
            export=0,
            unlimited=st.local_mode,
            signup_credits=st.signup_credits,
        )

    def register_url(self, bind_id: str, web_base: str) -> str:
        return f"{web_base}/register?bind={bind_id}"

    def reserve_in(self, s: Session, user_id: str, amount: int, reason: str, web_base: str) -> str | None:
        """Reserve inside the caller's transaction; raises :class:`NoCredits` (code 2001) when short.

        In local mode (one person on their own machine) nothing is reserved and nothing blocks.
        """
        if amount <= 0 or self.settings.local_mode:
            return None
        rid = ledger.reserve(s, user_id, amount, reason)
        if rid is not None:
            return rid
        available, _ = ledger.balance(s, user_id)
        user = users.get(s, user_id)
        data: dict[str, int | str] = {"required": amount, "available": available}
        if user is not None and user.kind == "anonymous":
            url = self.register_url(user.bind_id, web_base)
            data |= {"bind_id": user.bind_id, "register_url": url}
            msg = (
                f"Not enough credits: this needs {amount} and you have {available}. "
                f"Register to get more credits: {url}"
            )
        else:
            msg = f"Not enough credits: this needs {amount} and you have {available}. Top up credits in your account."
        raise NoCredits(msg, data=data)

    def settle(self, reservation_id: str | None, *, commit: bool, reason: str = "") -> bool:
        if not reservation_id:
            return False
        with self.db.write() as s:
            return ledger.settle(s, reservation_id, commit=commit, reason=reason)

    def grant(self, user_id: str, amount: int, reason: str = "granted by operator") -> Balance:
        with self.db.write() as s:
            ledger.grant(s, user_id, amount, reason)
        return self.balance(user_id)

    def history(self, user_id: str, limit: int = 200) -> list[LedgerEntry]:
        with self.db.read() as s:
            return [
                LedgerEntry(
                    id=e.id,
                    kind=e.kind,
                    available_delta=e.available_delta,
                    frozen_delta=e.frozen_delta,
                    reservation_id=e.reservation_id,
                    reason=e.reason,
                    created_at=e.created_at.replace(microsecond=0).isoformat() + "Z",
                )
                for e in ledger.history(s, user_id, limit)
            ]
