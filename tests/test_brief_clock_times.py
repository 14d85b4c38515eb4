"""A clock time next to a figure is said as written, not shown as a big number ("Open until
2am" is not a stat of 2)."""

from __future__ import annotations

import pytest

from promptreel.agent.brief import read_brief


@pytest.mark.parametrize(
    ("prompt", "said", "stat"),
    [
        (
            "a promo for our ramen bar: open until 2am, 10% off on Mondays",
            "open until 2am",
            "10% off on Mondays",
        ),
        (
            "our gym: doors open at 6:30, members up 20% this year",
            "doors open at 6:30",
            "members up 20% this year",
        ),
        ("奶茶店：营业到晚上10点，会员享8折，销量增长30%", "营业到晚上10点", "销量增长30%"),
    ],
)
def test_clock_times_are_said_not_shown_as_figures(prompt: str, said: str, stat: str) -> None:
    brief = read_brief(prompt)
    assert not any(said in s for s in brief.stats), brief.stats
    assert any(stat in s for s in brief.stats), brief.stats
