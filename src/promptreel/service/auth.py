"""Tokens: anonymous trial tokens, claim tokens, scoped API tokens; bearer authentication.

Tokens are ``nmv_usr_<random>`` (anonymous), ``nmv_api_<random>`` (named API tokens) and
``clm_<random>`` (claim tokens, studio only). The database keeps only SHA-256 hashes: tokens
carry 256 bits of randomness, so a fast hash is safe and lets us look them up by hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from promptreel.clock import SYSTEM, Clock
from promptreel.errors import (
    AuthError,
    ExportBlocked,
    Forbidden,
    InvalidRequest,
    MissingClientId,
    RateLimited,
    SessionBusy,
)
from promptreel.service.throttle import LoginThrottle, Recent
from promptreel.settings import Settings
from promptreel.storage import Database, credits, sessions, tokens, users
from promptreel.wire import AnonymousToken, ApiToken, ClaimToken, TokenInfo
from promptreel.wire.accounts import token_name_problem

__all__ = ["SCOPES", "Principal", "Registration", "AuthService", "hash_token", "iso"]

SCOPES = ("read", "write", "upload", "render", "*")
# the same rules the API schema states (``wire.USERNAME_PATTERN``, ``wire.CLIENT_ID_PATTERN``)
_USERNAME = re.compile(r"[A-Za-z0-9._-]{3,64}")
_CLIENT_ID = re.compile(r"[!-~]{1,200}")
_TAKEN = "That username is taken (names differing only in upper and lower case are the same name)."


def _days(seconds: int) -> str:
    days = seconds / 86400
    return f"{days:g} days" if days >= 1 else f"{seconds} seconds"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.replace(microsecond=0).isoformat() + "Z"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts for: the token's owner and the token's scopes."""

    user_id: str
    token_id: str
    token_kind: str  # anonymous | api
    user_kind: str  # anonymous | registered
    bind_id: str
    scopes: frozenset[str]

    def has(self, scope: str) -> bool:
        return "*" in self.scopes or scope in self.scopes


@dataclass(frozen=True, slots=True)
class Registration:
    """A new account: its ids, its credits now, and how many moved in from the trial."""

    user_id: str
    username: str
    bind_id: str
    credits: int
    moved_credits: int


