"""Scene colours: the palette every scene carries (``meta.palette``: two background colours, an
accent, a highlight and the text colour), made darker, lighter, warmer, cooler, of a named
colour, or black and white, for every scene or one; the text colour is chosen again so it stays
readable. Black and white also marks the scenes and uploaded pictures ``grey`` (the renderer
draws them through a grey filter, icons and photos included) and keeps each scene's colours, so
any later colour change — or "back to colour" — starts from them."""

from __future__ import annotations

import colorsys
import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import _CAPTIONS, _TITLE, Call, _Clause, _refs, rule
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _scene_index,
    _scene_track,
    capability,
)
from promptreel.agent.phrases import color, has_any
from promptreel.draft import ops
from promptreel.draft.meta import thaw
from promptreel.draft.model import Draft

DEFAULT = ("#1B1F3B", "#3A2E6E", "#FF8A5B", "#5AD1C9", "#FFD166")  # the renderer's fallback set
WHITE, INK = "#FFFFFF", "#141414"
MIN_CONTRAST = 4.5  # text on the background's middle colour (WCAG AA for body text)

Mood = Literal["darker", "lighter", "warmer", "cooler", "vivid", "muted", "colour", "grey", "restore"]


class PaletteArgs(Args):
    mood: Mood = Field(
        description="darker, lighter, warmer, cooler, vivid, muted, colour (with `color`), grey (black and "
        "white) or restore (back to colour after grey)"
    )
    color: str | None = Field(default=None, description="#RRGGBB the backgrounds take (mood=colour)")
    scene: int | None = Field(default=None, description="1-based scene number; omitted: every scene")


def _rgb(hex_: str) -> tuple[float, float, float]:
    h = hex_.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02X}" for v in rgb)


def _luminance(hex_: str) -> float:
    def lin(x: float) -> float:
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(hex_)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _mid(a: str, b: str) -> str:
    ra, rb = _rgb(a), _rgb(b)
    return _hex(((ra[0] + rb[0]) / 2, (ra[1] + rb[1]) / 2, (ra[2] + rb[2]) / 2))


def _hls(hex_: str) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*_rgb(hex_))


def _from_hls(h: float, lum: float, s: float) -> str:
    return _hex(colorsys.hls_to_rgb(h % 1.0, max(0.0, min(1.0, lum)), max(0.0, min(1.0, s))))


def _toward_hue(h: float, target: float, t: float) -> float:
    d = ((target - h + 0.5) % 1.0) - 0.5
    return h + d * t


def _shift(hex_: str, mood: str) -> str:
    h, lum, s = _hls(hex_)
    if mood == "darker":
        return _from_hls(h, lum * 0.6, s)
    if mood == "lighter":
        return _from_hls(h, lum + (1 - lum) * 0.45, s)
    if mood == "vivid":
        return _from_hls(h, lum, min(1.0, max(s, 0.3) * 1.35))
    if mood == "muted":
        return _from_hls(h, lum, s * 0.55)
    if mood == "grey":
        r, g, b = _rgb(hex_)
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return _hex((y, y, y))
    if mood == "warmer":
        return _from_hls(_toward_hue(h, 0.07, 0.45), lum, max(s, 0.35) * 1.1)
    return _from_hls(_toward_hue(h, 0.6, 0.45), lum, max(s, 0.3))  # cooler


def _of_colour(base: str, old: list[str]) -> list[str]:
    """A palette of ``base``'s hue: a deep background gradient, a light accent and highlight."""
    h, _, s = _hls(base)
    s = max(s, 0.45) if s > 0.05 else 0.0
    return [_from_hls(h, 0.2, s), _from_hls(h, 0.34, s), _from_hls(h + 0.5, 0.62, 0.7), _from_hls(h, 0.78, s)]


def _readable(bg0: str, bg1: str, text: str) -> str:
    """``text`` when it reads on the background, else white or ink, whichever contrasts more."""
    mid = _mid(bg0, bg1)
    if contrast(text, mid) >= MIN_CONTRAST:
        return text
    return max((WHITE, INK), key=lambda c: contrast(c, mid))


