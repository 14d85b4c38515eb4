"""``promptreel mcp``: promptreel's tools for any MCP client, over stdio.

Tools: ``generate``, ``edit``, ``state``, ``upload``, ``export``, ``credits``. They speak to a
promptreel server through the SDK, like the chat: ``NEMO_API_URL`` when set, else a server
already answering on the local address, else a local one (``promptreel serve --local``) started
on the first tool call and stopped with this process. They answer in plain sentences: what the
agent said, what changed in the timeline, where the file is; a failure says what failed and what
to do. Tool traffic, tokens and raw JSON stay inside.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from promptreel.client.chat import ACCEPTED_TYPES, explain_error
from promptreel.client.config import SKILL_VERSION, ChatSettings, ClientConfig, load_config, redact
from promptreel.client.diff import describe_changes, diff_drafts, download_path, suggest_next_steps
from promptreel.client.models import Heartbeat, SessionInfo, TurnEvent, TurnInterrupted
from promptreel.client.router import find_paths, translate_gui
from promptreel.client.sdk import AsyncClient
from promptreel.draft import Draft, summary
from promptreel.errors import PromptreelError, RenderFailed, SessionNotFound

__all__ = ["build_server", "main"]

INSTRUCTIONS = (
    "promptreel makes videos from text. Call `generate` with a description of the video (it takes a little "
    "while), `edit` to change it in plain words, `state` to see the timeline, `upload` to add the user's "
    "own files, `export` to render and download the MP4 (free) or, with `format`, a project for a video editor "
    "(otio, fcpxml, fcp7 for Premiere/Resolve, edl, jianying for CapCut/剪映), and `credits` for the balance."
)

#: what an MCP client may pass as `format`, besides the server's own names
_MP4 = ("", "mp4", "video", "h264", "h.264")


@dataclass
class _Studio:
    """The one project this MCP server works on (restored from the client's private cache)."""

    config: ClientConfig
    settings: ChatSettings = field(default_factory=ChatSettings)
    client: AsyncClient | None = None
    session: SessionInfo | None = None
    start_local: bool = False  # no NEMO_API_URL: use the local server, starting one when none answers
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def _local(self) -> None:
        from promptreel.client.local import local_server

        url = self._stack.enter_context(local_server(self.config.api_url, start=True))
        if url != self.config.api_url:
            self.config = replace(self.config, api_url=url, web_url=self.config.web_url or url)

    def close(self) -> None:
        self._stack.close()

    async def ready(self) -> tuple[AsyncClient, SessionInfo]:
        if self.client is None:
            if self.start_local:
                await anyio.to_thread.run_sync(self._local)
                self.start_local = False
            self.client = AsyncClient(config=self.config)
        if self.session is None:
            saved = self.config.store().session(self.config.session_key)
            if saved.get("session_id") and self.client.has_token:
                self.session = SessionInfo(
                    saved.get("task_id", ""), saved["session_id"], saved.get("bind_id", "")
                )
            else:
                await self.new_session()
        assert self.session is not None
        return self.client, self.session

    async def new_session(self, language: str = "en") -> None:
        assert self.client is not None
        await self.client.ensure_token()
        self.session = await self.client.create_session("project", language)
        self.config.store().save_session(self.config.session_key, self.session.as_dict())

    async def call(self, fn: Any, what: str = "The tool") -> str:
        """Run ``fn(client, session)``; a lost session gets a new one once; every failure becomes a tool
        error that says what failed and what to do."""
        try:
            client, session = await self.ready()
            try:
                return redact(await fn(client, session))
            except SessionNotFound:
                await self.new_session()
                client, session = await self.ready()
                return redact(await fn(client, session))
        except ToolError:
            raise
        except PromptreelError as exc:
            bind = self.session.bind_id if self.session else ""
            raise ToolError(redact(f"{what} failed: {explain_error(exc, self.client, bind)}")) from exc
        except httpx.TimeoutException as exc:
            raise ToolError(
                f"{what} failed: the promptreel server at {self.config.api_url} did not answer in time. "
                "Check that it is running (`promptreel serve`) and call the tool again."
            ) from exc
        except (httpx.HTTPError, OSError) as exc:
            raise ToolError(self.unreachable(what, exc)) from exc
        except RuntimeError as exc:  # the local server did not start
            raise ToolError(f"{what} failed: {exc}") from exc
        except Exception as exc:
            raise ToolError(
                redact(
                    f"{what} failed unexpectedly ({exc.__class__.__name__}: {exc}). Call `state` to see where the "
                    "project stands, then try again."
                )
            ) from exc

    def unreachable(self, what: str, exc: Exception) -> str:
        url = self.config.api_url
        why = "connection refused" if isinstance(exc, httpx.ConnectError) else exc.__class__.__name__
        if os.environ.get("NEMO_API_URL"):
            fix = (
                "Start that server (`promptreel serve`), or fix NEMO_API_URL in the MCP client's settings "
                "(remove it to let `promptreel mcp` start a local server)."
            )
        else:
            fix = "Start one with `promptreel serve`, or set NEMO_API_URL to a running promptreel server."
        return f"{what} failed: could not reach the promptreel server at {url} ({why}). {fix}"

    async def turn(self, client: AsyncClient, session: SessionInfo, text: str) -> str:
        before = (await client.state(session.session_id)).draft
        said: list[str] = []
        stream = await client.turn(
            session.session_id,
            text,
            resume_attempts=self.settings.resume_attempts,
            read_timeout=self.settings.read_timeout_s,
        )
        last_progress = time.monotonic()
        note = ""
        try:
            async for item in stream:
                if isinstance(item, TurnEvent):
                    last_progress = time.monotonic()
                    if item.text.strip():
                        said.append(translate_gui(item.text).text)
                elif (
                    isinstance(item, Heartbeat) and time.monotonic() - last_progress > self.settings.give_up_s
                ):
                    note = "No progress for a long time; stopped waiting (call `state` later to check)."
                    break
        except TurnInterrupted:
            note = "The connection dropped mid-turn; the message was delivered once. Call `state` to see the result."
        finally:
            await stream.aclose()
        after = (await client.state(session.session_id)).draft
        lines = [" ".join(s.strip() for s in said if s.strip())] if said else []
        changes = describe_changes(diff_drafts(before, after))
        if after is not None and (before is None or not before.ready) and after.ready:
            lines.append(summary(after))
        elif changes:
            lines.append("What changed:\n" + "\n".join(f"- {c}" for c in changes))
        elif not said:
            lines.append("Finished; the timeline did not change.")
        if note:
            lines.append(note)
        if after is not None and after.ready:
            lines.append("Next: " + ", ".join(suggest_next_steps(after)))
        return "\n".join(x for x in lines if x)


def _studio_from_env(config: ClientConfig | None = None, settings: ChatSettings | None = None) -> _Studio:
    """``NEMO_API_URL`` when set; else the local server's address, started on first use (like the chat)."""
    if config is not None:
        return _Studio(config, settings or ChatSettings())
    from promptreel.client.local import local_url

    explicit = bool(os.environ.get("NEMO_API_URL"))
    cfg = load_config(api_url=None if explicit else local_url(), platform="mcp")
    return _Studio(cfg, settings or ChatSettings(), start_local=not explicit)


def build_server(config: ClientConfig | None = None, settings: ChatSettings | None = None) -> MCPServer:
    return _build(_studio_from_env(config, settings))


def _build(studio: _Studio) -> MCPServer:
    server: MCPServer = MCPServer("promptreel", instructions=INSTRUCTIONS, version=SKILL_VERSION)

    @server.tool()
    async def generate(prompt: str) -> str:
        """Generate a video from a text prompt (English or Chinese). Takes a little while."""

        async def go(c: AsyncClient, s: SessionInfo) -> str:
            return await studio.turn(c, s, prompt)

        return await studio.call(go, "generate")

    @server.tool()
    async def edit(instruction: str) -> str:
        """Change the current video in plain words, e.g. "make the music quieter", "add a title: Hello"."""

        async def go(c: AsyncClient, s: SessionInfo) -> str:
            return await studio.turn(c, s, instruction)

        return await studio.call(go, "edit")

    @server.tool()
    async def state() -> str:
        """The current timeline: tracks, what is on them and when."""

        async def go(c: AsyncClient, s: SessionInfo) -> str:
            st = await c.state(s.session_id)
            d = st.draft
            if d is None or not d.tracks:
                return "The timeline is empty. Call `generate` first."
            title = d.meta.get("title")
            head = f'"{title}", ' if title else ""
            return f"{head}{d.duration / 1000:g}s at {d.canvas.width}x{d.canvas.height}\n{summary(d)}"

        return await studio.call(go, "state")

    @server.tool(
        description=f"Upload a local file (or an http(s) URL) to use in the video. Accepted: {ACCEPTED_TYPES}."
    )
    async def upload(path: str) -> str:

        async def go(c: AsyncClient, s: SessionInfo) -> str:
            if path.startswith(("http://", "https://")):
                media = await c.upload_urls(s.session_id, [path])
            else:
                found = find_paths(f'"{path}"')
                if not found:
                    raise ToolError(f"No such file: {path}")
                media = await c.upload(s.session_id, found)
            names = ", ".join(f"{m.name or m.id} ({m.kind or 'media'})" for m in media)
            return f"Uploaded {names}. Use `edit` to say where it goes."

        return await studio.call(go, "upload")

    @server.tool()
    async def export(output_dir: str = ".", format: str = "mp4") -> str:
        """Export the video (free) into output_dir and return the file's path and the studio link.

        format: "mp4" (default) renders the finished video. For a video editor: "otio"
        (OpenTimelineIO), "fcpxml" (Final Cut Pro X), "fcp7" (Premiere, DaVinci Resolve), "edl"
        (CMX 3600) or "jianying" (CapCut / 剪映) — a zip with the project file, one clip per scene,
        narration and music as WAV and captions as SRT. An editor's name ("premiere") works too.
        """
        fmt = format.strip().lower()

        async def go(c: AsyncClient, s: SessionInfo) -> str:
            st = await c.state(s.session_id)
            if not st.ready or st.draft_json is None:
                return "Nothing to export yet: the timeline is empty. Call `generate` first."
            if fmt not in _MP4:
                return await _export_project(c, s, st.draft)
            job = None
            for attempt in (1, 2):
                submitted = await c.submit_render(s.session_id, st.draft_json)
                try:
                    job = await c.wait_render(
                        submitted.id,
                        poll_s=studio.settings.render_poll_s,
                        timeout_s=studio.settings.render_timeout_s,
                    )
                    break
                except RenderFailed:
                    if attempt == 2:
                        raise
            assert job is not None
            path = await c.download(job, download_path(Path(output_dir).expanduser(), st.draft, ".mp4"))
            claim = await c.claim_token(s.task_id, s.session_id)
            link = claim.url if claim.url and not c.config.web_url else c.studio_claim_url(claim.claim_token)
            return f"Video ready: {path.resolve()}\nStudio link: {link}"

        async def _export_project(c: AsyncClient, s: SessionInfo, draft: Draft | None) -> str:
            from promptreel.export_formats import format_label

            submitted = await c.submit_project(s.session_id, fmt)
            job = await c.wait_render(
                submitted.id, poll_s=studio.settings.render_poll_s, timeout_s=studio.settings.render_timeout_s
            )
            kind = job.output.format if job.output else fmt
            path = await c.download(job, download_path(Path(output_dir).expanduser(), draft, f".{kind}.zip"))
            label = format_label(kind)
            return (
                f"{label[0].upper()}{label[1:]} ready: {path.resolve()}\n"
                "Unzip it and open the project file in your editor (media paths are relative to the folder)."
            )

        return await studio.call(go, "export")

    @server.tool()
    async def credits() -> str:
        """The credit balance: available, held for work in progress, total."""

        async def go(c: AsyncClient, s: SessionInfo) -> str:
            b = await c.balance()
            return f"Credits: {b.available} available, {b.frozen} held, {b.total} total."

        return await studio.call(go, "credits")

    return server


def main() -> None:
    studio = _studio_from_env()
    try:
        _build(studio).run("stdio")
    finally:
        studio.close()
