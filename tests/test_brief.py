"""The brief: a prompt read into settings (how to make the video) and content (what it says).

Settings never leak into content; content is kept as the user wrote it (quotes, names, prices,
figures, dates, addresses, lists, the user's own script). EN and ZH, several wordings per shape.
"""

from __future__ import annotations

import pytest

from promptreel.agent.brief import Brief, read_brief
from promptreel.errors import InvalidRequest


def texts(b: Brief) -> list[str]:
    return [i.text for i in b.items]


def every_content_string(b: Brief) -> list[str]:
    return [b.subject, b.place, *b.content_texts(), b.user_script, *b.quotes]


# ── recruiting: a quoted line and a list of roles ──────────────────────────────────────────


def test_recruiting_ad_keeps_the_quoted_line_and_lists_the_roles() -> None:
    b = read_brief(
        "a 30-second recruiting video for Nimbus Robotics: we are hiring backend engineers, designers "
        'and a product manager. Include the line "Build what moves you". Apply at nimbus.dev/jobs'
    )
    assert b.purpose == "recruiting" and b.target_ms == 30_000
    assert b.subject == "Nimbus Robotics"
    assert b.slogan == "Build what moves you" and b.quotes == ("Build what moves you",)
    assert texts(b) == ["backend engineers", "designers", "product manager"]
    assert "nimbus.dev/jobs" in b.actions
    assert not any("include the line" in t.lower() for t in every_content_string(b))


def test_recruiting_ad_in_chinese() -> None:
    b = read_brief("做一个招聘视频：我们招前端工程师、产品经理和设计师，加上一句“和我们一起改变世界”")
    assert (b.lang, b.purpose) == ("zh", "recruiting")
    assert b.slogan == "和我们一起改变世界"
    assert {"产品经理", "设计师"} <= set(texts(b))
    assert any(t.endswith("前端工程师") for t in texts(b))
    # the quoted line is a quote, not one more role
    assert not any("改变世界" in t for t in texts(b)), texts(b)


# ── lessons: "the four kinds of …: a, b, c and d" ─────────────────────────────────────────


def test_lesson_counts_the_kinds_and_items_share_the_head_noun() -> None:
    b = read_brief(
        "a 1-minute lesson for primary school kids on the four kinds of household waste: "
        "recyclable, kitchen, hazardous and other waste"
    )
    assert b.purpose == "lesson" and b.target_ms == 60_000
    assert b.audience == "primary school kids"
    assert b.count == 4 and b.noun == "kinds of household waste"
    assert texts(b) == ["recyclable waste", "kitchen waste", "hazardous waste", "other waste"]


def test_explainer_with_three_types_in_other_words() -> None:
    b = read_brief("a video explaining the three types of clouds: cumulus, stratus and cirrus")
    assert b.purpose == "explainer"
    assert b.count == 3 and "types of clouds" in b.noun
    assert texts(b) == ["cumulus", "stratus", "cirrus"]


def test_a_class_the_video_advertises_is_content_not_a_lesson() -> None:
    b = read_brief(
        "A 20-second reel for our yoga studio's new sunrise class: Mondays and Thursdays at 6:30am, "
        "first class free, 12 Harbour Street"
    )
    assert b.purpose != "lesson"
    assert "first class free" in every_content_string(b)
    assert "sunrise class" in b.subject
    for prompt in ("a short class on fractions for grade 5", "a class video about volcanoes"):
        assert read_brief(prompt).purpose == "lesson", prompt


def test_lesson_in_chinese() -> None:
    b = read_brief("给小学生讲一节课，介绍垃圾的四种分类：可回收物、厨余垃圾、有害垃圾和其他垃圾")
    assert (b.lang, b.purpose, b.audience) == ("zh", "lesson", "小学生")
    assert b.count == 4
    assert texts(b) == ["可回收物", "厨余垃圾", "有害垃圾", "其他垃圾"]


# ── menus: prices kept as written ──────────────────────────────────────────────────────────


def test_menu_keeps_names_and_prices_as_written() -> None:
    b = read_brief(
        "a menu screen for our café: latte $4.50, cappuccino $4.00, flat white $4.20, croissant $3.00"
    )
    assert b.purpose == "menu" and b.list_kind == "menu"
    assert [(i.text, i.value) for i in b.items] == [
        ("latte", "$4.50"),
        ("cappuccino", "$4.00"),
        ("flat white", "$4.20"),
        ("croissant", "$3.00"),
    ]
    assert b.subject == "café"


