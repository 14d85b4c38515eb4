"""What an undo or a redo says: the changes it took back or brought back, in the user's
language ("Undid the last change: aspect ratio 9:16 → 16:9"), one line for several steps
asked at once ("Undid the last 2 changes: …")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from promptreel.agent.edits.diff import differences
from promptreel.agent.overview import overview_zh
from promptreel.agent.spans import spans_said
from promptreel.draft.model import Draft
from promptreel.draft.query import summary

__all__ = ["merge", "line", "result"]


def result(kind: str, before: Draft, after: Draft) -> dict[str, Any]:
    """The result of undoing (``kind`` "undo") or redoing from draft ``before`` to ``after``."""
    return {
        "what": kind,
        "before": summary(before),
        "after": summary(after),
        "changes": differences(before, after, False),
        "changes_zh": differences(before, after, True),
        "after_zh": overview_zh(after),
    }


def merge(results: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Steps of the same kind in a row ("undo the last two changes") as one result."""
    out: list[Mapping[str, Any]] = []
    for r in results:
        prev = out[-1] if out else None
        if prev is not None and r.get("what") in ("undo", "redo") and prev.get("what") == r.get("what"):
            merged = dict(prev)
            merged["steps"] = int(prev.get("steps") or 1) + 1
            for key in ("changes", "changes_zh"):
                merged[key] = [
                    *(prev.get(key) or []),
                    *(x for x in r.get(key) or [] if x not in (prev.get(key) or [])),
                ]
            merged["after"], merged["after_zh"] = r.get("after"), r.get("after_zh")
            out[-1] = merged
        else:
            out.append(r)
    return out


def line(r: Mapping[str, Any], zh: bool) -> str:
    undo = r.get("what") == "undo"
    n = int(r.get("steps") or 1)
    if zh:
        head = (
            ("已撤销上一步" if n == 1 else f"已撤销最近 {n} 步")
            if undo
            else ("已重做" if n == 1 else f"已重做 {n} 步")
        )
    else:
        head = (
            ("Undid the last change" if n == 1 else f"Undid the last {n} changes")
            if undo
            else ("Redid the change" if n == 1 else f"Redid {n} changes")
        )
    diff = [str(x) for x in r.get("changes_zh" if zh else "changes") or []]
    if diff:
        return f"{head}：{'；'.join(diff)}。" if zh else f"{head}: {'; '.join(diff)}."
    if zh:
        return f"{head}，画面上看不出区别。现在：{r.get('after_zh') or r.get('after')}。"
    return f"{head}; nothing you can see differs. Now: {spans_said(str(r.get('after')))}"
