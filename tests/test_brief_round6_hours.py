"""More ads, greetings and notices with hours, prices and ages: a price stays with what it is the
price of, one clock time is no opening hours, a Chinese range of days keeps its hours and is called
the opening hours, an opening is an ad even when it offers a class, a birthday named by whose it is
("Grandma's 90th birthday") greets them, and an offer's big number keeps its "off"."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for, title_for
from promptreel.agent.brief import read_brief
from promptreel.agent.storyboard import ScenePlan


def _scenes(prompt: str) -> list[ScenePlan]:
    return scenes_for(read_brief(prompt))


def _said(prompt: str) -> list[str]:
    return [s.text for s in _scenes(prompt) if s.text]


@pytest.mark.parametrize(
    ("prompt", "item"),
    [
        (
            "Hair salon ad: haircuts from $25, open Mon-Sat 10am-7pm, 5 Park Lane, walk-ins welcome",
            "haircuts from $25",
        ),
        ("Car wash promo: full wash from $15, open daily 8am-6pm, free vacuum", "full wash from $15"),
        ("Florist ad: roses from $9 a dozen, same-day delivery, open 8am to 8pm", "roses from $9 a dozen"),
    ],
)
def test_a_price_stays_with_what_it_is_the_price_of(prompt: str, item: str) -> None:
    shown = [t for s in _scenes(prompt) for t, _ in s.items]
    assert not any(t.startswith("$") for t in shown), shown
    assert item in " ".join(_said(prompt)), _said(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "Yoga studio promo: first class free, classes weekdays at 6pm, 30 Queen St",
        "Book club ad: we meet Thursdays at 7pm at the Old Library, all welcome",
    ],
)
def test_one_clock_time_is_no_opening_hours(prompt: str) -> None:
    said = " ".join(_said(prompt))
    assert "Open " not in said and not title_for(read_brief(prompt))[1].startswith("Open"), said


@pytest.mark.parametrize(
    ("prompt", "when"),
    [
        ("火锅店广告：人均80元，营业时间周二至周日11点到23点，地址：建设路12号", "周二至周日11点到23点"),
        ("理发店广告：剪发30元起，周一至周五10点到21点营业，地址：人民路5号", "周一至周五10点到21点"),
    ],
)
def test_a_chinese_range_of_days_keeps_its_hours(prompt: str, when: str) -> None:
    b = read_brief(prompt)
    assert list(b.when)[:1] == [when]
    shown = [t for s in _scenes(prompt) if s.layout == "place" for t, _ in s.items]
    assert when in shown, shown
    assert any(f"营业时间：{when}" in s for s in _said(prompt)), _said(prompt)


def test_an_events_time_is_no_opening_hours() -> None:
    said = _said("社区活动：12月5日周六上午9点，在社区中心")
    assert any("时间：12月5日周六上午9点" in s for s in said) and not any("营业时间" in s for s in said)


@pytest.mark.parametrize(
    "prompt",
    ["健身房开业：年卡1999元，前100名送私教课，周一至周日6点到22点", "瑜伽馆开业：首节体验课免费，会员卡8折"],
)
def test_an_opening_that_offers_a_class_is_an_ad(prompt: str) -> None:
    assert read_brief(prompt).purpose == "ad"
    assert not any("学习" in s for s in _said(prompt)), _said(prompt)


@pytest.mark.parametrize(
    ("prompt", "who", "first"),
    [
        (
            "Grandma's 90th birthday video, she turns 90 on May 3, loves gardening",
            "Grandma",
            "Happy 90th Birthday, Grandma!",
        ),
        ("My dad's 60th birthday video, he loves fishing", "Dad", "Happy 60th Birthday, Dad!"),
    ],
)
def test_a_birthday_named_by_whose_it_is_greets_them(prompt: str, who: str, first: str) -> None:
    assert read_brief(prompt).recipient == who
    said = _said(prompt)
    assert said[0] == first
    assert not any(s.startswith("To she") or s.startswith("To he") for s in said), said


@pytest.mark.parametrize(
    ("prompt", "value", "label"),
    [
        ("Shoe store ad: 30% off all shoes this weekend only", "30% off", "All shoes this weekend only"),
        ("Silent display loop for the hotel lobby: Aurora Spa open 7am–10pm, 20% off massages on weekdays. no music",
         "20% off", "Massages on weekdays"),
    ],
)  # fmt: skip
def test_an_offers_big_number_keeps_its_off(prompt: str, value: str, label: str) -> None:
    stat = next(s for s in _scenes(prompt) if s.layout == "stat")
    assert (stat.value, stat.label) == (value, label)


@pytest.mark.parametrize(
    ("prompt", "head", "value"),
    [
        ("Year in review for Lumen Labs: sales grew by 40% in 2023", "Sales grew by 40% in 2023", "40%"),
        ("公司新规三条：1. 周五可以远程办公 2. 会议不超过30分钟 3. 下午6点后不发工作消息。给全员看，不要配音", "30分钟", "30"),
    ],
)  # fmt: skip
def test_a_number_inside_its_words_is_said_whole_once(prompt: str, head: str, value: str) -> None:
    stat = next(s for s in _scenes(prompt) if s.layout == "stat")
    assert head in stat.headline and stat.value == value and not stat.label


@pytest.mark.parametrize(
    ("prompt", "hook"),
    [
        ("Hair salon ad: haircuts from $25, open Mon-Sat 10am-7pm, 5 Park Lane", "Meet our hair salon."),
        ("Shoe store ad: 30% off all shoes this weekend only", "Meet our shoe store."),
        ("Bean There ad: flat whites $4, open daily 7am-3pm", "Meet Bean There."),
    ],
)
def test_a_kind_of_business_labelled_ad_is_the_makers_own(prompt: str, hook: str) -> None:
    said = _said(prompt)
    assert (
        said[0] == hook and not said[-1].startswith("Visit Hair") and not said[-1].startswith("Visit Shoe")
    ), said


@pytest.mark.parametrize(
    "prompt",
    [
        "Clinic notice: closed December 24 to 26, reopening December 27 at 8am",
        "Pool notice: closed June 2 to 4, reopening June 5 at 7am",
    ],
)
def test_dates_a_list_says_whole_are_not_said_again(prompt: str) -> None:
    scenes = _scenes(prompt)
    said = " ".join(s.text for s in scenes)
    for when in read_brief(prompt).when:
        assert said.count(when) == 1, said


@pytest.mark.parametrize(
    ("prompt", "when", "line"),
    [
        ("Florist ad: roses from $9 a dozen, same-day delivery, open 8am to 8pm every day", "8am to 8pm every day",
         "Open 8am to 8pm every day."),
        ("面包店广告：可颂两个15元，每天7点到20点营业，地址：中山路8号", "每天7点到20点", "营业时间：每天7点到20点"),
    ],
)  # fmt: skip
def test_hours_said_of_every_day_keep_it(prompt: str, when: str, line: str) -> None:
    assert list(read_brief(prompt).when)[:1] == [when]
    assert any(line in s for s in _said(prompt)), _said(prompt)
