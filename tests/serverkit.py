"""Helpers for driving a live promptreel server over HTTP in tests."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from conftest import ATTRIBUTION

COFFEE = "generate a 30-second video from my script about a coffee brand"


@dataclass
class Stream:
    status: int
    events: list[dict[str, Any]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    heartbeats: int = 0
    body: dict[str, Any] | None = None  # the JSON envelope when the server refused to stream
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return bool(self.events) and self.events[-1].get("turn_complete") is True

    def texts(self) -> list[str]:
        return [p["text"] for e in self.events for p in e["content"]["parts"] if "text" in p]

    def calls(self) -> list[str]:
        return [
            p["function_call"]["name"]
            for e in self.events
            for p in e["content"]["parts"]
            if "function_call" in p
        ]

    def responses(self) -> list[str]:
        return [
            p["function_response"]["name"]
            for e in self.events
            for p in e["content"]["parts"]
            if "function_response" in p
        ]


class Api:
    """A minimal protocol client (deliberately separate from the product's SDK)."""

    def __init__(self, base: str, token: str | None = None, client_id: str | None = None) -> None:
        self.base = base
        self.client_id = client_id or str(uuid.uuid4())
        self.http = httpx.Client(base_url=base, timeout=60.0)
        self.token = token

    def headers(self, **extra: str) -> dict[str, str]:
        h = dict(ATTRIBUTION)
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        h.update(extra)
        return h

    def anonymous(self) -> dict[str, Any]:
        r = self.http.post("/api/auth/anonymous-token", headers={"X-Client-Id": self.client_id})
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()["data"]
        self.token = data["token"]
        return data

    def session(self, language: str = "en") -> dict[str, Any]:
        r = self.http.post(
            "/api/tasks/me/with-session/nemo_agent",
            json={"task_name": "project", "language": language},
            headers=self.headers(),
        )
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()["data"]
        return data

    def run(
        self,
        session_id: str,
        text: str,
        *,
        last_event_id: int | None = None,
        stop_after: int | None = None,
        timeout: float = 120.0,
    ) -> Stream:
        body = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": session_id,
            "new_message": {"role": "user", "parts": [{"text": text}]},
        }
        extra = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            extra["Last-Event-ID"] = str(last_event_id)
        out: Stream
        with self.http.stream(
            "POST", "/run_sse", json=body, headers=self.headers(**extra), timeout=timeout
        ) as r:
            out = Stream(r.status_code, headers=dict(r.headers))
            if not r.headers.get("content-type", "").startswith("text/event-stream"):
                r.read()
                out.body = r.json()
                return out
            data: list[str] = []
            ev_id: str | None = None
            for line in r.iter_lines():
                if line.startswith(":"):
                    out.heartbeats += 1
                elif line.startswith("id:"):
                    ev_id = line[3:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "" and data:
                    ev = json.loads("\n".join(data))
                    out.events.append(ev)
                    out.ids.append(int(ev_id or 0))
                    data, ev_id = [], None
                    if ev.get("turn_complete") or (stop_after is not None and len(out.events) >= stop_after):
                        break
        return out

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers(), **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers(), **kw.pop("headers", {})}
        return self.http.post(path, headers=headers, **kw)

    def state(self, session_id: str) -> dict[str, Any]:
        r = self.get(f"/api/state/nemo_agent/me/{session_id}/latest")
        assert r.status_code == 200, r.text
        data: dict[str, Any] = r.json()["data"]
        return data

    def balance(self) -> dict[str, int]:
        r = self.get("/api/credits/balance/simple")
        assert r.status_code == 200, r.text
        data: dict[str, int] = r.json()["data"]
        return data

    def render(self, session_id: str, draft: Any, render_id: str | None = None, **kw: Any) -> httpx.Response:
        body = {
            "id": render_id or f"render_{time.time_ns()}",
            "sessionId": session_id,
            "draft": draft,
            "output": {"format": "mp4", "quality": "high"},
        }
        return self.post("/api/render/proxy/lambda", json=body, **kw)

    def poll(self, render_id: str, timeout: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            r = self.get(f"/api/render/proxy/lambda/{render_id}")
            assert r.status_code == 200, r.text
            body: dict[str, Any] = r.json()
            if body["status"] in ("completed", "failed") or time.monotonic() > deadline:
                return body
            time.sleep(0.2)
