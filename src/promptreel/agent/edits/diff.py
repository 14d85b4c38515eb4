"""What differs between two versions of a draft, in the words a user would use — so "undo" can
say what it took back ("aspect ratio 9:16 → 16:9; music lo-fi → warm") instead of listing the
whole timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from promptreel.agent.edits.base import _default_size
from promptreel.agent.spans import said_colour
from promptreel.draft.model import Draft
from promptreel.draft.query import length_text, span_text

__all__ = ["differences"]

_STYLE_ZH = {"lofi": "Lo-fi", "upbeat": "轻快", "calm": "舒缓", "cinematic": "电影感", "happy": "欢快",
             "corporate": "商务", "warm": "温暖", "energetic": "动感"}  # fmt: skip


def _scenes(d: Draft) -> list[Any]:
    t = d.first_track("scenes") or d.first_track("media")
    return list(t.segments) if t else []


def _title(d: Draft) -> tuple[str, Any, Any, tuple[int, int] | None]:
    t = d.first_track("title")
    if t is None or not t.segments:
        return ("", None, None, None)
    s = t.segments[0]
    style = s.meta.get("style") or {}
    return (str(s.meta.get("text") or ""), style.get("size"), style.get("color"), (s.start, s.end))


def _music(d: Draft) -> tuple[str, int, bool]:
    t = d.first_track("bgm")
    if t is None or not t.segments:
        return ("", 0, False)
    s = t.segments[0]
    return (
        str(s.meta.get("style") or s.meta.get("name") or "music"),
        round(t.volume * 100),
        bool(t.meta.get("muted")),
    )


def _voice(d: Draft) -> tuple[str, float, bool, int]:
    """The narration's voice, speed, whether it is off (hidden or muted) and its volume in %."""
    t = d.first_track("narration")
    if t is None or not t.segments:
        return ("", 1.0, False, 100)
    s = t.segments[0]
    off = bool(t.hidden or t.meta.get("muted"))
    volume = round(float(t.meta.get("volume", 1.0)) * 100)
    return (str(s.meta.get("voice") or ""), float(s.meta.get("speed") or 1.0), off, volume)


def _captions(d: Draft) -> tuple[bool, Any, Any, Any]:
    t = d.first_track("captions")
    if t is None or not t.segments:
        return (False, None, None, None)
    style = t.meta.get("style") or {}
    return (not t.hidden, style.get("size"), style.get("color"), style.get("position"))


def _look(d: Draft) -> tuple[tuple[str, ...], tuple[Any, ...], tuple[bool, ...], tuple[str, ...]]:
    ss = _scenes(d)
    return (
        tuple(" ".join(str(c) for c in list(s.meta.get("palette") or [])[:2]) for s in ss),
        tuple(s.meta.get("headline_scale") for s in ss),
        tuple(bool(s.meta.get("grey")) for s in ss),
        tuple(str(s.meta.get("transition") or "") for s in ss[1:]),
    )


def _style(s: str, zh: bool) -> str:
    if zh:
        return _STYLE_ZH.get(s, s or "无")
    return {"lofi": "lo-fi"}.get(s, s or "none")


def _pair(zh: bool, en_label: str, zh_label: str, a: Any, b: Any) -> str:
    return f"{zh_label} {a} → {b}" if zh else f"{en_label} {a} → {b}"


def _switch(zh: bool, en_label: str, zh_label: str, was_on: Any) -> str:
    """``captions on → off`` (``字幕 开 → 关``)."""
    on, off = ("开", "关") if zh else ("on", "off")
    return _pair(zh, en_label, zh_label, *((on, off) if was_on else (off, on)))


#: style fields, in the order a reply names them: key, English, Chinese
_STYLE_FIELDS = (("size", "size", "字号"), ("color", "colour", "颜色"), ("position", "position", "位置"))
_WORD_ZH = {"top": "顶部", "bottom": "底部", "center": "中间", "middle": "中间", "none": "无"}


