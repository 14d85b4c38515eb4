"""Shared helpers for the editing-agent tests: a generated draft and generators with voices."""

from __future__ import annotations

from dataclasses import dataclass

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.generators.fakes import FakeIllustrations, FakeSpeech

__all__ = ["VoicedSpeech", "make_draft", "make_draft_by_hand", "Upload"]

EN_LINES = (
    ("Every great day starts with coffee.", "Great Days", "fluent-emoji-flat:hot-beverage"),
    ("We roast our beans fresh every single morning.", "Fresh Beans", "fluent-emoji-flat:coffee"),
    ("Stop by our cozy café on Main Street.", "Main Street", "fluent-emoji-flat:house"),
    ("Book your table today.", "Book Today", "fluent-emoji-flat:calendar"),
)
ZH_LINES = (
    ("美好的一天从一杯咖啡开始。", "美好一天", "fluent-emoji-flat:hot-beverage"),
    ("我们每天早上新鲜烘焙咖啡豆。", "新鲜烘焙", "fluent-emoji-flat:coffee"),
    ("欢迎来到主街上的小店。", "欢迎光临", "fluent-emoji-flat:house"),
)


@dataclass(frozen=True)
class _Voice:
    id: str
    lang: str
    gender: str


class VoicedSpeech(FakeSpeech):
    """FakeSpeech that lists voices like the real router does."""

    def __init__(
        self,
        voices: tuple[tuple[str, str, str], ...] = (
            ("en_US-joe-medium", "en", "male"),
            ("en_US-amy-medium", "en", "female"),
            ("cmn", "zh", "male"),
            ("cmn+f3", "zh", "female"),
        ),
    ) -> None:
        super().__init__()
        self._voices = [_Voice(*v) for v in voices]

    def list_voices(self) -> list[_Voice]:
        return list(self._voices)


@dataclass(frozen=True)
class Upload:
    media_id: str
    kind: str
    name: str
    duration_ms: int = 0
    width: int = 1200
    height: int = 800
    src: str = ""


EN_PROMPT = "A 20-second promo for our coffee shop: fresh beans roasted every morning, cozy seats, open daily 7am to 7pm."
ZH_PROMPT = "为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕"


def make_draft(lang: str = "en", speech: FakeSpeech | None = None) -> Draft:
    """A generated draft: the planner's storyboard through both director stages, with fake generators."""
    from promptreel.agent.director import post_production, raw_cut
    from promptreel.agent.planner import plan

    board = plan(ZH_PROMPT if lang == "zh" else EN_PROMPT)
    raw = raw_cut(board, speech=speech or FakeSpeech(), illustrations=FakeIllustrations())
    return post_production(raw, board)


def make_draft_by_hand(lang: str = "en", speech: FakeSpeech | None = None) -> Draft:
    """The same shape built directly (scenes, narration, bgm, title, captions), independent of the planner."""
    speech = speech or FakeSpeech()
    lines = ZH_LINES if lang == "zh" else EN_LINES
    voice = "cmn" if lang == "zh" else "en_US-joe-medium"
    scenes, voices, captions = [], [], []
    cursor = 0
    for i, (text, headline, icon) in enumerate(lines, 1):
        n = speech.synthesize(text, lang=lang, voice=voice, speed=1.0).duration_ms
        dur = 300 + n + 400
        scenes.append(
            Segment(
                f"seg_scene_{i}",
                cursor,
                dur,
                "scene",
                headline,
                Meta(
                    {
                        "text": text,
                        "headline": headline,
                        "icon": icon,
                        "palette": ["#2B1B17", "#C8A27A", "#F5E6D3"],
                        "motion": "gradient",
                        "transition": "cut" if i == 1 else "crossfade",
                        "transition_ms": 0 if i == 1 else 500,
                        "seed": 7 + i,
                    }
                ),
            )
        )
        voices.append(
            Segment(
                f"seg_voice_{i}",
                cursor + 300,
                n,
                "voice",
                "",
                Meta({"text": text, "voice": voice, "speed": 1.0, "lang": lang}),
            )
        )
        captions.append(Segment(f"seg_caption_{i}", cursor + 300, n, "caption", "", Meta({"text": text})))
        cursor += dur
    total = cursor
    title = "清晨咖啡" if lang == "zh" else "Daily Grind"
    return Draft(
        "draft_test",
        Canvas(1920, 1080, 30),
        (
            Track("trk_scenes_1", TrackType.VIDEO, "scenes", "Video", tuple(scenes)),
            Track("trk_narration_1", TrackType.AUDIO, "narration", "Voiceover", tuple(voices)),
            Track(
                "trk_bgm_1",
                TrackType.AUDIO,
                "bgm",
                "BGM",
                (
                    Segment(
                        "seg_music_1",
                        0,
                        total,
                        "music",
                        "calm",
                        Meta({"style": "calm", "tempo": 0, "seed": 7, "fade_in": 500, "fade_out": 1500}),
                    ),
                ),
                Meta({"volume": 0.35, "duck": True}),
            ),
            Track(
                "trk_title_1",
                TrackType.TEXT,
                "title",
                "Title",
                (
                    Segment(
                        "seg_title_1",
                        0,
                        3000,
                        "title",
                        "",
                        Meta({"text": title, "subtitle": "", "style": {"color": "#FFFFFF", "size": 96}}),
                    ),
                ),
            ),
            Track(
                "trk_captions_1",
                TrackType.TEXT,
                "captions",
                "Captions",
                tuple(captions),
                Meta({"style": {"color": "#FFFFFF", "size": 48, "position": "bottom"}}),
            ),
        ),
        Meta(
            {
                "title": title,
                "prompt": "a promo for our coffee shop",
                "lang": lang,
                "mood": "warm",
                "voice": voice,
                "speed": 1.0,
                "seed": 7,
                "captions": True,
            }
        ),
    )


def illustrations() -> FakeIllustrations:
    return FakeIllustrations()
