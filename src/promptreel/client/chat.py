"""The terminal chat: what a person sees while promptreel works on their video.

One :class:`Chat` per conversation. Every line the person types is routed first
(:mod:`promptreel.client.router`): export, balance, summary and upload are done here with
direct API calls; everything else is one agent turn over ``/run_sse``. While a turn runs the
agent's text is shown, tool traffic is hidden, "⏳ Still working..." appears after each
``still_working_s`` of silence and the chat stops waiting after ``give_up_s`` with heartbeats
only. A message is never sent twice: a dropped stream is resumed with ``Last-Event-ID`` or,
failing that, the session state is polled. Tokens and raw JSON are never printed.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.markup import escape

from promptreel.client.chat_turn import TurnOutcome, TurnWatching
from promptreel.client.config import ChatSettings, redact
from promptreel.client.diff import describe_changes, diff_drafts, download_path, suggest_next_steps
from promptreel.client.explain import ACCEPTED_TYPES, explain_error, media_facts
from promptreel.client.messages import Lang, language_of
from promptreel.client.messages import text as _text
from promptreel.client.models import (
    Media,
    RenderJob,
    SessionInfo,
    SessionState,
)
from promptreel.client.router import Intent, Route, route
from promptreel.client.sdk import Client
from promptreel.draft import Draft, encode, summary
from promptreel.errors import (
    PromptreelError,
    RenderFailed,
    SessionNotFound,
)
from promptreel.export_formats import PROJECT_FORMATS, export_format, format_label

__all__ = ["ACCEPTED_TYPES", "HELP", "Chat", "explain_error"]

HELP = _text("en", "help")
_QUIT = {"quit", "exit", "bye", "q", "/quit", "/exit", "退出"}
_RETRY = {"retry", "try again", "重试", "再试一次"}
# the agent's reply already offers next steps: quoted requests in a list ("…", "…" / “…”、“…”)
_OFFERS = re.compile(r"[\"”」]\s*(?:[,，、]\s*(?:or\s+|and\s+)?|\s(?:or|and)\s+|或)[\"“「]")
_GENERATE = re.compile(
    r"\b(generate|create|make)\b.*\b(video|clip|reel|film|movie)\b|video about|生成|制作",
    re.IGNORECASE | re.DOTALL,
)


class Chat(TurnWatching):
    """A conversation with one promptreel server (sync; the stream is read on a helper thread)."""

    def __init__(
        self,
        client: Client,
        *,
        console: Console | None = None,
        settings: ChatSettings | None = None,
        language: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.recap = True  # a resumed session shows its earlier conversation (not for one-shot messages)
        self.serve_again = ""  # how to start the local server again, when it was started for this chat
        self.console = console or Console(highlight=False)
        self.settings = settings or ChatSettings()
        self.language = language
        self.lang: Lang = "zh" if language == "zh" else "en"
        self.session: SessionInfo | None = None
        self.last_draft: Draft | None = None
        self.pending_retry: str | None = None
        self.failed = False
        self._sleep = sleep
        client._notice = self._on_notice

    # ------------------------------------------------------------------ output

    def say(self, text: str, style: str | None = None) -> None:
        """Print for the person: tokens are scrubbed, markup is not interpreted."""
        self.console.print(escape(redact(text)), style=style, soft_wrap=True)

    def t(self, key: str, **values: object) -> str:
        """Sentence ``key`` in the conversation's language."""
        return _text(self.lang, key, **values)

    def _follow_language(self, message: str) -> None:
        """Answer in the language of the person's message (short Latin commands keep the current one)."""
        if self.language is None and (language_of(message) == "zh" or len(message.split()) > 2):
            self.lang = language_of(message)

    def _on_notice(self, kind: str, detail: dict[str, Any]) -> None:
        if kind == "reauth":
            self.say(self.t("reauth"), "dim")
        elif kind == "rate_limited":
            self.say(self.t("slow_down", s=detail.get("retry_after", 30)), "dim")
        elif kind == "new_client_id":
            self.say(self.t("new_client"), "dim")

    # ------------------------------------------------------------------ setup

    def setup(self, first_message: str = "") -> None:
        """Token and session, restored from the private cache when possible; says only "Setting up…"."""
        if self.session is not None:
            return
        store = self.client.config.store()
        saved = store.session(self.client.config.session_key)
        if saved.get("session_id") and self.client.has_token:
            self.session = SessionInfo(
                saved.get("task_id", ""), saved["session_id"], saved.get("bind_id", "")
            )
            self.pending_retry = saved.get("pending_retry") or None
            if self.recap:
                self.show_history()
            return
        self.say(self.t("setting_up"), "dim")
        self.client.ensure_token()
        self._new_session(first_message)

    def show_history(self, limit: int = 20) -> None:
        """The resumed session's conversation as the server keeps it (the studio shows the same)."""
        try:
            messages = self.client.history(self.session_id)
        except (PromptreelError, httpx.HTTPError):
            return
        if not messages:
            return
        zh = self.lang == "zh"
        self.say("此项目之前的对话：" if zh else "Earlier in this project:", "dim")
        if len(messages) > limit:
            hidden = len(messages) - limit
            self.say(
                f"（还有 {hidden} 条更早的消息）" if zh else f"({hidden} earlier messages not shown)", "dim"
            )
        for m in messages[-limit:]:
            text = " ".join(str(m.get("text") or "").split())
            if m.get("role") == "user":
                self.say(f"{'你' if zh else 'you'} › {text}", "cyan")
                continue
            status = m.get("status")
            if status == "running":
                text = text or ("（仍在处理中…）" if zh else "(still working…)")
            elif status == "failed":
                text = f"✗ {text}"
            self.say(f"{'助手' if zh else 'agent'} › {text}", "red" if status == "failed" else None)
        self.say("—", "dim")

    def _new_session(self, hint: str = "") -> None:
        lang = self.language or language_of(hint)
        self.session = self.client.create_session("project", lang)
        self.last_draft = None
        self.client.config.store().save_session(self.client.config.session_key, self.session.as_dict())

    def _set_pending_retry(self, text: str | None) -> None:
        """Remember (privately, across runs) the message the person may choose to send again."""
        self.pending_retry = text
        if self.session is not None:
            entry = {**self.session.as_dict(), **({"pending_retry": text} if text else {})}
            self.client.config.store().save_session(self.client.config.session_key, entry)

    @property
    def session_id(self) -> str:
        assert self.session is not None
        return self.session.session_id

    # ------------------------------------------------------------------ the loop

    def run(self, lines: Iterable[str] | None = None) -> None:
        """Interactive loop: read lines (stdin by default) until EOF or "quit"."""
        self.say(self.t("welcome"), "bold")
        store = self.client.config.store()
        if store.session(self.client.config.session_key).get("session_id") and self.client.has_token:
            with contextlib.suppress(PromptreelError, httpx.HTTPError):
                self.setup()  # resuming: the conversation so far comes first
        source = iter(lines) if lines is not None else None
        while True:
            try:
                if source is not None:
                    line = next(source)
                else:
                    line = self.console.input("[bold cyan]you ›[/] ") if self.console.is_terminal else input()
            except (EOFError, StopIteration, KeyboardInterrupt):
                break
            try:
                if not self.handle(line):
                    break
            except KeyboardInterrupt:
                self.say(self.t("stopped_waiting"), "yellow")

    def handle(self, line: str) -> bool:
        """Act on one message; ``False`` means the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        self._follow_language(text)
        if text.lower() in _QUIT:
            self.say(self.t("bye"))
            return False
        if text.lower() in ("help", "?", "/help", "帮助"):
            self.say(self.t("help"))
            return True
        if text.lower() in _RETRY:
            with contextlib.suppress(PromptreelError, httpx.HTTPError):
                self.setup()
            if self.pending_retry:
                text = self.pending_retry
                self._set_pending_retry(None)
                return self._dispatch(Route(Intent.TURN, text), allow_new_session=True)
        return self._dispatch(route(text), allow_new_session=True)

    def _dispatch(self, r: Route, *, allow_new_session: bool) -> bool:
        try:
            self.setup(r.text)
            if r.intent is Intent.EXPORT:
                self.export(r.text)
            elif r.intent is Intent.BALANCE:
                self.show_balance()
            elif r.intent is Intent.SUMMARY:
                self.show_summary()
            elif r.intent is Intent.UPLOAD:
                self.upload(r)
            else:
                self.turn(r.text)
        except SessionNotFound:
            if not allow_new_session:
                self._fail(self.t("lost_again"))
                return True
            self.say(self.t("lost_project"))
            try:
                self._new_session(r.text)
            except PromptreelError as exc:
                self._explain(exc)
                return True
            return self._dispatch(r, allow_new_session=False)
        except PromptreelError as exc:
            self._explain(exc)
        except httpx.ConnectError:
            self._fail(self.t("unreachable", url=self.client.base_url))
        except httpx.HTTPError as exc:
            self._fail(self.t("connection_failed", kind=type(exc).__name__))
        except OSError as exc:  # a file that cannot be read or written here
            self._fail(f"{exc.strerror or self.t('file_error')}: {exc.filename or ''}".strip())
        return True

    def _fail(self, text: str) -> None:
        self.failed = True
        self.say(text, "red")

    def _explain(self, exc: PromptreelError) -> None:
        """Each protocol error code → what the person should know and do."""
        self._fail(
            explain_error(exc, self.client, self.session.bind_id if self.session else "", lang=self.lang)
        )

    # ------------------------------------------------------------------ direct actions

    def _state(self) -> SessionState:
        return self.client.state(self.session_id)

    def show_balance(self) -> None:
        b = self.client.balance()
        held = self.t("credits_held", frozen=b.frozen) if b.frozen else ""
        self.say(self.t("credits", available=b.available, held=held, total=b.total))

    def show_summary(self, state: SessionState | None = None) -> None:
        st = state or self._state()
        d = st.draft
        if d is None or not d.tracks:
            self.say(self.t("empty_timeline"))
            return
        self.last_draft = d
        title = d.meta.get("title")
        head = f'"{title}" — ' if title else ""
        secs = d.duration / 1000
        self.say(f"{head}{secs:g}s, {d.canvas.width}x{d.canvas.height} ({d.canvas.aspect})")
        self.say(summary(d))

    def upload(self, r: Route) -> None:
        if not r.paths and not r.urls:
            self.say(self.t("which_file"))
            return
        media: list[Media] = []
        if r.paths:
            names = ", ".join(p.name for p in r.paths)
            self.say(self.t("uploading", names=names), "dim")
            media += self.client.upload(self.session_id, list(r.paths))
        if r.urls:
            self.say(self.t("fetching", n=len(r.urls)), "dim")
            media += self.client.upload_urls(self.session_id, list(r.urls))
        for m in media:
            self.say(self.t("uploaded", name=m.name or m.id, facts=media_facts(m)))
        if r.followup:
            names = ", ".join(m.name or m.id for m in media)
            self.turn(f"{r.followup} (uploaded: {names})")
        else:
            self.say(self.t("use_it"))

    def export(self, text: str = "") -> None:
        """Render and download the MP4, or — when the words name an editor ("for Premiere",
        "导出剪映草稿") — that editor's project as a zip."""
        st = self._state()
        if not st.ready or st.draft_json is None:
            self.say(self.t("nothing_to_export"))
            return
        fmt = export_format(text)
        if fmt in PROJECT_FORMATS:
            self.export_project(str(fmt), st.draft)
            return
        self.say(self.t("exporting"))
        job: RenderJob | None = None
        for attempt in (1, 2):
            submitted = self.client.submit_render(self.session_id, st.draft_json)
            try:
                job = self._wait_render(submitted)
                break
            except RenderFailed as exc:
                if attempt == 1:
                    self.say(self.t("render_retry", why=exc.message), "yellow")
                    continue
                self._fail(self.t("render_failed", why=exc.message))
                return
        assert job is not None
        path = self.client.download(job, self._file_for(st.draft, ".mp4"))
        self.say(self.t("ready", path=path.resolve()), "green")
        assert self.session is not None
        try:
            claim = self.client.claim_token(self.session.task_id, self.session_id)
            link = claim.url if claim.url and not self.client.config.web_url else None
            self.say(self.t("studio_link", url=link or self.client.studio_claim_url(claim.claim_token)))
            if self.serve_again:  # the server started for this chat stops with it
                self.say(self.t("studio_link_later", serve=self.serve_again), "dim")
        except PromptreelError:
            self.say(self.t("no_studio_link"), "dim")

    def export_project(self, fmt: str, draft: Draft | None = None) -> None:
        label = format_label(fmt, self.lang)
        self.say(self.t("exporting_project", label=label))
        try:
            job = self._wait_render(self.client.submit_project(self.session_id, fmt))
        except RenderFailed as exc:
            self._fail(self.t("render_failed", why=exc.message))
            return
        path = self.client.download(job, self._file_for(draft, f".{fmt}.zip"))
        self.say(self.t("project_ready", label=label, path=path.resolve()), "green")

    def _file_for(self, draft: Draft | None, suffix: str) -> Path:
        return download_path(Path(self.settings.download_dir), draft, suffix)

    def _wait_render(self, job: RenderJob) -> RenderJob:
        if self.console.is_terminal:
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            with Progress(
                TextColumn(self.t("rendering")),
                BarColumn(),
                TaskProgressColumn(),
                console=self.console,
                transient=True,
            ) as bar:
                task = bar.add_task("render", total=1.0)
                return self.client.wait_render(
                    job.id,
                    poll_s=self.settings.render_poll_s,
                    timeout_s=self.settings.render_timeout_s,
                    on_progress=lambda j: bar.update(task, completed=j.progress),
                )
        shown: set[int] = set()

        def report(j: RenderJob) -> None:
            pct = int(j.progress * 100) // 10 * 10
            if pct not in shown:
                shown.add(pct)
                self.say(self.t("rendering_pct", pct=pct), "dim")

        return self.client.wait_render(
            job.id,
            poll_s=self.settings.render_poll_s,
            timeout_s=self.settings.render_timeout_s,
            on_progress=report,
        )

    # ------------------------------------------------------------------ agent turns

    def _draft_now(self) -> Draft | None:
        return self._state().draft

    def turn(self, text: str) -> None:
        before = self._draft_now()  # read fresh: the studio may have changed it since
        if _GENERATE.search(text) or before is None or not before.ready:
            self.say(self.t("on_it"), "dim")
        outcome = self._stream_turn(text)
        if outcome.gave_up or outcome.error:
            return
        if outcome.interrupted is not None:
            self._poll_after_drop(text, before)
            return
        after_state = self._state()
        self._report(before, after_state, outcome)

    def _report(self, before: Draft | None, after_state: SessionState, outcome: TurnOutcome) -> None:
        after = after_state.draft
        self.last_draft = after
        changes = diff_drafts(before, after)
        generated = (before is None or not before.ready) and after is not None and after.ready
        told = " ".join(outcome.texts)
        if generated:
            assert after is not None
            if summary(after) not in told:
                self.say(summary(after))
        elif changes:
            self.say(self.t("what_changed" if outcome.shown_text else "done_what_changed"))
            for line in describe_changes(changes, lang=self.lang):
                self.say(f"  • {line}")
        elif not outcome.shown_text:
            self.say(self.t("unchanged"))
        if (
            Intent.SUMMARY in outcome.actions
            and after is not None
            and not generated
            and summary(after) not in told
        ):
            self.say(summary(after))
        if (changes or generated) and not _OFFERS.search(told):  # the agent's own offer stands
            steps = suggest_next_steps(after, lang=self.lang)
            self.say(self.t("next", steps=self.t("list_sep").join(steps)), "cyan")

    def _poll_after_drop(self, text: str, before: Draft | None) -> None:
        s = self.settings
        self.say(self.t("drop_watch"), "yellow")
        base = encode(before) if before is not None else None
        for _ in range(s.poll_limit):
            self._sleep(s.poll_s)
            try:
                st = self._state()
            except (PromptreelError, httpx.HTTPError):
                continue
            now_json = encode(st.draft) if st.draft is not None else None
            if now_json != base and not st.turn_running:  # a generation changes twice: wait for the end
                self._report(before, st, TurnOutcome())
                return
        self._set_pending_retry(text)
        self._fail(self.t("unconfirmed", n=s.poll_limit))
