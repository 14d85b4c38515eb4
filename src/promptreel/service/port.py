"""The Studio port: what the server needs from the generation pipeline.

The real implementation is :mod:`promptreel.service.studio` (``generate_draft``, ``render_file``,
``edit_draft``); tests inject a fake through ``create_app(settings, studio=…)`` or the
``PROMPTREEL_STUDIO="module:attr"`` setting. Anything with these three callables fits.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from promptreel.agent.turn import EditResult
from promptreel.draft import Draft

__all__ = ["MediaRef", "Studio", "EditResult", "load_studio", "adapt_edit", "to_studio_media"]


@dataclass(frozen=True, slots=True)
class MediaRef:
    """An upload the agent may place in a draft (``media_id`` is what segments reference)."""

    media_id: str
    path: Path
    kind: str  # image | video | audio
    duration_ms: int = 0
    width: int = 0
    height: int = 0
    name: str = ""


class Studio(Protocol):
    def generate_draft(
        self, prompt: str, *, media: Sequence[Any] = (), on_stage: Callable[[str, Draft], None] | None = None
    ) -> Draft: ...

    def render_file(
        self,
        draft: Draft,
        out: Path,
        *,
        media_path: Callable[[str], Path | None] | None = None,
        progress: Callable[[float, str], None] | None = None,
        preview: bool = False,
    ) -> Any: ...

    def edit_draft(
        self,
        draft: Draft,
        message: str,
        *,
        lang: str,
        media: Sequence[Any] = (),
        history: Sequence[Draft] = (),
    ) -> Any: ...


def load_studio(spec: str = "") -> Studio:
    """``"module:attr"`` (attr may be a class, called with no arguments); empty → the real studio."""
    module_name, _, attr = (spec or "promptreel.service.studio").partition(":")
    module = importlib.import_module(module_name)
    obj = getattr(module, attr) if attr else module
    if isinstance(obj, type):
        obj = obj()
    studio: Studio = obj
    return studio


def to_studio_media(studio: Any, refs: Sequence[MediaRef]) -> list[Any]:
    """Convert to the studio's own ``MediaRef`` type when it defines one (matching fields by name)."""
    target: Any = getattr(studio, "MediaRef", None)
    if target is None or target is MediaRef or not dataclasses.is_dataclass(target):
        return list(refs)
    ctor: Callable[..., Any] = getattr(studio, "MediaRef")  # noqa: B009
    names = {f.name for f in dataclasses.fields(target)}
    out = []
    for r in refs:
        values = {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name in names}
        if "id" in names and "id" not in values:
            values["id"] = r.media_id
        if "src" in names and "src" not in values:
            values["src"] = r.media_id  # resolved to the blob by the renderer's media_path
        try:
            out.append(ctor(**values))
        except TypeError:
            out.append(r)
    return out


def _calls(raw: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for c in raw or ():
        if isinstance(c, dict):
            name, args, resp = (
                c.get("name", "edit"),
                c.get("args", {}),
                c.get("response", c.get("result", {})),
            )
        else:
            name = getattr(c, "name", "edit")
            args = getattr(c, "args", getattr(c, "arguments", {}))
            resp = getattr(c, "response", getattr(c, "result", {}))
        if not isinstance(resp, dict):
            resp = {
                "result": resp if isinstance(resp, str | int | float | bool) or resp is None else str(resp)
            }
        out.append({"name": str(name), "args": dict(args or {}), "response": resp})
    return out


def adapt_edit(outcome: Any, before: Draft) -> EditResult:
    """Read an ``EditOutcome`` (or a bare Draft) into :class:`EditResult`."""
    if isinstance(outcome, Draft):
        return EditResult(outcome, "", [], outcome != before)
    draft = getattr(outcome, "draft", None) or before
    reply = ""
    for attr in ("reply", "text", "message", "summary"):
        v = getattr(outcome, attr, None)
        if isinstance(v, str) and v:
            reply = v
            break
    calls = _calls(
        getattr(outcome, "calls", None)
        or getattr(outcome, "tool_calls", None)
        or getattr(outcome, "steps", None)
    )
    results = getattr(outcome, "results", None)
    if isinstance(results, list | tuple) and len(results) == len(calls):
        for call, result in zip(calls, results, strict=True):
            if isinstance(result, dict) and not call["response"]:
                call["response"] = dict(result)
    changed = getattr(outcome, "changed", None)
    return EditResult(draft, reply, calls, bool(draft != before) if changed is None else bool(changed))
