"""The director: storyboard → raw cut (scenes, narration, uploads) → post-production (music,
title, captions). Fast: fake speech and illustrations; the properties run over any length."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptreel.agent.captioning import caption_phrases, caption_segments
from promptreel.agent.director import (
    BGM_VOLUME,
    CLOSE_HOLD_MS,
    TITLE_MAX_MS,
    post_production,
    raw_cut,
    scene_lengths,
)
from promptreel.agent.planner import plan
from promptreel.agent.storyboard import LEAD_IN_MS, SCENE_PAD_MS, MediaRef, Storyboard
from promptreel.clip import AudioClip
from promptreel.draft import Draft, Meta, Segment, Track, TrackType, codec
from promptreel.generators.fakes import FakeIllustrations, FakeSpeech

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


#: words per second (EN) and characters per second (ZH) of a natural voice
PACE = {"en": 3.0, "zh": 4.0}


def units(text: str, lang: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text)) if lang == "zh" else len(text.split())


def sample_prompts() -> list[str]:
    if not SAMPLES.is_file():
        return list(FALLBACK)
    lines = SAMPLES.read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


class PaceSpeech:
    """Speech at a fixed pace (English words or Chinese characters per second), times ``slow``."""

    def __init__(self, slow: float = 1.0) -> None:
        self.slow = slow
        self.calls: list[str] = []

    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip:
        self.calls.append(text)
        seconds = units(text, lang) / (PACE[lang] * speed) * self.slow
        n = max(1, round(seconds * 1000)) * 16  # 16 kHz
        return AudioClip(np.zeros((n, 1), dtype=np.float32), 16000)


def make(prompt: str, speech: object | None = None, **kw: object) -> tuple[Storyboard, Draft, Draft]:
    board = plan(prompt)
    first = raw_cut(board, speech=speech or FakeSpeech(), illustrations=FakeIllustrations(), **kw)  # type: ignore[arg-type]
    return board, first, post_production(first, board)


def track(d: Draft, role: str) -> Track:
    t = d.first_track(role)
    assert t is not None, f"no {role} track"
    return t


def check_timeline(d: Draft, target: int) -> None:
    """Total = target; scenes tile [0, target); narration inside scenes; captions inside narration."""
    scenes = track(d, "scenes").segments
    assert scenes[0].start == 0
    for a, b in itertools.pairwise(scenes):
        assert b.start == a.end, "gap or overlap between scenes"
    assert scenes[-1].end == target == d.duration
    voices = track(d, "narration").segments
    for v in voices:
        host = next(s for s in scenes if s.start <= v.start < s.end)
        assert v.start == host.start + LEAD_IN_MS
        assert v.end <= host.end
    caps = d.first_track("captions")
    if caps is not None:
        for a, b in zip(caps.segments, caps.segments[1:], strict=False):
            assert b.start >= a.end, "captions overlap"
        for c in caps.segments:
            assert c.duration > 0
            assert any(v.start <= c.start and c.end <= v.end for v in voices), "caption outside its voice"


# ── stage 1 ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("prompt", sample_prompts())
def test_raw_cut_of_every_sample(prompt: str) -> None:
    board, first, _final = make(prompt)
    assert [t.role for t in first.tracks] == ["scenes", "narration"]
    assert (first.canvas.width, first.canvas.height, first.canvas.fps) == (
        board.canvas.width,
        board.canvas.height,
        30,
    )
    check_timeline(first, board.target_ms)
    scenes = track(first, "scenes").segments
    voices = track(first, "narration").segments
    planned = [p for p in board.scenes if p.text or p.layout != "headline"]  # silent scenes show a layout
    kept = iter(planned)
    matched = [
        next(p for p in kept if p.text == seg.meta["text"] and p.headline == seg.meta["headline"])
        for seg in scenes
    ]
    dropped = [p for p in planned if p not in matched]
    assert all(p.beat == "body" for p in dropped), "only body beats are dropped when speech runs long"
    spoken = [seg for seg in scenes if seg.meta["text"]]
    assert len(voices) == len(spoken)
    assert [v.meta["text"] for v in voices] == [seg.meta["text"] for seg in spoken]
    for seg, sp in zip(scenes, matched, strict=True):
        m = seg.meta
        assert seg.kind == "scene"
        assert m["text"] == sp.text
        assert m["headline"] == sp.headline
        assert list(m["palette"]) == list(board.palette)
        assert m["motion"] in ("gradient", "shapes", "particles", "rays", "grid", "waves")
        assert m["transition"] in ("cut", "crossfade", "slide", "wipe", "zoom")
        assert isinstance(m["transition_ms"], int) and isinstance(m["seed"], int)
        assert isinstance(m["icon"], str)
        assert ("chart" in m) == (sp.chart is not None)
        assert m.get("layout", "headline") == sp.layout
    for v in voices:
        assert v.kind == "voice"
        assert (
            v.meta["lang"] == board.lang and v.meta["speed"] == board.speed and v.meta["voice"] == board.voice
        )
    assert scenes[0].meta["transition"] == "cut"
    icons = [s.meta["icon"] for s in scenes if s.meta["icon"]]
    body = icons[:-1]
    # every scene shows a picture; one is shown again (the subject's) only when no fresh one
    # fits, and never twice in a row
    assert all(s.meta["icon"] for s in scenes), "a scene without a picture"
    assert all(a != b for a, b in itertools.pairwise(icons)), "an illustration twice in a row"
    # the closing scene shows something new, or a picture of the video again (never nothing,
    # never the picture of the scene just before)
    last = scenes[-1].meta["icon"]
    assert last and (last not in body or last != body[-1])
    codec.validate(first)


def test_scene_lengths_follow_the_real_speech() -> None:
    speech = FakeSpeech()
    board, first, _ = make(
        "a 60-second weekly team update: revenue up 12%, two new hires, launch next Friday", speech
    )
    scenes = track(first, "scenes").segments
    voices = track(first, "narration").segments
    for v in voices:
        assert v.duration == speech.duration_ms(str(v.meta["text"]), lang="en", speed=board.speed)
    assert len(voices) == len(scenes)
    planned = {p.text: p for p in board.scenes}
    need = [max(v.duration + SCENE_PAD_MS, planned[str(v.meta["text"])].min_ms) for v in voices]
    if board.title and board.scenes[0].layout == "headline":  # the title card is read in the opening scene
        need[0] = max(need[0], TITLE_MAX_MS)
    slack = [s.duration - n for s, n in zip(scenes, need, strict=True)]
    assert 0 < slack[-1] <= CLOSE_HOLD_MS, "the closing line ends the video"
    ratios = [x / n for x, n in zip(slack[:-1], need[:-1], strict=True)]
    assert max(ratios) - min(ratios) < 0.01, "the other scenes share the spare time by what they need"
    stat = next(s for s in scenes if s.meta.get("layout") == "stat")
    assert stat.meta["value"] == "12%" and "12" in str(stat.meta["text"])


def test_scene_lengths_helper() -> None:
    assert scene_lengths([1000, 2000], 10_000) == [5800, 4200]  # 1700+4100, 2700+1500 (the close's hold)
    # needs 1700, 3400, 1700: the close holds 1500, the others share 1800 as 1:2
    assert scene_lengths([1000, 2700, 1000], 10_100) == [2300, 4600, 1700 + CLOSE_HOLD_MS]
    assert scene_lengths([2000], 10_000) == [10_000]  # one scene takes all the time there is
    assert sum(scene_lengths([1000, 2000, 3000], 10_001)) == 10_001
    assert scene_lengths([9000], 5000) == [9000 + SCENE_PAD_MS]  # cannot fit: nothing is cut


def test_slow_speech_drops_body_beats_never_sentences() -> None:
    prompt = "a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone"
    board = plan(prompt)
    slow = PaceSpeech(slow=4.0)  # the copy is only what the prompt gives: slow enough to overrun 30 s
    first = raw_cut(board, speech=slow, illustrations=FakeIllustrations())
    scenes = track(first, "scenes").segments
    texts = [s.meta["text"] for s in scenes]
    assert len(scenes) < len(board.scenes)
    assert texts[0] == board.scenes[0].text  # the hook stays whole
    # the call to action stays: the closing scene is shortened (if at all) by whole sentences from
    # its start, so the sentence that asks the viewer to act is the last one said
    assert board.scenes[-1].text.endswith(texts[-1]) and texts[-1].endswith((".", "!", "?"))
    assert texts[-1] == "Come and see for yourself."
    planned = [s.text for s in board.scenes]
    assert all(t in planned for t in texts[:-1]), "a sentence was cut"
    assert texts[:-1] == [t for t in planned if t in texts[:-1]], "order kept"
    check_timeline(first, board.target_ms)


def test_too_long_for_any_beat_keeps_whole_sentences() -> None:
    board = plan("a 5-second promo for a coffee brand")
    first = raw_cut(board, speech=PaceSpeech(slow=6.0), illustrations=FakeIllustrations())
    for s in track(first, "scenes").segments:
        assert s.meta["text"] in [x.text for x in board.scenes] or str(s.meta["text"]).endswith(
            (".", "!", "?")
        )


def test_same_prompt_same_draft() -> None:
    for prompt in sample_prompts():
        a = make(prompt)[2]
        b = make(prompt)[2]
        assert codec.dumps(a) == codec.dumps(b)


# ── uploads ───────────────────────────────────────────────────────────────────────────────


def test_uploads_go_where_they_fit_best_with_kenburns_and_trims() -> None:
    prompt = (
        "create a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone"
    )
    media = [
        MediaRef("m_clip", "video", 2500, 1920, 1080, "shop-front.mp4", "/tmp/shop-front.mp4"),
        MediaRef("m_crois", "image", 0, 1200, 800, "Croissants_tray.JPG"),
        MediaRef("m_song", "audio", 30000, 0, 0, "song.mp3"),
    ]
    _, first, final = make(prompt, media=media)
    assert [t.role for t in first.tracks][:2] == ["scenes", "media"]  # the media track paints above
    segs = track(first, "media").segments
    assert {s.meta["media_id"] for s in segs} == {"m_clip", "m_crois"}  # audio is not a visual
    scenes = track(first, "scenes").segments
    crois = next(s for s in segs if s.meta["media_id"] == "m_crois")
    host = next(s for s in scenes if s.start == crois.start)
    assert "croissant" in str(host.meta["text"]).lower()
    assert crois.duration == host.duration and crois.meta["kenburns"] is True
    assert crois.meta["media_kind"] == "image" and crois.meta["fit"] == "cover"
    assert crois.meta["src"] == "m_crois"
    clip = next(s for s in segs if s.meta["media_id"] == "m_clip")
    assert clip.start == scenes[0].start  # no name match: first free scene, in order
    assert clip.duration == 2500 <= scenes[0].duration  # trimmed to itself, inside the scene
    assert (
        clip.meta["kenburns"] is False
        and clip.meta["trim_in"] == 0
        and clip.meta["src"] == "/tmp/shop-front.mp4"
    )
    check_timeline(final, 30_000)
    codec.validate(final)


def test_more_uploads_than_scenes_share_scenes() -> None:
    media = [MediaRef(f"m{i}", "image", 0, 800, 600, f"img{i}.png") for i in range(9)]
    board, first, _ = make("a 20 second teaser for a solar-powered backpack", media=media)
    segs = track(first, "media").segments
    assert len(segs) == 9
    for a, b in itertools.pairwise(segs):
        assert b.start >= a.end
    assert segs[-1].end <= board.target_ms


# ── stage 2 ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("prompt", sample_prompts())
def test_post_production_adds_music_title_captions_and_meta(prompt: str) -> None:
    board, first, final = make(prompt)
    roles = [t.role for t in final.tracks]
    titled = bool(board.title) and board.scenes[0].layout != "greeting"  # a greeting opens on its own card
    assert roles == ["scenes", "narration", "bgm", *(["title"] if titled else []), "captions"]
    assert board.music and board.narration and board.captions  # none of the samples turns them off
    bgm = track(final, "bgm")
    assert bgm.type is TrackType.AUDIO and bgm.meta["volume"] == BGM_VOLUME and bgm.meta["duck"] is True
    (music,) = bgm.segments
    assert (music.start, music.end, music.kind) == (0, board.target_ms, "music")
    assert music.meta["style"] == board.music_style and music.meta["seed"] == board.seed
    if titled:
        (title,) = track(final, "title").segments
        assert title.kind == "title" and title.start == 0 and 2500 <= title.duration <= 3500
        assert title.meta["text"] == board.title and title.meta["subtitle"] == board.subtitle
    caps = track(final, "captions")
    assert caps.type is TrackType.TEXT and caps.segments
    limit = 16 if board.lang == "zh" else 42
    for c in caps.segments:
        assert c.kind == "caption" and 0 < len(str(c.meta["text"])) <= limit
    check_timeline(final, board.target_ms)
    words = "".join(str(c.meta["text"]) for c in caps.segments)
    spoken = "".join(str(v.meta["text"]) for v in track(final, "narration").segments)
    strip = re.compile(r"[\s，。！？、；：,.!?;:]")
    assert strip.sub("", words) == strip.sub("", spoken), "captions say exactly what is spoken"
    m = final.meta
    assert (m["title"], m["prompt"], m["lang"], m["mood"]) == (
        board.title,
        board.prompt,
        board.lang,
        board.mood,
    )
    assert (m["voice"], m["speed"], m["seed"], m["captions"]) == (board.voice, board.speed, board.seed, True)
    # stage 1 is untouched by stage 2
    assert track(final, "scenes") == track(first, "scenes")
    codec.validate(final)


def test_post_production_twice_changes_nothing() -> None:
    board, _, final = make("a 30s promo for a candle shop")
    assert codec.dumps(post_production(final, board)) == codec.dumps(final)


def test_captions_follow_the_narration_proportionally() -> None:
    _board, _, final = make("a 45-second explainer on how vaccines train the immune system, calm narration")
    voices = track(final, "narration").segments
    caps = track(final, "captions").segments
    for v in voices:
        inside = [c for c in caps if v.start <= c.start < v.end]
        assert inside[0].start == v.start and inside[-1].end == v.end
        lengths = [len(str(c.meta["text"]).replace(" ", "")) for c in inside]
        per_char = [c.duration / n for c, n in zip(inside, lengths, strict=True)]
        assert max(per_char) - min(per_char) <= 2 * len(inside), "time is shared by phrase length"


def test_caption_phrases() -> None:
    text = (
        "Our croissants are folded, layer after buttery layer, until they shatter at first bite. "
        "Golden, flaky, and gone by ten o'clock most days."
    )
    phrases = caption_phrases(text, "en")
    assert all(len(p) <= 42 for p in phrases)
    assert " ".join(phrases) == text
    assert phrases[0].startswith("Our croissants are folded")
    long_word_run = "a " * 60
    assert all(len(p) <= 42 for p in caption_phrases(long_word_run, "en"))
    zh = caption_phrases("无论是在家的悠闲早晨，还是上班路上的匆匆一杯，这份温暖都属于你。", "zh")
    assert zh == ["无论是在家的悠闲早晨", "还是上班路上的匆匆一杯", "这份温暖都属于你"]
    zh_long = caption_phrases(
        "这是一个非常非常长而且完全没有任何标点符号的中文句子用来测试字幕切分的效果", "zh"
    )
    assert all(len(p) <= 16 for p in zh_long) and "".join(zh_long).startswith("这是一个")
    assert caption_phrases("", "en") == []


def test_caption_segments_for_the_editing_agent() -> None:
    _, _, final = make("a 30s promo for a candle shop")
    narration = track(final, "narration")
    fresh = caption_segments(narration, draft=final)
    assert fresh and not {c.id for c in fresh} & final.ids()  # fresh ids in an edited draft
    again = caption_segments(narration)
    assert [c.id for c in again] == [c.id for c in track(final, "captions").segments]
    # a tiny voice segment still gets one caption, never a zero-length one
    tiny = narration.replace(segments=[narration.segments[0].replace(duration=3)])
    caps = caption_segments(tiny)
    assert all(c.duration > 0 for c in caps) and sum(c.duration for c in caps) == 3


# ── properties over any length ─────────────────────────────────────────────────────────────

SUBJECTS = (
    "promo for a coffee brand",
    "teaser for a solar-powered backpack, vertical",
    "explainer on how tides work",
    "birthday video for my brother Sam",
    "weekly update: sales up 8%, three new clients",
    "video about the history of jazz",
    "宣传视频，介绍我们的新款运动鞋",
    "关于熊猫的科普视频",
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seconds=st.integers(min_value=5, max_value=600),
    subject=st.sampled_from(SUBJECTS),
    seed=st.integers(0, 99),
)
def test_any_length_fills_the_timeline_exactly(seconds: int, subject: str, seed: int) -> None:
    prompt = (
        f"{seconds}秒的{subject}"
        if re.search(r"[\u4e00-\u9fff]", subject)
        else f"a {seconds}-second {subject}"
    )
    board = plan(prompt, seed=seed)
    assert board.target_ms == seconds * 1000
    for speech in (FakeSpeech(), PaceSpeech()):
        first = raw_cut(board, speech=speech, illustrations=FakeIllustrations())
        final = post_production(first, board)
        check_timeline(final, board.target_ms)
        codec.validate(final)
        assert track(final, "bgm").segments[0].end == board.target_ms
        title = final.first_track("title")
        assert title is None or title.segments[0].end <= board.target_ms


def test_chinese_file_names_match_chinese_scenes() -> None:
    prompt = "为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调：精选咖啡豆、手冲咖啡和安静的座位"
    media = [
        MediaRef("m1", "image", 0, 800, 600, "店里的灯光.png"),
        MediaRef("m2", "image", 0, 800, 600, "咖啡豆.jpg"),
    ]
    _, first, _ = make(prompt, media=media)
    scenes = track(first, "scenes").segments
    beans = next(s for s in track(first, "media").segments if s.meta["media_id"] == "m2")
    host = next(s for s in scenes if s.start == beans.start)
    assert "咖啡豆" in str(host.meta["text"])


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.text(
                alphabet=st.sampled_from(list("abcde fghij,.!?;:—咖啡豆，。！")), min_size=1, max_size=160
            ),
            st.integers(min_value=1, max_value=20_000),
            st.integers(min_value=0, max_value=3_000),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_captions_stay_inside_their_voice_and_keep_every_word(lines: list[tuple[str, int, int]]) -> None:
    segs = []
    cursor = 0
    for i, (text, duration, gap) in enumerate(lines):
        cursor += gap
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
        segs.append(Segment(f"v{i}", cursor, duration, "voice", "", Meta({"text": text, "lang": lang})))
        cursor += duration
    voice = Track("n", TrackType.AUDIO, "narration", "", tuple(segs))
    caps = caption_segments(voice)
    for a, b in itertools.pairwise(caps):
        assert b.start >= a.end
    for c in caps:
        assert c.duration > 0
        host = [v for v in segs if v.start <= c.start and c.end <= v.end]
        assert host, "caption outside its voice segment"
        lang = str(host[0].meta["lang"])
        phrases = caption_phrases(str(host[0].meta["text"]), lang)
        if host[0].duration >= sum(len(p) for p in phrases):  # else phrases share the few ms there are
            assert str(c.meta["text"]) in phrases
            assert len(str(c.meta["text"])) <= (16 if lang == "zh" else 42) or " " not in str(c.meta["text"])
    strip = re.compile(r"[\s，。！？、；：,.!?;:—]")
    said = "".join(strip.sub("", str(v.meta["text"])) for v in segs)
    shown = "".join(strip.sub("", str(c.meta["text"])) for c in caps)
    assert shown == said


def test_public_api_is_listed() -> None:
    import promptreel.agent.asks as asks
    import promptreel.agent.board as board
    import promptreel.agent.brief as brief
    import promptreel.agent.director as director
    import promptreel.agent.lexicon as lexicon
    import promptreel.agent.planner as planner
    import promptreel.agent.storyboard as storyboard

    for mod in (asks, board, brief, director, lexicon, planner, storyboard):
        assert mod.__all__ and all(hasattr(mod, name) for name in mod.__all__), mod.__name__


# ── what the prompt turns off ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    ["a 15-second promo for Sunny Yoga, no music", "一个30秒的咖啡店宣传视频：手冲咖啡和蛋糕，不要背景音乐"],
)
def test_no_music_means_no_music_segment(prompt: str) -> None:
    board, _first, final = make(prompt)
    assert board.music is False
    bgm = final.first_track("bgm")
    assert bgm is None or not [s for s in bgm.segments if s.kind == "music"]
    assert track(final, "narration").segments  # the voice-over is still there
    check_timeline(final, board.target_ms)
    codec.validate(final)


@pytest.mark.parametrize(
    "prompt",
    [
        "a 20s ad for our bike repair shop: tune-ups, flat fixes and new chains, no voice-over",
        "a 30-second video, no music, no voice-over, about our dog shelter: adopt, foster or volunteer",
        "做一个花店的宣传视频：玫瑰、郁金香和向日葵，不要旁白",
    ],
)
def test_no_voice_over_means_no_voice_segments(prompt: str) -> None:
    speech = PaceSpeech()
    board, first, final = make(prompt, speech)
    assert board.narration is False and board.captions is False
    assert speech.calls == []  # nothing is synthesised
    assert not track(final, "narration").segments
    caps = final.first_track("captions")
    assert caps is None or not caps.segments
    scenes = track(first, "scenes").segments
    assert scenes and scenes[-1].end == board.target_ms == final.duration
    for a, b in itertools.pairwise(scenes):
        assert b.start == a.end
    assert any(s.meta.get("layout") == "list" for s in scenes)  # the listed things are shown instead
    codec.validate(final)


def test_a_menu_board_fills_the_length_without_a_voice() -> None:
    board, first, final = make(
        "a 20-second menu screen for our café: latte $4.50, cappuccino $4.00, flat white $4.20"
    )
    scenes = track(first, "scenes").segments
    menu = next(s for s in scenes if s.meta.get("layout") == "list")
    assert [(i["text"], i.get("value")) for i in menu.meta["items"]] == [
        ("latte", "$4.50"),
        ("cappuccino", "$4.00"),
        ("flat white", "$4.20"),
    ]
    assert not track(final, "narration").segments
    assert final.duration == board.target_ms == 20_000
