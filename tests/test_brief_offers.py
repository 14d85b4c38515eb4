"""An offer to a group in an ad ("学生享8折", "老人半价") is content, not the audience: the video
stays an ad instead of turning into a lesson for students."""

from __future__ import annotations

import pytest

from promptreel.agent.brief import read_brief


@pytest.mark.parametrize(
    "prompt",
    [
        "做一个15秒竖屏视频，介绍我们的单车维修铺：补胎、调刹车、换链条三项服务，学生凭证享8折",
        "介绍我们的奶茶店，学生价12元，第二杯半价",
        "我们的健身房开业啦，老人半价，学生专享月卡",
    ],
)
def test_an_offer_to_a_group_keeps_the_ad(prompt: str) -> None:
    brief = read_brief(prompt)
    assert brief.purpose != "lesson" and not brief.audience


@pytest.mark.parametrize("prompt", ["给小学生讲垃圾分类的视频", "做一个视频教孩子认识颜色"])
def test_a_video_for_a_group_is_still_for_them(prompt: str) -> None:
    brief = read_brief(prompt)
    assert brief.purpose == "lesson" and brief.audience
