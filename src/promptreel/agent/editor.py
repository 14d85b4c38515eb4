"""Chat message → draft edits: the rule-based editor (default) and the LLM editor.

Both run the same tools (:mod:`promptreel.agent.tools`) and return an :class:`EditOutcome`:
the new draft, the tool calls with their results (for ``function_call`` /
``function_response`` parts), a short reply in the user's language, and whether the draft
changed or the reply is a question. A turn is atomic: when any call fails the draft is
returned untouched with an explanation. ``history`` in the outcome is the undo/redo stack
after the turn (the caller stores it).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from promptreel.agent import reply as replies
from promptreel.agent.editor_prompt import system_prompt
from promptreel.agent.edits.timeline import READONLY
from promptreel.agent.grammar import parse
from promptreel.agent.history import History
from promptreel.agent.llm import ChatModel, LLMToolCall
from promptreel.agent.tools import (
    INVALID_CALL,
    TOOLS,
    EditContext,
    EditRefused,
    apply_tool,
    tool_schemas,
    validate,
    voices,
)
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label, summary
from promptreel.errors import UpstreamError
from promptreel.language import has_cjk

__all__ = [
    "ToolCall",
    "EditOutcome",
    "EditContext",
    "Editor",
    "RuleEditor",
    "LLMEditor",
    "TOOLS",
    "tool_schemas",
    "reply_lang",
]

log = logging.getLogger(__name__)

_READONLY = READONLY
_HISTORY = {"undo", "redo"}
_QUESTION_REASONS = {"no_scene", "bad_scene", "bad_args", "voice_what", "title_what", "captions_what"}
_NOT_QUESTIONS = {"export", "credits", "help"}


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    args: dict[str, Any]


@dataclass(frozen=True, slots=True)
class EditOutcome:
    draft: Draft
    calls: tuple[ToolCall, ...]
    results: tuple[dict[str, Any], ...]
    reply: str
    changed: bool
    question: bool
    history: History | None = None  # the undo/redo stack after this turn (None: leave as it was)


class Editor(Protocol):
    def edit(self, draft: Draft, message: str, *, lang: str, context: EditContext) -> EditOutcome: ...


def reply_lang(message: str, lang: str) -> str:
    """Chinese when the message has Chinese characters; English when it has Latin letters; else ``lang``."""
    if has_cjk(message):
        return "zh"
    if re.search(r"[A-Za-z]", message):
        return "en"
    return "zh" if lang.lower().startswith("zh") else "en"


@dataclass
class _Run:
    draft: Draft
    history: History
    calls: list[ToolCall]
    results: list[dict[str, Any]]
    history_touched: bool = False


def _apply_calls(
    draft: Draft, context: EditContext, planned: Sequence[ToolCall]
) -> tuple[_Run, EditRefused | None]:
    """Apply calls in order on a working copy; stop at the first refusal."""
    run = _Run(draft, context.history, [], [])
    for call in planned:
        run.calls.append(call)
        ctx = EditContext(context.speech, context.illustrations, context.media, run.history)
        try:
            new, res = apply_tool(run.draft, ctx, call.name, call.args)
        except EditRefused as e:
            run.results.append({"ok": False, "error": e.reason, "message": e.message, **_jsonable(e.params)})
            return run, e
        except Exception as e:  # a bug must never leave a half-edited draft
            log.exception("tool %s failed", call.name)
            err = EditRefused("internal", f"{call.name} failed: {type(e).__name__}")
            run.results.append({"ok": False, "error": "internal", "message": err.message})
            return run, err
        if call.name == "undo":
            _, run.history = run.history.undo(run.draft)
            run.history_touched = True
        elif call.name == "redo":
            _, run.history = run.history.redo(run.draft)
            run.history_touched = True
        run.draft = new
        res.setdefault("ok", True)
        run.results.append(_jsonable(res))
    return run, None


def _jsonable(v: Any) -> Any:
    return json.loads(json.dumps(v, default=str, ensure_ascii=False))


def _finish(
    draft: Draft,
    context: EditContext,
    run: _Run,
    refusal: EditRefused | None,
    lang: str,
    notes: Sequence[str] = (),
    says: Sequence[str] = (),
) -> EditOutcome:
    if refusal is not None:
        for r in run.results[:-1]:
            r["rolled_back"] = True
        text = replies.explain(refusal.reason, refusal.params, lang, refusal.message)
        return EditOutcome(
            draft,
            tuple(run.calls),
            tuple(run.results),
            text,
            False,
            refusal.reason in _QUESTION_REASONS,
            None,
        )
    changed = run.draft != draft
    lines: list[str] = list(notes)
    edits = [c for c in run.calls if c.name not in _READONLY]
    soft = any(r.get("note") for r in run.results)
    if edits and not changed and not soft and not run.history_touched:
        text = replies.already(run.results, lang)
        return EditOutcome(draft, tuple(run.calls), tuple(run.results), text, False, False, None)
    for s in says:
        lines.append(replies.say(s, lang, run.draft))
    done = [(c.name, c.args) for c in run.calls]
    text = replies.compose(run.results, lang, after=run.draft, notes=lines, media=context.media, done=done)
    if run.history_touched:
        hist: History | None = run.history
    elif changed:
        hist = context.history.record(draft)
    else:
        hist = None
    question = not changed and bool(says) and all(s not in _NOT_QUESTIONS for s in says) and not run.results
    return EditOutcome(
        run.draft if changed else draft, tuple(run.calls), tuple(run.results), text, changed, question, hist
    )


class RuleEditor:
    """Deterministic editor: EN/ZH grammar → tools. No network."""

    def edit(
        self, draft: Draft, message: str, *, lang: str = "en", context: EditContext | None = None
    ) -> EditOutcome:
        context = context or EditContext()
        rl = reply_lang(message, lang)
        p = parse(message, lang=rl)
        planned = [ToolCall(f"call_{i}", name, dict(args)) for i, (name, args) in enumerate(p.calls, 1)]
        if not planned:
            what = p.say[0] if p.say else "unclear"
            text = "\n".join(replies.say(s, rl, draft, message) for s in (p.say or ("unclear",)))
            return EditOutcome(draft, (), (), text, False, what not in _NOT_QUESTIONS, None)
        run, refusal = _apply_calls(draft, context, planned)
        notes = []
        if p.unparsed:
            skipped = "; ".join(p.unparsed)
            notes.append(
                f"（这部分我没理解：{skipped}）" if rl == "zh" else f"(I didn't understand: {skipped!r}.)"
            )
        return _finish(draft, context, run, refusal, rl, notes, [s for s in p.say if s])


def _context_text(draft: Draft, context: EditContext) -> str:
    st = draft.first_track("scenes") or draft.first_track("media")
    lines = [summary(draft), f"Canvas {draft.canvas.width}x{draft.canvas.height} ({draft.canvas.aspect})."]
    if st:
        for i, s in enumerate(st.segments, 1):
            look = " [black and white]" if s.meta.get("grey") else ""
            if s.meta.get("headline_scale"):
                look += f" [headline ×{s.meta.get('headline_scale')}]"
            lines.append(
                f"Scene {i} ({span_label(s.start, s.end)}): {s.meta.get('headline', '')!s} — "
                f"{s.meta.get('text', '')!s}{look}"
            )
    if context.media:
        for m in context.media:
            get = m.get if isinstance(m, dict) else (lambda k, m=m: getattr(m, k, None))
            lines.append(f"Upload {get('media_id')}: {get('kind')} {get('name') or ''}")
    vs = voices(context, draft)
    if vs:
        lines.append("Voices: " + ", ".join(f"{v.id} ({v.gender or '?'}, {v.lang or '?'})" for v in vs))
    return "\n".join(lines)


def _invalid(tc: LLMToolCall) -> str:
    """What is wrong with a tool call as the model sent it (JSON, tool name, argument types and
    allowed values), or ``""`` when it validates."""
    if tc.error:
        return f"{tc.name or 'tool call'}: {tc.error}"
    try:
        validate(tc.name, tc.arguments)
    except EditRefused as e:
        if e.reason in INVALID_CALL:
            return e.message
    return ""


def _invalid_reply(tc: LLMToolCall, problem: str) -> dict[str, Any]:
    """The tool message that answers one call of an invalid round (nothing of it ran)."""
    body = (
        {"ok": False, "error": "invalid_call", "message": f"{problem}. Nothing was changed; call the tool again "
         "with arguments that match its schema."}
        if problem
        else {"ok": False, "error": "not_run", "message": "Not run: another call in this turn was invalid; "
              "send it again with the corrected one."}
    )  # fmt: skip
    return {"role": "tool", "tool_call_id": tc.id, "content": json.dumps(body, ensure_ascii=False)}


class LLMEditor:
    """Edits through an OpenAI-compatible model using the same tools; falls back to rules when the
    model cannot be reached or answers nonsense."""

    def __init__(
        self, llm: ChatModel, fallback: RuleEditor | None = None, *, max_rounds: int = 4, max_calls: int = 12
    ) -> None:
        self.llm = llm
        self.fallback = fallback or RuleEditor()
        self.max_rounds = max_rounds
        self.max_calls = max_calls

    def _fall_back(
        self, draft: Draft, message: str, lang: str, context: EditContext, why: str, *, invalid: bool = False
    ) -> EditOutcome:
        out = self.fallback.edit(draft, message, lang=lang, context=context)
        rl = reply_lang(message, lang)
        if invalid:
            note = (
                f"（语言模型两次给出无效的工具调用：{why}；已改用内置规则。）"
                if rl == "zh"
                else f"(The language model's tool calls were invalid twice: {why}; I used the built-in rules.)"
            )
        else:
            note = (
                f"（语言模型不可用：{why}；已改用内置规则。）"
                if rl == "zh"
                else f"(The language model was unavailable: {why}; I used the built-in rules.)"
            )
        return EditOutcome(
            out.draft, out.calls, out.results, f"{out.reply}\n{note}", out.changed, out.question, out.history
        )

    def edit(
        self, draft: Draft, message: str, *, lang: str = "en", context: EditContext | None = None
    ) -> EditOutcome:
        context = context or EditContext()
        rl = reply_lang(message, lang)
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system_prompt("Chinese" if rl == "zh" else "English")},
            {"role": "system", "content": "Current timeline:\n" + _context_text(draft, context)},
            {"role": "user", "content": message},
        ]
        tools = tool_schemas()
        run = _Run(draft, context.history, [], [])
        final_text = ""
        retried = False
        for _ in range(self.max_rounds):
            try:
                answer = self.llm.chat(messages, tools=tools)
            except UpstreamError as e:
                if run.calls:
                    break
                return self._fall_back(draft, message, lang, context, e.message)
            except Exception as e:  # a broken client must not break the turn
                log.exception("LLM call failed")
                if run.calls:
                    break
                return self._fall_back(draft, message, lang, context, type(e).__name__)
            final_text = answer.content.strip()
            if not answer.tool_calls:
                break
            messages.append(answer.message)
            problems = [_invalid(tc) for tc in answer.tool_calls]
            if any(problems):
                # validated against the capabilities' models before anything runs: the model is told
                # what was wrong and tries once more; a second invalid answer goes to the rules
                why = "; ".join(p for p in problems if p)
                if retried:
                    return self._fall_back(draft, message, lang, context, why, invalid=True)
                retried = True
                messages.extend(
                    _invalid_reply(tc, p) for tc, p in zip(answer.tool_calls, problems, strict=True)
                )
                continue
            for tc in answer.tool_calls:
                if len(run.calls) >= self.max_calls:
                    break
                call = ToolCall(tc.id, tc.name, dict(tc.arguments))
                ctx = EditContext(context.speech, context.illustrations, context.media, run.history)
                part, refusal = _apply_calls(run.draft, ctx, [call])
                run.calls.extend(part.calls)
                run.results.extend(part.results)
                if refusal is not None:
                    return _finish(draft, context, run, refusal, rl)
                run.draft = part.draft
                if part.history_touched:
                    run.history = part.history
                    run.history_touched = True
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": tc.id,
                        "content": json.dumps(part.results[-1], ensure_ascii=False),
                    }
                )
        if not run.calls:
            # the model only talked: when the rules see a clear edit in the message, make it rather than
            # claim a change that never happened
            ruled = self.fallback.edit(draft, message, lang=lang, context=context)
            if ruled.changed:
                return ruled
            text = final_text or ruled.reply
            return EditOutcome(draft, (), (), text, False, text.rstrip().endswith(("?", "？")), None)
        out = _finish(draft, context, run, None, rl)
        return out
