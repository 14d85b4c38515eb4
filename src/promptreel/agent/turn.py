"""One agent turn as a generator of items: :class:`Event` to stream, :class:`DraftStage` to save.

The turn knows nothing about storage or HTTP: the caller (``service/turns.py``) persists each
item in order, adds the final ``turn_complete`` event and settles credits. Generation runs the
studio in a helper thread so its two stages stream while the rest is still being built.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from promptreel.agent import events, suggest
from promptreel.agent.events import Event
from promptreel.agent.overview import overview_zh
from promptreel.agent.router import route
from promptreel.draft import Draft, summary

__all__ = [
    "DraftStage",
    "EditResult",
    "TurnItem",
    "classify",
    "opening",
    "run_generation",
    "run_edit",
    "GENERATE_STAGES",
]

GENERATE_STAGES = (("raw_cut", "generate_raw_cut"), ("post", "add_post_production"))


@dataclass(frozen=True, slots=True)
class DraftStage:
    """A new draft version to store (``stage``: raw_cut | post | edit)."""

    stage: str
    draft: Draft


@dataclass(frozen=True, slots=True)
class EditResult:
    """What an editing turn produced, whatever shape the agent returns."""

    draft: Draft
    reply: str
    calls: list[dict[str, Any]]  # [{"name", "args", "response"}]
    changed: bool


TurnItem = Event | DraftStage


def classify(message: str, has_draft: bool) -> str:
    """``generate`` | ``edit`` | ``undo`` | ``redo`` | ``question`` | ``export`` | ``credits``
    (see :func:`promptreel.agent.router.route`); only generate and edit turns are charged."""
    return route(message, has_draft)


def _facts(d: Draft) -> dict[str, Any]:
    scenes = d.first_track("scenes") or d.first_track("media")
    return {
        "status": "ok",
        "duration_ms": d.duration,
        "tracks": len(d.tracks),
        "scenes": len(scenes.segments) if scenes else 0,
        "canvas": {"width": d.canvas.width, "height": d.canvas.height, "fps": d.canvas.fps},
        "summary": summary(d),
    }


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def opening(kind: str, lang: str = "en") -> Event | None:
    """The event a turn of ``kind`` opens with before any work (a generation's "Got it"), or ``None``.

    The server stores it when it accepts the turn, so the stream's first event never waits for a
    worker; the turn itself then runs with ``opened=True``."""
    if kind != "generate":
        return None
    return events.text(
        "好的，正在生成视频：分镜、旁白和音乐。"
        if _zh(lang)
        else "Got it — generating your video: scenes, narration and music."
    )


def run_generation(
    prompt: str,
    generate: Callable[[Callable[[str, Draft], None]], Draft],
    *,
    lang: str = "en",
    opened: bool = False,
) -> Iterator[TurnItem]:
    """Stage 1 (raw cut) then stage 2 (post-production), both as call/response pairs, then a reply.

    The turn opens with :func:`opening` unless the caller has sent it already (``opened``)."""
    first = None if opened else opening("generate", lang)
    if first is not None:
        yield first
    q: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            q.put(("done", generate(lambda stage, d: q.put(("stage", (stage, d))))))
        except BaseException as exc:  # handed to the consumer thread
            q.put(("error", exc))

    threading.Thread(target=work, name="turn-generate", daemon=True).start()
    yield events.call("call_raw_cut", "generate_raw_cut", {"prompt": prompt[:2000]})
    emitted: dict[str, Draft] = {}
    final: Draft | None = None
    while final is None:
        what, value = q.get()
        if what == "error":
            raise value
        if what == "stage":
            stage, d = value
            if stage not in ("raw_cut", "post") or stage in emitted:
                continue
            if stage == "post" and "raw_cut" not in emitted:
                yield from _stage("raw_cut", d, emitted)
            yield from _stage(stage, d, emitted)
        else:
            final = value
    for stage, _ in GENERATE_STAGES:
        if stage not in emitted:
            yield from _stage(stage, final, emitted)
    if emitted["post"] != final:
        yield DraftStage("post", final)
    secs = round(final.duration / 1000)
    ideas = [
        p
        for p in suggest.next_steps(final, "zh" if _zh(lang) else "en", ("generate",))
        if p not in ("export", "导出")
    ]
    if _zh(lang):
        hint = "，例如" + "、".join(f"“{p}”" for p in ideas) if ideas else ""
        reply = f"视频草稿已完成（{secs} 秒）：{overview_zh(final)}。说“导出”即可获取 MP4，或者告诉我要修改什么{hint}。"
    else:
        hint = " — for example " + " or ".join(f'"{p}"' for p in ideas) if ideas else ""
        reply = (
            f'Your {secs}-second draft is ready. {summary(final)}. Say "export" to get the MP4, or ask '
            f"for changes{hint}."
        )
    notes = [str(n) for n in final.meta.get("notes") or ()]
    yield events.text(" ".join([reply, *notes]))


def _stage(stage: str, d: Draft, emitted: dict[str, Draft]) -> Iterator[TurnItem]:
    name = dict(GENERATE_STAGES)[stage]
    emitted[stage] = d
    yield DraftStage(stage, d)
    yield events.response(f"call_{stage}", name, _facts(d))
    if stage == "raw_cut":
        yield events.call(
            "call_post", "add_post_production", {"music": True, "title": True, "captions": True}
        )


def run_edit(
    message: str, edit: Callable[[], EditResult], before: Draft, *, lang: str = "en"
) -> Iterator[TurnItem]:
    """One editing turn: the agent's tool calls as call/response pairs, the new draft, a reply."""
    result = edit()
    for i, c in enumerate(result.calls, 1):
        yield events.call(f"call_edit_{i}", c["name"], c.get("args", {}))
        yield events.response(f"call_edit_{i}", c["name"], c.get("response", {}))
    if result.changed:
        yield DraftStage("edit", result.draft)
    reply = result.reply
    if not reply:
        if result.changed:
            reply = (
                f"已更新：{overview_zh(result.draft)}。" if _zh(lang) else f"Done. {summary(result.draft)}"
            )
        else:
            reply = (
                "这次没有修改任何内容：请换一种说法，或者说得更具体一些。"
                if _zh(lang)
                else "I didn't change anything — could you say it another way or be more specific?"
            )
    yield events.text(reply)
