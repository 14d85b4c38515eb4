"""Accounts for operators and the signed-in studio: who a user is, top-ups, ledger, tokens.

The operator CLI (``promptreel credits …``, ``promptreel tokens …``) works directly on the
configured database (``PROMPTREEL_DATABASE_URL`` or the data dir's SQLite file): whoever can
run it can read that database anyway. Users are named by username or by user id (``usr_…``).
"""

from __future__ import annotations

from collections.abc import Sequence

from promptreel.clock import SYSTEM, Clock
from promptreel.errors import InvalidRequest, NotFound
from promptreel.service.auth import AuthService, iso
from promptreel.service.credits import CreditService
from promptreel.settings import Settings
from promptreel.storage import Database, users
from promptreel.wire import Account, AccountCredits, AccountHistory, ApiToken, TokenInfo

__all__ = ["AccountService", "open_accounts"]

MAX_GRANT = 1_000_000_000


class AccountService:
    def __init__(self, db: Database, auth: AuthService, credits: CreditService) -> None:
        self.db = db
        self.auth = auth
        self.credits = credits

    def resolve(self, who: str) -> Account:
        """A user by username or user id; merged trials resolve to their account."""
        who = who.strip()
        with self.db.read() as s:
            user = users.by_username(s, who) or users.get(s, who)
            if user is None:
                raise NotFound(f"No user named {who!r} (give a username or a user id).")
            while user.merged_into:
                nxt = users.get(s, user.merged_into)
                if nxt is None:
                    break
                user = nxt
            return Account(
                user_id=user.id,
                username=user.username,
                kind=user.kind,
                bind_id=user.bind_id,
                created_at=iso(user.created_at),
            )

    def whoami(self, user_id: str) -> AccountCredits:
        account = self.resolve(user_id)
        return AccountCredits(**dict(account), credits=self.credits.balance(account.user_id))

    def grant(self, who: str, amount: int, reason: str = "") -> AccountCredits:
        """Top up (or, with a negative amount, correct) a user's available credits."""
        if amount == 0 or abs(amount) > MAX_GRANT:
            raise InvalidRequest(f"Grant a non-zero number of credits up to {MAX_GRANT}.")
        user = self.resolve(who)
        balance = self.credits.balance(user.user_id)
        if amount < 0 and balance.available + amount < 0:
            raise InvalidRequest(f"Cannot take {-amount} credits: only {balance.available} are available.")
        why = reason.strip() or ("top-up by operator" if amount > 0 else "correction by operator")
        return AccountCredits(**dict(user), credits=self.credits.grant(user.user_id, amount, why))

    def history(self, who: str, limit: int = 200) -> AccountHistory:
        user = self.resolve(who)
        return AccountHistory(
            **dict(user),
            credits=self.credits.balance(user.user_id),
            entries=self.credits.history(user.user_id, limit),
        )

    def create_token(self, who: str, name: str, scopes: Sequence[str], ttl_s: int | None = None) -> ApiToken:
        user = self.resolve(who)
        if user.kind != "registered":
            raise InvalidRequest("API tokens belong to registered accounts; register first.")
        return self.auth.create_api_token(user.user_id, name, list(scopes), ttl_s)

    def list_tokens(self, who: str) -> list[TokenInfo]:
        return self.auth.list_tokens(self.resolve(who).user_id)

    def revoke_token(self, who: str, token_id: str) -> bool:
        return self.auth.revoke_token(self.resolve(who).user_id, token_id)


def open_accounts(settings: Settings, clock: Clock = SYSTEM) -> AccountService:
    """An :class:`AccountService` on the configured database, migrated (for the operator CLI)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    db.migrate()
    return AccountService(db, AuthService(db, settings, clock), CreditService(db, settings))
