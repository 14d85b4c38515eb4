"""Accounts, tokens and credits: anonymous trials, registration and sign-in, API tokens, claim
links, the credits balance and its ledger."""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field, field_validator

__all__ = [
    "AnonymousToken",
    "ClaimTokenRequest",
    "ClaimToken",
    "USERNAME_PATTERN",
    "CLIENT_ID_PATTERN",
    "RegisterRequest",
    "LoginRequest",
    "AccountToken",
    "Account",
    "AccountCredits",
    "AccountHistory",
    "Me",
    "SignedOut",
    "ApiToken",
    "TokenInfo",
    "TokenRevoked",
    "CreateTokenRequest",
    "Balance",
    "Costs",
    "LedgerEntry",
    "token_name_problem",
]


class AnonymousToken(BaseModel):
    token: str = Field(description="bearer token nmv_usr_… (shown once; only its hash is stored)")
    credits: int = Field(description="available credits (a new anonymous token grants 100)")
    expires_at: str = Field(description="ISO 8601 UTC")
    expires_in: int = Field(description="seconds until expiry (7 days)")
    bind_id: str = Field(description="id for the registration link /register?bind=<bind_id>")
    scopes: list[str]


class ClaimTokenRequest(BaseModel):
    task_id: str = Field(max_length=100)
    session_id: str = Field(max_length=100)


class ClaimToken(BaseModel):
    claim_token: str = Field(
        description="clm_…: opens this one project read-only in the studio; no API access"
    )
    expires_in: int = Field(description="seconds (604800 = 7 days)")
    url: str = Field(description="studio link: <web>/workspace/claim?ct=<claim_token>")


#: what a username may be (the server checks exactly this; the schema says exactly this)
USERNAME_PATTERN = r"^[A-Za-z0-9._-]{3,64}$"
#: what an X-Client-Id may be: 1-200 visible ASCII characters (a UUID is the usual choice)
CLIENT_ID_PATTERN = r"^[!-~]{1,200}$"


class RegisterRequest(BaseModel):
    username: str = Field(
        min_length=3,
        max_length=64,
        description="3-64 letters (A-Z, a-z), digits, '.', '-' or '_'",
        json_schema_extra={"pattern": USERNAME_PATTERN},
    )
    password: str = Field(min_length=8, max_length=256)
    bind_id: str | None = Field(None, max_length=64, description="from /register?bind=<bind_id>")


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class AccountToken(BaseModel):
    token: str = Field(description="a new API token (nmv_api_…, all scopes) for the account")
    expires_at: str | None
    user_id: str
    username: str
    credits: int | None = None
    moved_credits: int | None = None


class ApiToken(BaseModel):
    """A newly made API token: the secret is shown this once."""

    id: str
    token: str = Field(description="nmv_api_… (shown once; only its hash is stored)")
    name: str
    scopes: list[str]
    expires_at: str | None = Field(description="ISO 8601 UTC; null: never expires")


class TokenInfo(BaseModel):
    """One of an account's tokens, without its secret."""

    id: str
    name: str
    kind: str = Field(description="anonymous | api")
    hint: str = Field(description="the token's last characters")
    scopes: list[str]
    created_at: str | None
    expires_at: str | None
    revoked: bool


class TokenRevoked(BaseModel):
    id: str
    revoked: bool


#: characters a token's name may not hold beside the control characters: the bidirectional
#: overrides and isolates (they make a listed name read differently from what it is)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def token_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an API token (None when it can): at most 100 characters, none of
    them a control character (tab, newline, escape, DEL, C1), a line or paragraph separator or a
    bidirectional override. The server and the CLI check exactly this."""
    if len(name) > 100:
        return "a token's name is at most 100 characters"
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI:
            return f"a token's name may not hold control characters (found U+{ord(ch):04X})"
    return None


class CreateTokenRequest(BaseModel):
    name: str = Field(
        "api", max_length=100, description="a label: up to 100 characters, no control characters"
    )
    scopes: list[Literal["read", "write", "upload", "render", "*"]] = Field(min_length=1, max_length=5)
    expires_in: int | None = Field(None, ge=60, le=10 * 365 * 24 * 3600, description="seconds; omit for none")

    @field_validator("name")
    @classmethod
    def _plain_name(cls, v: str) -> str:
        problem = token_name_problem(v)
        if problem is not None:
            raise ValueError(problem)
        return v


class Balance(BaseModel):
    available: int
    frozen: int = Field(description="held for operations in progress")
    total: int = Field(description="available + frozen")


class Costs(BaseModel):
    generate: int = Field(description="a generation turn (both stages)")
    edit: int = Field(description="an editing turn that changes the draft; undo, redo and questions are free")
    export: int = Field(0, description="always 0: export is free")
    unlimited: bool = Field(description="single-user local server: credits never block, nothing is charged")
    signup_credits: int = Field(description="granted once to a newly registered account")


class LedgerEntry(BaseModel):
    """One line of the credits ledger (append-only)."""

    id: int
    kind: str = Field(description="grant | reserve | commit | release | expire | transfer …")
    available_delta: int
    frozen_delta: int
    reservation_id: str | None
    reason: str
    created_at: str = Field(description="ISO 8601, UTC")


class Account(BaseModel):
    """A user as the account pages and the operator CLI see it (a merged trial: its account)."""

    user_id: str
    username: str | None = Field(description="null for an anonymous trial")
    kind: str = Field(description="anonymous | registered")
    bind_id: str = Field(description="id for the registration link /register?bind=<bind_id>")
    created_at: str | None = Field(description="ISO 8601 UTC")


class AccountCredits(Account):
    credits: Balance


class AccountHistory(AccountCredits):
    entries: list[LedgerEntry] = Field(description="the credits ledger, newest first")


class Me(AccountCredits):
    """Who a token (or the studio's session cookie) acts for."""

    token_id: str
    token_kind: str = Field(description="anonymous | api")
    scopes: list[str]
    register_url: str | None = Field(
        None, description="anonymous users only (omitted otherwise): <web>/register?bind=<bind_id>"
    )


class SignedOut(BaseModel):
    signed_out: bool
    revoked: bool = Field(description="the token this request used was revoked (never an anonymous one)")
