"""Chat edits: a scene made longer or shorter *by* a length in Chinese ("第二个场景长两秒",
"第三个场景短1秒") is changed by that much; "改成5秒" still sets it."""

from __future__ import annotations

import pytest

from promptreel.draft import Draft, TrackType
from test_editor_round3 import _draft, _edit


def _seconds(draft: Draft, n: int) -> int:
    scenes = next(t for t in draft.tracks if t.type == TrackType.VIDEO and t.role == "scenes")
    return scenes.segments[n - 1].duration


@pytest.mark.parametrize(
    ("message", "scene", "delta"),
    [("第二个场景长两秒", 2, 2000), ("第三个场景长1秒", 3, 1000), ("第二个场景延长两秒", 2, 2000)],
)
def test_longer_by_a_length(message: str, scene: int, delta: int) -> None:
    d = _draft("zh")
    out = _edit(d, message, "zh")
    assert _seconds(out.draft, scene) == _seconds(d, scene) + delta, out.reply


def test_shorter_by_a_length_and_set_to_a_length() -> None:
    d = _draft("zh")
    longer = _edit(d, "第二个场景长3秒", "zh").draft
    shorter = _edit(longer, "第二个场景短1秒", "zh")
    assert _seconds(shorter.draft, 2) == _seconds(d, 2) + 2000, shorter.reply
    exact = _edit(d, "第二个场景改成9秒", "zh")
    assert _seconds(exact.draft, 2) == 9000, exact.reply
