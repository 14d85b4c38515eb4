"""The SDK's one core: every call of the wire protocol written once, for both clients.

Each operation is a generator of :mod:`~promptreel.client.effects`: it builds the request,
yields it, decodes the envelope of the answer into a result model or the protocol's exception,
and applies the retry rules:

* ``1001`` → one new anonymous token (or the cached one, after a rejected ``NEMO_TOKEN``) and one
  retry; ``429`` → wait ``Retry-After`` (up to ``max_retry_wait_s``) and retry once;
* ``400`` on the anonymous-token call → a new client id and one retry;
* a turn's stream that drops is resumed with ``Last-Event-ID``; the message is never posted twice.

The clients in :mod:`promptreel.client.sdk` only carry the effects out (sync or async).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin

import httpx

from promptreel.client.auth import Credentials
from promptreel.client.config import ClientConfig, load_config
from promptreel.client.effects import Close, Emit, Open, Read, ReadAll, Send, Sleep, Steps
from promptreel.client.envelope import APP_NAME, Notice, new_render_id, parse_envelope
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
)
from promptreel.client.sse import EventDecoder
from promptreel.errors import (
    AuthError,
    InternalError,
    MissingClientId,
    PromptreelError,
    RateLimited,
    RenderFailed,
)

__all__ = ["ClientCore", "TurnCore"]

T = TypeVar("T")
D = TypeVar("D")  # the driver that carries the effects out (sync or async)


def _dict(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def _turn_body(session_id: str, text: str) -> dict[str, Any]:
    return {
        "app_name": APP_NAME,
        "user_id": "me",
        "session_id": session_id,
        "new_message": {"role": "user", "parts": [{"text": text}]},
    }


def _file_of(job: RenderJob) -> tuple[str, str]:
    """The saved file's suffix and the bearer download path for a finished job."""
    if job.output is not None and job.output.format not in ("", "mp4"):
        return f".{job.output.format}.zip", f"/api/project/{job.id}/download"
    return ".mp4", f"/api/render/proxy/{job.id}/download"


def _download_target(dest: str | Path, render_id: str, suffix: str = ".mp4") -> Path:
    path = Path(dest)
    if path.is_dir() or str(dest).endswith(os.sep) or not path.suffix:
        path.mkdir(parents=True, exist_ok=True)
        return path / f"{render_id}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _with_id(job: RenderJob, rid: str) -> RenderJob:
    return job if job.id else job.model_copy(update={"id": rid})


