"""Ads, greetings and notices that give hours, prices, ranges and ages, read as a viewer meets
them: a range of days is one span with its hours, an offer keeps what it buys ("2 for $5",
"Tune-ups from $35"), a big number's headline never repeats its label, an age is said once, and
what the prompt asks away ("no background music", "不要音乐") never picks a picture."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for, title_for
from promptreel.agent.brief import read_brief
from promptreel.agent.hours import is_hours
from promptreel.agent.offers import price_of
from promptreel.agent.storyboard import ScenePlan
from promptreel.generators.visuals.choose import scene_picture, told_words
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root
from promptreel.settings import Settings

BIKE = (
    "A 20-second ad for our bike repair shop: tune-ups from $35, open Tuesday to Sunday, "
    "9am to 6pm, at 14 Mill Road"
)
CAFE = "Cafe ad for Bean There: flat whites $4, open Mon–Fri 7am-3pm, at 9 Harbour Street"


def _scenes(prompt: str) -> list[ScenePlan]:
    return scenes_for(read_brief(prompt))


def _said(prompt: str) -> list[str]:
    return [s.text for s in _scenes(prompt) if s.text]


def _shown(scenes: list[ScenePlan], layout: str) -> list[str]:
    return [t for s in scenes if s.layout == layout for t, _ in s.items]


# ── a range of days is one span, with its hours ───────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "hours", "parts"),
    [
        (BIKE, "Tuesday to Sunday, 9am to 6pm", ("Tuesday", "Sunday")),
        (CAFE, "Mon–Fri 7am-3pm", ("Mon", "Fri")),
        ("Library notice: open Monday through Saturday, 10am to 8pm, at 2 Elm Road", "Monday through Saturday, 10am to 8pm",
         ("Monday", "Saturday")),
    ],
)  # fmt: skip
def test_a_range_of_days_is_one_item_with_its_hours(prompt: str, hours: str, parts: tuple[str, str]) -> None:
    b = read_brief(prompt)
    assert list(b.when) == [hours]
    shown = _shown(_scenes(prompt), "place")
    assert hours in shown and not set(parts) & set(shown), shown


def test_a_chinese_range_of_days_stays_whole() -> None:
    b = read_brief("奶茶店广告：珍珠奶茶两杯30元，水果茶18元，周一至周五营业")
    assert b.when and b.when[0].startswith("周一至周五")


@pytest.mark.parametrize("prompt", [BIKE, CAFE])
def test_hours_are_said_and_shown_once_as_hours(prompt: str) -> None:
    scenes = _scenes(prompt)
    assert not _shown(scenes, "list"), "the hours are the place card's, never a listed item"
    said = " ".join(_said(prompt))
    hours = read_brief(prompt).when[0]
    assert said.count(hours) == 1 and f"Open {hours}" in said, said
    assert ": at " not in said


@pytest.mark.parametrize(
    ("prompt", "sub"), [(BIKE, "Open Tuesday to Sunday, 9am to 6pm"), (CAFE, "Open Mon–Fri 7am-3pm")]
)
def test_the_title_subtitle_is_the_whole_hours(prompt: str, sub: str) -> None:
    assert title_for(read_brief(prompt))[1] == sub


def test_a_day_with_a_clock_time_keeps_its_days() -> None:
    b = read_brief("Bakery ad: croissants 2 for $5, open daily 7am")
    assert list(b.when) == ["daily 7am"] and title_for(b)[1] == "Open daily 7am"
    assert is_hours("daily 7am") and not is_hours("June 14, 7pm")


# ── an offer keeps what it buys ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "line"),
    [(BIKE, "Tune-ups from $35."), (CAFE, "Flat whites $4.")],
)
def test_an_offer_keeps_what_costs_its_price(prompt: str, line: str) -> None:
    assert line in _said(prompt)
    assert "$35" not in _shown(_scenes(prompt), "list")


@pytest.mark.parametrize(
    ("prompt", "rows", "line"),
    [
        ("Bakery ad: croissants 2 for $5, coffee $3, muffins 3 for $6",
         [("croissants", "2 for $5"), ("coffee", "$3"), ("muffins", "3 for $6")], "Croissants, 2 for $5."),
        ("Juice bar promo: smoothies 2 for $9, cold-pressed juice $6",
         [("smoothies", "2 for $9"), ("cold-pressed juice", "$6")], "Smoothies, 2 for $9."),
    ],
)  # fmt: skip
def test_a_count_for_a_price_is_one_offer(prompt: str, rows: list[tuple[str, str]], line: str) -> None:
    scenes = _scenes(prompt)
    listed = [s for s in scenes if s.layout == "list"]
    assert listed and list(listed[0].items) == rows
    said = " ".join(_said(prompt))
    assert line in said and " for, $" not in said and " for," not in said


@pytest.mark.parametrize(
    ("text", "price"), [("croissants 2 for $5", "2 for $5"), ("珍珠奶茶两杯30元", "两杯30元")]
)
def test_the_price_of_an_offer_holds_its_count(text: str, price: str) -> None:
    m = price_of(text)
    assert m and m.group(0) == price


def test_an_offer_with_its_day_is_said_as_written() -> None:
    said = _said("Pizza shop promo: large pizza $12, 2 for $20 on Tuesdays, free delivery over $30")
    assert "2 for $20 on Tuesdays." in said


# ── a big number's headline never says its label again ───────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "head"),
    [
        (
            "A 15-second promo for Stride Shoes: 30% off all shoes this weekend only, 12 Oak Street",
            "Stride Shoes",
        ),
        ("Shoe store ad: 30% off all shoes this weekend only", "Shoe store"),
        ("Ad for Pine & Co: 40% off all sofas until Sunday", "Pine & Co"),
    ],
)
def test_a_big_numbers_headline_is_not_its_label(prompt: str, head: str) -> None:
    stats = [s for s in _scenes(prompt) if s.layout == "stat"]
    assert stats, [s.layout for s in _scenes(prompt)]
    st = stats[0]
    assert st.headline == head
    assert st.label.lower() not in st.headline.lower() and st.headline.lower() not in st.label.lower()


# ── an age is said once, in the wish ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "age"),
    [
        ("给妈妈的生日祝福视频，30秒，温馨一点，妈妈今年60岁", "60"),
        ("爸爸生日快乐视频，爸爸今年七十岁，喜欢钓鱼", "70"),
    ],
)
def test_a_chinese_birthday_says_its_age_once(prompt: str, age: str) -> None:
    said = _said(prompt)
    assert sum(age in s for s in said) == 1, said
    assert not any(s.endswith(f"今年{age}岁。") for s in said), said


def test_an_english_birthday_leaves_no_fragment_of_the_age() -> None:
    said = " ".join(_said("Birthday video for my dad, he turns 70 this year, warm tone"))
    assert "70th" in said and "he this year" not in said.lower()


# ── an ad closes in whole sentences ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "close"), [(BIKE, "Visit our bike repair shop."), (CAFE, "Visit Bean There.")]
)
def test_an_ad_closes_in_whole_sentences(prompt: str, close: str) -> None:
    assert _said(prompt)[-1].startswith(close)


# ── what the prompt asks away never picks a picture ──────────────────────────────────────────


@pytest.mark.parametrize(
    ("prompt", "gone", "kept"),
    [
        (
            "Silent display loop for the hotel lobby: Aurora Spa open 7am–10pm. no music no voice",
            "music",
            "Aurora Spa",
        ),
        ("lesson for kids about the planets. no background music", "music", "planets"),
        ("Ad for our bakery without music, make it vertical", "vertical", "bakery"),
        ("给妈妈的生日视频，不要音乐，竖屏", "音乐", "妈妈"),
        ("Jazz night at the Blue Note, live music from 8pm", "", "live music"),
    ],
)
def test_asked_away_words_are_not_the_prompts_words(prompt: str, gone: str, kept: str) -> None:
    words = told_words(prompt)
    assert kept in words and (not gone or gone not in words), words


@pytest.fixture(scope="module")
def lib() -> IconLibrary:
    assert find_icon_root() is not None, "node_modules/@iconify-json is missing: run scripts/setup.sh"
    return IconLibrary.from_settings(Settings())


@pytest.mark.parametrize(
    ("prompt", "lang"),
    [
        ("We need nurses at St. Brigid's Hospital, apply now. 30 sec, no music please", "en"),
        ("Lesson about the planets in order: Mercury, Venus, Earth. no background music", "en"),
        ("读书会通知，周六下午两点，不要背景音乐", "zh"),
    ],
)
def test_no_music_shows_no_music_note(lib: IconLibrary, prompt: str, lang: str) -> None:
    got = scene_picture(
        lib, "See you there" if lang == "en" else "期待与你相见", lang=lang, prompt=prompt, genre="promo"
    )
    assert "musical" not in got and "music" not in got, got
