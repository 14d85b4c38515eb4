"""The promptreel SDK: a typed httpx client for every endpoint of the wire protocol.

``Client`` (sync) and ``AsyncClient`` share one behaviour:

* attribution headers ``X-Skill-Source``/``X-Skill-Version``/``X-Skill-Platform`` on every request;
* a bearer token from ``NEMO_TOKEN``, the private cache, or a fresh anonymous token (the client id
  is persisted under the user config dir);
* every non-zero envelope code raised as the matching class of :mod:`promptreel.errors`;
* ``1001`` → one new anonymous token and one retry; ``429`` → wait ``Retry-After`` and retry once;
  ``400`` on the anonymous-token call → a new client id and one retry;
* :meth:`Client.turn` streams the agent's turn, surfaces heartbeats, and resumes a dropped stream
  with ``Last-Event-ID`` — it never posts the message a second time as a new message.

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
import contextlib
import os
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

import httpx

from promptreel.client.config import ClientConfig, CredentialStore, load_config
from promptreel.client.models import (
    AnonymousToken,
    Balance,
    ClaimToken,
    Media,
    RenderJob,
    SessionInfo,
    SessionState,
    StreamDropped,
    TurnEvent,
    TurnInterrupted,
    TurnItem,
)
from promptreel.client.sse import EventDecoder
from promptreel.errors import (
    AuthError,
    InternalError,
    MissingClientId,
    PromptreelError,
    RateLimited,
    RenderFailed,
    error_for_code,
)

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

APP_NAME = "nemo_agent"

#: ``notice(kind, detail)`` — kinds: ``reauth``, ``rate_limited``, ``new_client_id``
Notice = Callable[[str, dict[str, Any]], None]


def new_render_id() -> str:
    """``render_<ms timestamp>`` — unique per submit (a retry gets a new one)."""
    return f"render_{time.time_ns() // 1_000_000}"


def parse_envelope(response: httpx.Response) -> Any:
    """The ``data`` of a success envelope; otherwise raise the protocol's exception for the code."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), int):
        code = body["code"]
        if code == 0:
            return body.get("data")
        data = body.get("data") if isinstance(body.get("data"), dict) else None
        err = error_for_code(code, str(body.get("message") or ""), data)
    elif response.is_success:
        return body
    elif response.status_code == 429:
        err = RateLimited()
    elif response.status_code == 401:
        err = AuthError()
    else:
        err = InternalError(f"The server answered HTTP {response.status_code}.")
    if isinstance(err, RateLimited):
        try:
            err.retry_after = max(0, int(float(response.headers.get("Retry-After", "30"))))
        except ValueError:
            err.retry_after = 30
    raise err


def _turn_body(session_id: str, text: str) -> dict[str, Any]:
    return {
        "app_name": APP_NAME,
        "user_id": "me",
        "session_id": session_id,
        "new_message": {"role": "user", "parts": [{"text": text}]},
    }


def _render_body(
    session_id: str, draft: dict[str, Any], render_id: str, fmt: str, quality: str
) -> dict[str, Any]:
    return {
        "id": render_id,
        "sessionId": session_id,
        "draft": draft,
        "output": {"format": fmt, "quality": quality},
    }


def _project_body(
    session_id: str, fmt: str, render_id: str, quality: str, draft: dict[str, Any] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"id": render_id, "sessionId": session_id, "format": fmt, "quality": quality}
    if draft is not None:
        body["draft"] = draft
    return body


def _file_of(job: RenderJob) -> tuple[str, str]:
    """The saved file's suffix and the bearer download path for a finished job."""
    if job.output is not None and job.output.format not in ("", "mp4"):
        return f".{job.output.format}.zip", f"/api/project/{job.id}/download"
    return ".mp4", f"/api/render/proxy/{job.id}/download"


def _is_event_stream(response: httpx.Response) -> bool:
    return response.status_code == 200 and "text/event-stream" in response.headers.get("content-type", "")


