"""A scene's picture: a new generated one, or the user's upload."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import _SCENE_EN, Call, _Clause, _refs, _Say, _scene_word, _unquote, rule
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _inside,
    _lang,
    _scene_index,
    _scene_name,
    _scene_track,
    capability,
)
from promptreel.agent.edits.music import _find_media, _media_fact
from promptreel.agent.phrases import SCENE_WORDS_EN, has_any
from promptreel.draft import ops
from promptreel.draft.meta import Meta, thaw
from promptreel.draft.model import Draft, Segment, TrackType
from promptreel.draft.query import span_label
from promptreel.language import has_cjk


class RegenerateArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    hint: str | None = None


class MediaArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    media_id: str | None = None
    kind: Literal["image", "video", "any"] | None = None
    name: str | None = None


@capability(
    "regenerate_visual",
    "Give a scene a new picture.",
    RegenerateArgs,
)
def regenerate_visual(draft: Draft, ctx: EditContext, scene: int, hint: str | None = None) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    seg = st.segments[idx]
    if seg.kind != "scene":
        raise EditRefused(
            "not_generated",
            f"Scene {idx + 1} shows an uploaded file, not a generated picture.",
            scene=idx + 1,
        )
    old_icon = str(seg.meta.get("icon") or "")
    icon = old_icon
    if ctx.illustrations is not None:
        text = hint or str(seg.meta.get("text") or seg.meta.get("headline") or "")
        lang = "zh" if has_cjk(text) else _lang(draft)
        exclude = tuple(str(s.meta.get("icon")) for s in st.segments if s.meta.get("icon"))
        icon = (
            ctx.illustrations.match(text, lang=lang, exclude=exclude)
            or ctx.illustrations.match(text, lang=lang, exclude=(old_icon,))
            or old_icon
        )
    motions = ("gradient", "shapes", "particles", "rays", "grid", "waves")
    motion = str(seg.meta.get("motion") or "gradient")
    new_motion = motions[(motions.index(motion) + 1) % len(motions)] if motion in motions else "shapes"
    palette = list(thaw(seg.meta.get("palette", [])) or [])
    if len(palette) > 1:
        palette = palette[1:] + palette[:1]
    seed = int(seg.meta.get("seed", 0) or 0) + 1009
    d = ops.update_segment(
        draft, seg.id, meta={"icon": icon, "motion": new_motion, "palette": palette, "seed": seed}
    )
    return d, {
        "what": "visual",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "before": old_icon or motion,
        "after": icon if icon != old_icon else new_motion,
        "timing": span_label(seg.start, seg.end),
    }


@capability(
    "use_media",
    "Show an uploaded image or video in a scene.",
    MediaArgs,
)
def use_media(
    draft: Draft,
    ctx: EditContext,
    scene: int,
    media_id: str | None = None,
    kind: str | None = None,
    name: str | None = None,
) -> Result:
    idx = _scene_index(draft, scene)
    st = _scene_track(draft)
    seg = st.segments[idx]
    m = _find_media(ctx, media_id, kind if kind in ("image", "video") else None, name)
    mkind = str(_media_fact(m, "kind") or "image")
    if mkind not in ("image", "video"):
        raise EditRefused(
            "media_kind",
            f"{_media_fact(m, 'name') or 'That file'} is {mkind}, not a picture or video.",
            name=str(_media_fact(m, "name") or ""),
            kind=mkind,
        )
    mt = draft.first_track("media")
    d = draft
    if mt is None:
        index = next(i for i, t in enumerate(draft.tracks) if t.id == st.id) + 1
        d, tid = ops.upsert_track(d, "media", TrackType.VIDEO, "Media", index=index)
    else:
        tid = mt.id
        old = [s for s in mt.segments if _inside(s, seg)]
        for s in old:
            d = ops.remove_segment(d, s.id)
    mid = ops.new_id(d, "seg_media")
    dur = seg.duration
    mdur = int(_media_fact(m, "duration_ms") or 0)
    if mkind == "video" and mdur > 0:
        dur = min(dur, mdur)
    name_ = str(_media_fact(m, "name") or _media_fact(m, "media_id"))
    mseg = Segment(
        mid,
        seg.start,
        dur,
        "media",
        name_,
        Meta(
            {
                "media_id": _media_fact(m, "media_id"),
                "src": _media_fact(m, "src") or _media_fact(m, "media_id"),
                "media_kind": mkind,
                "trim_in": 0,
                "fit": "cover",
                "kenburns": mkind == "image",
                "transition": seg.meta.get("transition", "cut"),
                "transition_ms": seg.meta.get("transition_ms", 0),
            }
        ),
    )
    d = ops.add_segment(d, tid, mseg)
    return d, {
        "what": "media",
        "scene": idx + 1,
        "name": _scene_name(seg),
        "before": "generated",
        "after": name_,
        "kind": mkind,
        "timing": span_label(seg.start, seg.start + dur),
    }


# ---------------------------------------------------------------- phrasings (EN/ZH)


_MEDIA_WORDS = ("photo", "photos", "picture", "pic", "image", "video", "footage", "clip", "file", "upload", "logo",
                "screenshot", "照片", "图片", "视频", "文件", "素材", "截图", "相片", "图")  # fmt: skip


_FILE = re.compile(r"[A-Za-z0-9_\-.]+\.(?:jpe?g|png|gif|webp|mp4|mov|avi|webm|mkv)\b")


@rule(10)
def _rule_media(c: _Clause) -> list[Call] | None:
    t = c.t
    fname = _FILE.search(c.raw.lower())
    mine = re.search(r"\b(my|our|the uploaded|uploaded|the upload|this)\b", t) or has_any(
        t, ("我的", "我上传", "上传的", "我们的", "刚上传")
    )
    if not (fname or (mine and has_any(t, _MEDIA_WORDS))):
        return None
    refs = _refs(c)
    if not refs:
        if _scene_word(c) or has_any(t, ("use", "put", "用", "放")):
            raise _Say("media_which_scene")
        return None
    args: dict[str, Any] = {"scene": refs[0]}
    if fname:
        args["name"] = fname.group(0)
    elif has_any(t, ("video", "footage", "clip", "视频")):
        args["kind"] = "video"
    elif has_any(
        t, ("photo", "picture", "pic", "image", "logo", "screenshot", "照片", "图片", "相片", "截图", "图")
    ):
        args["kind"] = "image"
    return [("use_media", args)]


@rule(13)
def _rule_regenerate(c: _Clause) -> list[Call] | None:
    t = c.t
    visual = has_any(t, ("picture", "image", "visual", "visuals", "illustration", "icon", "graphic", "graphics", "look",
                         "background", "artwork", "art", "pic", "drawing", "画面", "图片", "插图", "图", "视觉", "背景",
                         "图标", "配图", "画"))  # fmt: skip
    regen = has_any(t, ("regenerate", "re-generate", "redo", "refresh", "new", "different", "another", "change", "replace",
                        "swap", "reroll", "re-roll", "try again", "重新生成", "重新", "换", "换一", "另一", "重画", "刷新",
                        "不一样"))  # fmt: skip
    regen = regen or bool(
        re.search(r"\b(?:picture|image|illustration|icon|pic|drawing)\s+(?:of|showing)\b", t)
    )
    refs = _refs(c)
    if not (refs and re.search(r"\bregenerate\b|重新生成", t)) and not (visual and regen):
        return None
    if not refs:
        raise _Say("visual_which_scene")
    args: dict[str, Any] = {"scene": refs[0]}
    m = re.search(r"\b(?:picture|image|illustration|icon|pic|drawing|visual)\s+(?:of|with|showing)\s+(.+?)"
                  rf"(?:\s+(?:for|in|on|to)\s+(?:the\s+)?(?:\w+\s+)?{SCENE_WORDS_EN}.*)?$", t) or re.search(
        r"(?:换成|改成|画)(?:一张|一个)?(.+?)的(?:图片|图|插图|画面|图标)", t)  # fmt: skip
    if m and m.group(1).strip() and not _SCENE_EN.search(m.group(1)):
        args["hint"] = _unquote(c, m.group(1).strip())
    return [("regenerate_visual", args)]
