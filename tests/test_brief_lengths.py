"""The video's length comes only from spans that size the video; every other span of time is
content and stays in what the video says ("a 30-second ad for our 15-minute car wash" is a
30-second video about a 15-minute car wash)."""

from __future__ import annotations

import pytest

from promptreel.agent.brief import read_brief
from promptreel.agent.lengths import cut_length, parse_duration
from promptreel.agent.planner import plan


@pytest.mark.parametrize(
    ("prompt", "ms"),
    [
        ("a 30-second ad for our 15-minute express car wash", 30_000),
        ("our bakery opens at 7, fresh bread in 20 minutes, 30 second ad", 30_000),
        ("Explain how solar panels work, 45 seconds, for 10-year-olds", 45_000),
        ("Launch video for our app: scan receipts, split bills. Vertical, 15s", 15_000),
        ("explain photosynthesis in 60 seconds", 60_000),
        ("Tell our story in under a minute", 60_000),
        ("Happy birthday video, about 30 seconds long, for my mum", 30_000),
        ("a 45s video: our 3 minute tutorial app", 45_000),
        ("为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调", 30_000),
        ("做一个15秒的竖屏短视频，介绍我们的新款运动鞋", 15_000),
        ("20秒视频：我们的快餐，20分钟搞定", 20_000),
        ("时长控制在一分钟左右，介绍我们的咖啡", 60_000),
        ("竖屏15秒：我们的猫咖新店开业，周末两杯咖啡8折", 15_000),
        ("横版30秒，介绍我们的民宿", 30_000),
        ("方屏20秒的面包店广告", 20_000),
        # content only: the default length
        ("a video about our 20-minute workout", None),
        ("promote our 30-minute delivery guarantee", None),
        ("Pizza delivered in 30 minutes or it is free", None),
        ("video: open 24 hours, 10 minutes from downtown", None),
        ("make a video about meditation for 10 minutes a day", None),
        ("how 10 minutes of yoga a day changes your life", None),
        ("介绍我们的健身课，每节45分钟", None),
    ],
)
def test_only_a_span_that_sizes_the_video_sets_its_length(prompt: str, ms: int | None) -> None:
    assert parse_duration(prompt) == ms


@pytest.mark.parametrize(
    ("prompt", "kept", "gone"),
    [
        ("a 30-second ad for our 15-minute express car wash", "15-minute", "30-second"),
        ("Pizza delivered in 30 minutes or it's free, a 20 second promo", "30 minutes", "20 second"),
        ("20秒视频：我们的快餐，20分钟搞定", "20分钟", "20秒"),
        ("竖屏15秒：猫咖新店开业，每次撸猫30分钟", "30分钟", "15秒"),
        ("explain photosynthesis in 60 seconds", "photosynthesis", "60 seconds"),
    ],
)
def test_the_length_leaves_the_content_and_content_spans_stay(prompt: str, kept: str, gone: str) -> None:
    rest = cut_length(prompt)
    assert kept in rest and gone not in rest


def test_a_content_duration_reaches_the_video_and_the_length_is_the_one_asked() -> None:
    board = plan("A 20-second ad for our car wash: a full clean in 15 minutes, open every day")
    assert board.target_ms == 20_000
    said = " ".join(s.text for s in board.scenes)
    assert "15 minutes" in said or "15-minute" in said
    brief = read_brief(
        "Our pizzeria: every pizza delivered in 30 minutes or it's free. 15 second ad, vertical"
    )
    assert brief.target_ms == 15_000
    assert "30 minutes" in " ".join(brief.content_texts())
