"""The fake server: every endpoint of the wire protocol, in memory, with failures on demand."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from promptreel import wire
from promptreel.client.testing.script import Turn, _default_turn
from promptreel.client.testing.serve import serve_in_thread
from promptreel.client.testing.turns import TurnRun, play, stream
from promptreel.draft import Draft, encode
from promptreel.errors import ERROR_CODES
from promptreel.http_status import status_of_code

__all__ = ["FakeServer"]


MEDIA_TYPES = (
    "mp4",
    "mov",
    "avi",
    "webm",
    "mkv",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "mp3",
    "wav",
    "m4a",
    "aac",
)


# ---------------------------------------------------------------------------- server state


@dataclass
class _Session:
    id: str
    task_id: str
    bind_id: str
    owner: str
    draft: dict[str, Any] | None = None
    messages: list[str] = field(default_factory=list)
    turns: list[TurnRun] = field(default_factory=list)


@dataclass
class _Job:
    id: str
    session_id: str
    polls: int = 0
    fail: bool = False


@dataclass
class _Failure:
    code: int
    message: str = ""
    retry_after: int = 1
    data: dict[str, Any] | None = None


class FakeServer:
    """Everything in memory; start with ``with FakeServer() as fake`` (``fake.url`` is the base)."""

    def __init__(self, *, heartbeat_s: float = 0.05, step_s: float = 0.01, render_polls: int = 2) -> None:
        self.heartbeat_s = heartbeat_s
        self.step_s = step_s
        self.render_polls = render_polls
        self.tokens: dict[str, str] = {}  # token → user
        self.client_tokens: dict[str, str] = {}  # client id → token
        self.credits: dict[str, int] = {}
        self.sessions: dict[str, _Session] = {}
        self.jobs: dict[str, _Job] = {}
        self.claims: dict[str, str] = {}
        self.render_failures = 0
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # method, path, headers
        self.uploads: list[tuple[str, int]] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._scripts: deque[Turn] = deque()
        self._secret = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self.url = ""
        self._stop: Callable[[], None] | None = None
        self.app = Starlette(
            routes=[
                self._route("POST", "/api/auth/anonymous-token", self._anon),
                self._route("POST", "/api/auth/claim-token", self._claim),
                self._route("POST", "/api/tasks/me/with-session/nemo_agent", self._session),
                self._route("POST", "/run_sse", self._run_sse),
                self._route("POST", "/api/upload-video/nemo_agent/me/{sid}", self._upload),
                self._route("GET", "/api/credits/balance/simple", self._balance),
                self._route("GET", "/api/state/nemo_agent/me/{sid}/latest", self._state),
                self._route("POST", "/api/render/proxy/lambda", self._render),
                self._route("GET", "/api/render/proxy/lambda/{rid}", self._render_status),
                self._route("GET", "/api/render/proxy/{rid}/download", self._download),
                self._route("GET", "/files/{rid}", self._signed_file),
            ]
        )

    # -- test controls

    def __enter__(self) -> FakeServer:
        self.url, self._stop = serve_in_thread(self.app)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop:
            self._stop()

    def script(self, *turns: Turn) -> None:
        """The next turns run these scripts (in order) instead of the default agent."""
        self._scripts.extend(turns)

    def fail(
        self,
        endpoint: str,
        code: int,
        *,
        times: int = 1,
        message: str = "",
        retry_after: int = 1,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``endpoint`` (e.g. ``"run_sse"``, ``"state"``) with ``code``."""
        q = self._failures.setdefault(endpoint, deque())
        for _ in range(times):
            q.append(_Failure(code, message, retry_after, data))

    def session(self, session_id: str | None = None) -> _Session:
        if session_id is None:
            return list(self.sessions.values())[-1]
        return self.sessions[session_id]

    def set_draft(self, session_id: str, draft: Draft | None) -> None:
        self.sessions[session_id].draft = encode(draft) if draft else None

    def revoke_all_tokens(self) -> None:
        self.tokens.clear()

    # -- helpers

    @staticmethod
    def _ok(data: Any) -> JSONResponse:
        return JSONResponse({"code": 0, "message": "ok", "data": data})

    @staticmethod
    def _err(
        code: int, message: str = "", *, data: dict[str, Any] | None = None, retry_after: int | None = None
    ) -> JSONResponse:
        cls = ERROR_CODES.get(code)
        status = status_of_code(code)
        msg = message or (cls.default_message if cls else "error")
        headers = {"Retry-After": str(retry_after)} if code == 429 and retry_after is not None else None
        return JSONResponse({"code": code, "message": msg, "data": data}, status_code=status, headers=headers)

    def _injected(self, endpoint: str) -> JSONResponse | None:
        q = self._failures.get(endpoint)
        if q:
            f = q.popleft()
            return self._err(f.code, f.message, data=f.data, retry_after=f.retry_after)
        return None

    def _user(self, request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else ""
        return self.tokens.get(token)

    def _route(self, method: str, path: str, endpoint: Callable[[Request], Awaitable[Response]]) -> Route:
        """``endpoint`` at ``path``; every request is recorded in :attr:`requests` before it runs."""

        async def recorded(request: Request) -> Response:
            self.requests.append((request.method, request.url.path, dict(request.headers)))
            return await endpoint(request)

        return Route(path, recorded, methods=[method])

    def _caller(self, request: Request, endpoint: str = "") -> tuple[str, Response | None]:
        """The token's user, or the answer to give instead: ``1001`` without a valid token, else
        a failure injected for ``endpoint``."""
        user = self._user(request)
        if user is None:
            return "", self._err(1001)
        return user, self._injected(endpoint) if endpoint else None

    def _stream(self, run: TurnRun, start: int, *, first: bool) -> Response:
        return stream(run, start, first=first, heartbeat_s=self.heartbeat_s)

    # -- endpoints

    async def _anon(self, request: Request) -> Response:
        if r := self._injected("anonymous_token"):
            return r
        cid = request.headers.get("x-client-id", "")
        if not cid:
            return self._err(400)
        user = f"anon_{hashlib.sha1(cid.encode()).hexdigest()[:8]}"
        token = f"nmv_usr_{secrets.token_hex(12)}"
        self.tokens[token] = user
        self.client_tokens[cid] = token
        self.credits.setdefault(user, 100)
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 604800))
        answer = wire.AnonymousToken(
            token=token,
            credits=self.credits[user],
            expires_at=expires,
            expires_in=604800,
            bind_id=f"bind_{user}",
            scopes=["read", "write", "upload", "render"],
        )
        return self._ok(answer.model_dump())

    async def _claim(self, request: Request) -> Response:
        if answer := self._caller(request)[1]:
            return answer
        body = await request.json()
        sid = str(body.get("session_id", ""))
        if sid not in self.sessions:
            return self._err(1002)
        ct = f"clm_{secrets.token_hex(10)}"
        self.claims[ct] = sid
        url = f"{str(request.base_url).rstrip('/')}/workspace/claim?ct={ct}"
        return self._ok(wire.ClaimToken(claim_token=ct, expires_in=604800, url=url).model_dump())

    async def _session(self, request: Request) -> Response:
        user, answer = self._caller(request, "session")
        if answer:
            return answer
        n = len(self.sessions) + 1
        s = _Session(f"ses_{n}_{secrets.token_hex(3)}", f"task_{n}", f"bind_{n}", user)
        self.sessions[s.id] = s
        return self._ok({"task_id": s.task_id, "session_id": s.id, "bind_id": s.bind_id})

    def _owned(
        self, request: Request, sid: str, endpoint: str = ""
    ) -> tuple[str, _Session | None, Response | None]:
        """Like :meth:`_caller`, for a session of the caller's: ``1002`` when it is not one."""
        user, answer = self._caller(request)
        if answer:
            return user, None, answer
        s = self.sessions.get(sid)
        if s is None or s.owner != user:
            return user, None, self._err(1002)
        return user, s, self._injected(endpoint) if endpoint else None

    async def _run_sse(self, request: Request) -> Response:
        body = await request.json()
        sid = str(body.get("session_id", ""))
        user, s, err = self._owned(request, sid)
        if err:
            return err
        assert s is not None
        last_id = request.headers.get("last-event-id")
        if last_id is not None:
            if not s.turns:
                return self._err(4040, "No turn to resume in this session.")
            run = s.turns[-1]
            start = int(last_id or 0)
            return self._stream(run, start, first=False)
        if r := self._injected("run_sse"):
            return r
        if s.turns and not s.turns[-1].done:
            return self._err(4090)  # never start duplicate work
        text = "".join(str(p.get("text", "")) for p in body.get("new_message", {}).get("parts", []))
        script = self._scripts.popleft() if self._scripts else _default_turn(text)
        if self.credits.get(user, 0) < script.cost:
            return self._err(2001, data={"bind_id": s.bind_id})
        s.messages.append(text)
        run = TurnRun(len(s.turns) + 1, drop_after=script.drop_after)
        s.turns.append(run)

        def charge() -> None:
            self.credits[user] = self.credits.get(user, 0) - script.cost

        asyncio.get_running_loop().create_task(play(run, script, s, step_s=self.step_s, charge=charge))
        return self._stream(run, 0, first=True)

    async def _upload(self, request: Request) -> Response:
        if answer := self._owned(request, request.path_params["sid"], "upload")[2]:
            return answer
        out = []
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await request.json()
            for u in body.get("urls", []):
                out.append(
                    {
                        "media_id": f"med_{secrets.token_hex(3)}",
                        "kind": "video",
                        "name": u.rsplit("/", 1)[-1],
                        "size": 0,
                        "duration": 0,
                    }
                )
            return self._ok({"media": out})
        form = await request.form()
        for item in form.getlist("files"):
            if isinstance(item, str):
                continue
            name = item.filename or "file"
            data = await item.read()
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if ext not in MEDIA_TYPES:
                return self._err(4001)
            self.uploads.append((name, len(data)))
            kind = (
                "image"
                if ext in ("jpg", "jpeg", "png", "gif", "webp")
                else ("audio" if ext in ("mp3", "wav", "m4a", "aac") else "video")
            )
            out.append(
                {
                    "media_id": f"med_{secrets.token_hex(3)}",
                    "kind": kind,
                    "name": name,
                    "size": len(data),
                    "duration": 0 if kind == "image" else 4000,
                    "width": 64,
                    "height": 64,
                }
            )
        return self._ok({"media": out})

    async def _balance(self, request: Request) -> Response:
        user, answer = self._caller(request, "balance")
        if answer:
            return answer
        n = self.credits.get(user, 0)
        return self._ok({"available": n, "frozen": 0, "total": n})

    async def _state(self, request: Request) -> Response:
        _, s, answer = self._owned(request, request.path_params["sid"], "state")
        if answer:
            return answer
        assert s is not None
        return self._ok(
            {
                "state": {"draft": s.draft, "video_infos": [], "canvas_config": {}, "generated_media": []},
                "task_id": s.task_id,
                "bind_id": s.bind_id,
            }
        )

    def _job_view(self, job: _Job, base: str) -> dict[str, Any]:
        if job.fail and job.polls >= 1:
            return {
                "id": job.id,
                "status": "failed",
                "progress": 0.5,
                "output": None,
                "error": "encoder crashed",
            }
        if job.polls >= self.render_polls:
            sig = hmac.new(self._secret, job.id.encode(), "sha256").hexdigest()
            return {
                "id": job.id,
                "status": "completed",
                "progress": 1.0,
                "output": {"url": f"{base}/files/{job.id}?sig={sig}", "duration": 10000, "size": 12},
                "error": None,
            }
        status = "pending" if job.polls == 0 else "processing"
        return {
            "id": job.id,
            "status": status,
            "progress": job.polls / self.render_polls,
            "output": None,
            "error": None,
        }

    async def _render(self, request: Request) -> Response:
        _, answer = self._caller(request, "render")
        if answer:
            return answer
        missing = [
            h for h in ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform") if not request.headers.get(h)
        ]
        if missing:
            return self._err(402, f"Export needs the {missing[0]} header.")
        body = await request.json()
        sid = str(body.get("sessionId", ""))
        if sid not in self.sessions:
            return self._err(1002)
        rid = str(body.get("id", ""))
        if rid not in self.jobs:
            fail = self.render_failures > 0
            if fail:
                self.render_failures -= 1
            self.jobs[rid] = _Job(rid, sid, fail=fail)
        return self._ok(self._job_view(self.jobs[rid], str(request.base_url).rstrip("/")))

    async def _render_status(self, request: Request) -> Response:
        if answer := self._caller(request)[1]:
            return answer
        job = self.jobs.get(request.path_params["rid"])
        if job is None:
            return self._err(4040)
        job.polls += 1
        view = self._job_view(job, str(request.base_url).rstrip("/"))
        return JSONResponse(
            {"code": 0, "message": "ok", "data": view, "status": view["status"], "output": view["output"]}
        )

    async def _download(self, request: Request) -> Response:
        if answer := self._caller(request)[1]:
            return answer
        return Response(b"FAKEMP4DATA!", media_type="video/mp4")

    async def _signed_file(self, request: Request) -> Response:
        rid = request.path_params["rid"]
        sig = hmac.new(self._secret, rid.encode(), "sha256").hexdigest()
        if not hmac.compare_digest(sig, request.query_params.get("sig", "")):
            return self._err(1001)
        return Response(b"FAKEMP4DATA!", media_type="video/mp4")