def _download_target(dest: str | Path, render_id: str, suffix: str = ".mp4") -> Path:
    path = Path(dest)
    if path.is_dir() or str(dest).endswith(os.sep) or not path.suffix:
        path.mkdir(parents=True, exist_ok=True)
        return path / f"{render_id}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class _Auth:
    """Token and client id bookkeeping shared by both clients (no IO but the private cache)."""

    def __init__(self, config: ClientConfig, token: str | None, client_id: str | None) -> None:
        self.config = config
        self.store: CredentialStore = config.store()
        self.explicit = bool(token or config.token)
        self.token: str | None = token or config.token or self.store.token(config.api_url)
        self.client_id: str = client_id or config.client_id or self.store.client_id()

    def headers(self, auth: bool) -> dict[str, str]:
        h = self.config.attribution()
        if auth and self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def remember(self, tok: AnonymousToken) -> None:
        self.token = tok.token
        self.explicit = False
        self.store.save_token(self.config.api_url, tok.token, tok.expires_at)

    def fallback(self) -> bool:
        """After a given token (``NEMO_TOKEN``) is rejected: switch to a cached anonymous token, if any."""
        cached = self.store.token(self.config.api_url)
        if self.explicit and cached and cached != self.token:
            self.token = cached
            self.explicit = False
            return True
        return False

    def forget(self) -> None:
        self.token = None
        if not self.explicit:
            self.store.save_token(self.config.api_url, None)

    def new_client_id(self) -> None:
        if self.config.client_id:  # NEMO_CLIENT_ID given: a fresh one for this run only
            import uuid

            self.client_id = str(uuid.uuid4())
        else:
            self.client_id = self.store.new_client_id()


class _Common:
    config: ClientConfig
    _auth: _Auth

    def _setup(
        self,
        base_url: str | None,
        config: ClientConfig | None,
        token: str | None,
        client_id: str | None,
        platform: str | None,
        reauth: bool,
        retry_rate_limit: bool,
        on_notice: Notice | None,
    ) -> None:
        cfg = config or load_config(api_url=base_url, platform=platform)
        if base_url and config is not None:
            from dataclasses import replace

            cfg = replace(cfg, api_url=base_url.rstrip("/"))
        if platform and cfg.platform != platform:
            from dataclasses import replace

            cfg = replace(cfg, platform=platform)
        self.config = cfg
        self._auth = _Auth(cfg, token, client_id)
        self.reauth = reauth
        self.retry_rate_limit = retry_rate_limit
        self.max_retry_wait_s = 120.0  # a longer Retry-After (e.g. "one token per 7 days") is raised at once
        self._notice = on_notice or (lambda kind, detail: None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config.api_url!r})"

    def _should_wait(self, exc: RateLimited) -> bool:
        return self.retry_rate_limit and exc.retry_after <= self.max_retry_wait_s

    @property
    def base_url(self) -> str:
        return self.config.api_url

    @property
    def has_token(self) -> bool:
        return bool(self._auth.token)

    @property
    def token_is_anonymous(self) -> bool:
        """True when the token came from the anonymous-token call (not ``NEMO_TOKEN``)."""
        return not self._auth.explicit

    @property
    def client_id(self) -> str:
        return self._auth.client_id

    def studio_claim_url(self, claim_token: str) -> str:
        return f"{self.config.studio_url}/workspace/claim?ct={claim_token}"

    def registration_url(self, bind_id: str) -> str:
        return f"{self.config.studio_url}/register?bind={bind_id}"

    def _absolute(self, url: str) -> str:
        return urljoin(self.config.api_url + "/", url)


# ----------------------------------------------------------------------------------------- sync