class ClientCore(Generic[D]):
    """State and operations shared by :class:`~promptreel.client.Client` and ``AsyncClient``."""

    config: ClientConfig
    _auth: Credentials

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
            cfg = replace(cfg, api_url=base_url.rstrip("/"))
        if platform and cfg.platform != platform:
            cfg = replace(cfg, platform=platform)
        self.config = cfg
        self._auth = Credentials(cfg, token, client_id)
        self.reauth = reauth
        self.retry_rate_limit = retry_rate_limit
        self.max_retry_wait_s = 120.0  # a longer Retry-After (e.g. "one token per 7 days") is raised at once
        self._notice: Notice = on_notice or (lambda kind, detail: None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config.api_url!r})"

    def _driver(self) -> D:
        """A new driver over this client's httpx client (each face makes its own kind)."""
        raise NotImplementedError

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

    def _should_wait(self, exc: RateLimited) -> bool:
        return self.retry_rate_limit and exc.retry_after <= self.max_retry_wait_s

    # -- the request loop

    def _call(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        json: Any = None,
        files: Sequence[Path] = (),
        headers: dict[str, str] | None = None,
    ) -> Steps[Any]:
        """One request with the retry rules; returns the envelope's ``data``."""

        def attempt() -> Steps[Any]:
            response = yield Send(
                method, path, {**self._auth.headers(auth), **(headers or {})}, json=json, files=files
            )
            return parse_envelope(response)

        if auth and not self._auth.token:
            yield from self._ensure_token()
        return (yield from self._retrying(attempt, reauth=auth))

    def _retrying(self, attempt: Callable[[], Steps[T]], *, reauth: bool = True) -> Steps[T]:
        """``attempt`` with the retry rules: after a ``1001`` one new token and one retry (when
        ``reauth``), after a ``429`` one wait of ``Retry-After`` and one retry."""
        retried_auth = retried_rate = False
        while True:
            try:
                return (yield from attempt())
            except AuthError:
                if not reauth or retried_auth or not self.reauth:
                    raise
                retried_auth = True
                yield from self._refresh_token()
            except RateLimited as exc:
                if retried_rate or not self._should_wait(exc):
                    raise
                retried_rate = True
                self._notice("rate_limited", {"retry_after": exc.retry_after})
                yield Sleep(exc.retry_after)

    # -- auth

    def _anonymous_token(self) -> Steps[AnonymousToken]:
        def ask() -> Steps[Any]:
            headers = {"X-Client-Id": self._auth.client_id}
            return self._call("POST", "/api/auth/anonymous-token", auth=False, headers=headers)

        try:
            data = yield from ask()
        except MissingClientId:
            self._auth.new_client_id()
            self._notice("new_client_id", {})
            data = yield from ask()
        tok = AnonymousToken.from_data(_dict(data))
        self._auth.remember(tok)
        return tok

    def _ensure_token(self) -> Steps[None]:
        if not self._auth.token:
            yield from self._anonymous_token()

    def _refresh_token(self) -> Steps[None]:
        self._notice("reauth", {})
        if self._auth.fallback():
            return
        self._auth.forget()
        yield from self._anonymous_token()

    def _claim_token(self, task_id: str, session_id: str) -> Steps[ClaimToken]:
        body = {"task_id": task_id, "session_id": session_id}
        data = yield from self._call("POST", "/api/auth/claim-token", json=body)
        return ClaimToken.from_data(_dict(data))

    # -- sessions, uploads, credits

    def _create_session(self, task_name: str, language: str) -> Steps[SessionInfo]:
        body = {"task_name": task_name, "language": language}
        data = yield from self._call("POST", f"/api/tasks/me/with-session/{APP_NAME}", json=body)
        return SessionInfo.from_data(_dict(data))

    def _state(self, session_id: str) -> Steps[SessionState]:
        data = yield from self._call("GET", f"/api/state/{APP_NAME}/me/{session_id}/latest")
        return SessionState.from_data(_dict(data))

    def _upload(self, session_id: str, paths: Sequence[str | Path]) -> Steps[list[Media]]:
        files = tuple(Path(p) for p in paths)
        data = yield from self._call("POST", f"/api/upload-video/{APP_NAME}/me/{session_id}", files=files)
        return Media.list_from_data(data)

    def _upload_urls(self, session_id: str, urls: Sequence[str]) -> Steps[list[Media]]:
        body = {"urls": list(urls), "source_type": "url"}
        data = yield from self._call("POST", f"/api/upload-video/{APP_NAME}/me/{session_id}", json=body)
        return Media.list_from_data(data)

    def _balance(self) -> Steps[Balance]:
        data = yield from self._call("GET", "/api/credits/balance/simple")
        return Balance.from_data(_dict(data))

    # -- export

    def _submit_render(
        self, session_id: str, draft: dict[str, Any], render_id: str | None, fmt: str, quality: str
    ) -> Steps[RenderJob]:
        rid = render_id or new_render_id()
        body = {
            "id": rid,
            "sessionId": session_id,
            "draft": draft,
            "output": {"format": fmt, "quality": quality},
        }
        data = yield from self._call("POST", "/api/render/proxy/lambda", json=body)
        return _with_id(RenderJob.from_data(_dict(data)), rid)

    def _submit_project(
        self, session_id: str, fmt: str, draft: dict[str, Any] | None, render_id: str | None, quality: str
    ) -> Steps[RenderJob]:
        rid = render_id or new_render_id().replace("render_", "project_")
        body: dict[str, Any] = {"id": rid, "sessionId": session_id, "format": fmt, "quality": quality}
        if draft is not None:
            body["draft"] = draft
        data = yield from self._call("POST", "/api/project/export", json=body)
        return _with_id(RenderJob.from_data(_dict(data)), rid)

    def _render_status(self, render_id: str) -> Steps[RenderJob]:
        data = yield from self._call("GET", f"/api/render/proxy/lambda/{render_id}")
        return RenderJob.from_data(_dict(data))

    def _wait_render(
        self,
        render_id: str,
        poll_s: float,
        timeout_s: float,
        on_progress: Callable[[RenderJob], None] | None,
    ) -> Steps[RenderJob]:
        deadline = time.monotonic() + timeout_s
        while True:
            job = yield from self._render_status(render_id)
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
            yield Sleep(poll_s)

    def _download(self, job: RenderJob, dest: str | Path) -> Steps[Path]:
        """The signed ``output.url`` (no bearer header), else the bearer ``/download`` path."""
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
                response = yield Open("GET", url, self._auth.headers(auth))
                if response.status_code != 200:
                    yield ReadAll()
                    parse_envelope(response)
                    raise InternalError(f"Download answered HTTP {response.status_code}.")
                with part.open("wb") as f:
                    while (chunk := (yield Read(binary=True))) is not None:
                        f.write(chunk)
                yield Close()
                part.replace(target)
                return target
            except (httpx.HTTPError, PromptreelError) as exc:
                part.unlink(missing_ok=True)
                last = exc
        assert last is not None
        raise last