def _styled(
    zh: bool, en_label: str, zh_label: str, keys: tuple[str, ...], sizes: tuple[int, int]
) -> Callable[[Any, Any], str]:
    """What changed in a style tuple (values in ``keys`` order): ``title size 130 → 162``; a size
    the style does not name is the one the renderer uses on that draft's canvas (``sizes``)."""

    def say(a: Any, b: Any) -> str:
        parts = []
        for key, x, y in zip(keys, a, b, strict=True):
            if x != y:
                _, en, zh_word = next(f for f in _STYLE_FIELDS if f[0] == key)
                if key == "size":
                    x, y = x or sizes[0], y or sizes[1]
                x, y = _default(zh) if x is None else x, _default(zh) if y is None else y
                if key == "color":
                    x, y = said_colour(x, zh), said_colour(y, zh)
                if zh:
                    x, y = _WORD_ZH.get(str(x), x), _WORD_ZH.get(str(y), y)
                parts.append(f"{zh_word} {x} → {y}" if zh else f"{en} {x} → {y}")
        joined = ("，" if zh else ", ").join(parts)
        return f"{zh_label}{joined}" if zh else f"{en_label} {joined}"

    return say


def _said(title: str, zh: bool) -> str:
    if not title:
        return "无" if zh else "none"
    return f"“{title}”" if zh else f'"{title}"'


def _default(zh: bool) -> str:
    return "默认" if zh else "default"


def _volume(v: tuple[int, bool], zh: bool) -> str:
    if v[1]:
        return "静音" if zh else "muted"
    return f"{v[0]}%"


_CUT_ZH = {"cut": "直切", "crossfade": "淡入淡出", "slide": "滑动", "wipe": "擦除", "zoom": "缩放"}


def _cuts(kinds: tuple[str, ...], zh: bool) -> str:
    """The transitions between scenes, each kind once in order: ``crossfade/slide`` (``淡入淡出/滑动``)."""
    names = list(dict.fromkeys(k or "cut" for k in kinds)) or ["cut"]
    return "/".join(_CUT_ZH.get(n, n) for n in names) if zh else "/".join(names)


def _scene_list(zh: bool, numbers: list[int]) -> str:
    if zh:
        return f"第 {'、'.join(map(str, numbers))} 个场景"
    return f"scene{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"


def _where(zh: bool, a: Any, b: Any, en_what: str, zh_what: str) -> str:
    """``words in scenes 1, 6`` (``第 1、6 个场景的文字``): which scenes changed."""
    numbers = [i for i, (x, y) in enumerate(zip(a, b, strict=True), 1) if x != y]
    return f"{_scene_list(zh, numbers)}的{zh_what}" if zh else f"{en_what} in {_scene_list(zh, numbers)}"


def _headline_sizes(zh: bool, a: Any, b: Any) -> str:
    """``scene 2 headline size 125% → 100%`` for each scene whose headline size changed."""
    parts = []
    for i, (x, y) in enumerate(zip(a, b, strict=True), 1):
        if x != y:
            pa, pb = f"{round(float(x or 1) * 100)}%", f"{round(float(y or 1) * 100)}%"
            parts.append(
                f"第 {i} 个场景标题字号 {pa} → {pb}" if zh else f"scene {i} headline size {pa} → {pb}"
            )
    return ("；" if zh else "; ").join(parts)