class TurnStream:
    """Iterate the items of one agent turn: :class:`TurnEvent`, :class:`Heartbeat`, :class:`StreamDropped`.

    The message is posted once. If the stream drops, it reconnects with ``Last-Event-ID`` (at most
    ``resume_attempts`` times); if that is impossible it raises :class:`TurnInterrupted`.
    :meth:`close` (safe from another thread) stops it.
    """

    def __init__(
        self,
        client: Client,
        session_id: str,
        text: str,
        *,
        last_event_id: str = "",
        resume_attempts: int = 3,
        read_timeout: float = 60.0,
        backoff_s: float = 1.0,
    ) -> None:
        self._client = client
        self.session_id = session_id
        self.text = text
        self.last_event_id = last_event_id
        self.resume_attempts = resume_attempts
        self.read_timeout = read_timeout
        self.backoff_s = backoff_s
        self.completed = False
        self._closed = False
        self._response: httpx.Response | None = None
        self._gen = self._run()

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
        resp = self._response
        if resp is not None:
            # closing from another thread may race the reader; it stops either way
            with contextlib.suppress(Exception):
                resp.close()

    def _open(self, resuming: bool) -> Iterator[TurnItem]:
        c = self._client
        retried_auth = retried_rate = False
        while True:
            headers = {**c._auth.headers(True), "Accept": "text/event-stream", "Cache-Control": "no-cache"}
            if resuming:
                headers["Last-Event-ID"] = self.last_event_id
            timeout = httpx.Timeout(30.0, read=self.read_timeout)
            with c._http.stream(
                "POST",
                "/run_sse",
                json=_turn_body(self.session_id, self.text),
                headers=headers,
                timeout=timeout,
            ) as resp:
                self._response = resp
                if not _is_event_stream(resp):
                    resp.read()
                    try:
                        parse_envelope(resp)
                        raise InternalError("The server did not answer with an event stream.")
                    except AuthError:
                        if retried_auth or not c.reauth:
                            raise
                        retried_auth = True
                        c.refresh_token()
                        continue
                    except RateLimited as exc:
                        if retried_rate or not c._should_wait(exc):
                            raise
                        retried_rate = True
                        c._notice("rate_limited", {"retry_after": exc.retry_after})
                        c._sleep(exc.retry_after)
                        continue
                decoder = EventDecoder()
                for chunk in resp.iter_text():
                    for item in decoder.feed(chunk):
                        yield item
                for item in decoder.flush():
                    yield item
                return

    def _run(self) -> Iterator[TurnItem]:
        attempt = 0
        resuming = bool(self.last_event_id)
        while True:
            reason = "the stream closed before the turn completed"
            try:
                for item in self._open(resuming):
                    if isinstance(item, TurnEvent):
                        if item.id:
                            self.last_event_id = item.id
                        attempt = 0
                        yield item
                        if item.turn_complete:
                            self.completed = True
                            return
                    else:
                        yield item
            except httpx.ConnectError as exc:
                if not resuming:
                    raise  # nothing was sent
                reason = str(exc) or type(exc).__name__
            except (httpx.TransportError, httpx.StreamError) as exc:
                reason = str(exc) or type(exc).__name__
            except PromptreelError as exc:
                if not resuming:
                    raise
                raise TurnInterrupted(self.last_event_id, exc.message) from exc
            finally:
                self._response = None
            if self._closed:
                return
            attempt += 1
            if not self.last_event_id or attempt > self.resume_attempts:
                raise TurnInterrupted(self.last_event_id, reason)
            yield StreamDropped(self.last_event_id, attempt, reason)
            resuming = True
            self._client._sleep(min(self.backoff_s * 2 ** (attempt - 1), 10.0))


