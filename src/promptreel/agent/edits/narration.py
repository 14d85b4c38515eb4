"""Narration on/off and level, and one scene's spoken line."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field

from promptreel.agent.clause import (
    _CAPTIONS,
    _TITLE,
    Call,
    _Clause,
    _first_quote,
    _refs,
    _Say,
    _strip_quotes,
    _unquote,
    rule,
)
from promptreel.agent.edits.base import (
    NARRATION_LEAD_MS,
    NARRATION_TAIL_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _lang,
    _narration_for,
    _percent,
    _plan,
    _scene_index,
    _scene_name,
    _scene_track,
    _speak_ms,
    capability,
)
from promptreel.agent.edits.music import _audio_index
from promptreel.agent.edits.voice import _reflow_narration
from promptreel.agent.phrases import has_any
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Draft, Segment, TrackType
from promptreel.draft.query import span_label


class NarrationArgs(Args):
    enabled: bool | None = None
    volume: float | None = Field(default=None, ge=0, le=2)
    volume_scale: float | None = Field(default=None, ge=0)


class SceneTextArgs(Args):
    scene: int = Field(description="1-based scene number; -1 is the last scene")
    text: str


@capability(
    "set_narration",
    "Turn narration on or off, or change its volume.",
    NarrationArgs,
)
def set_narration(
    draft: Draft,
    ctx: EditContext,
    enabled: bool | None = None,
    volume: float | None = None,
    volume_scale: float | None = None,
) -> Result:
    t = draft.first_track("narration")
    if t is None or not t.segments:
        if enabled:
            return _add_narration(draft, ctx)
        raise EditRefused("no_narration", "This video has no narration.")
    meta: dict[str, Any] = {}
    res: dict[str, Any] = {"what": "narration", "timing": span_label(t.start, t.end)}
    if enabled is not None:
        was = not t.meta.get("muted")
        if was == enabled:
            raise EditRefused(
                "narration_same", "Narration is already " + ("on." if enabled else "off."), enabled=enabled
            )
        meta["muted"] = None if enabled else True
        res.update(field="enabled", before="on" if was else "off", after="on" if enabled else "off")
    if volume is not None or volume_scale is not None:
        vb = float(t.meta.get("volume", 1.0))
        v = float(volume) if volume is not None else vb * float(volume_scale or 1)
        v = round(max(0.05, min(2.0, v)), 3)
        meta["volume"] = v
        res.update(field="volume", before=_percent(vb), after=_percent(v))
    if not meta:
        raise EditRefused("narration_what", "Should the narration be on or off, louder or quieter?")
    return ops.update_track(draft, t.id, meta=meta), res


def _add_narration(draft: Draft, ctx: EditContext) -> Result:
    st = _scene_track(draft)
    lang = _lang(draft)
    voice = str(draft.meta.get("voice") or "")
    speed = float(draft.meta.get("speed") or 1.0)
    d, tid = ops.upsert_track(draft, "narration", TrackType.AUDIO, "Voiceover", index=_audio_index(draft))
    segs: list[Segment] = []
    durs: dict[str, int] = {}
    new_scene: dict[str, int] = {}
    ids = ops.new_ids(d, "seg_voice", len(st.segments))
    for i, scene in enumerate(st.segments):
        text = str(scene.meta.get("text") or "")
        if not text:
            continue
        ms = _speak_ms(ctx, text, lang=lang, voice=voice, speed=speed)
        seg = Segment(
            ids[i],
            scene.start + NARRATION_LEAD_MS,
            1,
            "voice",
            "",
            Meta({"text": text, "voice": voice, "speed": speed, "lang": lang}),
        )
        segs.append(seg)
        durs[seg.id] = ms
        new_scene[scene.id] = max(scene.duration, NARRATION_LEAD_MS + ms + NARRATION_TAIL_MS)
    if not segs:
        raise EditRefused("no_text", "The scenes have no text to narrate.")
    d = ops.replace_segments(d, tid, segs)
    d = ops.remap_segments(d, st.id, _plan(st, new_scene), durations=durs)
    d = ops.set_meta(d, captions=d.meta.get("captions", True))
    return d, {
        "what": "narration",
        "field": "enabled",
        "before": "off",
        "after": "on",
        "added": True,
        "timing": span_label(0, d.duration),
    }


@capability(
    "set_scene_text",
    "Rewrite one scene's narration line and re-voice it.",
    SceneTextArgs,
)
def set_scene_text(draft: Draft, ctx: EditContext, scene: int, text: str) -> Result:
    idx = _scene_index(draft, scene)
    text = text.strip()
    if not text:
        raise EditRefused("empty_text", "The new narration text is empty.")
    seg = _scene_track(draft).segments[idx]
    before = str(seg.meta.get("text") or "")
    if _narration_for(draft, seg) is None:
        d = ops.update_segment(draft, seg.id, meta={"text": text})
    else:
        d = _reflow_narration(draft, ctx, texts={idx: text})
    new = _scene_track(d).segments[idx]
    return d, {
        "what": "scene_text",
        "scene": idx + 1,
        "name": _scene_name(new),
        "before": before,
        "after": text,
        "timing": span_label(new.start, new.end),
    }


# ---------------------------------------------------------------- phrasings (EN/ZH)


_LINE_EN = re.compile(
    r"\b(?:narration|line|lines|script|voiceover|voice-over|say|says|read|reads|words)\b|\btext\s+(?:to|as|into|:)"
)


_LINE_ZH = ("旁白", "台词", "文案", "解说", "说", "念", "讲", "词", "文字改成", "文字改为", "文字换成")


@rule(8)
def _rule_revoice(c: _Clause) -> list[Call] | None:
    """ "change scene 2's narration to …", "make the third scene say …", "把第二个场景的旁白改成…"."""
    t = c.t
    refs = _refs(c)
    if not refs or has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    bare = _strip_quotes(t)
    if not (_LINE_EN.search(bare) or has_any(bare, _LINE_ZH)):
        return None
    if re.search(r"\b(add|insert|put|show|overlay)\b", bare) and not _LINE_EN.search(bare.replace("say", "")):
        return None
    text = _first_quote(c)
    if text is None:
        m = re.search(
            r"\b(?:to|say|says|read|reads)\s*:\s*(.+)$|\b(?:to|say|says)\s+(.+)$|:\s*(.+)$", t
        ) or re.search(r"(?:改成|改为|换成|换为|设为|写成|说|念|讲)\s*[:：]?\s*(.+)$|[:：]\s*(.+)$", t)
        if m:
            raw = next(g for g in m.groups() if g).strip(" .!。！")
            plain = _unquote(c, raw)
            idx = c.raw.lower().find(plain.lower())
            text = c.raw[idx : idx + len(plain)] if idx >= 0 else plain
    if not text:
        raise _Say("scene_text_what")
    return [
        (
            "set_scene_text",
            {"scene": refs[0], "text": text.strip(" .!。！") if not text.endswith(".") else text},
        )
    ]
