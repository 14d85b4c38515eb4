"""Storyboards for prompts in many wordings read as natural sentences: openings that fit the
subject's grammar, filler that says only what is true of the kind of video, each date said once."""

from __future__ import annotations

import re

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import Brief, read_brief


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


# ── openings: "Meet" is for a named thing, not a plural ───────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "opening"),
    [
        ("a 30-second ad for our Pilates classes, mornings and evenings, first class free",
         "Discover our Pilates classes."),
        ("a 15-second ad for Green Thumb landscaping services, free estimates, call 555-0134",
         "Discover Green Thumb landscaping services."),
        ("an ad for our pottery workshops in Leeds, all materials included",
         "Discover our pottery workshops in Leeds."),
    ],
)  # fmt: skip
def test_an_ad_for_a_plural_subject_does_not_open_on_meet(prompt: str, opening: str) -> None:
    assert narration(read_brief(prompt))[0] == opening


def test_an_ad_for_a_named_business_still_opens_on_meet() -> None:
    assert narration(read_brief("an ad for Sparkle Car Wash, hand wash $15"))[0] == "Meet Sparkle Car Wash."


@pytest.mark.parametrize(
    ("prompt", "opening"),
    [
        ("an ad for Sparkle Car Wash on Elm Street, hand wash $15, open daily 8am to 6pm",
         "Meet Sparkle Car Wash on Elm Street."),
        ("a video for our farmers market every Sunday 9am-1pm at 200 Main St: fresh bread, honey",
         "Our farmers market at 200 Main St."),
        ("an ad for Luna Bakery in Berlin: sourdough and rye", "Meet Luna Bakery in Berlin."),
    ],
)  # fmt: skip
def test_a_street_takes_on_and_a_numbered_address_takes_at(prompt: str, opening: str) -> None:
    assert narration(read_brief(prompt))[0] == opening


@pytest.mark.parametrize(
    "prompt",
    [
        "vertical video announcing our toy shop's holiday hours: open until 9pm Dec 20-23, closed Dec 25",
        "announcing our new opening hours: weekdays 8am to 8pm, weekends 10am to 4pm",
    ],
)
def test_announcing_something_is_an_announcement(prompt: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "announcement"
    assert not narration(b)[0].startswith(("Meet", "Discover"))


# ── Chinese: 课程 is a course, not the word that asks for a lesson ─────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "point"),
    [
        ("为我们的瑜伽课程做一个30秒的广告，每周一三五晚上7点，首节课免费", "瑜伽课程", "首节课免费"),
        ("我们的钢琴课程，每节课45分钟", "钢琴课程", "每节课45分钟"),
    ],
)
def test_a_course_keeps_its_name_and_is_no_lesson(prompt: str, subject: str, point: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject and point in b.points
    assert b.purpose != "lesson"
    assert not any("程" in line and "课程" not in line for line in narration(b))


def test_an_ad_named_as_such_for_kids_stays_an_ad() -> None:
    for prompt in (
        "a promo for weekend cooking workshops for kids ages 8-12, $40 per session",
        "an ad for our art camp for children, $120 a week",
    ):
        b = read_brief(prompt)
        assert b.purpose == "ad", prompt
        assert not any("lesson" in line.lower() for line in narration(b))


# ── explainers with nothing but a subject ──────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "ask", "topic_line"),
    [
        ("explain how tides work", "Ever wondered how tides work?", "Science starts with a good question."),
        ("a video explaining compound interest for teenagers", "Ever wondered about compound interest?",
         "Small choices about money add up over time."),
        ("an explainer on how vaccines train the immune system",
         "Ever wondered how vaccines train the immune system?", "Small healthy habits add up."),
    ],
)  # fmt: skip
def test_an_explainer_without_content_asks_and_says_what_is_true_of_its_field(
    prompt: str, ask: str, topic_line: str
) -> None:
    lines = narration(read_brief(prompt))
    assert lines[1] == ask
    assert topic_line in lines
    assert len(lines) >= 6  # the video is not mostly music
    assert not any(re.search(r"\d", line) for line in lines)  # no figure the prompt did not give


def test_a_chinese_explainer_without_content_is_filled_too() -> None:
    lines = narration(read_brief("一个解释光合作用的视频"))
    assert lines[1] == "关于光合作用，你了解多少？"
    assert "科学，从一个好问题开始。" in lines and len(lines) >= 6


# ── topic lines on the topic ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    [
        "an ad for Sparkle Car Wash on Elm Street, hand wash $15, open daily 8am to 6pm",
        "a promo for our car wash: foam wash, wax, free vacuum",
    ],
)
def test_a_car_wash_is_spoken_of_as_a_car_wash(prompt: str) -> None:
    lines = narration(read_brief(prompt))
    assert "A clean car just feels better to drive." in lines
    assert not any("runs well" in line for line in lines)


@pytest.mark.parametrize(
    "prompt",
    [
        "vertical video announcing our toy shop's holiday hours: open until 9pm Dec 20-23, closed Dec 25",
        "an ad for our bakery's holiday opening hours: open 7am to 1pm on Dec 24",
    ],
)
def test_holiday_hours_are_no_travel(prompt: str) -> None:
    assert not any("Pack your bags" in line or "journey" in line for line in narration(read_brief(prompt)))


# ── each date said once ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "date"),
    [
        ("launch video for the Aero 2 wireless earbuds: 30-hour battery, noise cancelling, $129, available March 1",
         "March 1"),
        ("launch video for the Nimbus desk lamp: three brightness levels, $49, on sale May 2", "May 2"),
    ],
)  # fmt: skip
def test_a_date_a_line_already_says_is_not_said_again_by_the_card(prompt: str, date: str) -> None:
    lines = narration(read_brief(prompt))
    assert sum(date in line for line in lines) == 1, lines


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        (
            "we're hiring line cooks at Bella Trattoria, $18/hour, apply at bellatrattoria.com",
            "Bella Trattoria",
        ),
        ("we're hiring baristas at Kettle House, $17/hour, apply at kettlehouse.com", "Kettle House"),
    ],
)
def test_the_subject_is_not_read_as_its_own_address(prompt: str, name: str) -> None:
    assert not any(f"at {name}." in line for line in narration(read_brief(prompt)))


# ── an invitation speaks to its guests ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "wish"),
    [
        ("invite friends to Mia's 7th birthday party on Saturday June 8 at 2pm at Sunny Park, pizza and a bouncy castle",
         "Wishing you a year"),
        ("an invitation to Leo's 5th birthday party, May 3 at 11am, at the Little Gym", "Make a wish"),
        ("邀请大家来参加小宇的6岁生日派对，6月15日下午3点，在阳光公园", "愿你新的一岁"),
    ],
)  # fmt: skip
def test_a_birthday_invitation_does_not_wish_its_guests_happy_birthday(prompt: str, wish: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "invitation"
    lines = narration(b)
    assert not any(wish in line for line in lines)
    assert any(line in ("Come and celebrate with us.", "一起来庆祝吧。") for line in lines)
