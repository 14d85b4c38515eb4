"""The promptreel SDK: a typed httpx client for every endpoint of the wire protocol.

``Client`` (sync) and ``AsyncClient`` are two faces of one core (:mod:`promptreel.client.core`),
so they share one behaviour:

* attribution headers ``X-Skill-Source``/``X-Skill-Version``/``X-Skill-Platform`` on every request;
* a bearer token from ``NEMO_TOKEN``, the private cache, or a fresh anonymous token (the client id
  is persisted under the user config dir);
* every non-zero envelope code raised as the matching class of :mod:`promptreel.errors`;
* ``1001`` → one new anonymous token and one retry; ``429`` → wait ``Retry-After`` and retry once;
  ``400`` on the anonymous-token call → a new client id and one retry;
* :meth:`Client.turn` streams the agent's turn, surfaces heartbeats, and resumes a dropped stream
  with ``Last-Event-ID`` — it never posts the message a second time as a new message.

Each method below only hands the core's operation to its transport
(:mod:`promptreel.client.transport`): blocking httpx and ``time.sleep``, or async httpx and
``asyncio.sleep``.

Example::

    with Client() as c:
        s = c.create_session()
        for item in c.turn(s.session_id, "a 20-second video about coffee"):
            if isinstance(item, TurnEvent) and item.text:
                print(item.text)
        job = c.export(s.session_id, "out/")
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import httpx

from promptreel.client.config import ClientConfig
from promptreel.client.core import ClientCore, TurnCore
from promptreel.client.effects import Steps
from promptreel.client.envelope import APP_NAME, Notice, new_render_id, parse_envelope
from promptreel.client.models import (
    AnonymousToken,
    Balance,
    ClaimToken,
    Media,
    RenderJob,
    SessionInfo,
    SessionState,
    TurnItem,
)
from promptreel.client.transport import AsyncDriver, SyncDriver

__all__ = [
    "APP_NAME",
    "AsyncClient",
    "AsyncTurnStream",
    "Client",
    "Notice",
    "TurnStream",
    "new_render_id",
    "parse_envelope",
]

T = TypeVar("T")

# ----------------------------------------------------------------------------------------- sync


class TurnStream(TurnCore[SyncDriver]):
    """Iterate the items of one agent turn: :class:`TurnEvent`, :class:`Heartbeat`, :class:`StreamDropped`.

    The message is posted once. If the stream drops, it reconnects with ``Last-Event-ID`` (at most
    ``resume_attempts`` times); if that is impossible it raises :class:`TurnInterrupted`.
    :meth:`close` (safe from another thread) stops it.
    """

    @cached_property
    def _gen(self) -> Generator[TurnItem, None, None]:
        return self._driver.items(self._steps())

    def __iter__(self) -> Iterator[TurnItem]:
        return self

    def __next__(self) -> TurnItem:
        return next(self._gen)

    def __enter__(self) -> TurnStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        self._driver.close()


class Client(ClientCore[SyncDriver]):
    """Synchronous SDK. Use as a context manager or call :meth:`close`."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        config: ClientConfig | None = None,
        token: str | None = None,
        client_id: str | None = None,
        platform: str | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        reauth: bool = True,
        retry_rate_limit: bool = True,
        on_notice: Notice | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._setup(base_url, config, token, client_id, platform, reauth, retry_rate_limit, on_notice)
        self._sleep = sleep
        self._http = httpx.Client(base_url=self.config.api_url, timeout=timeout, transport=transport)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _driver(self) -> SyncDriver:
        return SyncDriver(self._http, self._sleep)

    def _run(self, steps: Steps[T]) -> T:
        return self._driver().run(steps)

    # -- auth

    def anonymous_token(self) -> AnonymousToken:
        """``POST /api/auth/anonymous-token`` with the persisted client id; caches the token (0600)."""
        return self._run(self._anonymous_token())

    def ensure_token(self) -> None:
        self._run(self._ensure_token())

    def refresh_token(self) -> None:
        """Drop the rejected token: use the cached anonymous one if it differs, else get a new one."""
        self._run(self._refresh_token())

    def claim_token(self, task_id: str, session_id: str) -> ClaimToken:
        return self._run(self._claim_token(task_id, session_id))

    # -- sessions and turns

    def create_session(self, task_name: str = "project", language: str = "en") -> SessionInfo:
        return self._run(self._create_session(task_name, language))

    def turn(self, session_id: str, text: str, **options: Any) -> TurnStream:
        """Post one message to the agent and stream its turn (see :class:`TurnStream`)."""
        self.ensure_token()
        return TurnStream(self, session_id, text, **options)

    def resume_turn(self, session_id: str, text: str, last_event_id: str, **options: Any) -> TurnStream:
        """Re-attach to a running turn after ``last_event_id`` (the message is not posted again)."""
        self.ensure_token()
        return TurnStream(self, session_id, text, last_event_id=last_event_id, **options)

    def state(self, session_id: str) -> SessionState:
        return self._run(self._state(session_id))

    def history(self, session_id: str) -> list[dict[str, Any]]:
        """The session's conversation as the server keeps it (the studio shows the same)."""
        return [m.model_dump(mode="json") for m in self.state(session_id).messages]

    # -- uploads and credits

    def upload(self, session_id: str, paths: Sequence[str | Path]) -> list[Media]:
        """Upload local files (multipart field ``files``)."""
        return self._run(self._upload(session_id, paths))

    def upload_urls(self, session_id: str, urls: Sequence[str]) -> list[Media]:
        return self._run(self._upload_urls(session_id, urls))

    def balance(self) -> Balance:
        return self._run(self._balance())

    # -- export

    def submit_render(
        self,
        session_id: str,
        draft: dict[str, Any],
        *,
        render_id: str | None = None,
        format: str = "mp4",
        quality: str = "high",
    ) -> RenderJob:
        return self._run(self._submit_render(session_id, draft, render_id, format, quality))

    def submit_project(
        self,
        session_id: str,
        format: str,
        *,
        draft: dict[str, Any] | None = None,
        render_id: str | None = None,
        quality: str = "high",
    ) -> RenderJob:
        """Export a project for a video editor (``otio``, ``fcpxml``, ``fcp7``, ``edl``, ``jianying``
        or an editor's name) as a zip; poll and download it like a render."""
        return self._run(self._submit_project(session_id, format, draft, render_id, quality))

    def render_status(self, render_id: str) -> RenderJob:
        return self._run(self._render_status(render_id))

    def wait_render(
        self,
        render_id: str,
        *,
        poll_s: float = 2.0,
        timeout_s: float = 1800.0,
        on_progress: Callable[[RenderJob], None] | None = None,
    ) -> RenderJob:
        """Poll until the job completes or fails; a failure raises :class:`RenderFailed`."""
        return self._run(self._wait_render(render_id, poll_s, timeout_s, on_progress))

    def download(self, job: RenderJob, dest: str | Path) -> Path:
        """Save the finished file: the signed ``output.url`` (no bearer header), else ``/download``."""
        return self._run(self._download(job, dest))


