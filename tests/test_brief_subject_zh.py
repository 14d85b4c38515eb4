"""Who asks is not what the video is about: "给我们的面包店做个视频" is about the bakery, while
"给我做…" and "帮我们做…" only ask."""

from __future__ import annotations

import pytest

from promptreel.agent.brief import read_brief


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("给我们的社区面包店做个20秒宣传片：可颂、贝果、肉桂卷", "社区面包店"),
        ("给我们的面馆做个15秒视频：牛肉面、炸酱面", "面馆"),
        ("帮我们的花店做个视频：玫瑰、百合", "花店"),
        ("给我做一个咖啡店的视频", "咖啡店"),
        ("给我们做一个奶茶店的宣传片", "奶茶店"),
        ("帮我做个饺子馆的视频", "饺子馆"),
    ],
)
def test_the_asker_is_not_the_subject(prompt: str, subject: str) -> None:
    brief = read_brief(prompt)
    assert brief.subject == subject
    assert not any(x.startswith("们") for x in (brief.subject, *brief.points))
