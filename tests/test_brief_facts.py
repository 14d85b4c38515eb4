"""Every fact of a prompt is said or shown once: weekday runs and time ranges whole, who an ad's
camp or class is for, a birthday's age, a price said of each listed thing, the news a notice
gives, an offer that makes a class an ad, and a quoted line in place of a stock line like it."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import Brief, read_brief


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


def shown(b: Brief) -> str:
    return " | ".join(
        " ".join([s.text, s.headline, *(x for row in s.items for x in row)]) for s in scenes_for(b)
    )


# ── Chinese weekday runs and time ranges ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "when"),
    [
        ("我们的舞蹈课每周一三五晚上7点，地址在人民路100号", "每周一三五晚上7点"),
        ("书法班周二、周四下午4点上课，地点在文化宫", "周二、周四下午4点"),
        ("营业时间周一至周五上午9点到下午6点", "周一至周五上午9点到下午6点"),
        ("图书馆将于5月1日至5月15日闭馆装修", "5月1日至5月15日"),
    ],
)  # fmt: skip
def test_a_weekday_run_or_range_is_read_whole(prompt: str, when: str) -> None:
    b = read_brief(prompt)
    assert when in b.when
    assert when in shown(b)


# ── who an ad is for is a fact of the ad ────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("an ad for our coding camp for kids ages 8-12, July 10-14, $199", "For kids ages 8 to 12."),
        ("a 30-second ad for our swim lessons for kids, Saturdays 9am, first lesson free", "For kids."),
        ("a promo for our art classes for teens, Tuesdays 5pm", "For teens."),
    ],
)  # fmt: skip
def test_an_ad_says_who_it_is_for_once(prompt: str, line: str) -> None:
    lines = narration(read_brief(prompt))
    assert lines.count(line) == 1


def test_a_lesson_for_kids_keeps_its_audience_a_setting() -> None:
    b = read_brief("a lesson for kids about the water cycle")
    assert b.purpose == "lesson" and not any(p.startswith("For ") for p in b.points)


def test_first_lesson_free_keeps_its_lesson() -> None:
    assert (
        "first lesson free"
        in read_brief("an ad for our swim lessons, Saturdays 9am, first lesson free").points
    )


# ── a birthday's age and what is said of the person ─────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    [
        "a birthday greeting for my grandpa who is turning 80",
        "a 20-second birthday video for Grandpa Joe, turning 80, loves fishing",
    ],
)
def test_turning_80_is_said(prompt: str) -> None:
    b = read_brief(prompt)
    assert b.age == 80 and not b.imagery
    assert narration(b)[0].startswith("Happy 80th Birthday")


def test_loves_after_a_comma_is_said_of_the_person() -> None:
    b = read_brief("a 20-second birthday video for Grandpa Joe, turning 80, loves fishing")
    assert b.traits == ("loves fishing",)


@pytest.mark.parametrize(
    "prompt",
    [
        "an invitation to my daughter's birthday party at Sunny Park on Saturday at 2pm",
        "an invitation to our family picnic at Sunny Park on Saturday, bring a blanket",
    ],
)
def test_an_invitation_says_where(prompt: str) -> None:
    b = read_brief(prompt)
    assert "Sunny Park" in b.address
    assert any("Sunny Park" in x for x in narration(b))


# ── a price said of each ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "names", "price"),
    [
        ("an ad for our coffee shop: latte, cappuccino, mocha, $4.50 each", ["latte", "cappuccino", "mocha"], "$4.50 each"),
        ("an ad for our bakery: croissants, bagels, muffins, only $2 each", ["croissants", "bagels", "muffins"], "only $2 each"),
        ("奶茶店广告：珍珠奶茶、杨枝甘露、芋泥波波，每杯15元", ["珍珠奶茶", "杨枝甘露", "芋泥波波"], "每杯15元"),
    ],
)  # fmt: skip
def test_a_price_for_each_is_no_list_item(prompt: str, names: list[str], price: str) -> None:
    b = read_brief(prompt)
    assert [i.text for i in b.items] == names
    assert price in b.points


# ── news: the thing it is about is the subject, the news is said ────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "news"),
    [
        ("announce that the library will be closed for renovation from May 1 to May 15", "library",
         "The library will be closed for renovation from May 1 to May 15."),
        ("an announcement that our pool will be closed for cleaning on June 3", "pool",
         "Our pool will be closed for cleaning on June 3."),
    ],
)  # fmt: skip
def test_news_names_what_it_is_about(prompt: str, subject: str, news: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject
    assert news in narration(b)


# ── an offer makes a class an ad ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [("周末瑜伽课：每周六上午10点，首节课免费", "周末瑜伽课"), ("少儿美术课：每周日下午2点，欢迎报名试听", "少儿美术课")],
)  # fmt: skip
def test_a_class_with_a_time_and_an_offer_is_an_ad(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad" and b.subject == subject


# ── a quoted line replaces a stock line that says the same ──────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "quote", "stock"),
    [
        ("a farewell video for our colleague Anna, say 'Thank you for everything'", "Thank you for everything.",
         "Thank you for everything you do."),
        ("a birthday video for mom, end with 'Wishing you a year full of joy'", "Wishing you a year full of joy.",
         "Wishing you a year full of joy, laughter and everything you love."),
    ],
)  # fmt: skip
def test_a_quoted_line_replaces_a_stock_line_like_it(prompt: str, quote: str, stock: str) -> None:
    lines = narration(read_brief(prompt))
    assert quote in lines and stock not in lines
    assert not any(x.lower().rstrip(".") in ("say", "end with") for x in lines)
