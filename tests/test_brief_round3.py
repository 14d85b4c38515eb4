"""Storyboards read as a user would: filler that fits who the video is for, a greeting's facts said
in sentences, the user's quoted lines never echoed by a stock line, a class as an ad's subject, and
a launch with a price said as available now."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import Brief, read_brief
from promptreel.agent.wording import echoes


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


def spoken(prompt: str) -> str:
    return " / ".join(narration(read_brief(prompt)))


# ── topic lines fit the audience's age ──────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    [
        "An ad for our summer coding camp for kids aged 8-12",
        "An ad for our summer coding camp for 8–12-year-olds",
        "An ad for our art classes for kids aged 9 to 14, Saturdays",
        "A 30-second ad for our after-school club for 10-year-olds",
    ],
)
def test_an_ad_for_older_children_never_calls_them_little_ones(prompt: str) -> None:
    assert "Little ones" not in spoken(prompt)


def test_little_ones_lines_still_fit_a_daycare() -> None:
    assert "Little ones grow up so fast." in narration(
        read_brief("An ad for our daycare for toddlers, open 7am to 6pm")
    )


def test_ages_read_as_words_of_the_audience() -> None:
    said = narration(read_brief("An ad for our summer coding camp for 8–12-year-olds"))
    assert "For ages 8 to 12." in said


# ── the user's quoted line is never echoed by a stock line ─────────────────────────────────


@pytest.mark.parametrize(
    ("line", "quote"),
    [
        ("We'll miss you around here.", "We will miss you"),
        ("Thank you for everything you do.", "Thanks so much for everything"),
        ("It's never too late to learn something new.", "It is never too late to learn"),
    ],
)
def test_echoes_see_through_short_forms(line: str, quote: str) -> None:
    assert echoes(line, [quote])


def test_different_lines_are_no_echo() -> None:
    assert not echoes("Have a wonderful day, and take good care.", ["We will miss you"])
    assert not echoes("Sending you all my love.", ["love you"])


@pytest.mark.parametrize(
    ("prompt", "stock"),
    [
        (
            'A farewell for Maria, who is retiring after 30 years. Include the line "We will miss you"',
            "miss you",
        ),
        (
            'A farewell video for Tom, his last day is Friday, end with "We\'re going to miss you, Tom"',
            "miss you",
        ),
    ],
)
def test_a_quoted_farewell_line_is_said_once(prompt: str, stock: str) -> None:
    said = narration(read_brief(prompt))
    assert sum(stock in s.lower() for s in said) == 1


# ── a greeting's facts (age, day) are said in sentences ────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "first", "day"),
    [
        ("happy birthday to dad, turning 80 this Sunday", "Happy 80th Birthday, Dad!", "this Sunday"),
        (
            "A birthday video for my grandma, she turns 95 on June 5, loves gardening",
            "Happy 95th Birthday, Grandma!",
            "on June 5",
        ),
        (
            "Happy 60th anniversary to Mom and Dad this Saturday",
            "Happy 60th Anniversary, Mom and Dad!",
            "this Saturday",
        ),
    ],
)
def test_a_greeting_says_its_age_and_day_in_sentences(prompt: str, first: str, day: str) -> None:
    scenes = [s for s in scenes_for(read_brief(prompt)) if s.text]
    said = [s.text for s in scenes]
    assert said[0] == first
    assert sum(day.lower() in s.lower() for s in said) == 1
    assert all(s.layout not in ("place", "list") for s in scenes)
    assert not any(s.lower().startswith(("this ", "she on", "on ")) for s in said)


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("祝爸爸80岁生日快乐，这周日", "这周日，是你的80岁生日。"),
        ("爷爷九十大寿，下周六，祝他健康长寿", "下周六，是你的90岁生日。"),
    ],
)
def test_a_chinese_birthday_says_its_age_and_day(prompt: str, line: str) -> None:
    said = narration(read_brief(prompt))
    assert line in said
    assert sum(line[:3] in s for s in said) == 1
    assert not any("今天" in s for s in said)  # the day is the one given


def test_an_age_said_in_its_own_line_is_the_greetings() -> None:
    said = narration(read_brief("给妈妈的生日祝福视频，她今年六十岁"))
    assert "今年，是你的60岁生日。" in said
    assert not any("六十" in s for s in said)


# ── a class or course offered by a maker is the subject of an ad ───────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "when"),
    [
        ("我们的舞蹈课每周一三五晚上七点，欢迎报名", "舞蹈课", "每周一三五晚上七点"),
        ("书法班周六上午上课，学费每月300元", "书法班", "周六上午"),
        ("我们的少儿编程课，适合8到12岁，周六下午两点，首节课免费", "少儿编程课", "周六下午两点"),
        ("暑期游泳班，每人1200元，报名电话123456", "暑期游泳班", ""),
    ],
)
def test_a_class_offered_is_an_ads_subject(prompt: str, subject: str, when: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad" and b.subject == subject
    assert b.when == ((when,) if when else ())
    said = narration(b)
    assert said[0].startswith(subject)
    assert not any("学会" in s or "学习" in s for s in said)  # no lesson's lines


@pytest.mark.parametrize("prompt", ["一节关于光合作用的课，讲给小学生", "数学课：分数的加法"])
def test_a_lesson_is_still_a_lesson(prompt: str) -> None:
    assert read_brief(prompt).purpose == "lesson"


# ── a launch with a price, or on sale now, is no teaser ────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject"),
    [
        ("新款智能手表发布，售价1299元，现已上市", "新款智能手表"),
        ("Launching our new Aero headphones, $199, available now", "new Aero headphones"),
        ("Our new Aero headphones launch today, $199, available now in stores", "new Aero headphones"),
    ],
)
def test_a_launch_on_sale_is_an_ad(prompt: str, subject: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad" and b.subject == subject
    said = " ".join(narration(b))
    for teaser in ("即将到来", "敬请期待", "coming soon", "on its way"):
        assert teaser not in said.lower()


@pytest.mark.parametrize(
    "prompt",
    ["新品发布：云朵沙发，下月上市，敬请期待", "Launch teaser for our new app Tidy, coming soon, $4.99"],
)
def test_a_launch_still_to_come_is_a_teaser(prompt: str) -> None:
    assert read_brief(prompt).purpose == "teaser"


# ── farewells: a title is part of the name, an ask is never said ───────────────────────────


def test_a_farewell_with_a_titled_name_and_a_quoted_line() -> None:
    said = narration(
        read_brief(
            "Goodbye video for our teacher Mrs. Lee, who is moving to Canada next month, "
            'with the line "Thanks for everything"'
        )
    )
    assert said[0] == "All the best, Mrs. Lee!"
    assert said[-1] == "Thanks for everything."
    assert sum("Thanks for everything" in s for s in said) == 1
    assert sum("next month" in s for s in said) == 1
    assert not any("with the line" in s.lower() or s.startswith("With ") for s in said)


def test_a_title_before_a_name_is_kept() -> None:
    assert (
        narration(read_brief("Farewell video for Dr. Patel, who is retiring in June"))[0]
        == "All the best, Dr. Patel!"
    )


# ── more of the same kinds ─────────────────────────────────────────────────────────────────


def test_a_coding_bootcamp_for_teens_is_no_workout() -> None:
    b = read_brief("Promo for our weekend coding bootcamp for teens 13-17, $299, register at codecamp.io")
    said = narration(b)
    assert b.subject == "weekend coding bootcamp"
    assert "For teens 13 to 17." in said
    assert not any("workout" in s.lower() or "stronger" in s.lower() for s in said)


def test_we_are_launching_names_the_product() -> None:
    assert (
        read_brief("We're launching our new app Tidy next week, $4.99/month, coming soon").subject == "Tidy"
    )


@pytest.mark.parametrize(
    ("prompt", "when"),
    [
        ("我们的瑜伽课程周末上午十点开课，每月399元，现在报名送瑜伽垫", ("周末上午十点",)),
        ("周末去哪儿玩：杭州三日游", ()),
    ],
)
def test_a_weekend_is_a_time_only_when_it_says_when(prompt: str, when: tuple[str, ...]) -> None:
    assert read_brief(prompt).when == when


@pytest.mark.parametrize(
    ("prompt", "occasion", "first"),
    [
        ("恭喜爸妈结婚40周年，这周六", "anniversary", "40周年快乐！"),
        (
            "Congratulations on your 10th work anniversary, Priya",
            "anniversary",
            "Happy 10th Anniversary, Priya!",
        ),
        (
            "Congratulations on your wedding, Anna and Ben",
            "wedding",
            "Congratulations on your wedding, Anna and Ben!",
        ),
        ("Congrats on your graduation, Leo!", "graduation", "Congratulations on your graduation, Leo!"),
    ],
)
def test_the_occasion_celebrated_wins_over_a_congratulation(prompt: str, occasion: str, first: str) -> None:
    b = read_brief(prompt)
    assert b.occasion == occasion
    said = narration(b)
    assert said[0] == first
    assert not any(s.rstrip(".") in ("Priya", "Leo") for s in said)


@pytest.mark.parametrize(
    ("prompt", "close"),
    [
        ("新品发布：云朵沙发，下月上市，敬请期待", "敬请期待"),
        ("Launch teaser for our new app Tidy, coming soon", "Coming soon"),
    ],
)
def test_a_teasers_own_close_is_said_once(prompt: str, close: str) -> None:
    said = narration(read_brief(prompt))
    assert sum(close.lower() in s.lower() for s in said) == 1
    assert close in said[-1]
