"""A generated scene's picture in words a Chinese reply can use: its illustration by the Chinese
word the visual lexicon reads as that illustration ("hot-beverage" → 咖啡), and its background
motion by name (waves → 波浪)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files

__all__ = ["MOTION_ZH", "MOTION_EN", "picture_zh", "picture_en"]

#: the scene background's motions (see :mod:`promptreel.render.background`)
MOTION_ZH = {"gradient": "渐变", "shapes": "漂浮的色块", "particles": "闪烁的光点", "rays": "旋转的光束",
             "grid": "流动的网格", "waves": "起伏的波浪"}  # fmt: skip
MOTION_EN = {"gradient": "a drifting gradient", "shapes": "floating shapes", "particles": "rising sparkles",
             "rays": "turning light rays", "grid": "a drifting grid", "waves": "layered waves"}  # fmt: skip


@lru_cache(maxsize=1)
def _named() -> dict[str, str]:
    data = tomllib.loads(files("promptreel.agent").joinpath("data/pictures.toml").read_text("utf-8"))
    return {str(k): str(v) for k, v in data.get("icons_zh", {}).items()}


@lru_cache(maxsize=1)
def _icon_words() -> dict[str, str]:
    """Illustration name → its Chinese name (``data/pictures.toml``), else the Chinese word the
    lexicon matches to it first (one that names it before one it merely evokes)."""
    from promptreel.generators.visuals.lexicon import CONCEPTS, ZH_EN, stem

    best: dict[str, tuple[int, int, str]] = {}
    for zh, en in ZH_EN.items():
        key = " ".join(stem(w) for w in str(en).split())
        icons = CONCEPTS.get(key) or CONCEPTS.get(str(en)) or ()
        if not icons:
            continue
        icon = str(icons[0])
        # a word that names the illustration ("house" for house) before one it merely evokes
        names = {stem(w) for w in icon.split("-")}
        rank = (0 if set(key.split()) & names else 1, len(zh), zh)
        if icon not in best or rank < best[icon]:
            best[icon] = rank
    return {**{icon: r[2] for icon, r in best.items()}, **_named()}


def _icon_name(icon: str) -> str:
    return icon.split(":")[-1]


def picture_zh(icon: str, motion: str) -> str:
    """ "咖啡插图，起伏的波浪背景"; an illustration with no Chinese word is just 插图."""
    bg = f"{MOTION_ZH.get(motion, '动态')}背景"
    if not icon:
        return bg
    word = _icon_words().get(_icon_name(icon))
    return f"{word}插图，{bg}" if word else f"插图，{bg}"


def picture_en(icon: str, motion: str) -> str:
    """ "hot beverage illustration over layered waves"."""
    bg = MOTION_EN.get(motion, motion)
    if not icon:
        return bg
    return f"{_icon_name(icon).replace('-', ' ')} illustration over {bg}"
