"""What the chat says about a protocol error (with the action the protocol asks for), a wait,
and an uploaded file — shared by the terminal chat and the MCP server."""

from __future__ import annotations

from typing import Any

from promptreel.client.core import ClientCore
from promptreel.client.messages import text as _text
from promptreel.client.models import Media
from promptreel.errors import (
    AuthError,
    ExportBlocked,
    FileTooLarge,
    InvalidDraft,
    NoCredits,
    PromptreelError,
    RateLimited,
    SessionBusy,
    SessionNotFound,
    UnsupportedFile,
)

__all__ = ["ACCEPTED_TYPES", "duration_label", "explain_error", "media_facts", "wait_label"]

ACCEPTED_TYPES = "mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a, aac"


def explain_error(
    exc: PromptreelError, client: ClientCore[Any] | None, bind_id: str = "", *, lang: str = "en"
) -> str:
    """The person-facing sentence for a protocol error, with the action the protocol asks for
    (``client``: the one that met it, for the registration link; ``None`` before there is one)."""
    if isinstance(exc, NoCredits):
        bind = (exc.data or {}).get("bind_id") or bind_id
        given = (exc.data or {}).get("register_url")
        if client is not None and client.token_is_anonymous and bind:
            url = given if given and not client.config.web_url else client.registration_url(str(bind))
            return _text(lang, "err_register", url=url)
        if client is None and given:
            return _text(lang, "err_register", url=given)
        return _text(lang, "err_topup")
    if isinstance(exc, ExportBlocked):
        return _text(lang, "err_export")
    if isinstance(exc, UnsupportedFile):
        return _text(lang, "err_type", types=ACCEPTED_TYPES)
    if isinstance(exc, FileTooLarge):
        return _text(lang, "err_size")
    if isinstance(exc, RateLimited):
        why = exc.message if exc.message != RateLimited.default_message else _text(lang, "err_rate")
        return _text(lang, "err_rate_wait", why=why, wait=wait_label(exc.retry_after, lang))
    if isinstance(exc, AuthError):
        return _text(lang, "err_auth")
    if isinstance(exc, SessionNotFound):
        return _text(lang, "err_session")
    if isinstance(exc, SessionBusy):
        return _text(lang, "err_busy")
    if isinstance(exc, InvalidDraft):
        return _text(lang, "err_draft", why=exc.message)
    return exc.message


def wait_label(seconds: int, lang: str = "en") -> str:
    if seconds < 120:
        return duration_label(seconds, "second", lang)
    if seconds < 2 * 3600:
        return duration_label(round(seconds / 60), "minute", lang)
    if seconds < 2 * 86400:
        return duration_label(round(seconds / 3600), "hour", lang)
    return duration_label(round(seconds / 86400), "day", lang)


def duration_label(n: float, unit: str, lang: str = "en") -> str:
    return _text(lang, unit if n == 1 else unit + "s", n=n)


def media_facts(m: Media) -> str:
    facts: list[str] = [m.kind] if m.kind else []
    if m.width and m.height:
        facts.append(f"{m.width}x{m.height}")
    if m.duration:
        facts.append(f"{m.duration / 1000:g}s")
    if m.size:
        facts.append(_size(m.size))
    return f" ({', '.join(facts)})" if facts else ""


def _size(n: int) -> str:
    x = float(n)
    for unit in ("B", "KB", "MB"):
        if x < 1024:
            return f"{x:.0f} {unit}" if unit == "B" else f"{x:.1f} {unit}"
        x /= 1024
    return f"{x:.1f} GB"
