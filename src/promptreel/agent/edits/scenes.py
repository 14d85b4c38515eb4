"""Scene order and length: resize, move, swap, remove (ripple edits)."""

from __future__ import annotations

import difflib
import re

from pydantic import Field

from promptreel.agent.clause import _REMOVE, Call, _Clause, _refs, _Say, _scene_word, _unquote, rule
from promptreel.agent.edits.base import (
    MIN_SCENE_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _narration_for,
    _plan,
    _scene_index,
    _scene_name,
    _scene_track,
    capability,
)
from promptreel.agent.phrases import durations, has_any
from promptreel.draft import ops
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label
from promptreel.language import has_cjk


class ResizeArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    duration_ms: int | None = Field(default=None, ge=0)
    delta_ms: int | None = None


class MoveArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    to: int = Field(description="1-based scene number; -1 is the last scene")


class SwapArgs(Args):
    a: int = Field(description="1-based scene number; -1 is the last scene")
    b: int = Field(description="1-based scene number; -1 is the last scene")


class SceneArgs(Args):
    scene: int | None = Field(default=None, description="1-based scene number; -1 is the last scene")
    text: str | None = Field(default=None, description="or: words the scene shows or says")


@capability(
    "resize_scene",
    "Make one scene longer or shorter (ripple: later scenes move, music stretches).",
    ResizeArgs,
)
def resize_scene(
    draft: Draft, ctx: EditContext, scene: int, duration_ms: int | None = None, delta_ms: int | None = None
) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    seg = st.segments[idx]
    if duration_ms is None and delta_ms is None:
        raise EditRefused("resize_what", "How long should the scene be?")
    new = int(duration_ms) if duration_ms is not None else seg.duration + int(delta_ms or 0)
    n = _narration_for(draft, seg)
    floor = max(MIN_SCENE_MS // 2, (n.end - seg.start) if n is not None else 0)
    if new < floor:
        raise EditRefused(
            "too_short",
            f"Scene {idx + 1} cannot be shorter than {floor / 1000:g}s — its narration needs that long.",
            scene=idx + 1,
            min_s=floor / 1000,
        )
    if new == seg.duration:
        raise EditRefused("same_length", f"Scene {idx + 1} is already {new / 1000:g}s long.", scene=idx + 1)
    d = ops.remap_segments(draft, st.id, _plan(st, {seg.id: new}))
    after = _scene_track(d).segments[idx]
    return d, {
        "what": "scene_length",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "before": f"{seg.duration / 1000:g}s",
        "after": f"{new / 1000:g}s",
        "timing": span_label(after.start, after.end),
        "shift_ms": new - seg.duration,
        "total": span_label(0, d.duration),
    }


@capability(
    "move_scene",
    "Move a scene to another position.",
    MoveArgs,
)
def move_scene(draft: Draft, ctx: EditContext, scene: int, to: int) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    target = _scene_index(draft, to)
    if target == idx:
        raise EditRefused("same_place", f"Scene {idx + 1} is already there.", scene=idx + 1)
    order = list(st.segments)
    seg = order.pop(idx)
    order.insert(target, seg)
    d = ops.remap_segments(draft, st.id, [(s.id, s.duration) for s in order])
    after = _scene_track(d).segments[target]
    return d, {
        "what": "scene_moved",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "before": idx + 1,
        "after": target + 1,
        "timing": span_label(after.start, after.end),
    }


@capability(
    "swap_scenes",
    "Swap two scenes.",
    SwapArgs,
)
def swap_scenes(draft: Draft, ctx: EditContext, a: int, b: int) -> Result:
    i, j = _scene_index(draft, a), _scene_index(draft, b)
    if i == j:
        raise EditRefused("same_place", "Those are the same scene.", scene=i + 1)
    st = _scene_track(draft)
    order = list(st.segments)
    order[i], order[j] = order[j], order[i]
    d = ops.remap_segments(draft, st.id, [(s.id, s.duration) for s in order])
    return d, {
        "what": "scenes_swapped",
        "scene": i + 1,
        "other": j + 1,
        "name": _scene_name(st.segments[i]),
        "other_name": _scene_name(st.segments[j]),
        "before": f"{i + 1} ↔ {j + 1}",
        "after": f"{j + 1} ↔ {i + 1}",
    }


@capability(
    "remove_scene",
    "Remove a scene with its narration and captions (ripple).",
    SceneArgs,
)
def remove_scene(draft: Draft, ctx: EditContext, scene: int | None = None, text: str | None = None) -> Result:
    if scene is None and not text:
        raise EditRefused("bad_args", "remove_scene needs a scene number or its words.", tool="remove_scene")
    idx = _scene_index(draft, scene) if scene is not None else _scene_saying(draft, str(text))
    st = _scene_track(draft)
    if len(st.segments) == 1:
        raise EditRefused("only_scene", "That is the only scene; a video needs at least one.")
    seg = st.segments[idx]
    before_total = draft.duration
    d = ops.remap_segments(draft, st.id, [(s.id, s.duration) for s in st.segments if s.id != seg.id])
    return d, {
        "what": "scene_removed",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "timing": span_label(seg.start, seg.end),
        "before": span_label(0, before_total),
        "after": span_label(0, d.duration),
        "count": len(st.segments) - 1,
    }


def _scene_saying(draft: Draft, words: str) -> int:
    """The 0-based index of the scene whose headline, text or list items say ``words`` (the most
    alike when none says them word for word); refuses with the closest lines when none is near."""
    from promptreel.agent.edits.replace import closest

    key = re.sub(r"\s+", " ", words).strip(" .!?。！？\"'“”").lower()
    key = re.sub(r"^(?:the|a|an)\s+", "", key)
    best, score = -1, 0.0
    saying: list[tuple[float, int]] = []
    for i, seg in enumerate(_scene_track(draft).segments):
        items = " ".join(str(x.get("text") or "") for x in (seg.meta.get("items") or ()) if hasattr(x, "get"))
        icon = str(seg.meta.get("icon") or "").split(":")[-1].replace("-", " ")
        said = " ".join(str(seg.meta.get(k) or "") for k in ("headline", "text")) + f" {items} {icon}"
        low = re.sub(r"\s+", " ", said).lower()
        if key and key in low:
            saying.append((len(key) / len(low), i))  # the scene the words are most of
            continue
        r = difflib.SequenceMatcher(None, key, low).find_longest_match(0, len(key), 0, len(low)).size / max(
            1, len(key)
        )
        if r > score:
            best, score = i, r
    if saying:
        return max(saying)[1]
    if best >= 0 and score >= 0.75:
        return best
    zh = has_cjk(words)
    quote = "“{}”".format if zh else '"{}"'.format
    raise EditRefused(
        "text_not_found",
        f"No scene says {words!r}.",
        find=quote(words),
        closest=("、" if zh else ", ").join(quote(x) for x in closest(draft, words)) or "-",
    )


# ---------------------------------------------------------------- phrasings (EN/ZH)

_ABOUT_EN = re.compile(
    r"\bscene\s+(?:that|which|where|with|about|saying|showing|on|that's about|that talks about)\s+"
    r"(?:says?\s+|shows?\s+|is about\s+|mentions?\s+|talks about\s+|the words?\s+)?(.+)$"
)
_ABOUT_ZH = re.compile(
    r"(?:说|讲|写着?|提到|关于|是)[:：]?\s*(.+?)\s*(?:的|那个|这个)+(?:场景|镜头|画面|片段)"
)


@rule(4)
def _rule_remove_by_words(c: _Clause) -> list[Call] | None:
    """ "delete the scene that says 'Come and see'", "remove the scene about opening hours",
    "删掉说“我们很期待认识你”的那个场景"."""
    t = c.t.strip(" .!。！?？")
    if _refs(c) or not has_any(t, _REMOVE) or not _scene_word(c):
        return None
    m = _ABOUT_ZH.search(t) if c.zh else _ABOUT_EN.search(t)
    if not m:
        return None
    words = _unquote(c, m.group(1)).strip(" .!。！\"'“”")
    if c.quotes and m.group(1).strip().startswith("⟦"):
        words = c.quotes[0]
    elif not c.zh:
        at = c.raw.lower().find(words.lower())
        words = c.raw[at : at + len(words)] if at >= 0 else words
    return [("remove_scene", {"text": words})] if words else None


@rule(14)
def _rule_swap_move(c: _Clause) -> list[Call] | None:
    t = c.t
    refs = _refs(c)
    if has_any(t, ("swap", "switch", "exchange", "flip", "trade", "interchange", "reverse", "交换", "对调", "互换",
                   "调换", "换一下", "交换位置", "颠倒")):  # fmt: skip
        if len(refs) >= 2:
            return [("swap_scenes", {"a": refs[0], "b": refs[1]})]
        if _scene_word(c):
            raise _Say("swap_which")
        return None
    made = re.search(
        r"\bmake\b.*\b(?:the )?(first|last|opening|final|closing)(?: one| scene)?$", t
    ) or re.search(
        r"\b(?:come|go|be|appear|play)\s+(?:the\s+)?(first|last)\b|\b(?:put|move|place)\b.*\s(first|last)$", t
    )
    if not made and not has_any(t, ("move", "put", "place", "bring", "shift", "reorder", "移到", "移动", "放到",
                                    "挪到", "调到", "放在", "移至", "挪", "排到", "变成")):  # fmt: skip
        return None
    if not refs or (not _scene_word(c) and not re.search(r"第", t)):
        return None
    src = refs[0]
    to: int | None = None
    first = r"(?:the\s+)?(?:start|beginning|front|top|first(?: place| position| one)?|opening)"
    last = r"(?:the\s+)?(?:end|back|bottom|last(?: place| position| one)?|final|closing)"
    zh_first = r"(?:开头|最前面|最前|第一个|第一位|片头)"
    zh_last = r"(?:最后|末尾|结尾|最后面|片尾|最后一个)"
    zh_verb = r"(?:移到|放到|挪到|调到|放在|移至|排到|变成|移动到)"
    m_pos = re.search(r"(?:position|place|spot|slot|number)\s*(\d+)", t)
    if made:
        to = 1 if next(g for g in made.groups() if g) in ("first", "opening") else -1
    elif m_pos:
        to = int(m_pos.group(1))
    elif re.search(rf"\b(?:to|at|as)\s+{first}\b", t) or (
        re.search(zh_verb + zh_first + r"(?!\S*(?:场景|镜头)\S*后)", t) and len(refs) == 1
    ):
        to = 1
    elif re.search(rf"\b(?:to|at|as)\s+{last}\b", t) or (re.search(zh_verb + zh_last, t) and len(refs) == 1):
        to = -1
    elif len(refs) >= 2:
        other = refs[1]
        if re.search(r"\bafter\b|之后|后面|后边", t):
            to = other if other < 0 else (other if src < other else other + 1)
        elif re.search(r"\bbefore\b|之前|前面|前边", t):
            to = other if other < 0 else (other - 1 if src < other else other)
        else:
            to = other  # "move scene 3 to position 1", "把第三个场景移到第二个"
    if to is None:
        if has_any(t, ("move", "移动", "挪")):
            raise _Say("move_where")
        return None
    if to == 0:
        to = 1
    return [("move_scene", {"scene": src, "to": to})]


@rule(15)
def _rule_remove_scene(c: _Clause) -> list[Call] | None:
    t = c.t
    refs = _refs(c)
    removing = has_any(t, _REMOVE) or (re.search(r"\b(cut|skip|omit)\b", t) and not durations(t))
    if not removing:
        return None
    if not refs:
        if _scene_word(c):
            raise _Say("remove_which")
        return None
    # counted from the end: the earliest first (so the later ones keep their place); then from the start,
    # the last first
    order = sorted({r for r in refs if r < 0}) + sorted({r for r in refs if r > 0}, reverse=True)
    return [("remove_scene", {"scene": r}) for r in order]


_END_PART = re.compile(r"\bthe (?:ending|end part|last part|closing)\b|结尾|片尾|最后一段|最后那段")
_START_PART = re.compile(r"\bthe (?:beginning|opening|start|first part)\b|开头|片头|第一段")


_BY_ZH_LONGER = re.compile(r"长\s*(?=[\d零一二两三四五六七八九十半]+\s*(?:秒|s|S|分))")
_BY_ZH_SHORTER = re.compile(r"短\s*(?=[\d零一二两三四五六七八九十半]+\s*(?:秒|s|S|分))")


@rule(16)
def _rule_resize(c: _Clause) -> list[Call] | None:
    t = c.t
    refs = _refs(c)
    part = False
    if not refs and not c.quotes:  # "make the ending longer", "开头短一点": the last or first scene
        if _END_PART.search(t):
            refs, part = [-1], True
        elif _START_PART.search(t):
            refs, part = [1], True
    if not refs:
        return None
    d = durations(t)
    longer = has_any(t, ("longer", "extend", "lengthen", "stretch", "more", "add", "increase", "+", "too short", "太短", "延长", "加长",
                         "增加", "多", "长一点", "长一些", "拉长", "久一点", "再长", "更长"))  # fmt: skip
    shorter = has_any(t, ("shorter", "shorten", "trim", "cut", "reduce", "less", "decrease", "-", "too long", "太长", "缩短", "减少", "少",
                          "剪短", "短一点", "短一些", "减"))  # fmt: skip
    if not d:
        if longer or shorter:
            if not _scene_word(c) and "第" not in t and not part:
                return None
            # "make the second scene a bit longer"
            return [("resize_scene", {"scene": refs[0], "delta_ms": 1000 if longer else -1000})]
        return None
    if not _scene_word(c) and "第" not in t and not part:
        return None
    ms = d[0][1]
    if _BY_ZH_LONGER.search(t):  # "第二个场景长两秒": two seconds longer, not two seconds long
        longer = True
    if _BY_ZH_SHORTER.search(t):
        shorter = True
    if re.search(r"\+\s*\d", t):
        longer = True
    if re.search(r"(?<![a-z0-9])-\s*\d", t):
        shorter = True
    if longer and not re.search(r"\bto\b|改成|改为|设为|变成", t):
        return [("resize_scene", {"scene": refs[0], "delta_ms": ms})]
    if shorter and not re.search(r"\bto\b|改成|改为|设为|变成", t):
        return [("resize_scene", {"scene": refs[0], "delta_ms": -ms})]
    return [("resize_scene", {"scene": refs[0], "duration_ms": ms})]