def test_price_list_in_other_words() -> None:
    b = read_brief("a price list for Tony's Barbershop: haircut $25, beard trim $15, hot towel shave $30")
    assert b.list_kind == "menu"
    assert [(i.text, i.value) for i in b.items] == [
        ("haircut", "$25"),
        ("beard trim", "$15"),
        ("hot towel shave", "$30"),
    ]
    assert b.subject == "Tony's Barbershop"


def test_menu_in_chinese() -> None:
    b = read_brief("做一个奶茶店的菜单视频：珍珠奶茶15元，杨枝甘露18元，柠檬茶12元")
    assert (b.lang, b.list_kind) == ("zh", "menu")
    assert [(i.text, i.value) for i in b.items] == [
        ("珍珠奶茶", "15元"),
        ("杨枝甘露", "18元"),
        ("柠檬茶", "12元"),
    ]


# ── figures: a series of numbers ───────────────────────────────────────────────────────────


def test_travel_teaser_reads_a_figure_series() -> None:
    b = read_brief(
        "a 20s travel teaser for Lisbon, visitors: 2019 4.5M, 2022 3.9M, 2023 5.2M, with a bar chart"
    )
    assert b.purpose == "teaser" and b.chart == "bar"
    assert b.subject == "Lisbon"
    assert [(f.label, f.value, f.unit) for f in b.figures] == [
        ("2019", 4.5, "M"),
        ("2022", 3.9, "M"),
        ("2023", 5.2, "M"),
    ]
    assert [f.text for f in b.figures] == ["2019 4.5M", "2022 3.9M", "2023 5.2M"]
    assert not any(f.text in i.text for f in b.figures for i in b.items)


def test_two_years_are_a_series_too() -> None:
    b = read_brief("a travel teaser for Lisbon. Visitors: 2019 4.5M, 2022 3.9M")
    assert [(f.label, f.value, f.unit) for f in b.figures] == [("2019", 4.5, "M"), ("2022", 3.9, "M")]


def test_quarters_are_labels_not_years() -> None:
    b = read_brief("a quarterly update with a line chart, signups: Q1 1200, Q2 1800, Q3 2600")
    assert b.chart == "line"
    assert [(f.label, f.value) for f in b.figures] == [("Q1", 1200), ("Q2", 1800), ("Q3", 2600)]


def test_figure_series_in_chinese() -> None:
    b = read_brief("杭州旅游预告片，游客人数：2019年1200万，2023年1500万")
    assert [(f.label, f.value, f.unit) for f in b.figures] == [("2019", 1200, "万"), ("2023", 1500, "万")]


# ── greetings ──────────────────────────────────────────────────────────────────────────────


def test_mid_autumn_greeting_for_customers() -> None:
    b = read_brief("做一个中秋节祝福视频，送给客户，温馨一点")
    assert (b.lang, b.purpose, b.occasion) == ("zh", "greeting", "mid_autumn")
    assert (b.recipient, b.recipient_group) == ("客户", "customers")
    assert b.mood == "warm"
    assert not any("温馨" in t for t in every_content_string(b))


def test_birthday_greeting_names_the_recipient() -> None:
    b = read_brief(
        "a short birthday greeting video for my sister Anna, with confetti and a happy song, square"
    )
    assert (b.purpose, b.occasion, b.recipient, b.recipient_group) == (
        "greeting",
        "birthday",
        "Anna",
        "family",
    )
    assert (b.width, b.height, b.target_ms, b.music_style) == (1080, 1080, 15_000, "happy")


def test_a_colleague_is_not_family() -> None:
    b = read_brief("birthday wishes for my colleague Priya")
    assert (b.occasion, b.recipient) == ("birthday", "Priya")
    assert b.recipient_group != "family"


# ── flags: no music, no voice-over ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    [
        "a 15-second promo for Sunny Yoga, no music",
        "a clip about our tea house without background music",
        "一个30秒的咖啡店宣传视频，不要背景音乐",
        "做一个花店的宣传视频，不用配乐",
    ],
)
def test_no_music(prompt: str) -> None:
    b = read_brief(prompt)
    assert b.music is False and b.narration is True
    assert not any("music" in t.lower() or "音乐" in t or "配乐" in t for t in every_content_string(b))