class Client(_Common):
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

    # -- plumbing

    def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        build: Callable[[], dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        retried_auth = retried_rate = False
        while True:
            if auth and not self._auth.token:
                self.ensure_token()
            with ExitStack() as stack:
                kwargs = build() if build else {}
                for f in kwargs.pop("_open_files", []):
                    stack.callback(f.close)
                resp = self._http.request(
                    method, path, headers={**self._auth.headers(auth), **(headers or {})}, **kwargs
                )
            try:
                return parse_envelope(resp)
            except AuthError:
                if not auth or retried_auth or not self.reauth:
                    raise
                retried_auth = True
                self.refresh_token()
            except RateLimited as exc:
                if retried_rate or not self._should_wait(exc):
                    raise
                retried_rate = True
                self._notice("rate_limited", {"retry_after": exc.retry_after})
                self._sleep(exc.retry_after)

    # -- auth

    def anonymous_token(self) -> AnonymousToken:
        """``POST /api/auth/anonymous-token`` with the persisted client id; caches the token (0600)."""
        try:
            data = self._request(
                "POST", "/api/auth/anonymous-token", auth=False, headers={"X-Client-Id": self._auth.client_id}
            )
        except MissingClientId:
            self._auth.new_client_id()
            self._notice("new_client_id", {})
            data = self._request(
                "POST", "/api/auth/anonymous-token", auth=False, headers={"X-Client-Id": self._auth.client_id}
            )
        tok = AnonymousToken.from_data(data or {})
        self._auth.remember(tok)
        return tok

    def ensure_token(self) -> None:
        if not self._auth.token:
            self.anonymous_token()

    def refresh_token(self) -> None:
        """Drop the rejected token: use the cached anonymous one if it differs, else get a new one."""
        self._notice("reauth", {})
        if self._auth.fallback():
            return
        self._auth.forget()
        self.anonymous_token()

    def claim_token(self, task_id: str, session_id: str) -> ClaimToken:
        data = self._request(
            "POST",
            "/api/auth/claim-token",
            build=lambda: {"json": {"task_id": task_id, "session_id": session_id}},
        )
        return ClaimToken.from_data(data or {})

    # -- sessions and turns

    def create_session(self, task_name: str = "project", language: str = "en") -> SessionInfo:
        data = self._request(
            "POST",
            f"/api/tasks/me/with-session/{APP_NAME}",
            build=lambda: {"json": {"task_name": task_name, "language": language}},
        )
        return SessionInfo.from_data(data or {})

    def turn(self, session_id: str, text: str, **options: Any) -> TurnStream:
        """Post one message to the agent and stream its turn (see :class:`TurnStream`)."""
        self.ensure_token()
        return TurnStream(self, session_id, text, **options)

    def resume_turn(self, session_id: str, text: str, last_event_id: str, **options: Any) -> TurnStream:
        """Re-attach to a running turn after ``last_event_id`` (the message is not posted again)."""
        self.ensure_token()
        return TurnStream(self, session_id, text, last_event_id=last_event_id, **options)

    def state(self, session_id: str) -> SessionState:
        data = self._request("GET", f"/api/state/{APP_NAME}/me/{session_id}/latest")
        return SessionState.from_data(data or {})

    def history(self, session_id: str) -> list[dict[str, Any]]:
        """The session's conversation as the server keeps it (the studio shows the same)."""
        return self.state(session_id).messages

    # -- uploads and credits

    def upload(self, session_id: str, paths: Sequence[str | Path]) -> list[Media]:
        """Upload local files (multipart field ``files``)."""

        def build() -> dict[str, Any]:
            handles: list[IO[bytes]] = [Path(p).open("rb") for p in paths]  # noqa: SIM115 (closed by the caller)
            files = [
                ("files", (Path(p).name, h, "application/octet-stream"))
                for p, h in zip(paths, handles, strict=True)
            ]
            return {"files": files, "_open_files": handles}

        data = self._request("POST", f"/api/upload-video/{APP_NAME}/me/{session_id}", build=build)
        return Media.list_from_data(data)

    def upload_urls(self, session_id: str, urls: Sequence[str]) -> list[Media]:
        data = self._request(
            "POST",
            f"/api/upload-video/{APP_NAME}/me/{session_id}",
            build=lambda: {"json": {"urls": list(urls), "source_type": "url"}},
        )
        return Media.list_from_data(data)

    def balance(self) -> Balance:
        return Balance.from_data(self._request("GET", "/api/credits/balance/simple") or {})

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
        rid = render_id or new_render_id()
        data = self._request(
            "POST",
            "/api/render/proxy/lambda",
            build=lambda: {"json": _render_body(session_id, draft, rid, format, quality)},
        )
        job = RenderJob.from_data(data or {})
        return job if job.id else RenderJob(rid, job.status, job.progress, job.output, job.error)

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
        rid = render_id or new_render_id().replace("render_", "project_")
        data = self._request(
            "POST",
            "/api/project/export",
            build=lambda: {"json": _project_body(session_id, format, rid, quality, draft)},
        )
        job = RenderJob.from_data(data or {})
        return job if job.id else RenderJob(rid, job.status, job.progress, job.output, job.error)

    def render_status(self, render_id: str) -> RenderJob:
        return RenderJob.from_data(self._request("GET", f"/api/render/proxy/lambda/{render_id}") or {})

    def wait_render(
        self,
        render_id: str,
        *,
        poll_s: float = 2.0,
        timeout_s: float = 1800.0,
        on_progress: Callable[[RenderJob], None] | None = None,
    ) -> RenderJob:
        """Poll until the job completes or fails; a failure raises :class:`RenderFailed`."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.render_status(render_id)
            if on_progress:
                on_progress(job)
            if job.status == "completed":
                return job
            if job.status == "failed":
                raise RenderFailed(job.error or None, data={"id": render_id})
            if time.monotonic() > deadline:
                raise RenderFailed(
                    f"The export did not finish within {int(timeout_s)} s.", data={"id": render_id}
                )
            self._sleep(poll_s)

    def download(self, job: RenderJob, dest: str | Path) -> Path:
        """Save the finished file: the signed ``output.url`` (no bearer header), else ``/download``."""
        suffix, fallback = _file_of(job)
        target = _download_target(dest, job.id, suffix)
        part = target.with_name(target.name + ".part")
        urls: list[tuple[str, bool]] = []
        if job.output and job.output.url:
            urls.append((self._absolute(job.output.url), False))
        urls.append((self._absolute(fallback), True))
        last: Exception | None = None
        for url, auth in urls:
            try:
                with self._http.stream("GET", url, headers=self._auth.headers(auth)) as resp:
                    if resp.status_code != 200:
                        resp.read()
                        parse_envelope(resp)
                        raise InternalError(f"Download answered HTTP {resp.status_code}.")
                    with part.open("wb") as f:
                        for chunk in resp.iter_bytes(1 << 16):
                            f.write(chunk)
                part.replace(target)
                return target
            except (httpx.HTTPError, PromptreelError) as exc:
                part.unlink(missing_ok=True)
                last = exc
        assert last is not None
        raise last


# ---------------------------------------------------------------------------------------- async


class AsyncTurnStream:
    """Async twin of :class:`TurnStream` (``async for item in stream``)."""

    def __init__(
        self,
        client: AsyncClient,
        session_id: str,
        text: str,
        *,
        last_event_id: str = "",
        resume_attempts: int = 3,
        read_timeout: float = 60.0,
        backoff_s: float = 1.0,
    ) -> None:
        self._client = client
        self.session_id = session_id
        self.text = text
        self.last_event_id = last_event_id
        self.resume_attempts = resume_attempts
        self.read_timeout = read_timeout
        self.backoff_s = backoff_s
        self.completed = False
        self._gen = self._run()

    def __aiter__(self) -> AsyncIterator[TurnItem]:
        return self._gen

    async def aclose(self) -> None:
        await self._gen.aclose()

    async def _open(self, resuming: bool) -> AsyncIterator[TurnItem]:
        c = self._client
        retried_auth = retried_rate = False
        while True:
            headers = {**c._auth.headers(True), "Accept": "text/event-stream", "Cache-Control": "no-cache"}
            if resuming:
                headers["Last-Event-ID"] = self.last_event_id
            timeout = httpx.Timeout(30.0, read=self.read_timeout)
            async with c._http.stream(
                "POST",
                "/run_sse",
                json=_turn_body(self.session_id, self.text),
                headers=headers,
                timeout=timeout,
            ) as resp:
                if not _is_event_stream(resp):
                    await resp.aread()
                    try:
                        parse_envelope(resp)
                        raise InternalError("The server did not answer with an event stream.")
                    except AuthError:
                        if retried_auth or not c.reauth:
                            raise
                        retried_auth = True
                        await c.refresh_token()
                        continue
                    except RateLimited as exc:
                        if retried_rate or not c._should_wait(exc):
                            raise
                        retried_rate = True
                        c._notice("rate_limited", {"retry_after": exc.retry_after})
                        await c._sleep(exc.retry_after)
                        continue
                decoder = EventDecoder()
                async for chunk in resp.aiter_text():
                    for item in decoder.feed(chunk):
                        yield item
                for item in decoder.flush():
                    yield item
                return

    async def _run(self) -> AsyncGenerator[TurnItem, None]:
        attempt = 0
        resuming = bool(self.last_event_id)
        while True:
            reason = "the stream closed before the turn completed"
            try:
                async for item in self._open(resuming):
                    if isinstance(item, TurnEvent):
                        if item.id:
                            self.last_event_id = item.id
                        attempt = 0
                        yield item
                        if item.turn_complete:
                            self.completed = True
                            return
                    else:
                        yield item
            except httpx.ConnectError as exc:
                if not resuming:
                    raise
                reason = str(exc) or type(exc).__name__
            except (httpx.TransportError, httpx.StreamError) as exc:
                reason = str(exc) or type(exc).__name__
            except PromptreelError as exc:
                if not resuming:
                    raise
                raise TurnInterrupted(self.last_event_id, exc.message) from exc
            attempt += 1
            if not self.last_event_id or attempt > self.resume_attempts:
                raise TurnInterrupted(self.last_event_id, reason)
            yield StreamDropped(self.last_event_id, attempt, reason)
            resuming = True
            await self._client._sleep(min(self.backoff_s * 2 ** (attempt - 1), 10.0))


class AsyncClient(_Common):
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

    async def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        build: Callable[[], dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        retried_auth = retried_rate = False
        while True:
            if auth and not self._auth.token:
                await self.ensure_token()
            with ExitStack() as stack:
                kwargs = build() if build else {}
                for f in kwargs.pop("_open_files", []):
                    stack.callback(f.close)
                resp = await self._http.request(
                    method, path, headers={**self._auth.headers(auth), **(headers or {})}, **kwargs
                )
            try:
                return parse_envelope(resp)
            except AuthError:
                if not auth or retried_auth or not self.reauth:
                    raise
                retried_auth = True
                await self.refresh_token()
            except RateLimited as exc:
                if retried_rate or not self._should_wait(exc):
                    raise
                retried_rate = True
                self._notice("rate_limited", {"retry_after": exc.retry_after})
                await self._sleep(exc.retry_after)

    async def anonymous_token(self) -> AnonymousToken:
        try:
            data = await self._request(
                "POST", "/api/auth/anonymous-token", auth=False, headers={"X-Client-Id": self._auth.client_id}
            )
        except MissingClientId:
            self._auth.new_client_id()
            self._notice("new_client_id", {})
            data = await self._request(
                "POST", "/api/auth/anonymous-token", auth=False, headers={"X-Client-Id": self._auth.client_id}
            )
        tok = AnonymousToken.from_data(data or {})
        self._auth.remember(tok)
        return tok

    async def ensure_token(self) -> None:
        if not self._auth.token:
            await self.anonymous_token()

    async def refresh_token(self) -> None:
        self._notice("reauth", {})
        if self._auth.fallback():
            return
        self._auth.forget()
        await self.anonymous_token()

    async def claim_token(self, task_id: str, session_id: str) -> ClaimToken:
        data = await self._request(
            "POST",
            "/api/auth/claim-token",
            build=lambda: {"json": {"task_id": task_id, "session_id": session_id}},
        )
        return ClaimToken.from_data(data or {})

    async def create_session(self, task_name: str = "project", language: str = "en") -> SessionInfo:
        data = await self._request(
            "POST",
            f"/api/tasks/me/with-session/{APP_NAME}",
            build=lambda: {"json": {"task_name": task_name, "language": language}},
        )
        return SessionInfo.from_data(data or {})

    async def turn(self, session_id: str, text: str, **options: Any) -> AsyncTurnStream:
        await self.ensure_token()
        return AsyncTurnStream(self, session_id, text, **options)

    async def state(self, session_id: str) -> SessionState:
        data = await self._request("GET", f"/api/state/{APP_NAME}/me/{session_id}/latest")
        return SessionState.from_data(data or {})

    async def history(self, session_id: str) -> list[dict[str, Any]]:
        """The session's conversation as the server keeps it (the studio shows the same)."""
        return (await self.state(session_id)).messages

    async def upload(self, session_id: str, paths: Sequence[str | Path]) -> list[Media]:
        def build() -> dict[str, Any]:
            handles: list[IO[bytes]] = [Path(p).open("rb") for p in paths]  # noqa: SIM115 (closed by the caller)
            files = [
                ("files", (Path(p).name, h, "application/octet-stream"))
                for p, h in zip(paths, handles, strict=True)
            ]
            return {"files": files, "_open_files": handles}

        data = await self._request("POST", f"/api/upload-video/{APP_NAME}/me/{session_id}", build=build)
        return Media.list_from_data(data)

    async def upload_urls(self, session_id: str, urls: Sequence[str]) -> list[Media]:
        data = await self._request(
            "POST",
            f"/api/upload-video/{APP_NAME}/me/{session_id}",
            build=lambda: {"json": {"urls": list(urls), "source_type": "url"}},
        )
        return Media.list_from_data(data)

    async def balance(self) -> Balance:
        return Balance.from_data(await self._request("GET", "/api/credits/balance/simple") or {})

    async def submit_render(
        self,
        session_id: str,
        draft: dict[str, Any],
        *,
        render_id: str | None = None,
        format: str = "mp4",
        quality: str = "high",
    ) -> RenderJob:
        rid = render_id or new_render_id()
        data = await self._request(
            "POST",
            "/api/render/proxy/lambda",
            build=lambda: {"json": _render_body(session_id, draft, rid, format, quality)},
        )
        job = RenderJob.from_data(data or {})
        return job if job.id else RenderJob(rid, job.status, job.progress, job.output, job.error)

    async def submit_project(
        self,
        session_id: str,
        format: str,
        *,
        draft: dict[str, Any] | None = None,
        render_id: str | None = None,
        quality: str = "high",
    ) -> RenderJob:
        rid = render_id or new_render_id().replace("render_", "project_")
        data = await self._request(
            "POST",
            "/api/project/export",
            build=lambda: {"json": _project_body(session_id, format, rid, quality, draft)},
        )
        job = RenderJob.from_data(data or {})
        return job if job.id else RenderJob(rid, job.status, job.progress, job.output, job.error)

    async def render_status(self, render_id: str) -> RenderJob:
        return RenderJob.from_data(await self._request("GET", f"/api/render/proxy/lambda/{render_id}") or {})

    async def wait_render(
        self,
        render_id: str,
        *,
        poll_s: float = 2.0,
        timeout_s: float = 1800.0,
        on_progress: Callable[[RenderJob], None] | None = None,
    ) -> RenderJob:
        deadline = time.monotonic() + timeout_s
        while True:
            job = await self.render_status(render_id)
            if on_progress:
                on_progress(job)
            if job.status == "completed":
                return job
            if job.status == "failed":
                raise RenderFailed(job.error or None, data={"id": render_id})
            if time.monotonic() > deadline:
                raise RenderFailed(
                    f"The export did not finish within {int(timeout_s)} s.", data={"id": render_id}
                )
            await self._sleep(poll_s)

    async def download(self, job: RenderJob, dest: str | Path) -> Path:
        suffix, fallback = _file_of(job)
        target = _download_target(dest, job.id, suffix)
        part = target.with_name(target.name + ".part")
        urls: list[tuple[str, bool]] = []
        if job.output and job.output.url:
            urls.append((self._absolute(job.output.url), False))
        urls.append((self._absolute(fallback), True))
        last: Exception | None = None
        for url, auth in urls:
            try:
                async with self._http.stream("GET", url, headers=self._auth.headers(auth)) as resp:
                    if resp.status_code != 200:
                        await resp.aread()
                        parse_envelope(resp)
                        raise InternalError(f"Download answered HTTP {resp.status_code}.")
                    with part.open("wb") as f:
                        async for chunk in resp.aiter_bytes(1 << 16):
                            f.write(chunk)
                part.replace(target)
                return target
            except (httpx.HTTPError, PromptreelError) as exc:
                part.unlink(missing_ok=True)
                last = exc
        assert last is not None
        raise last