# ---------------------------------------------------------------------------------------- async


class AsyncTurnStream(TurnCore[AsyncDriver]):
    """Async twin of :class:`TurnStream` (``async for item in stream``)."""

    @cached_property
    def _gen(self) -> AsyncGenerator[TurnItem, None]:
        return self._driver.items(self._steps())

    def __aiter__(self) -> AsyncIterator[TurnItem]:
        return self._gen

    async def __aenter__(self) -> AsyncTurnStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self._gen.aclose()


class AsyncClient(ClientCore[AsyncDriver]):
    """Asynchronous SDK with the same methods as :class:`Client` (awaitable)."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        config: ClientConfig | None = None,
        token: str | None = None,
        client_id: str | None = None,
        platform: str | None = None,
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        reauth: bool = True,
        retry_rate_limit: bool = True,
        on_notice: Notice | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._setup(base_url, config, token, client_id, platform, reauth, retry_rate_limit, on_notice)
        self._sleep = sleep
        self._http = httpx.AsyncClient(base_url=self.config.api_url, timeout=timeout, transport=transport)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def _driver(self) -> AsyncDriver:
        return AsyncDriver(self._http, self._sleep)

    async def _run(self, steps: Steps[T]) -> T:
        return await self._driver().run(steps)

    async def anonymous_token(self) -> AnonymousToken:
        return await self._run(self._anonymous_token())

    async def ensure_token(self) -> None:
        await self._run(self._ensure_token())

    async def refresh_token(self) -> None:
        await self._run(self._refresh_token())

    async def claim_token(self, task_id: str, session_id: str) -> ClaimToken:
        return await self._run(self._claim_token(task_id, session_id))

    async def create_session(self, task_name: str = "project", language: str = "en") -> SessionInfo:
        return await self._run(self._create_session(task_name, language))

    async def turn(self, session_id: str, text: str, **options: Any) -> AsyncTurnStream:
        await self.ensure_token()
        return AsyncTurnStream(self, session_id, text, **options)

    async def resume_turn(
        self, session_id: str, text: str, last_event_id: str, **options: Any
    ) -> AsyncTurnStream:
        await self.ensure_token()
        return AsyncTurnStream(self, session_id, text, last_event_id=last_event_id, **options)

    async def state(self, session_id: str) -> SessionState:
        return await self._run(self._state(session_id))

    async def history(self, session_id: str) -> list[dict[str, Any]]:
        """The session's conversation as the server keeps it (the studio shows the same)."""
        return [m.model_dump(mode="json") for m in (await self.state(session_id)).messages]

    async def upload(self, session_id: str, paths: Sequence[str | Path]) -> list[Media]:
        return await self._run(self._upload(session_id, paths))

    async def upload_urls(self, session_id: str, urls: Sequence[str]) -> list[Media]:
        return await self._run(self._upload_urls(session_id, urls))

    async def balance(self) -> Balance:
        return await self._run(self._balance())

    async def submit_render(
        self,
        session_id: str,
        draft: dict[str, Any],
        *,
        render_id: str | None = None,
        format: str = "mp4",
        quality: str = "high",
    ) -> RenderJob:
        return await self._run(self._submit_render(session_id, draft, render_id, format, quality))

    async def submit_project(
        self,
        session_id: str,
        format: str,
        *,
        draft: dict[str, Any] | None = None,
        render_id: str | None = None,
        quality: str = "high",
    ) -> RenderJob:
        return await self._run(self._submit_project(session_id, format, draft, render_id, quality))

    async def render_status(self, render_id: str) -> RenderJob:
        return await self._run(self._render_status(render_id))

    async def wait_render(
        self,
        render_id: str,
        *,
        poll_s: float = 2.0,
        timeout_s: float = 1800.0,
        on_progress: Callable[[RenderJob], None] | None = None,
    ) -> RenderJob:
        return await self._run(self._wait_render(render_id, poll_s, timeout_s, on_progress))

    async def download(self, job: RenderJob, dest: str | Path) -> Path:
        return await self._run(self._download(job, dest))