def _fit_background(bg0: str, bg1: str, mood: str) -> tuple[str, str]:
    """Background colours that white or ink text reads on at :data:`MIN_CONTRAST`: a lighter
    palette is lightened further for ink, any other darkened for white, a step at a time."""
    for _ in range(12):
        mid = _mid(bg0, bg1)
        if max(contrast(WHITE, mid), contrast(INK, mid)) >= MIN_CONTRAST:
            break
        step = "lighter" if mood == "lighter" else "darker"
        bg0, bg1 = _shift(bg0, step), _shift(bg1, step)
    return bg0, bg1


def recolour(palette: list[str], mood: str, base: str | None = None) -> list[str]:
    """The palette after ``mood`` (``"colour"``: of ``base``), its text colour readable."""
    old = [p for p in palette if isinstance(p, str) and re.fullmatch(r"#?[0-9A-Fa-f]{6}|#?[0-9A-Fa-f]{3}", p)]
    if len(old) < 2:
        old = list(DEFAULT)
    while len(old) < 5:
        old.append(DEFAULT[len(old)])
    if mood == "restore":
        return old[:5]
    if mood == "colour":
        new = _of_colour(base or old[0], old)
    else:
        new = [_shift(c, mood) for c in old[:4]]
        if mood in ("darker", "lighter"):
            new[2:4] = old[2:4]  # the accent and highlight stay: they now stand out more
    bg0, bg1 = _fit_background(new[0], new[1], mood)
    text = _readable(bg0, bg1, _shift(old[4], "grey") if mood == "grey" else old[4])
    return [bg0, bg1, new[2], new[3], text]


@capability(
    "set_palette",
    "Change the scenes' colours (all scenes, or one): darker, lighter, warmer, cooler, or a named colour; "
    "text stays readable.",
    PaletteArgs,
)
def set_palette(
    draft: Draft, ctx: EditContext, mood: str, color: str | None = None, scene: int | None = None
) -> Result:
    if mood == "colour" and not color:
        raise EditRefused(
            "bad_args", "set_palette: mood 'colour' needs a color (#RRGGBB).", tool="set_palette"
        )
    st = _scene_track(draft)
    idxs = [_scene_index(draft, scene)] if scene is not None else list(range(len(st.segments)))
    d = draft
    before = after = ""
    changed = pictures = 0
    for i in idxs:
        seg = st.segments[i]
        grey = bool(seg.meta.get("grey"))
        if seg.kind != "scene":  # an uploaded picture has no palette; it can be shown in grey
            if (mood == "grey") != grey and mood in ("grey", "restore"):
                d = ops.update_segment(d, seg.id, meta={"grey": True if mood == "grey" else None})
                pictures += 1
            continue
        old = [str(c) for c in (thaw(seg.meta.get("palette", [])) or [])]
        if mood == "grey" and grey:
            continue  # already black and white
        if mood == "restore" and not grey:
            continue  # already in colour
        kept = [str(c) for c in (thaw(seg.meta.get("colour_palette", [])) or [])]
        start = kept if grey and kept else old  # colours come back from before black and white
        new = recolour(start, mood, color)
        if not before:
            before = " / ".join((old or list(DEFAULT))[:2])
            after = " / ".join(new[:2])
        meta: dict[str, Any] = {"palette": new}
        if mood == "grey":
            meta.update(grey=True, colour_palette=old or list(DEFAULT))
        elif grey:
            meta.update(grey=None, colour_palette=None)
        d = ops.update_segment(d, seg.id, meta=meta)
        changed += 1
    if mood in ("grey", "restore"):  # uploads shown over those scenes, on a media track of their own
        spans = [(st.segments[i].start, st.segments[i].end) for i in idxs]
        for t in d.tracks_by_role("media"):
            if t.id == st.id:
                continue
            for seg in t.segments:
                over = any(seg.start < b and a < seg.end for a, b in spans)
                if over and bool(seg.meta.get("grey")) != (mood == "grey"):
                    d = ops.update_segment(d, seg.id, meta={"grey": True if mood == "grey" else None})
                    pictures += 1
    if not changed and not pictures:
        if mood == "grey":
            raise EditRefused("already_grey", "The video is already black and white.")
        if mood == "restore":
            raise EditRefused("already_colour", "The video is already in colour.")
        raise EditRefused(
            "not_generated", "Those scenes show uploaded files, which have no colours to change."
        )
    res: dict[str, Any] = {
        "what": "palette",
        "mood": mood,
        "before": before,
        "after": after,
        "count": changed,
    }
    if pictures:
        res["pictures"] = pictures
    if scene is not None:
        res["scene"] = idxs[0] + 1
    return d, res


