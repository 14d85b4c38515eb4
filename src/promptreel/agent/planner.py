"""Prompt → :class:`Storyboard`: brief (settings and content) → scenes (layouts and narration) → look.

Deterministic and offline: the same prompt always plans the same video. The settings readers live
in :mod:`promptreel.agent.asks`, the brief in :mod:`promptreel.agent.brief`, the scenes in
:mod:`promptreel.agent.board`; this module dresses the scenes with motion, transitions and a palette.
"""

from __future__ import annotations

import random

from promptreel.agent.asks import (
    DEFAULT_MS,
    MAX_MS,
    MIN_MS,
    MOTIONS,
    PALETTES,
    SHORT_MS,
    TRANSITION_MS,
    TRANSITIONS,
    detect_lang,
    parse_canvas,
    parse_duration,
    parse_genre,
    parse_mood,
    parse_music_style,
    parse_voice,
    prompt_seed,
)
from promptreel.agent.board import notes_for, scenes_for, title_for
from promptreel.agent.brief import Brief, data, read_brief
from promptreel.agent.brief_llm import brief_with_model
from promptreel.agent.llm import ChatModel
from promptreel.agent.storyboard import ScenePlan, Storyboard
from promptreel.draft.model import Canvas
from promptreel.errors import InvalidRequest

__all__ = [
    "plan",
    "plan_brief",
    "read_brief",
    "parse_duration",
    "parse_canvas",
    "detect_lang",
    "parse_mood",
    "parse_genre",
    "parse_music_style",
    "parse_voice",
    "prompt_seed",
    "DEFAULT_MS",
    "SHORT_MS",
    "MIN_MS",
    "MAX_MS",
    "PALETTES",
    "MOTIONS",
    "TRANSITIONS",
]


def _dress(scenes: list[ScenePlan], mood: str, rng: random.Random) -> tuple[ScenePlan, ...]:
    motions = MOTIONS.get(mood, MOTIONS["upbeat"])
    transitions = TRANSITIONS.get(mood, TRANSITIONS["upbeat"])
    offset = rng.randrange(len(motions))
    t_offset = rng.randrange(len(transitions))
    out = []
    for i, scene in enumerate(scenes):
        out.append(
            ScenePlan(
                **{
                    **{f: getattr(scene, f) for f in ScenePlan.__dataclass_fields__},
                    "motion": motions[(offset + i) % len(motions)],
                    "transition": "cut" if i == 0 else transitions[(t_offset + i) % len(transitions)],
                }
            )
        )
    return tuple(out)


def plan_brief(brief: Brief, *, seed: int | None = None) -> Storyboard:
    """The storyboard for a brief (read from a prompt, or filled by a language model)."""
    seed = prompt_seed(brief.prompt) if seed is None else int(seed) & 0x7FFFFFFF
    rng = random.Random(seed)
    scenes = scenes_for(brief)
    if not scenes:
        raise InvalidRequest(
            "这个提示里没有可以放进视频的内容：告诉我视频讲什么，例如“为我们的面包店做一个30秒的宣传视频”。"
            if brief.lang == "zh"
            else "There is nothing in this prompt to put in a video yet: tell me what it is about, e.g. "
            '"a 30-second promo for our bakery: fresh bread, croissants, open 7am".'
        )
    occasion = data("occasions").get(brief.occasion) if brief.occasion else None
    if occasion:
        palette = tuple(occasion["palette"])
    else:
        palettes = PALETTES.get(brief.mood, PALETTES["upbeat"])
        palette = palettes[rng.randrange(len(palettes))]
    title, subtitle = title_for(brief)
    return Storyboard(
        prompt=brief.prompt,
        lang=brief.lang,
        canvas=Canvas(brief.width, brief.height, 30),
        target_ms=brief.target_ms,
        mood=brief.mood,
        palette=palette,
        music_style=brief.music_style,
        title=title,
        subtitle=subtitle,
        voice=brief.voice,
        speed=brief.speed,
        seed=seed,
        scenes=_dress(scenes, brief.mood, rng),
        genre=brief.genre,
        subject=brief.subject,
        transition_ms=TRANSITION_MS.get(brief.mood, 500),
        media_hints=brief.media_hints,
        music=brief.music,
        narration=brief.narration,
        captions=brief.captions and brief.narration,
        notes=notes_for(brief, scenes),
    )


def plan(prompt: str, *, seed: int | None = None, model: ChatModel | None = None) -> Storyboard:
    """Plan a video for ``prompt``: canvas, length, mood, look, title and the scenes.

    With a language ``model`` its reading of the content fills the same brief (the rules stay the
    floor: settings always come from them, and a failing model falls back to them entirely).
    """
    brief = brief_with_model(prompt, model) if model is not None else read_brief(prompt)
    return plan_brief(brief, seed=seed)
