"""A count that sums up a list ("三种口味", "two signature drinks") names the list: it is never
glued to the last item nor shown as an item of its own, and only a count that matches is taken."""

from __future__ import annotations

import pytest

from promptreel.agent.brief import read_brief
from promptreel.agent.clauses import count_phrase
from promptreel.agent.planner import plan


def items(prompt: str) -> list[str]:
    return [i.text for i in read_brief(prompt).items]


@pytest.mark.parametrize(
    ("prompt", "listed", "noun", "word"),
    [
        (
            "做一个20秒的竖版视频，介绍我们的饺子馆：手工现包，韭菜鸡蛋、猪肉白菜、三鲜三种口味，外卖满50元免配送费",
            ["韭菜鸡蛋", "猪肉白菜", "三鲜"],
            "三种口味",
            "种",
        ),
        ("拉面馆开业：豚骨拉面、味噌拉面两款招牌，开业首周8折", ["豚骨拉面", "味噌拉面"], "两款招牌", "款"),
        (
            "做一个花店的视频，玫瑰、郁金香、向日葵等3种花束，同城2小时送达",
            ["玫瑰", "郁金香", "向日葵"],
            "3种花束",
            "种",
        ),
        (
            "介绍我们的奶茶店：三款招牌，杨枝甘露、芋泥波波、芝士葡萄",
            ["杨枝甘露", "芋泥波波", "芝士葡萄"],
            "三款招牌",
            "款",
        ),
        (
            "饺子馆宣传视频：韭菜鸡蛋，猪肉白菜，三鲜，三种口味",
            ["韭菜鸡蛋", "猪肉白菜", "三鲜"],
            "三种口味",
            "种",
        ),
    ],
)
def test_chinese_count_names_the_list(prompt: str, listed: list[str], noun: str, word: str) -> None:
    brief = read_brief(prompt)
    assert [i.text for i in brief.items] == listed
    assert (brief.count, brief.noun, brief.count_word) == (len(listed), noun, word)
    assert noun not in brief.points and noun not in brief.stats


@pytest.mark.parametrize(
    ("prompt", "listed", "noun"),
    [
        ("promo for our bubble tea shop: taro, mango and brown sugar, 3 signature drinks", ["taro", "mango", "brown sugar"], "signature drinks"),
        ("a 15 second video for our dumpling shop: handmade daily, pork, chive, shrimp, three flavours, free delivery over $50", ["pork", "chive", "shrimp"], "flavours"),
        ("a promo for our flower shop: roses, tulips, sunflowers, three bouquets to choose from, same-day delivery", ["roses", "tulips", "sunflowers"], "bouquets"),
        ("our ice cream truck: vanilla, chocolate, strawberry (3 flavours), every Sunday at the beach", ["vanilla", "chocolate", "strawberry"], "flavours"),
    ],
)  # fmt: skip
def test_english_count_names_the_list(prompt: str, listed: list[str], noun: str) -> None:
    brief = read_brief(prompt)
    assert [i.text.lower() for i in brief.items] == listed
    assert (brief.count, brief.noun) == (len(listed), noun)
    assert not any(noun in x for x in (*brief.points, *brief.stats, *(i.text for i in brief.items)))


@pytest.mark.parametrize(
    ("prompt", "listed", "said"),
    [
        ("a video for our dumpling house: handmade every morning, pork and chive, shrimp, veggie, three fillings, free delivery over $30", ["pork and chive", "shrimp", "veggie"], "handmade every morning"),
        ("a 15 second video for our dumpling shop: handmade daily, pork, chive and shrimp, three flavours", ["pork", "chive", "shrimp"], "handmade daily"),
        ("饺子馆：手工现包，韭菜鸡蛋、猪肉白菜和三鲜三种口味", ["韭菜鸡蛋", "猪肉白菜", "三鲜"], "手工现包"),
    ],
)  # fmt: skip
def test_the_count_says_how_many_things_came_before_it(prompt: str, listed: list[str], said: str) -> None:
    brief = read_brief(prompt)
    assert [i.text for i in brief.items] == listed
    assert said in brief.points and brief.count == len(listed)


def test_a_figure_before_a_count_is_not_counted() -> None:
    brief = read_brief("a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday")
    assert brief.count == 0 and "two new hires" in brief.points and "revenue up 12%" in brief.stats


def test_what_follows_the_count_is_not_counted() -> None:
    brief = read_brief(
        "a promo for our flower shop: roses, tulips, sunflowers, three bouquets to choose from, same-day delivery"
    )
    assert "same-day delivery" in brief.points


@pytest.mark.parametrize(
    "prompt",
    [
        "an ad for our noodle bar: beef noodles, dan dan noodles, cold noodles, two sizes, open till midnight",
        "video for a gym: yoga, spin, boxing, 3 classes every day",
    ],
)
def test_a_count_that_does_not_match_the_list_stays_content(prompt: str) -> None:
    brief = read_brief(prompt)
    said = " ".join((*brief.points, *brief.stats, *(i.text for i in brief.items)))
    assert brief.count == 0 and ("two sizes" in said or "3 classes every day" in said)


def test_count_phrase_reads_the_count_and_what_precedes_it() -> None:
    assert count_phrase("三鲜三种口味", True) == ("三鲜", 3, "种", "三种口味")
    assert count_phrase("芝士葡萄等十二款新品", True) == ("芝士葡萄", 12, "款", "十二款新品")
    assert count_phrase("三鲜", True) is None and count_phrase("猪肉白菜", True) is None
    assert count_phrase("three options to choose from", False) == ("", 3, "", "options")
    assert count_phrase("shrimp (3 flavours)", False) == ("shrimp", 3, "", "flavours")
    assert count_phrase("shrimp", False) is None and count_phrase("2 for 1", False) is None


def test_the_list_scene_is_headed_by_the_count() -> None:
    board = plan(
        "做一个20秒的竖版视频，介绍我们的饺子馆：手工现包，韭菜鸡蛋、猪肉白菜、三鲜三种口味，外卖满50元免配送费"
    )
    lists = [s for s in board.scenes if s.layout == "list"]
    assert len(lists) == 1
    assert [t for t, _ in lists[0].items] == ["韭菜鸡蛋", "猪肉白菜", "三鲜"]
    assert lists[0].headline == "三种口味"
    # said in the user's words: a line built around the count would say it twice
    assert lists[0].text == "韭菜鸡蛋、猪肉白菜、三鲜三种口味。"
    assert sum(s.text.count("三鲜") for s in board.scenes) == 1
