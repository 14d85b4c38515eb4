"""Operator commands: ``promptreel tokens create|list|revoke`` and ``promptreel credits grant|history``.

They work directly on the server's configured database (the same settings as ``promptreel
serve``: ``PROMPTREEL_DATABASE_URL``, ``PROMPTREEL_DATA_DIR`` or ``--data-dir``), so they need
no running server and no token — only access to that database. Users are named by username or
user id (``usr_…``). A created token's secret is printed once and never stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from promptreel.errors import PromptreelError

if TYPE_CHECKING:
    from promptreel.service.accounts import AccountService

__all__ = ["tokens_app", "credits_app"]

tokens_app = typer.Typer(help="Named API tokens of registered accounts.", no_args_is_help=True)
credits_app = typer.Typer(help="Credits: top up a user, show a user's ledger.", no_args_is_help=True)
_out = Console()
_err = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="The server's data dir (default: PROMPTREEL_DATA_DIR / settings)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}


def _accounts(data_dir: Path | None) -> AccountService:
    from promptreel.service.accounts import open_accounts
    from promptreel.settings import Settings

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir.expanduser().resolve()
    return open_accounts(Settings(**overrides))  # type: ignore[arg-type]


def _fail(exc: PromptreelError) -> NoReturn:
    _err.print(f"[bold red]✗[/] {exc.message}")
    raise typer.Exit(code=1)


def _duration(text: str | None) -> int | None:
    """``90``, ``30m``, ``12h``, ``7d``, ``1y`` → seconds; ``None``/``never`` → no expiry."""
    if not text or text.lower() in {"never", "none", "0"}:
        return None
    unit = text[-1].lower()
    try:
        n = int(text[:-1]) * _UNITS[unit] if unit in _UNITS else int(text)
    except ValueError:
        raise typer.BadParameter("use seconds or a number with s, m, h, d, w or y (e.g. 30d)") from None
    if n < 60:
        raise typer.BadParameter("an expiry must be at least 60 seconds")
    return n


def _day(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


@tokens_app.command("create")
def tokens_create(
    user: Annotated[str, typer.Argument(help="Username or user id.")],
    name: Annotated[str, typer.Option("--name", "-n", help="A label for the token.")] = "cli",
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", "-s", help="read, write, upload, render or * (repeat; default: read)."),
    ] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", "-e", help="Lifetime: 3600, 30m, 12h, 7d, 1y or never.")
    ] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Create a named API token with chosen scopes; its secret is shown this one time."""
    scopes = [x for s in (scope or ["read"]) for x in s.replace(",", " ").split()]
    try:
        made = _accounts(data_dir).create_token(user, name, scopes, _duration(expires))
    except PromptreelError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(made.model_dump()))
        return
    _err.print(
        f"[bold green]✓[/] token {made.id} ({', '.join(made.scopes)}; "
        f"expires {made.expires_at or 'never'}). Copy it now, it is not shown again:"
    )
    typer.echo(made.token)


@tokens_app.command("list")
def tokens_list(
    user: Annotated[str, typer.Argument(help="Username or user id.")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """List a user's tokens (never their secrets)."""
    try:
        rows = _accounts(data_dir).list_tokens(user)
    except PromptreelError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps([t.model_dump() for t in rows]))
        return
    table = Table(title=f"Tokens of {user}")
    table.add_column("id", no_wrap=True)
    for col in ("name", "kind", "ends with", "scopes", "created", "expires"):
        table.add_column(col)
    table.add_column("state", no_wrap=True)
    for t in rows:
        state = "revoked" if t.revoked else "active"
        table.add_row(
            t.id,
            t.name,
            t.kind,
            "…" + t.hint,
            " ".join(t.scopes),
            _day(t.created_at),
            _day(t.expires_at) or "never",
            state,
        )
    _out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(
    user: Annotated[str, typer.Argument(help="Username or user id.")],
    token_id: Annotated[str, typer.Argument(help="The token's id (tok_…) from `tokens list`.")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a token; the server refuses it (1001) from its next request on."""
    try:
        ok = _accounts(data_dir).revoke_token(user, token_id)
    except PromptreelError as exc:
        _fail(exc)
    if not ok:
        _err.print(f"[bold red]✗[/] {user} has no active token {token_id}.")
        raise typer.Exit(code=1)
    _err.print(f"[bold green]✓[/] revoked {token_id}")


@credits_app.command("grant")
def credits_grant(
    user: Annotated[str, typer.Argument(help="Username or user id.")],
    amount: Annotated[int, typer.Argument(help="Credits to add (negative to correct a mistake).")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Shown in the ledger.")] = "",
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Top up a user's credits (recorded in the ledger)."""
    try:
        res = _accounts(data_dir).grant(user, amount, reason)
    except PromptreelError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(res.model_dump()))
        return
    c = res.credits
    who = res.username or res.user_id
    _out.print(
        f"[bold green]✓[/] {who}: {amount:+d} credits → available {c.available}, "
        f"frozen {c.frozen}, total {c.total}"
    )


@credits_app.command("history")
def credits_history(
    user: Annotated[str, typer.Argument(help="Username or user id.")],
    limit: Annotated[int, typer.Option("--limit", help="Newest entries to show.")] = 50,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """A user's credits ledger, newest first."""
    try:
        res = _accounts(data_dir).history(user, max(1, limit))
    except PromptreelError as exc:
        _fail(exc)
    if as_json:
        typer.echo(json.dumps(res.model_dump()))
        return
    c = res.credits
    who = res.username or res.user_id
    table = Table(
        title=f"Credits of {who}",
        caption=f"available {c.available} · frozen {c.frozen} · total {c.total}",
    )
    for col, just in (("when", "left"), ("kind", "left"), ("available", "right"), ("frozen", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    table.add_column("reason")
    for e in res.entries:
        table.add_row(
            e.created_at,
            e.kind,
            f"{e.available_delta:+d}" if e.available_delta else "",
            f"{e.frozen_delta:+d}" if e.frozen_delta else "",
            e.reason,
        )
    _out.print(table)
