"""CJK line breaking: a number never leaves its unit, Latin words and numbers stay whole, and
lines break at punctuation or phrase boundaries when the line lengths allow."""

from __future__ import annotations

import pytest

from promptreel.render import text as tx

STYLE = tx.TextStyle(size=80, weight=800, kind="display", line_height=1.25)


def lines(text: str, width: float, *, max_lines: int = 3, balance: bool = True) -> list[str]:
    """The lines :func:`text.fit_within` lays ``text`` out in, as strings."""
    toks = tx.tokenize(text)
    block = tx.fit_within(toks, STYLE, width, 4000, max_lines=max_lines, min_size=20, balance=balance)
    out = [""] * block.lines
    for p in block.placed:
        out[p.line] += (" " if p.x > 0 and toks[p.index].gap else "") + toks[p.index].text
    return out


def test_numbers_keep_their_units_counters_and_currency() -> None:
    texts = [
        t.text
        for t in tx.tokenize("外卖满50元，三种口味，第3杯半价，20分钟送达，6：30开门，￥19.9，20％，3つ")
    ]
    for whole in ("50元，", "三种", "第3杯", "20分钟", "6：30", "￥19.9，", "20％，", "3つ"):
        assert whole in texts, (whole, texts)
    # a product name is a word, not a number: the character after it stays free
    assert "iPhone15" in [t.text for t in tx.tokenize("用iPhone15拍摄")]


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("外卖满50元免配送费", ["50元"]),
        ("新店开业全场8折，满100元再减20元", ["8折", "100元", "20元"]),
        ("每天早上6:30开门，晚上10点打烊", ["6:30", "10点"]),
        ("只要$5就能带走第3杯半价", ["$5", "第3杯"]),
        ("会員限定！3つの味を100円で", ["3つ", "100円"]),
        ("用iPhone15拍摄的精彩瞬间，一键分享", ["iPhone15"]),
        ("做一个20秒的竖版视频，介绍我们的饺子馆", ["20秒"]),
    ],
)
@pytest.mark.parametrize("width", [300, 400, 560, 800])
def test_no_line_splits_a_number_unit_or_latin_word(text: str, whole: list[str], width: int) -> None:
    got = lines(text, width)
    assert "".join(got) == text.replace(" ", "")
    for w in whole:
        assert any(w in line for line in got), (w, got)


def test_the_reported_headline_breaks_after_the_price() -> None:
    assert lines("外卖满50元免配送费", 560) == ["外卖满50元", "免配送费"]


def test_breaks_fall_at_punctuation_when_lines_stay_even_enough() -> None:
    assert lines("手工现包，三种口味任你选", 560) == ["手工现包，", "三种口味任你选"]
    assert lines("韭菜鸡蛋、猪肉白菜、三鲜", 400) == ["韭菜鸡蛋、", "猪肉白菜、", "三鲜"]
    assert lines("每天早上6:30开门，晚上10点打烊", 800) == ["每天早上6:30开门，", "晚上10点打烊"]


def test_balance_wins_over_a_comma_that_would_leave_a_stub() -> None:
    got = lines("好，今天我们一起来学习包饺子", 640, max_lines=2)
    assert len(got) == 2 and got[0] != "好，"
    a, b = (len(x) for x in got)
    assert min(a, b) / max(a, b) > 0.6


def test_unbalanced_layout_fills_lines_and_keeps_the_fewest() -> None:
    toks = tx.tokenize("我们的咖啡豆，小批量烘焙，每一杯都新鲜，欢迎品尝")
    for width in (300, 450, 700):
        greedy = tx.layout(toks, STYLE, width)
        assert all(w <= width for w in greedy.line_widths)
        assert greedy.lines == len(tx.layout(toks, STYLE, width, balance=True).line_widths)


def test_latin_text_still_wraps_between_words() -> None:
    got = lines("Free delivery on orders over $50 this week", 700)
    assert len(got) > 1 and " ".join(got) == "Free delivery on orders over $50 this week"


def test_no_tokens_no_lines() -> None:
    assert tx.layout((), STYLE, 0).lines == 0
