"""Narration: only the prompt's content, in its language, sized to the length; instructions never said."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from promptreel.agent.planner import plan
from promptreel.agent.storyboard import SCENE_PAD_MS

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "prompts" / "generate.txt"
FALLBACK = (
    "generate a 30-second video from my script about a coffee brand",
    "a 20 second product launch teaser for a solar-powered backpack, upbeat music, vertical for TikTok",
    "make a 45-second explainer on how vaccines train the immune system, calm narration, 16:9",
    "a short birthday greeting video for my sister Anna, with confetti and a happy song, square",
    "create a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone",
    "为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕",
    "做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快",
    "a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday",
)


def sample_prompts() -> list[str]:
    if not SAMPLES.is_file():
        return list(FALLBACK)
    lines = SAMPLES.read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


#: words per second (EN) and characters per second (ZH) of a natural voice
PACE = {"en": 3.0, "zh": 4.0}


def units(text: str, lang: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text)) if lang == "zh" else len(text.split())


#: content each sample prompt gives, which the narration must carry
MENTIONS = {
    "coffee brand": ("coffee",),
    "solar-powered backpack": ("backpack", "solar"),
    "vaccines": ("vaccines",),
    "birthday": ("Anna",),
    "bakery": ("bakery", "fresh bread at dawn", "croissants", "coffee"),
    "咖啡品牌": ("咖啡",),
    "运动鞋": ("运动鞋",),
    "team update": ("revenue", "12", "two new hires", "Friday"),
}
#: instructions: never spoken, shown as a headline, or used as the title
INSTRUCTIONS = (
    "30-second", "20 second", "45-second", "60-second", "30s", "vertical", "for tiktok", "16:9", "square",
    "warm tone", "upbeat music", "happy song", "calm narration", "from my script", "30秒", "15秒", "竖屏",
    "节奏要快", "温暖的色调", "带旁白", "字幕",
)  # fmt: skip


def shown_and_said(board: object) -> list[str]:
    out = [board.title, board.subtitle]  # type: ignore[attr-defined]
    for s in board.scenes:  # type: ignore[attr-defined]
        out += [s.text, s.headline, s.quote, s.label, *(t for t, _ in s.items)]
    return [t for t in out if t]


@pytest.mark.parametrize("prompt", sample_prompts())
def test_narration_uses_the_prompts_content(prompt: str) -> None:
    key = next(k for k in MENTIONS if k in prompt)
    script = plan(prompt).script
    for word in MENTIONS[key]:
        assert word.lower() in script.lower(), (word, script)


@pytest.mark.parametrize(
    "prompt",
    [
        *sample_prompts(),
        "a 30-second vertical promo for TikTok for our juice bar: cold-pressed juices, smoothies and açaí bowls, upbeat music",
        "a 30s explainer on how solar panels work, 16:9, warm tone",
        "做一个30秒的竖屏视频，介绍我们的花店：玫瑰、郁金香和向日葵，节奏要快",
    ],
)
def test_no_instruction_is_ever_said_or_shown(prompt: str) -> None:
    board = plan(prompt)
    for text in shown_and_said(board):
        for w in INSTRUCTIONS:
            assert w not in text.lower(), (w, text)


def test_scripts_differ_between_prompts() -> None:
    scripts = [plan(p).script for p in sample_prompts()]
    assert len(set(scripts)) == len(scripts)


@pytest.mark.parametrize("prompt", sample_prompts())
def test_shape_opening_scenes_and_whole_sentences(prompt: str) -> None:
    board = plan(prompt)
    assert board.scenes[0].beat == "hook"
    assert all(s.beat in ("hook", "key", "body", "cta") for s in board.scenes)
    for s in board.scenes:
        assert s.headline.strip()
        assert s.keywords
        if s.text:
            assert s.text[-1] in ".!?。！？", s.text  # whole sentences
            assert "{" not in s.text and "  " not in s.text


@pytest.mark.parametrize("prompt", sample_prompts())
def test_sized_to_the_length_at_a_natural_pace(prompt: str) -> None:
    board = plan(prompt)
    rate = PACE[board.lang] * board.speed
    speech_s = sum(units(s.text, board.lang) for s in board.scenes) / rate
    room_s = (board.target_ms * 0.90 - len(board.scenes) * SCENE_PAD_MS) / 1000
    assert speech_s <= room_s, (speech_s, room_s)


@pytest.mark.parametrize("seconds", [5, 8, 12, 20, 40, 90, 180, 600])
def test_any_length_gets_a_fitting_script(seconds: int) -> None:
    board = plan(f"a {seconds}-second promo for a coffee brand")
    assert board.target_ms == seconds * 1000
    speech_ms = sum(units(s.text, "en") for s in board.scenes) / (PACE["en"] * board.speed) * 1000
    assert speech_ms <= board.target_ms
    assert board.scenes[0].beat == "hook"
    assert not any(str(seconds) in t for t in shown_and_said(board))


def test_chinese_prompts_get_chinese_narration() -> None:
    for prompt in ("为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕", "做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快",
                   "做一个关于熊猫的一分钟科普视频", "给我妹妹小雨做一个生日祝福视频"):  # fmt: skip
        board = plan(prompt)
        assert board.lang == "zh"
        for s in board.scenes:
            cjk = len(re.findall(r"[\u4e00-\u9fff]", s.text))
            assert cjk >= 0.8 * len(re.sub(r"[\s，。！？：、；,.!?:]", "", s.text)), s.text
            assert re.search(r"[\u4e00-\u9fff]", s.headline)
        assert not board.title or re.search(r"[\u4e00-\u9fff]", board.title)


def test_a_birthday_greeting_names_only_the_recipient() -> None:
    board = plan("给我妹妹小雨做一个生日祝福视频")
    assert board.scenes[0].layout == "greeting"
    assert "小雨" in board.scenes[0].text
    assert "做一个" not in board.script and "做一个" not in board.subtitle


def test_team_update_shows_its_figure_as_a_stat() -> None:
    board = plan("a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday")
    stat = next(s for s in board.scenes if s.layout == "stat")
    assert stat.value == "12%" and "12" in stat.text
    assert any(s.layout == "place" and any("Friday" in t for t, _ in s.items) for s in board.scenes)


def test_nothing_is_said_about_a_subject_the_prompt_did_not_give() -> None:
    for prompt in (
        "a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday",
        "quarterly report: sales up 23%, churn down 4%, 120 new customers",
        "做一个30秒的团队周报：营收增长20%，新增5个客户，下周五发布新版本",
    ):
        board = plan(prompt)
        lines = [s.text for s in board.scenes if s.text]
        assert not any(re.search(r"\b(?:the us|us\.)$|^(?:meet|that's) us\b", t, re.I) for t in lines), lines
        assert not any(t in ("我们。", "我们来了。") for t in lines), lines


@pytest.mark.parametrize(
    ("prompt", "kind", "values"),
    [
        ("a 20s travel teaser for Lisbon, visitors: 2019 4.5M, 2022 3.9M, 2023 5.2M, with a bar chart", "bar", (4.5, 3.9, 5.2)),
        ("a monthly update with a line chart, orders: Jan 120, Feb 150, Mar 210", "line", (120, 150, 210)),
        ("杭州旅游预告片，配一个柱状图，游客人数：2019年1200万，2023年1500万", "bar", (1200, 1500)),
    ],
)  # fmt: skip
def test_a_chart_prompt_with_numbers_gets_a_chart_scene(
    prompt: str, kind: str, values: tuple[float, ...]
) -> None:
    board = plan(prompt)
    charts = [s for s in board.scenes if s.layout == "chart"]
    assert len(charts) == 1, [s.layout for s in board.scenes]
    chart = charts[0].chart
    assert chart is not None and chart.type == kind and chart.values == values
    assert not any("chart" in t.lower() or "图" in t for t in shown_and_said(board))


def test_listed_items_appear() -> None:
    board = plan(
        "create a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone"
    )
    listed = next(s for s in board.scenes if s.layout == "list")
    assert [t for t, _ in listed.items] == ["fresh bread at dawn", "croissants", "coffee"]
    app = plan("a product demo for our project management app: kanban boards, time tracking, team chat")
    listed = next(s for s in app.scenes if s.layout == "list")
    assert [t for t, _ in listed.items] == ["kanban boards", "time tracking", "team chat"]
    assert all(w in app.script for w in ("kanban boards", "time tracking", "team chat"))


def test_steps_are_numbered_steps() -> None:
    board = plan(
        "a 1 minute tutorial on how to brew pour-over coffee: grind the beans, heat the water, pour slowly, serve"
    )
    steps = next(s for s in board.scenes if s.layout == "steps")
    assert [t for t, _ in steps.items] == ["grind the beans", "heat the water", "pour slowly", "serve"]
    assert "pour-over coffee" in board.script


def test_a_menu_is_a_board_with_prices_and_no_voice() -> None:
    board = plan("a menu screen for our café: latte $4.50, cappuccino $4.00, flat white $4.20")
    assert board.narration is False and board.captions is False
    menu = next(s for s in board.scenes if s.layout == "list")
    assert menu.items == (("latte", "$4.50"), ("cappuccino", "$4.00"), ("flat white", "$4.20"))
    assert menu.min_ms > 0  # the board stays up long enough to read


def test_a_script_in_the_prompt_is_used_word_for_word() -> None:
    prompt = (
        'make a 30s video with this script: "Mornings are hard. Our cold brew makes them easy. '
        'Smooth, strong, and ready when you are. Find it in the fridge aisle today."'
    )
    board = plan(prompt)
    spoken = " ".join(s.text for s in board.scenes if s.text)
    assert spoken == (
        "Mornings are hard. Our cold brew makes them easy. Smooth, strong, and ready when you are. "
        "Find it in the fridge aisle today."
    )
    assert board.scenes[0].beat == "hook"
    zh = plan("做一个30秒的视频，旁白：春天来了，花都开了。我们在公园等你。")
    assert "".join(s.text for s in zh.scenes if s.text) == "春天来了，花都开了。我们在公园等你。"


def test_same_prompt_same_script() -> None:
    for p in sample_prompts():
        assert plan(p).script == plan(p).script


def test_occasions_get_their_own_words() -> None:
    anniversary = plan("an anniversary video for my wife Maria, warm and romantic")
    assert anniversary.title.startswith("Happy Anniversary") and "Maria" in anniversary.title
    assert "romantic" not in anniversary.script.lower()  # a tone, not a thing to talk about
    mum = plan("给妈妈的生日祝福视频，温馨")
    assert mum.scenes[0].text.startswith("妈妈，生日快乐")
    assert "温馨" not in mum.script
    moon = plan("做一个中秋节祝福视频，送给客户，温馨一点")
    assert moon.scenes[0].layout == "greeting" and "中秋" in moon.title
    assert "客户" in moon.scenes[0].text


def test_names_in_the_prompt_become_titles() -> None:
    game = plan('Create a cinematic trailer for our indie game "Starfall", 45 seconds')
    assert "Starfall" in game.title and game.mood == "cinematic"
    assert "Starfall" in game.script
    brand = plan("promo for Brew & Co., a specialty coffee roaster in Brooklyn")
    assert brand.title == "Brew & Co." and brand.mood == "warm"
    assert "Brew & Co." in brand.script and ".." not in brand.script


def test_travel_subjects_are_named() -> None:
    lisbon = plan("use my photos to make a 20 second travel video about Lisbon")
    assert "Lisbon" in lisbon.script and lisbon.media_hints == ("my photos",)
    assert "make a" not in lisbon.script.lower()


def test_chinese_update_stats_and_dates() -> None:
    board = plan("做一个30秒的团队周报：营收增长20%，新增5个客户，下周五发布新版本")
    stats = [s for s in board.scenes if s.layout == "stat"]
    assert [s.value for s in stats] == ["20%"]  # "周五" is a day, not a number
    assert "新增5个客户" in board.script
