"""What the video says, on prompts of kinds the planner met rarely: an opening announced, a job ad
told by its content, a list of things to do, an offer with what it adds, a list begun in the
request's own clause, a room inside a building, a Chinese birthday's age, and stock lines that fit
the kind of subject (a place is visited, a product is tried, an event is come to)."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import read_brief


def narration(prompt: str) -> list[str]:
    return [s.text for s in scenes_for(read_brief(prompt)) if s.text]


def spoken(prompt: str) -> str:
    return " ".join(narration(prompt))


# ── an opening is said as the event it is ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("我们的咖啡店开业啦", "咖啡店开业啦！"),
        ("我们的花店盛大开业，全场九折", "花店开业啦！"),
        ("Grand opening of Crumb & Co bakery this Saturday, free coffee for the first 50 guests",
         "Grand opening at Crumb & Co bakery!"),
    ],
)  # fmt: skip
def test_an_opening_opens_on_the_event(prompt: str, first: str) -> None:
    said = narration(prompt)
    assert said[0] == first
    assert not any("欢迎了解" in s for s in said)


def test_an_opening_keeps_its_offer_whole() -> None:
    said = narration("我们的花店盛大开业，全场九折")
    assert sum("全场九折" in s for s in said) == 1
    assert read_brief("我们的花店盛大开业，全场九折").subject == "花店"


# ── a job ad told by its content ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "role"),
    [
        ("Join our team: we're hiring baristas", "", "baristas"),
        ("Hiring cooks at Bella Trattoria, great pay", "Bella Trattoria", "cooks"),
    ],
)
def test_we_are_hiring_is_a_job_ad(prompt: str, subject: str, role: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "recruiting" and b.subject == subject
    said = narration(prompt)
    assert sum(role in s for s in said) == 1
    assert not any(s.startswith(("Join our team.", "Ring ", "Hiring cooks.")) for s in said)
    assert said[-1] in ("Join us.", f"Join {subject}.")


def test_the_roles_a_job_ad_lists_leave_where_and_perks_apart() -> None:
    b = read_brief("We're hiring baristas and bakers at Crumb & Co, flexible hours")
    assert b.purpose == "recruiting" and b.subject == "Crumb & Co"
    assert [i.text for i in b.items] == ["baristas", "bakers"]
    assert "flexible hours" in spoken(b.prompt)


def test_a_verb_at_the_start_of_a_name_is_no_greeting_or_ask() -> None:
    # "Hi" and "Do" start requests ("hi, make me…"); they are never cut from "Hiring" or "Dog"
    assert read_brief("Dog walking in Leeds, £12 an hour").subject == "Dog walking"
    assert read_brief("Designer bags at half price").subject.startswith("Designer bags")


# ── a list of things to do keeps its verbs ────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "steps"),
    [
        ("Morning routine checklist: brush teeth, add toothpaste, rinse, floss",
         ["brush teeth", "add toothpaste", "rinse", "floss"]),
        ("Packing list for camp: pack a torch, add sunscreen, bring a water bottle, label everything",
         ["pack a torch", "add sunscreen", "bring a water bottle", "label everything"]),
        ("Pancakes in 4 steps: whisk eggs and milk, add flour, heat the pan, pour and flip",
         ["whisk eggs and milk", "add flour", "heat the pan", "pour and flip"]),
    ],
)  # fmt: skip
def test_a_list_of_things_to_do_keeps_its_verbs(prompt: str, steps: list[str]) -> None:
    b = read_brief(prompt)
    assert [i.text for i in b.items] == steps and b.list_kind == "steps"
    assert all(s.lower() in spoken(prompt).lower() for s in steps)


def test_an_ask_to_add_a_line_is_still_an_ask() -> None:
    b = read_brief("promo for Luna Cafe in Lisbon, add the line 'Coffee with a view'")
    assert "add the line" not in spoken(b.prompt).lower() and b.slogan == "Coffee with a view"


# ── an offer and what it adds are one line ────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("20% off all helmets, plus a free bell", "20% off all helmets, plus a free bell."),
        ("30% off all tents, plus free delivery", "30% off all tents, plus free delivery."),
    ],
)
def test_an_offer_and_what_it_adds_are_said_together(prompt: str, line: str) -> None:
    b = read_brief(prompt)
    assert b.purpose == "ad" and b.subject == ""
    said = narration(prompt)
    assert said[0] == line  # the offer is what the video opens on: nothing else is named
    assert sum("free" in s for s in said) == 1
    assert not any(s.startswith(("Us:", "Tell your friends about us")) or "meet you" in s for s in said)


# ── a list begun in the request's own clause ──────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "items"),
    [
        ("Summer fair on Saturday June 14 with rides, food stalls, live music", "Summer fair",
         ["rides", "food stalls", "live music"]),
        ("Our school fete on Friday with games, a raffle, cake stalls", "school fete",
         ["games", "raffle", "cake stalls"]),
        ("Summer fair this Saturday: rides, food stalls, live music", "Summer fair",
         ["rides", "food stalls", "live music"]),
    ],
)  # fmt: skip
def test_a_list_begun_with_with_keeps_its_first_item(prompt: str, subject: str, items: list[str]) -> None:
    b = read_brief(prompt)
    assert b.subject == subject and [i.text for i in b.items] == items
    assert all(i in spoken(prompt) for i in items)


# ── a room inside a building is where, never what ─────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "subject", "where"),
    [
        ("Book club meets Thursday 7pm in Room 12 of the Central Library", "Book club",
         "Room 12 of the Central Library"),
        ("Chess club meets every Tuesday 4pm in Room 3 of the Town Hall", "Chess club", "Room 3 of the Town Hall"),
    ],
)  # fmt: skip
def test_a_room_of_a_building_is_where_the_subject_meets(prompt: str, subject: str, where: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject and b.address == where
    said = narration(prompt)
    assert said[0] == f"Join us for {subject}!"
    assert sum(f"in {where}" in s for s in said) == 1
    assert not any("Meet " in s for s in said)


# ── a Chinese birthday says its age in its greeting ───────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "first"),
    [("爷爷80岁生日", "爷爷，80岁生日快乐！"), ("妈妈六十岁生日，她喜欢养花", "妈妈，60岁生日快乐！")],
)
def test_a_chinese_birthday_named_by_its_age_says_it_first(prompt: str, first: str) -> None:
    said = narration(prompt)
    assert said[0] == first
    age = first[first.index("，") + 1 : first.index("岁") + 1]
    assert sum(age in s for s in said) == 1  # the age is said once


def test_a_chinese_birthday_with_a_day_says_its_age_with_the_day() -> None:
    said = narration("祝爸爸80岁生日快乐，这周日")
    assert said[0] == "爸爸，生日快乐！" and "这周日，是你的80岁生日。" in said
    assert narration("祝爷爷八十大寿快乐，他喜欢下棋和钓鱼，20秒")[0] == "爷爷，生日快乐！"


# ── stock lines fit the kind of subject ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    [
        "30 second ad for our new water bottle AquaPure, keeps drinks cold 24 hours",
        "Ad for the Lumo desk lamp: three light modes, USB-C charging",
    ],
)
def test_a_product_is_never_met(prompt: str) -> None:
    said = spoken(prompt)
    assert "meet you" not in said and "Come and see" not in said


def test_a_chinese_product_is_tried_not_met() -> None:
    said = spoken("为我们的新款保温杯做个广告，保温12小时")
    assert "认识你" not in said and "相见" not in said


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ("a 30-second promo for our tea shop", "We can't wait to meet you."),
        ("为我们的面包店做一个30秒的宣传视频", "我们很期待认识你。"),
    ],
)
def test_a_place_still_looks_forward_to_meeting_you(prompt: str, line: str) -> None:
    assert line in narration(prompt)


def test_an_event_is_come_to() -> None:
    said = narration("Promo for Maple Park carnival - rides, food stalls, live music")
    assert said[0] == "Join us for Maple Park carnival!"
    assert "meet you" not in " ".join(said) and said[-1].endswith("See you there!")


@pytest.mark.parametrize(
    ("prompt", "first", "last"),
    [
        ("Summer fair on Saturday June 14 with rides, food stalls, live music", "Join us for Summer fair!",
         "Summer fair. See you there!"),
        ("Oakridge food festival this Sunday: street food, craft beer, live bands", "Join us for Oakridge food festival!",
         "Oakridge food festival. See you there!"),
    ],
)  # fmt: skip
def test_an_event_told_as_it_is_opens_and_closes_on_coming(prompt: str, first: str, last: str) -> None:
    said = narration(prompt)
    assert (said[0], said[-1]) == (first, last)
    assert "Thanks for watching" not in " ".join(said)