def differences(before: Draft, after: Draft, zh: bool) -> list[str]:
    """Short phrases for what changed from ``before`` to ``after`` (empty: nothing a user sees)."""
    out: list[str] = []

    def check(get: Callable[[Draft], Any], say: Callable[[Any, Any], str | None]) -> None:
        a, b = get(before), get(after)
        if a != b:
            text = say(a, b)
            if text:
                out.append(text)

    check(lambda d: d.canvas.aspect, lambda a, b: _pair(zh, "aspect ratio", "画面比例", a, b))
    check(
        lambda d: d.duration, lambda a, b: _pair(zh, "length", "时长", length_text(a, zh), length_text(b, zh))
    )
    check(lambda d: len(_scenes(d)), lambda a, b: _pair(zh, "scenes", "场景数", a, b))
    same_scenes = [x.id for x in _scenes(before)] == [x.id for x in _scenes(after)]
    if not same_scenes and sorted(x.id for x in _scenes(before)) == sorted(x.id for x in _scenes(after)):
        out.append("场景顺序" if zh else "scene order")  # the same scenes, moved
    check(lambda d: [str(s.meta.get("headline") or "") for s in _scenes(d)] if same_scenes else None,
          lambda a, b: _where(zh, a, b, "words", "文字"))  # fmt: skip
    check(lambda d: _title(d)[0], lambda a, b: _pair(zh, "title", "片名", _said(a, zh), _said(b, zh)))
    if _title(before)[0] and _title(after)[0]:  # a title that came or went says it already
        check(
            lambda d: _title(d)[1:3],
            _styled(
                zh,
                "title",
                "片名",
                ("size", "color"),
                (_default_size(before, 0.12, 0.13), _default_size(after, 0.12, 0.13)),
            ),
        )
        check(lambda d: _title(d)[3], lambda a, b: _pair(zh, "title shown", "片名显示", span_text(a[0], a[1], zh=zh),
                                                         span_text(b[0], b[1], zh=zh)))  # fmt: skip
    check(lambda d: _music(d)[0], lambda a, b: _pair(zh, "music", "背景音乐", _style(a, zh), _style(b, zh)))
    check(
        lambda d: _music(d)[1:],
        lambda a, b: _pair(zh, "music volume", "音乐音量", _volume(a, zh), _volume(b, zh)),
    )
    check(
        lambda d: _voice(d)[0],
        lambda a, b: _pair(zh, "voice", "旁白声音", a or _default(zh), b or _default(zh)),
    )
    check(lambda d: _voice(d)[1], lambda a, b: _pair(zh, "speech speed", "语速", f"{a:g}×", f"{b:g}×"))
    check(lambda d: _voice(d)[2], lambda a, b: _switch(zh, "narration", "旁白", not a))  # hidden: off
    check(lambda d: _voice(d)[3], lambda a, b: _pair(zh, "narration volume", "旁白音量", f"{a}%", f"{b}%"))
    check(lambda d: _captions(d)[0], lambda a, b: _switch(zh, "captions", "字幕", a))
    if _captions(before)[0] and _captions(after)[0]:  # captions turned on or off say it already
        check(
            lambda d: _captions(d)[1:],
            _styled(
                zh,
                "caption",
                "字幕",
                ("size", "color", "position"),
                (_default_size(before, 0.048, 0.056), _default_size(after, 0.048, 0.056)),
            ),
        )
    check(lambda d: any(_look(d)[2]), lambda a, b: ("黑白 → 彩色" if a else "彩色 → 黑白") if zh else
          ("black and white → colour" if a else "colour → black and white"))  # fmt: skip
    if same_scenes:  # scene by scene, when no scene came, went or moved
        if _look(before)[2] == _look(after)[2]:  # black and white says it already
            check(lambda d: _look(d)[0], lambda a, b: _where(zh, a, b, "colours", "配色"))
        check(lambda d: _look(d)[1], lambda a, b: _headline_sizes(zh, a, b))
        check(
            lambda d: _look(d)[3],
            lambda a, b: _pair(zh, "transitions", "转场", _cuts(a, zh), _cuts(b, zh)),
        )
    overlays = [len([s for _, s in d.segments() if s.kind == "overlay"]) for d in (before, after)]
    if overlays[0] != overlays[1]:
        out.append(_pair(zh, "text overlays", "文字叠加", overlays[0], overlays[1]))
    return out