class AuthService:
    def __init__(self, db: Database, settings: Settings, clock: Clock = SYSTEM) -> None:
        self.clock = clock
        self.db = db
        self.settings = settings
        self.logins = LoginThrottle(settings.login_failures_per_address)  # wrong passwords
        self._registrations = Recent(100_000, settings.tokens_per_ip)  # new accounts per client IP address

    # -- anonymous tokens -------------------------------------------------------------------
    def anonymous_token(
        self, client_id: str | None, ip: str, attribution: dict[str, str] | None = None
    ) -> AnonymousToken:
        client_id = (client_id or "").strip()
        if not client_id:
            raise MissingClientId()
        if not _CLIENT_ID.fullmatch(client_id):
            raise InvalidRequest(
                "X-Client-Id must be an id of 1-200 visible ASCII characters, without spaces (a UUID).",
                data={"path": "X-Client-Id"},
            )
        for attempt in range(3):
            try:
                return self._issue_anonymous(client_id, ip, attribution or {})
            except IntegrityError:  # two first requests for one client id raced: the loser retries
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _issue_anonymous(self, client_id: str, ip: str, attribution: dict[str, str]) -> AnonymousToken:
        st = self.settings
        now = self.clock.now()
        ttl = timedelta(seconds=st.token_ttl_s)
        with self.db.write() as s:
            user = users.by_client_id(s, client_id)
            if user is not None:
                live = tokens.live_anonymous(s, client_id, now)
                if live is not None and live.expires_at is not None:
                    wait = max(1, int((live.expires_at - now).total_seconds()))
                    raise RateLimited(
                        "This client already has a valid anonymous token (one per client id per 7 days). "
                        "Keep using it; a new one can be issued when it expires.",
                        retry_after=wait,
                        data={"retry_after": wait, "expires_at": iso(live.expires_at)},
                    )
            count, oldest = tokens.ip_window(s, ip, now - ttl)
            if count >= st.tokens_per_ip:
                wait = max(1, int(((oldest or now) + ttl - now).total_seconds()))
                raise RateLimited(
                    f"Too many anonymous tokens from this address (at most {st.tokens_per_ip} per "
                    "7 days). Retry later or register.",
                    retry_after=wait,
                    data={"retry_after": wait},
                )
            if user is None:
                user = users.create(s, kind="anonymous", client_id=client_id)
            elif user.merged_into:
                raise AuthError(
                    "This client's trial was moved into a registered account; sign in and use an API token."
                )
            else:
                credits.take_all(s, user.id, "previous anonymous grant expired")
            token = "nmv_usr_" + secrets.token_urlsafe(32)
            row = tokens.create(
                s,
                user_id=user.id,
                kind="anonymous",
                token_hash=hash_token(token),
                hint=token[-4:],
                scopes=" ".join(st.anonymous_scopes),
                expires_at=now + ttl,
                client_id=client_id,
                ip=ip,
                attribution=json.dumps(attribution),
            )
            credits.grant(s, user.id, st.anonymous_credits, "anonymous trial credits")
            available, _ = credits.balance(s, user.id)
            return AnonymousToken(
                token=token,
                credits=available,
                expires_at=iso(row.expires_at) or "",  # an anonymous token always expires
                expires_in=st.token_ttl_s,
                bind_id=user.bind_id,
                scopes=sorted(st.anonymous_scopes),
            )

    # -- bearer authentication --------------------------------------------------------------
    def authenticate(self, authorization: str | None) -> Principal:
        if not authorization:
            raise AuthError("Missing Authorization header: send 'Authorization: Bearer <token>'.")
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 512:
            raise AuthError("Malformed Authorization header: send 'Authorization: Bearer <token>'.")
        now = self.clock.now()
        with self.db.read() as s:
            row = tokens.bearer(s, hash_token(token))
            if row is None or row.kind == "claim":
                raise AuthError("Unknown token. Get a new anonymous token.")
            if row.revoked_at is not None:
                raise AuthError("This token was revoked. Get a new token.")
            if row.expires_at is not None and row.expires_at <= now:
                raise AuthError("This token expired (tokens live 7 days). Get a new anonymous token.")
            if row.user_id is None:
                raise AuthError()
            scopes = frozenset(row.scopes.split())
            if row.merged_id is None:  # the owner, or an owner merged into an account that is gone
                return Principal(row.user_id, row.token_id, row.kind, row.user_kind, row.bind_id, scopes)
            # an anonymous user that registered: act as the account
            user_id, kind, bind_id, further = (
                row.merged_id,
                row.merged_kind,
                row.merged_bind_id,
                row.merged_further,
            )
            while further:
                nxt = users.get(s, further)
                if nxt is None:
                    break
                user_id, kind, bind_id, further = nxt.id, nxt.kind, nxt.bind_id, nxt.merged_into
            return Principal(user_id, row.token_id, row.kind, kind, bind_id, scopes)

    def require(self, p: Principal, scope: str) -> None:
        if p.has(scope):
            return
        if scope == "render":
            raise ExportBlocked(
                "Export is not allowed for this token: it lacks the 'render' scope. Register or "
                "create a token with the 'render' scope to unlock export.",
                data={"missing_scope": "render"},
            )
        raise Forbidden(
            f"This token lacks the '{scope}' scope needed for this call.", data={"missing_scope": scope}
        )

    # -- claim tokens -----------------------------------------------------------------------
    def claim_token(self, p: Principal, task_id: str, session_id: str, web_base: str) -> ClaimToken:
        from promptreel.errors import SessionNotFound

        now = self.clock.now()
        with self.db.write() as s:
            row = sessions.get(s, session_id)
            if row is None or row.user_id != p.user_id or row.task_id != task_id:
                raise SessionNotFound("No such project for this token (task_id and session_id must match).")
            token = "clm_" + secrets.token_urlsafe(32)
            tokens.create(
                s,
                user_id=p.user_id,
                kind="claim",
                token_hash=hash_token(token),
                hint=token[-4:],
                scopes="claim",
                expires_at=now + timedelta(seconds=self.settings.claim_ttl_s),
                session_id=session_id,
            )
        return ClaimToken(
            claim_token=token,
            expires_in=self.settings.claim_ttl_s,
            url=f"{web_base}/workspace/claim?ct={token}",
        )

    def open_claim(self, claim_token: str) -> str:
        """The session a claim token opens (read-only); :class:`AuthError` when unknown or expired."""
        if not claim_token.startswith("clm_") or len(claim_token) > 200:
            raise AuthError("Unknown claim token.")
        with self.db.read() as s:
            row = tokens.by_hash(s, hash_token(claim_token))
            if row is None or row.kind != "claim" or row.session_id is None:
                raise AuthError("Unknown claim token.")
            if row.revoked_at is not None or (
                row.expires_at is not None and row.expires_at <= self.clock.now()
            ):
                raise AuthError("This claim link expired (claim links live 7 days). Ask for a new one.")
            return row.session_id

    # -- accounts -------------------------------------------------------------------------
    def register(self, bind_id: str, username: str, password: str, ip: str | None = None) -> Registration:
        """Create an account from an anonymous user's bind link; its projects, uploads, renders,
        tokens and remaining credits move to the account (the old anonymous token keeps working
        and now acts for the account). A bind id is the trial owner's secret: only the owner's own
        authenticated calls return it, never a claim link.

        Every new account gets ``signup_credits``: from one ``ip`` (the API passes the caller's)
        at most ``tokens_per_ip`` accounts are created per ``token_ttl_s``, as for anonymous
        tokens; more → 429 with ``Retry-After``. The operator's CLI passes no address."""
        from argon2 import PasswordHasher

        if not _USERNAME.fullmatch(username):
            raise InvalidRequest(
                "Choose a username of 3-64 letters (A-Z), digits, '.', '-' or '_'.", data={"path": "username"}
            )
        if not (8 <= len(password) <= 256):
            raise InvalidRequest("Choose a password of at least 8 characters.", data={"path": "password"})
        st = self.settings
        now = self.clock.time()
        if ip is not None:
            made = self._registrations.within(ip, now, st.token_ttl_s)
            if len(made) >= st.tokens_per_ip:
                wait = max(1, int(made[0] + st.token_ttl_s - now))
                raise RateLimited(
                    f"Too many new accounts from this address (at most {st.tokens_per_ip} per "
                    f"{_days(st.token_ttl_s)}). Sign in to an existing account, or retry later.",
                    retry_after=wait,
                    data={"retry_after": wait},
                )
        with self.db.read() as s:  # a taken name costs no password hashing
            if users.by_username_folded(s, username):
                raise InvalidRequest(_TAKEN, data={"path": "username"})
        hashed = PasswordHasher().hash(password)
        with self.db.write() as s:
            anon = users.by_bind_id(s, bind_id) if bind_id else None
            if bind_id and (anon is None or anon.kind != "anonymous" or anon.merged_into):
                raise InvalidRequest(
                    "This registration link is invalid or was already used.", data={"path": "bind"}
                )
            if users.by_username_folded(s, username):
                raise InvalidRequest(_TAKEN, data={"path": "username"})
            account = users.create(s, kind="registered", username=username, password_hash=hashed)
            moved = 0
            if anon is not None:
                _, frozen = credits.balance(s, anon.id)
                if frozen:
                    raise SessionBusy(
                        "Work is still running for this trial; register again when it finishes."
                    )
                moved = credits.transfer(s, anon.id, account.id, f"registration of {username}")
                users.move_everything(s, anon.id, account.id)
            if self.settings.signup_credits > 0:
                credits.grant(s, account.id, self.settings.signup_credits, "sign-up credits")
            available, _ = credits.balance(s, account.id)
            registration = Registration(
                user_id=account.id,
                username=username,
                bind_id=account.bind_id,
                credits=available,
                moved_credits=moved,
            )
        if ip is not None:
            self._registrations.add(ip, now, st.token_ttl_s)
        return registration

    def sign_in(
        self,
        username: str,
        password: str,
        *,
        token_name: str = "studio",
        ttl_s: int | None = None,
        ip: str = "",
    ) -> ApiToken:
        """Check a password; returns a new API token (all scopes) for the account. Wrong passwords
        are counted per (account, ``ip``) and per ``ip`` (:mod:`promptreel.service.throttle`)."""
        from argon2 import PasswordHasher
        from argon2.exceptions import Argon2Error

        key = username.strip().lower()
        self.logins.check(key, ip)
        with self.db.read() as s:
            user = users.by_username(s, username.strip())
            if user is None:  # any case finds the account, unless names made before differ only by case
                alike = users.by_username_folded(s, username.strip())
                user = alike[0] if len(alike) == 1 else None
            user_id, hashed = (user.id, user.password_hash) if user else ("", None)
        try:
            ok = bool(hashed) and PasswordHasher().verify(hashed or "", password)
        except Argon2Error:
            ok = False
        if not ok:
            # a made-up name is throttled like an account (no answer tells them apart), in a table
            # of its own with a bounded size, so a flood of names neither fills memory nor pushes
            # out the count of a real account
            self.logins.failed(key, ip, known=bool(user_id))
            raise AuthError("Wrong username or password.")
        return self.create_api_token(user_id, token_name, ["*"], ttl_s or self.settings.token_ttl_s)

    def user_of_token(self, token: str) -> str:
        return self.authenticate(f"Bearer {token}").user_id

    # -- named API tokens (accounts) --------------------------------------------------------
    def create_api_token(
        self, user_id: str, name: str, scopes: Sequence[str], ttl_s: int | None = None
    ) -> ApiToken:
        bad = [x for x in scopes if x not in SCOPES]
        if bad or not scopes:
            raise InvalidRequest(f"Unknown scope(s) {bad}; choose from {', '.join(SCOPES)}.")
        problem = token_name_problem(name)
        if problem is not None:
            raise InvalidRequest(f"Invalid request: name: {problem}.", data={"path": "name"})
        token = "nmv_api_" + secrets.token_urlsafe(32)
        expires = self.clock.now() + timedelta(seconds=ttl_s) if ttl_s else None
        with self.db.write() as s:
            row = tokens.create(
                s,
                user_id=user_id,
                kind="api",
                token_hash=hash_token(token),
                hint=token[-4:],
                scopes=" ".join(sorted(set(scopes))),
                expires_at=expires,
                name=name[:100],
            )
            return ApiToken(
                id=row.id, token=token, name=row.name, scopes=row.scopes.split(), expires_at=iso(expires)
            )

    def list_tokens(self, user_id: str) -> list[TokenInfo]:
        with self.db.read() as s:
            return [
                TokenInfo(
                    id=t.id,
                    name=t.name,
                    kind=t.kind,
                    hint=t.hint,
                    scopes=t.scopes.split(),
                    created_at=iso(t.created_at),
                    expires_at=iso(t.expires_at),
                    revoked=t.revoked_at is not None,
                )
                for t in tokens.list_for_user(s, user_id)
                if t.kind != "claim"
            ]

    def revoke_token(self, user_id: str, token_id: str) -> bool:
        with self.db.write() as s:
            row = tokens.get(s, token_id)
            if row is None or row.user_id != user_id:
                return False
            return tokens.revoke(s, token_id)
