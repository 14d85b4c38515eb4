"""The Studio port: what the server needs from the generation pipeline.

The real implementation is :class:`promptreel.service.studio.LocalStudio` (``generate_draft``,
``render_file``, ``edit_draft`` under the server's settings); tests inject a fake through
``create_app(settings, studio=…)`` or the ``PROMPTREEL_STUDIO="module:attr"`` setting. Anything
with these three callables fits.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from promptreel.agent.editor import EditOutcome
from promptreel.agent.storyboard import MediaRef
from promptreel.agent.turn import EditResult
from promptreel.draft import Draft
from promptreel.settings import Settings

__all__ = ["EditResult", "MediaRef", "Studio", "adapt_edit", "load_studio"]


class Studio(Protocol):
    def generate_draft(
        self,
        prompt: str,
        *,
        media: Sequence[MediaRef] = (),
        on_stage: Callable[[str, Draft], None] | None = None,
    ) -> Draft: ...

    def render_file(
        self,
        draft: Draft,
        out: Path,
        *,
        media_path: Callable[[str], Path | None] | None = None,
        progress: Callable[[float, str], None] | None = None,
        preview: bool = False,
        stream: bool = False,
    ) -> Any: ...

    def edit_draft(
        self,
        draft: Draft,
        message: str,
        *,
        lang: str,
        media: Sequence[MediaRef] = (),
        history: Any = None,
    ) -> EditOutcome: ...


def load_studio(settings: Settings) -> Studio:
    """``settings.studio`` as ``"module:attr"`` (attr may be a class, called with no arguments);
    empty → the real studio under ``settings``."""
    spec = settings.studio
    if not spec:
        from promptreel.service.studio import LocalStudio

        return LocalStudio(settings)
    module_name, _, attr = spec.partition(":")
    module = importlib.import_module(module_name)
    obj = getattr(module, attr) if attr else module
    if isinstance(obj, type):
        obj = obj()
    studio: Studio = obj
    return studio


def adapt_edit(outcome: EditOutcome) -> EditResult:
    """The turn's view of an editing outcome: each tool call with its result, the reply, whether it changed."""
    results = [*outcome.results, *([{}] * (len(outcome.calls) - len(outcome.results)))]
    calls = [
        {"name": c.name, "args": dict(c.args), "response": dict(r)}
        for c, r in zip(outcome.calls, results, strict=False)
    ]
    return EditResult(outcome.draft, outcome.reply, calls, outcome.changed)