# ---------------------------------------------------------------- phrasings (EN/ZH)

_COLOUR_EN = re.compile(r"\b(?:colou?rs?|palette|colou?r scheme|backgrounds?|tones?|look|theme)\b")
_COLOUR_ZH = ("颜色", "配色", "色调", "背景", "色彩", "底色", "主题色", "色系")
_LOOK = re.compile(
    r"^(?:make|turn)\s+(?:the\s+)?(?:scene\s+\w+|\w+\s+scene)\s+(?:a bit\s+|much\s+)?"
    r"(?:darker|lighter|brighter|warmer|cooler|more vibrant)$|场景.{0,4}(?:暗|亮|暖|冷)一?(?:点|些)$"
)
_LOOK_ALL = re.compile(
    r"^(?:please\s+)?(?:can you\s+)?(?:make|turn)\s+(?:it|this|the video|everything|the whole (?:thing|video))\s+"
    r"(?:a (?:bit|little)\s+|much\s+|slightly\s+|way\s+)?(?:darker|lighter|brighter|warmer|cooler|moodier|"
    r"more vibrant)(?: please)?$|^(?:整体|画面|视频|整个视频)?(?:再|稍微)?(?:调)?(?:暗|亮|暖|冷)一?(?:点|些)(?:吧)?$"
    r"|^(?:a (?:bit|little) |much |slightly )?(?:darker|lighter|brighter|warmer|cooler)(?: too| as well| please)?$"
)
_MOODS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("darker", ("darker", "dark", "moodier", "deeper", "暗", "深", "黑一点")),
    ("lighter", ("lighter", "brighter", "light", "bright", "paler", "亮", "浅", "明亮")),
    (
        "vivid",
        ("vibrant", "vivid", "saturated", "punchier", "bolder", "pop", "popping", "鲜艳", "饱和", "艳丽"),
    ),
    ("muted", ("muted", "softer", "subtle", "pastel", "desaturated", "素雅", "淡雅", "柔和", "低饱和")),
    ("warmer", ("warmer", "warm", "暖")),
    ("cooler", ("cooler", "cool", "colder", "cold", "冷")),
)


_GREY = re.compile(
    r"\bblack[ -]?(?:and|&|n'?)[ -]?white\b|\bb ?(?:&|and|/) ?w\b|\bgr[ae]y ?scale\b|\bmonochrom[ea]?\b"
    r"|\bdesaturat\w*|\bno colou?rs?\b|\bwithout colou?rs?\b|\bcolou?rless\b|\bnoir\b"
    r"|黑白|灰度|去色|去掉颜色|不要颜色|没有颜色|单色"
)
_BACK_TO_COLOUR = re.compile(
    r"\b(?:back (?:to|in(?:to)?) (?:full )?colou?rs?|in colou?r again|colou?r again|(?:full|normal|original) colou?rs?"
    r"(?: again| back)?|colou?rs? back|undo (?:the )?(?:black and white|gr[ae]yscale))\b"
    r"|恢复彩色|变回彩色|改回彩色|换回彩色|回到彩色|恢复颜色|改回原来的颜色|恢复原来的颜色|还原颜色"
)
_COLOURFUL = re.compile(r"\b(?:more )?colou?rful\b|\bin colou?r\b|彩色|多彩|色彩丰富|鲜艳")


