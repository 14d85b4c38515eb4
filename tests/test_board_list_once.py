"""A list is said once: its items are never repeated as scenes of their own, however much time
the video has to fill."""

from __future__ import annotations

import pytest

from promptreel.agent.planner import plan


@pytest.mark.parametrize(
    "prompt",
    [
        "A 30 second ad for our bakery: sourdough baked at dawn, croissants, open daily 7-3",
        "a 45 second video about our three coffee blends: Sunrise, Velvet and Ember",
        "a 40-second promo for our gym: free weights, spin classes, a sauna",
        "做一个30秒的视频，介绍我们的奶茶店：珍珠奶茶、杨枝甘露、芝士葡萄",
    ],
)
def test_every_item_of_a_list_is_said_once(prompt: str) -> None:
    board = plan(prompt)
    listed = [s for s in board.scenes if s.layout == "list"]
    assert listed, "the list has a scene"
    items = [text for text, _value in listed[0].items]
    said = [s.text for s in board.scenes]
    for item in items:
        scenes = [t for t in said if item.lower() in t.lower()]
        assert len(scenes) == 1, f"{item!r} is said in {scenes}"
