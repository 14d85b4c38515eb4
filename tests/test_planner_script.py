"""Narration: about the subject, in the prompt's language, sized to the length, read like copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from promptreel.agent.planner import plan
from promptreel.agent.script import RATE, units
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


MENTIONS = {
    "coffee brand": ("coffee",),
    "solar-powered backpack": ("backpack", "solar"),
    "vaccines": ("vaccine",),
    "birthday": ("Anna",),
    "bakery": ("bakery", "bread", "croissants", "coffee"),
    "咖啡品牌": ("咖啡",),
    "运动鞋": ("运动鞋",),
    "team update": ("revenue", "12 percent", "new hires", "launch", "Friday"),
}


@pytest.mark.parametrize("prompt", sample_prompts())
def test_script_is_about_the_subject_and_uses_the_prompts_details(prompt: str) -> None:
    key = next(k for k in MENTIONS if k in prompt)
    script = plan(prompt).script
    for word in MENTIONS[key]:
        assert word.lower() in script.lower(), (word, script)


def test_scripts_differ_between_prompts() -> None:
    scripts = [plan(p).script for p in sample_prompts()]
    assert len(set(scripts)) == len(scripts)
    hooks = [plan(p).scenes[0].text for p in sample_prompts()]
    assert len(set(hooks)) == len(hooks)


@pytest.mark.parametrize("prompt", sample_prompts())
def test_shape_hook_body_cta_and_headlines(prompt: str) -> None:
    board = plan(prompt)
    beats = [s.beat for s in board.scenes]
    assert beats[0] == "hook" and beats[-1] == "cta"
    assert 3 <= beats.count("body") <= 6
    for s in board.scenes:
        assert s.text.strip() and s.headline.strip()
        assert s.keywords
        if board.lang == "zh":
            assert len(s.headline) <= 8
        else:
            assert 1 <= len(s.headline.split()) <= 5
        assert s.text[-1] in ".!?。！？", s.text  # whole sentences
    assert len({s.headline for s in board.scenes}) == len(board.scenes)


@pytest.mark.parametrize("prompt", sample_prompts())
def test_sized_to_the_length_at_a_natural_pace(prompt: str) -> None:
    board = plan(prompt)
    rate = RATE[board.lang] * board.speed
    speech_s = sum(units(s.text, board.lang) for s in board.scenes) / rate
    room_s = (board.target_ms * 0.90 - len(board.scenes) * SCENE_PAD_MS) / 1000
    assert speech_s <= room_s, (speech_s, room_s)
    assert speech_s >= 0.5 * room_s, "the narration leaves most of the video silent"


@pytest.mark.parametrize("seconds", [5, 8, 12, 20, 40, 90, 180, 600])
def test_any_length_gets_a_fitting_script(seconds: int) -> None:
    board = plan(f"a {seconds}-second promo for a coffee brand")
    assert board.target_ms == seconds * 1000
    speech_ms = sum(units(s.text, "en") for s in board.scenes) / (RATE["en"] * board.speed) * 1000
    assert speech_ms + len(board.scenes) * SCENE_PAD_MS <= board.target_ms
    assert board.scenes[0].beat == "hook"


def test_chinese_prompts_get_chinese_narration() -> None:
    for prompt in ("为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕", "做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快",
                   "做一个关于熊猫的一分钟科普视频", "给我妹妹小雨做一个生日祝福视频"):  # fmt: skip
        board = plan(prompt)
        assert board.lang == "zh"
        for s in board.scenes:
            cjk = len(re.findall(r"[\u4e00-\u9fff]", s.text))
            assert cjk >= 0.8 * len(re.sub(r"[\s，。！？：、；,.!?:]", "", s.text)), s.text
            assert re.search(r"[\u4e00-\u9fff]", s.headline)
        assert re.search(r"[\u4e00-\u9fff]", board.title)


def test_team_update_has_a_chart_for_twelve_percent() -> None:
    board = plan("a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday")
    charts = [s.chart for s in board.scenes if s.chart is not None]
    pct = [c for c in charts if c.unit == "%"]
    assert pct and pct[0].values == (12,)
    assert pct[0].to_meta() == {"type": "counter", "values": [12], "labels": ["Revenue"], "unit": "%"}
    assert any("12 percent" in s.text for s in board.scenes if s.chart is not None)


def test_generic_subjects_read_as_sentences_about_them() -> None:
    for prompt, word in [
        ("a 30-second promo for our yoga studio", "yoga studio"),
        ("a launch teaser for a smart water bottle", "smart water bottle"),
        ("explain how tides work in 40 seconds", "tides"),
        ("a video about the history of jazz", "history of jazz"),
        ("a thank-you video for my colleague Priya", "Priya"),
    ]:
        board = plan(prompt)
        assert word.lower() in board.script.lower(), board.script
        assert "{" not in board.script and "}" not in board.script
        assert "  " not in board.script


def test_a_script_in_the_prompt_is_used_word_for_word() -> None:
    prompt = (
        'make a 30s video with this script: "Mornings are hard. Our cold brew makes them easy. '
        'Smooth, strong, and ready when you are. Find it in the fridge aisle today."'
    )
    board = plan(prompt)
    spoken = " ".join(s.text for s in board.scenes)
    assert spoken == (
        "Mornings are hard. Our cold brew makes them easy. Smooth, strong, and ready when you are. "
        "Find it in the fridge aisle today."
    )
    assert board.scenes[0].beat == "hook" and board.scenes[-1].beat == "cta"


def test_same_prompt_same_script() -> None:
    for p in sample_prompts():
        assert plan(p).script == plan(p).script


def test_occasions_get_their_own_words() -> None:
    anniversary = plan("an anniversary video for my wife Maria, warm and romantic")
    assert anniversary.title == "Happy Anniversary, Maria!"
    assert "romantic" not in anniversary.script  # a tone, not a thing to talk about
    assert anniversary.scenes[-1].text.startswith("I love you, Maria")
    thanks = plan("thank you video for our volunteers")
    assert thanks.scenes[0].text.startswith("Thank you, volunteers!")
    mum = plan("给妈妈的生日祝福视频，温馨")
    assert mum.scenes[0].text.startswith("妈妈，生日快乐")


def test_how_to_tutorials_are_step_by_step() -> None:
    board = plan("a 1 minute tutorial on how to brew pour-over coffee")
    assert "how to brew pour-over coffee" in board.scenes[0].text
    steps = [s.text.split(",")[0] for s in board.scenes[1:-1]]
    assert steps[0] == "First" and steps[-1] == "Finally"


def test_names_in_the_prompt_become_titles_and_sign_offs() -> None:
    game = plan('Create a cinematic trailer for our indie game "Starfall", 45 seconds')
    assert game.title == "Starfall" and game.mood == "cinematic"
    assert "Starfall" in game.script
    brand = plan("promo for Brew & Co., a specialty coffee roaster in Brooklyn")
    assert brand.title == "Brew & Co." and brand.mood == "warm"
    assert brand.scenes[-1].text.endswith("Brew & Co.")
    assert not any("roaster in Brooklyn" in s.text for s in brand.scenes)  # a description, not a beat


def test_travel_and_lists_read_naturally() -> None:
    lisbon = plan("use my photos to make a 20 second travel video about Lisbon")
    assert "Lisbon" in lisbon.scenes[0].text and "Lisbon" in lisbon.scenes[-1].text
    app = plan("a product demo for our project management app: kanban boards, time tracking, team chat")
    body = [s.text for s in app.scenes if s.beat == "body"]
    assert body[0] == "First up: kanban boards."
    assert all("there's" not in t for t in body)
    report = plan("quarterly report: sales up 23%, churn down 4%, 120 new customers")
    assert "sales are up 23 percent" in report.script and "Churn is down 4 percent" in report.script


def test_chinese_update_facts_and_dates() -> None:
    board = plan("做一个30秒的团队周报：营收增长20%，新增5个客户，下周五发布新版本")
    charts = [s.chart for s in board.scenes if s.chart]
    assert [(c.values, c.unit) for c in charts] == [((20,), "%"), ((5,), "")]  # "周五" is a day, not a number
    assert "团队周报" in board.scenes[0].text