@rule(7)
def _rule_black_and_white(c: _Clause) -> list[Call] | None:
    """ "black and white", "make it grayscale", "monochrome please", "做成黑白的", "黑白"; "back to
    colour", "恢复彩色"; "make it colourful"."""
    t = c.t
    if has_any(t, _CAPTIONS) or has_any(t, _TITLE) or c.quotes:
        return None  # "make the captions black and white": text colours, not the picture
    if re.search(r"\b(?:text|font|words|music|voice)\b|文字|字体|音乐|声音", t):
        return None
    refs = _refs(c)
    args: dict[str, Any]
    if _BACK_TO_COLOUR.search(t):
        args = {"mood": "restore"}
    elif _GREY.search(t) and not re.search(r"\bnot\b|不要黑白|别.{0,2}黑白", t):
        args = {"mood": "grey"}
    elif _COLOURFUL.search(t) and not re.search(r"\bless\b|不要|别", t):
        args = {"mood": "vivid"}
    else:
        return None
    if refs:
        args["scene"] = refs[0]
    return [("set_palette", args)]


@rule(7)
def _rule_palette(c: _Clause) -> list[Call] | None:
    """ "use a darker color palette", "make the background blue", "warmer colours", "换成蓝色背景",
    "颜色暗一点", "第二个场景的背景改成绿色"."""
    t = c.t
    if has_any(t, _CAPTIONS) or has_any(t, _TITLE) or c.quotes:
        return None
    refs = _refs(c)
    if (
        not (_COLOUR_EN.search(t) or has_any(t, _COLOUR_ZH))
        and not (refs and _LOOK.search(t))
        and not (_LOOK_ALL.search(t))
    ):
        return None  # a scene alone may be made darker, lighter, warmer or cooler ("make scene 2 darker"), or all
    if re.search(r"\b(?:music|song|track|voice|narration)\b|音乐|配乐|声音|旁白", t):
        return None  # "background music"
    args: dict[str, Any] = {}
    for mood, words in _MOODS:
        if has_any(t, words):
            args["mood"] = mood
            break
    col = color(t)
    if col and col[1] not in ("#FFFFFF",) and "mood" not in args:
        args.update(mood="colour", color=col[1])
    elif col and col[1] == "#FFFFFF" and "mood" not in args:
        args["mood"] = "lighter"
    if "mood" not in args:
        return None
    if refs:
        args["scene"] = refs[0]
    return [("set_palette", args)]


def line(r: dict[str, Any], zh: bool) -> str:
    """The reply's line for a palette change: before → after."""
    mood = str(r.get("mood"))
    where = (f"第 {r['scene']} 个场景" if zh else f"scene {r['scene']}") if r.get("scene") else (
        f"全部 {r.get('count')} 个场景" if zh else f"all {r.get('count')} scenes")  # fmt: skip
    how_zh = {"darker": "更暗", "lighter": "更亮", "warmer": "更暖", "cooler": "更冷", "vivid": "更鲜艳",
              "muted": "更柔和", "colour": "新颜色"}  # fmt: skip
    pics = r.get("pictures")
    if mood == "grey":
        if zh:
            up = f"，{pics} 张上传的图片或视频也显示为黑白" if pics else ""
            return (f"画面改为黑白（{where}）：{r.get('before')} → {r.get('after')}，图标和插图也以灰度绘制{up}；"
                    "片名和字幕保留原来的文字颜色。")  # fmt: skip
        up = f"; {pics} uploaded picture{'s' * (pics != 1)} shown in grey too" if pics else ""
        return (f"Black and white ({where}): {r.get('before')} → {r.get('after')}; icons and illustrations are "
                f"drawn in grey too{up}. The title and captions keep their text colours.")  # fmt: skip
    if mood == "restore":
        if zh:
            return f"画面恢复彩色（{where}）：{r.get('before')} → {r.get('after')}。"
        return f"Back in colour ({where}): {r.get('before')} → {r.get('after')}."
    if zh:
        return f"画面配色（{where}）改为{how_zh.get(mood, '')}：{r.get('before')} → {r.get('after')}，文字颜色已保证清晰可读。"
    how = "a new colour" if mood == "colour" else mood
    return (
        f"Scene colours ({where}) now {how}: {r.get('before')} → {r.get('after')}; "
        "the text colour keeps it readable."
    )