class TurnCore(Generic[D]):
    """One agent turn's stream, shared by :class:`~promptreel.client.TurnStream` and its async twin.

    The message is posted once. If the stream drops, it reconnects with ``Last-Event-ID`` (at most
    ``resume_attempts`` times); if that is impossible it raises :class:`TurnInterrupted`.
    """

    def __init__(
        self,
        client: ClientCore[D],
        session_id: str,
        text: str,
        *,
        last_event_id: str = "",
        resume_attempts: int = 3,
        read_timeout: float = 60.0,
        backoff_s: float = 1.0,
    ) -> None:
        self._core = client
        self.session_id = session_id
        self.text = text
        self.last_event_id = last_event_id
        self.resume_attempts = resume_attempts
        self.read_timeout = read_timeout
        self.backoff_s = backoff_s
        self.completed = False
        self._closed = False
        self._progressed = False
        self._driver: D = client._driver()

    def _open(self, resuming: bool) -> Steps[None]:
        """Open the event stream (with the auth and rate-limit retries); it is left open to read."""
        c = self._core

        def attempt() -> Steps[None]:
            headers = {**c._auth.headers(True), "Accept": "text/event-stream", "Cache-Control": "no-cache"}
            if resuming:
                headers["Last-Event-ID"] = self.last_event_id
            timeout = httpx.Timeout(30.0, read=self.read_timeout)
            body = _turn_body(self.session_id, self.text)
            response = yield Open("POST", "/run_sse", headers, json=body, timeout=timeout)
            if response.status_code == 200 and "text/event-stream" in response.headers.get(
                "content-type", ""
            ):
                return
            yield ReadAll()
            parse_envelope(response)
            raise InternalError("The server did not answer with an event stream.")

        yield from c._retrying(attempt)

    def _items(self) -> Steps[bool]:
        """Read the open stream, emitting its items; ``True`` once the turn completed."""
        decoder = EventDecoder()
        while not self._closed:
            chunk = yield Read()
            for item in decoder.feed(chunk) if chunk is not None else decoder.flush():
                if isinstance(item, TurnEvent):
                    self.last_event_id = item.id or self.last_event_id
                    self._progressed = True
                yield Emit(item)
                if isinstance(item, TurnEvent) and item.turn_complete:
                    self.completed = True
                    return True
            if chunk is None:
                return False
        return False

    def _steps(self) -> Steps[None]:
        attempt = 0
        resuming = bool(self.last_event_id)
        while True:
            reason = "the stream closed before the turn completed"
            self._progressed = False
            try:
                yield from self._open(resuming)
                if not self._closed and (yield from self._items()):
                    return
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
            yield Close()
            if self._closed:
                return
            if self._progressed:
                attempt = 0  # events arrived since the last drop: a fresh run of attempts
            attempt += 1
            if not self.last_event_id or attempt > self.resume_attempts:
                raise TurnInterrupted(self.last_event_id, reason)
            yield Emit(StreamDropped(self.last_event_id, attempt, reason))
            resuming = True
            yield Sleep(min(self.backoff_s * 2 ** (attempt - 1), 10.0))
