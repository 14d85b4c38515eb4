"""Storyboards read as a user would: a how-to taught to an audience is about the how-to and speaks
to the viewer, a relative day stays whole, figures in a thank-you are said in a sentence, a Chinese
offer with its own verb is one line, and each time and place is said once, complete."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for, title_for
from promptreel.agent.brief import Brief, read_brief
from promptreel.agent.storyboard import ScenePlan


def board(prompt: str) -> list[ScenePlan]:
    return scenes_for(read_brief(prompt))


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


def spoken(prompt: str) -> str:
    return " / ".join(narration(read_brief(prompt)))


# ── a how-to taught to an audience ──────────────────────────────────────────────────────────

HANDS = (
    "Make a 40-second video teaching kids how to wash their hands properly: "
    "wet, soap, scrub 20 seconds, rinse, dry"
)


@pytest.mark.parametrize(
    ("prompt", "subject", "audience"),
    [
        (HANDS, "how to wash your hands properly", "kids"),
        (
            "a video showing seniors how to make a video call on their phone: open the app, "
            "tap the contact, press the camera button",
            "how to make a video call on your phone",
            "seniors",
        ),
        (
            "A 30-second clip teaching new employees how to book a meeting room: open the calendar, "
            "pick a time, choose the room",
            "how to book a meeting room",
            "new employees",
        ),
    ],
)
def test_a_how_to_taught_to_an_audience_is_about_the_how_to(prompt: str, subject: str, audience: str) -> None:
    b = read_brief(prompt)
    assert (b.subject, b.audience) == (subject, audience)
    assert "about how" not in spoken(prompt)
    assert title_for(b)[0].lower() == subject


def test_a_how_to_asks_and_closes_in_plain_grammar() -> None:
    said = narration(read_brief(HANDS))
    assert "Ever wondered how to wash your hands properly?" in said
    assert "That's how to wash your hands properly, in short." in said
    assert not any("kids wash" in s.lower() for s in said)


@pytest.mark.parametrize(
    "prompt",
    [HANDS, "An explainer for kids about why we brush our teeth: germs, sugar, two minutes twice a day"],
)
def test_topic_lines_for_the_audience_speak_to_the_viewer(prompt: str) -> None:
    said = spoken(prompt)
    assert "Kids learn best" not in said
    assert "they're" not in said


# ── a relative day stays whole; a thank-you says its figures in a sentence ───────────────────

CLEANUP = (
    "Thank-you video for our volunteers at the riverside cleanup last Saturday: "
    "120 people, 2 tons of trash collected"
)


@pytest.mark.parametrize(
    ("prompt", "day"),
    [
        (CLEANUP, "last Saturday"),
        ("Thank you to everyone who came to the bake sale yesterday: we raised $800", "yesterday"),
        ("谢谢大家上周六来参加社区义卖：一共卖出300件", "上周六"),
    ],
)
def test_a_relative_day_stays_whole(prompt: str, day: str) -> None:
    assert day in read_brief(prompt).when


# ── where and when, said once and complete ──────────────────────────────────────────────────

TACOS = (
    "a 15-second vertical reel for our food truck Taco Loco: birria tacos, elote, horchata; "
    "find us at Pier 39 every Friday 5-10pm"
)
COFFEE = (
    "a 20-second reel for our coffee cart Bean There: cold brew, lattes, muffins; "
    "find us at Union Square every Saturday 8-11am"
)


@pytest.mark.parametrize(
    ("prompt", "when"), [(TACOS, "every Friday 5-10pm"), (COFFEE, "every Saturday 8-11am")]
)
def test_a_time_range_stays_with_its_day(prompt: str, when: str) -> None:
    assert read_brief(prompt).when == (when,)


@pytest.mark.parametrize("prompt", [TACOS, COFFEE])
def test_a_call_to_action_that_says_where_and_when_is_the_only_one(prompt: str) -> None:
    scenes = board(prompt)
    where = read_brief(prompt).address
    assert sum(where in s.text for s in scenes) == 1
    assert not any(s.layout == "place" for s in scenes)


@pytest.mark.parametrize(
    ("prompt", "when", "where"),
    [
        ("邀请大家参加公司年会，12月28日晚上6点，地点：滨江大酒店三楼", "12月28日晚上6点", "滨江大酒店三楼"),
        (
            "诚邀各位家长参加期末汇报演出，1月15日下午3点，地点：学校礼堂二楼多功能厅",
            "1月15日下午3点",
            "学校礼堂二楼多功能厅",
        ),
    ],
)
def test_an_invitation_says_its_time_and_floor_once(prompt: str, when: str, where: str) -> None:
    b = read_brief(prompt)
    assert b.address == where
    said = narration(b)
    assert sum(when in s for s in said) == 1
    assert sum(where in s for s in said) == 1
    assert where not in said and f"{where}。" not in said  # never said alone
    place = next(s for s in scenes_for(b) if s.layout == "place")
    assert (when, "") in place.items and (where, "") in place.items


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        (CLEANUP, "Together at the riverside cleanup last Saturday: 120 people, 2 tons of trash collected."),
        (
            "A thank-you video for our donors: 300 meals served, 45 families housed this winter",
            "Together: 300 meals served, 45 families housed this winter.",
        ),
    ],
)
def test_a_thank_you_says_its_figures_in_one_sentence(prompt: str, line: str) -> None:
    said = narration(read_brief(prompt))
    assert line in said
    assert not any(s[:1].isdigit() for s in said)  # never a bare "120 people."


def test_a_thank_you_names_its_event_and_day_once() -> None:
    said = spoken(CLEANUP)
    assert said.count("last Saturday") == 1
    assert said.count("riverside cleanup") == 1
    assert "cleanup last:" not in said


# ── a Chinese offer with its own verb is one line; an event opens as an event ────────────────

BOOKS = "我们的书店周年庆：全场图书8折，会员再送书签，12月10日到12月20日"


@pytest.mark.parametrize(
    ("prompt", "offer"),
    [
        (BOOKS, "全场图书8折，会员再送书签"),
        ("我们的咖啡店开业啦：全场饮品7折，新客还送曲奇，3月1日到3月7日", "全场饮品7折，新客还送曲奇"),
    ],
)
def test_an_offer_to_a_group_is_one_line_never_a_list(prompt: str, offer: str) -> None:
    b = read_brief(prompt)
    assert not b.items
    said = narration(b)
    assert sum(offer in s for s in said) == 1
    assert not any("和送" in s for s in said)


@pytest.mark.parametrize(
    ("prompt", "hook"),
    [
        (BOOKS, "书店周年庆来啦！"),
        ("我们商场的美食节：50家小吃，12月1日到12月3日", "商场的美食节来啦！"),
    ],
)
def test_an_ad_for_an_event_opens_on_the_event(prompt: str, hook: str) -> None:
    said = narration(read_brief(prompt))
    assert said[0] == hook
    assert "欢迎了解" not in said[0]


# ── more of the same kinds ──────────────────────────────────────────────────────────────────


def test_a_room_and_building_are_where_never_the_subject() -> None:
    b = read_brief("Invite the team to our quarterly review on March 3 at 2pm in Room 401, Building B")
    assert (b.subject, b.address) == ("quarterly review", "Room 401, Building B")
    said = spoken(b.prompt)
    assert said.count("Room 401, Building B") == 1
    assert "in Room 401" in said
    assert " / Building B." not in said  # never said alone


def test_a_thank_you_names_an_event_with_a_figure_in_its_name() -> None:
    said = narration(
        read_brief("Thank you video for our runners at the charity 5K yesterday: 350 runners, $12,000 raised")
    )
    assert "Together at the charity 5K yesterday: 350 runners, $12,000 raised." in said


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        (
            "感谢各位志愿者昨天参加植树活动：200人参与，种下500棵树",
            "昨天的植树活动：200人参与，种下500棵树。",
        ),
        (
            "感谢志愿者们上周六参加社区义卖：300人参加，筹得善款2万元",
            "上周六的社区义卖：300人参加，筹得善款2万元。",
        ),
    ],
)
def test_a_chinese_thank_you_says_its_figures_with_the_event_and_day(prompt: str, line: str) -> None:
    b = read_brief(prompt)
    assert not b.subject[:1].isdigit()
    said = narration(b)
    assert line in said
    assert not any(s.startswith("时间：") for s in said)  # the day is said with the event, once


def test_a_how_to_keeps_a_last_step_that_reads_like_an_ask() -> None:
    b = read_brief(
        "A 30-second video teaching teenagers how to set up two-factor authentication: "
        "open settings, choose security, scan the code"
    )
    assert [i.text for i in b.items] == ["open settings", "choose security", "scan the code"]
    assert not b.actions


def test_a_counted_class_offered_keeps_its_name() -> None:
    said = spoken("我们健身房三周年店庆：年卡5折，老会员还送私教课一节，3月1日到3月10日")
    assert "老会员还送私教课一节" in said
    assert said.startswith("我们健身房三周年店庆来啦！")


def test_a_weekday_and_date_and_a_named_room_are_one_time_and_one_place() -> None:
    b = read_brief(
        "You're invited to Mia's baby shower, Sunday May 4 at 2pm, at the Garden Room, Hotel Belvedere"
    )
    assert b.when == ("Sunday May 4 at 2pm",)
    assert b.address == "the Garden Room, Hotel Belvedere"
    assert not b.items
    assert sum(s.layout == "place" for s in scenes_for(b)) == 1


def test_a_how_to_named_after_about_keeps_how_to() -> None:
    said = narration(
        read_brief(
            "A short video for kids about how to brush your teeth: wet the brush, add toothpaste, "
            "brush for two minutes, spit"
        )
    )
    assert "Today's lesson: how to brush your teeth." in said
    assert not any(s.startswith("That's brush") for s in said)


def test_a_thank_you_says_a_percentage_with_its_other_figures() -> None:
    said = narration(
        read_brief("Thanks to our customers for a great year: 5,000 orders, 98% five-star reviews")
    )
    assert "Together: 5,000 orders, 98% five-star reviews." in said


def test_a_school_building_is_a_place_not_a_lesson() -> None:
    b = read_brief("邀请各位家长参加家长会，本周五下午4点，地点：教学楼302教室")
    assert (b.purpose, b.subject, b.address) == ("invitation", "家长会", "教学楼302教室")
    said = narration(b)
    assert sum("教学楼302教室" in s for s in said) == 1


def test_join_our_event_is_an_invitation_to_it() -> None:
    b = read_brief("Join our open day next Saturday 10am-2pm at Greenfield School, Hall B")
    assert (b.purpose, b.subject, b.when) == ("invitation", "open day", ("next Saturday 10am-2pm",))
    assert "Join our" not in spoken(b.prompt)
