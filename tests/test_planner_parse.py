"""The planner reads prompts: duration, aspect, language, mood, subject, content, music, look."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promptreel.agent import planner
from promptreel.agent.planner import (
    parse_canvas,
    parse_duration,
    parse_genre,
    parse_mood,
    parse_music_style,
    plan,
    read_brief,
)
from promptreel.errors import InvalidRequest

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "prompts" / "generate.txt"


def sample_prompts() -> list[str]:
    if not SAMPLES.is_file():  # a clone outside the workspace: the same eight lines
        return [
            "generate a 30-second video from my script about a coffee brand",
            "a 20 second product launch teaser for a solar-powered backpack, upbeat music, vertical for TikTok",
            "make a 45-second explainer on how vaccines train the immune system, calm narration, 16:9",
            "a short birthday greeting video for my sister Anna, with confetti and a happy song, square",
            "create a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone",
            "为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕",
            "做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快",
            "a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday",
        ]
    lines = SAMPLES.read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


# prompt fragment → (ms, (w, h), lang, mood or None, music or None)
EXPECTED = {
    "coffee brand": (30_000, (1920, 1080), "en", "warm", None),
    "solar-powered backpack": (20_000, (1080, 1920), "en", "upbeat", "upbeat"),
    "vaccines": (45_000, (1920, 1080), "en", "calm", "calm"),
    "birthday": (15_000, (1080, 1080), "en", "happy", "happy"),
    "bakery": (30_000, (1920, 1080), "en", "warm", "warm"),
    "咖啡品牌": (30_000, (1920, 1080), "zh", "warm", "warm"),
    "运动鞋": (15_000, (1080, 1920), "zh", "energetic", "energetic"),
    "team update": (60_000, (1920, 1080), "en", "corporate", "corporate"),
}


def test_every_sample_prompt_is_covered() -> None:
    prompts = sample_prompts()
    assert len(prompts) >= 8
    for p in prompts:
        assert any(k in p for k in EXPECTED), p


@pytest.mark.parametrize("prompt", sample_prompts())
def test_sample_prompts_plan_with_the_right_length_shape_language_and_mood(prompt: str) -> None:
    key = next(k for k in EXPECTED if k in prompt)
    ms, (w, h), lang, mood, music = EXPECTED[key]
    board = plan(prompt)
    assert board.target_ms == ms
    assert (board.canvas.width, board.canvas.height, board.canvas.fps) == (w, h, 30)
    assert board.lang == lang
    if mood:
        assert board.mood == mood
    if music:
        assert board.music_style == music
    assert 3 <= len(board.palette) <= 5
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in board.palette)
    assert board.scenes[0].beat == "hook"
    shown = [board.title, board.subtitle] + [t for s in board.scenes for t in (s.text, s.headline)]
    for instruction in INSTRUCTIONS:
        assert not any(instruction in t.lower() for t in shown), (instruction, shown)


#: words that tell the planner how to make the video; never spoken, shown or used as a title
INSTRUCTIONS = (
    "30-second", "20 second", "45-second", "60-second", "30s", "vertical", "for tiktok", "16:9", "square",
    "warm tone", "upbeat music", "happy song", "calm narration", "30秒", "15秒", "竖屏", "节奏要快",
    "温暖的色调", "带旁白和字幕",
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("a 30-second video", 30_000),
        ("30s promo", 30_000),
        ("a 30 sec clip", 30_000),
        ("make it 45 seconds long", 45_000),
        ("half a minute about tea", 30_000),
        ("a minute on recycling", 60_000),
        ("a one-minute explainer", 60_000),
        ("a 1.5 minute recap", 90_000),
        ("two minutes about bees", 120_000),
        ("a 2-minute tour", 120_000),
        ("1 minute 30 seconds of highlights", 90_000),
        ("a minute and a half", 90_000),
        ("twenty seconds of hype", 20_000),
        ("45秒的视频", 45_000),
        ("30秒宣传片", 30_000),
        ("三十秒的短片", 30_000),
        ("一分钟的介绍", 60_000),
        ("半分钟的视频", 30_000),
        ("一分半的视频", 90_000),
        ("2 seconds", 5_000),  # clamped
        ("a 20 minute documentary", 600_000),  # clamped
    ],
)
def test_durations_in_english_and_chinese(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


def test_duration_defaults_and_short() -> None:
    assert parse_duration("a video about cats") is None
    assert plan("a video about cats").target_ms == 30_000
    assert plan("a short video about cats").target_ms == 15_000
    assert plan("做一个关于猫的短视频").target_ms == 15_000
    # aspect ratios and "Shorts" are not durations
    assert parse_duration("a 16:9 video, 9:16 too") is None
    assert plan("YouTube Shorts about cats").target_ms == 30_000


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("vertical video", (1080, 1920)),
        ("portrait mode please", (1080, 1920)),
        ("for TikTok", (1080, 1920)),
        ("Instagram Reels clip", (1080, 1920)),
        ("YouTube Shorts", (1080, 1920)),
        ("9:16", (1080, 1920)),
        ("做一个竖屏视频", (1080, 1920)),
        ("a square video", (1080, 1080)),
        ("1:1 for the feed", (1080, 1080)),
        ("an Instagram post", (1080, 1080)),
        ("方形视频", (1080, 1080)),
        ("16:9 please", (1920, 1080)),
        ("landscape", (1920, 1080)),
        ("横屏视频", (1920, 1080)),
        ("a video about breakfast", (1920, 1080)),
    ],
)
def test_aspect(text: str, size: tuple[int, int]) -> None:
    c = parse_canvas(text)
    assert (c.width, c.height, c.fps) == (*size, 30)


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("a warm promo", "warm"),
        ("upbeat teaser", "upbeat"),
        ("fast-paced and energetic", "energetic"),
        ("calm narration", "calm"),
        ("a happy, festive clip", "happy"),
        ("corporate tone", "corporate"),
        ("make it cinematic", "cinematic"),
        ("playful and quirky", "playful"),
        ("温暖的色调", "warm"),
        ("轻快一点", "upbeat"),
        ("平静的感觉", "calm"),
        ("欢快的", "happy"),
        ("节奏要快", "energetic"),
    ],
)
def test_mood_words(text: str, mood: str) -> None:
    assert parse_mood(text) == mood


def test_mood_is_implied_by_genre_and_subject_when_not_asked() -> None:
    assert plan("a birthday video for Tom").mood == "happy"
    assert plan("a quarterly report video").mood == "corporate"
    assert plan("explain how tides work").mood == "calm"
    assert plan("a promo for our coffee shop").mood == "warm"


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("generate a 30-second video from my script about a coffee brand", "coffee brand"),
        ("a 20 second product launch teaser for a solar-powered backpack, upbeat music", "solar-powered backpack"),
        ("make a 45-second explainer on how vaccines train the immune system, calm", "how vaccines train the immune system"),
        ("create a 30s promo for a neighbourhood bakery: fresh bread", "neighbourhood bakery"),
        ("a video about the history of jazz for TikTok", "history of jazz"),
        ("explain how black holes form in 30 seconds", "how black holes form"),
        ("a video about the ocean", "ocean"),
        ("a 15-second promo for Sunny Yoga, no music", "Sunny Yoga"),
        ("为一家咖啡品牌生成一个30秒的宣传视频", "咖啡品牌"),
        ("做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快", "运动鞋"),
        ("做一个关于熊猫的视频", "熊猫"),
    ],
)  # fmt: skip
def test_subject(text: str, subject: str) -> None:
    assert read_brief(text).subject == subject


def test_greeting_recipient_and_occasion() -> None:
    b = read_brief(
        "a short birthday greeting video for my sister Anna, with confetti and a happy song, square"
    )
    assert (b.purpose, b.genre, b.recipient, b.occasion) == ("greeting", "greeting", "Anna", "birthday")
    # "a happy song" and "square" describe the video, not the subject
    assert not any("song" in t or "square" in t for t in b.content_texts())


def test_listed_things_skip_style_words() -> None:
    b = read_brief(
        "create a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone"
    )
    assert [i.text for i in b.items] == ["fresh bread at dawn", "croissants", "coffee"]
    assert b.mood == "warm"
    b = read_brief("make a 45-second explainer on how vaccines train the immune system, calm narration, 16:9")
    assert b.items == () and b.stats == () and b.points == ()


def test_figures_with_numbers_are_stats() -> None:
    b = read_brief("a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday")
    assert b.genre == "update"
    assert b.stats == ("revenue up 12%",)
    assert "two new hires" in b.points
    assert "next Friday" in " ".join(b.when)
    zh = read_brief("做一个团队周报视频：营收增长15%，新招3名同事")
    assert zh.purpose == "update" and any("15%" in s for s in zh.stats)
    board = plan("a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday")
    stat = next(s for s in board.scenes if s.layout == "stat")
    assert stat.value == "12%"


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("a promo with lo-fi music", "lofi"),
        ("a lofi study video", "lofi"),
        ("birthday video with a happy song", "happy"),
        ("a teaser with upbeat music", "upbeat"),
        ("an ad with some acoustic guitar", "warm"),
        ("a calm explainer", "calm"),
        ("a corporate update", "corporate"),
        ("用钢琴配乐", "calm"),
    ],
)
def test_music_style(text: str, style: str) -> None:
    assert parse_music_style(text, parse_mood(text)) == style


def test_genres() -> None:
    assert parse_genre("a birthday greeting for Mum") == "greeting"
    assert parse_genre("weekly team update: revenue up") == "update"
    assert parse_genre("an explainer on black holes") == "explainer"
    assert parse_genre("a launch teaser for our app") == "teaser"
    assert parse_genre("a promo for a bakery") == "promo"
    assert parse_genre("a video about the ocean") == "story"


def test_language_and_media_hints() -> None:
    assert plan("a video about tea").lang == "en"
    assert plan("一个关于茶的视频").lang == "zh"
    assert plan("a video about my trip, use my photos and my video").media_hints == ("my photos", "my video")
    assert plan("用我的照片做一个旅行视频").media_hints == ("我的照片",)
    assert plan("a video about tea").media_hints == ()


def test_same_prompt_same_storyboard_and_seed_varies() -> None:
    p = "a 30s promo for a candle shop"
    assert plan(p) == plan(p)
    assert plan(p).seed == planner.prompt_seed(p)
    # the seed varies the look; the words come from the prompt alone
    looks = {(plan(p, seed=s).palette, tuple(x.motion for x in plan(p, seed=s).scenes)) for s in range(12)}
    assert len(looks) >= 2
    assert len({plan(p, seed=s).script for s in range(12)}) == 1


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_prompt_is_refused(bad: str) -> None:
    with pytest.raises(InvalidRequest):
        plan(bad)


WORDS = st.sampled_from(
    [
        "a",
        "the",
        "30-second",
        "2",
        "minutes",
        "half",
        "minute",
        "for",
        "about",
        "my",
        "sister",
        "Anna",
        "promo",
        "teaser",
        "vertical",
        "square",
        "16:9",
        "9:16",
        "coffee",
        "bakery:",
        "revenue",
        "up",
        "12%",
        ",",
        "with",
        "and",
        "launch",
        "next",
        "Friday",
        "calm",
        "upbeat",
        "lo-fi",
        "music",
        '"',
        "视频",
        "30秒",
        "竖屏",
        "介绍",
        "我们的",
        "咖啡",
        "为",
        "一家",
        "生成",
        "温暖",
        "：",
        "，",
        "增长",
        "5%",
        "explain",
        "how",
        "why",
        "birthday",
        "thank",
        "you",
        "report",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=30).map(" ".join)))
def test_any_prompt_plans_or_is_refused_clearly(prompt: str) -> None:
    if not prompt.split():
        with pytest.raises(InvalidRequest):
            plan(prompt)
        return
    try:
        board = plan(prompt)
    except InvalidRequest as exc:  # nothing to put in a video: said plainly, with an example
        assert "tell me what it is about" in exc.message or "告诉我视频讲什么" in exc.message
        return
    assert 5_000 <= board.target_ms <= 600_000
    assert board.scenes
    for s in board.scenes:  # every scene shows something; a scene may be silent
        assert s.headline.strip() or s.items or s.quote or s.value or s.imagery
        assert not s.text or s.text.strip() == s.text
        assert not board.narration or not s.text or s.text[-1] in ".!?。！？…"
    assert "{" not in board.script
    assert board == plan(prompt)


def test_voice_wishes() -> None:
    assert plan("a 30s promo for a bakery with a female voice").voice == "female"
    assert plan("an explainer on tides, male narrator").voice == "male"
    assert plan("用女声做一个咖啡宣传视频").voice == "female"
    assert plan("a video about tides").voice == ""


def test_chinese_subjects_named_before_de() -> None:
    assert read_brief("做一个新款智能手表的预告视频").subject.endswith("智能手表")
    assert read_brief("做一个智能手表的发布预告").subject == "智能手表"
    board = plan("做一个智能手表的发布预告")
    assert "智能手表" in board.script and "全新全新" not in board.script