@pytest.mark.parametrize(
    "prompt",
    [
        "a 20s ad for our bike repair shop, no voice-over",
        "a 30s ad for Pixel Pet Grooming, no narration",
        "a 30-second video, no music, no voice-over, about our dog shelter",
        "做一个花店的宣传视频，不要旁白",
        "做一个不要配音的宣传视频，介绍我们的花店",
    ],
)
def test_no_voice_over(prompt: str) -> None:
    b = read_brief(prompt)
    assert b.narration is False
    assert not any(
        w in t.lower() for t in every_content_string(b) for w in ("voice", "narration", "旁白", "配音")
    )


def test_both_flags_and_the_subject_survives() -> None:
    b = read_brief("a 30-second video, no music, no voice-over, about our dog shelter")
    assert (b.music, b.narration, b.subject) == (False, False, "dog shelter")
    b = read_brief("a 30s ad for Pixel Pet Grooming, no narration")
    assert b.subject == "Pixel Pet Grooming"


# ── invitations: date, time, street address ────────────────────────────────────────────────


def test_invitation_with_date_time_and_address() -> None:
    b = read_brief(
        "an invitation video to our summer party on Saturday, June 14 at 6pm, at 12 Rose Street, Bristol"
    )
    assert b.purpose == "invitation" and b.subject == "summer party"
    assert any("June 14" in w and "6pm" in w for w in b.when), b.when
    assert b.address == "12 Rose Street, Bristol"


def test_invitation_in_other_words() -> None:
    b = read_brief("invite our neighbours to a street picnic on Sunday, July 6 at 1pm at 40 Elm Road")
    assert b.purpose == "invitation"
    assert any("July 6" in w for w in b.when), b.when
    assert "40 Elm Road" in b.address


def test_invitation_in_chinese() -> None:
    b = read_brief("邀请大家参加我们的年会，12月20日晚上7点，地址：上海市南京西路1266号")
    assert (b.purpose, b.subject) == ("invitation", "年会")
    assert b.when == ("12月20日晚上7点",)
    assert b.address == "上海市南京西路1266号"
    assert b.address not in b.points  # said once, on the date-and-place card


# ── the user's own script ──────────────────────────────────────────────────────────────────


def test_script_after_script_colon_is_verbatim() -> None:
    b = read_brief(
        "make a 30s video for my bakery. script: Every loaf starts before sunrise. "
        "We bake with local flour. Come taste the difference."
    )
    assert (
        b.user_script
        == "Every loaf starts before sunrise. We bake with local flour. Come taste the difference."
    )
    assert b.subject == "bakery" and b.target_ms == 30_000


def test_quoted_script_is_verbatim() -> None:
    b = read_brief(
        'make a 30s video with this script: "Mornings are hard. Our cold brew makes them easy. '
        'Smooth, strong, and ready when you are."'
    )
    assert (
        b.user_script
        == "Mornings are hard. Our cold brew makes them easy. Smooth, strong, and ready when you are."
    )


def test_chinese_script_is_verbatim() -> None:
    b = read_brief("做一个30秒的视频，旁白：春天来了，花都开了。我们在公园等你。")
    assert b.user_script == "春天来了，花都开了。我们在公园等你。"
    assert b.target_ms == 30_000


# ── settings never become content ──────────────────────────────────────────────────────────

INSTRUCTIONS = (
    "30-second",
    "30s",
    "vertical",
    "tiktok",
    "16:9",
    "warm tone",
    "upbeat music",
    "竖屏",
    "节奏要快",
    "30秒",
)


@pytest.mark.parametrize(
    "prompt",
    [
        "a 30-second vertical promo for TikTok for our juice bar: cold-pressed juices, smoothies and açaí bowls, upbeat music",
        "a 30s explainer on how solar panels work, 16:9, warm tone",
        "做一个30秒的竖屏视频，介绍我们的新款运动鞋，节奏要快",
    ],
)
def test_instructions_are_settings_not_content(prompt: str) -> None:
    b = read_brief(prompt)
    for t in every_content_string(b):
        for w in INSTRUCTIONS:
            assert w not in t.lower(), (w, t)


def test_listed_things_are_items() -> None:
    b = read_brief(
        "a 30-second vertical promo for TikTok for our juice bar: cold-pressed juices, smoothies and açaí bowls, upbeat music"
    )
    assert (b.width, b.height, b.music_style) == (1080, 1920, "upbeat")
    assert texts(b) == ["cold-pressed juices", "smoothies", "açaí bowls"]
    assert b.subject == "juice bar"


def test_read_brief_is_deterministic_and_refuses_empty() -> None:
    p = "a menu screen for our café: latte $4.50, cappuccino $4.00"
    assert read_brief(p) == read_brief(p)
    with pytest.raises(InvalidRequest):
        read_brief("   ")
