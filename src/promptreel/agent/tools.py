"""The editing tools: each is a pure function ``draft → (draft, result)`` with a JSON schema.

The rule-based editor and the LLM editor call the same tools. A tool never mutates its input
and raises :class:`EditRefused` (with a reason key and parameters the reply can phrase in
either language) when a request cannot be done; the caller then keeps the draft untouched.

Results are small JSON objects: ``what`` (the kind of change), ``name``, ``scene``, ``timing``
(``"4-9s"``), ``before`` / ``after`` and sometimes ``note`` with extra keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from promptreel.agent.history import History
from promptreel.draft import ops
from promptreel.draft.meta import Meta, thaw
from promptreel.draft.model import Draft, Segment, Track, TrackType
from promptreel.draft.query import span_label, summary
from promptreel.errors import InvalidRequest, PromptreelError
from promptreel.generators.base import Illustrations, Speech

__all__ = [
    "ASPECTS",
    "TOOLS",
    "EditContext",
    "EditRefused",
    "Tool",
    "apply_tool",
    "tool_schemas",
    "voices",
    "Voice",
]

ASPECTS: dict[str, tuple[int, int]] = {"9:16": (1080, 1920), "1:1": (1080, 1080), "16:9": (1920, 1080)}
MIN_SCENE_MS = 1000
NARRATION_LEAD_MS = 300
NARRATION_TAIL_MS = 400
DEFAULT_TITLE_MS = 3000
DEFAULT_TRANSITION_MS = 500


class EditRefused(InvalidRequest):
    """A request that cannot be applied; ``reason`` keys the explanation, ``params`` fill it."""

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        super().__init__(message, data={"reason": reason, **params})
        self.reason = reason
        self.params = params


@dataclass
class EditContext:
    """What a turn knows besides the draft: generators (optional) and the session's uploads."""

    speech: Speech | None = None
    illustrations: Illustrations | None = None
    media: Sequence[Any] = ()
    history: History = field(default_factory=History)


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    fn: Callable[..., tuple[Draft, dict[str, Any]]]

    def schema(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


Result = tuple[Draft, dict[str, Any]]


# ---------------------------------------------------------------- helpers


def _lang(draft: Draft) -> str:
    return str(draft.meta.get("lang") or "en")


def _scene_track(draft: Draft) -> Track:
    t = draft.first_track("scenes") or draft.first_track("media")
    if t is None or not t.segments:
        raise EditRefused("no_scenes", "The draft has no scenes yet.")
    return t


def _scene_index(draft: Draft, scene: Any) -> int:
    """0-based index for a 1-based scene number (negative counts from the end)."""
    n = len(_scene_track(draft).segments)
    try:
        i = int(scene)
    except (TypeError, ValueError):
        raise EditRefused(
            "bad_scene", f"{scene!r} is not a scene number.", index=str(scene), count=n
        ) from None
    idx = i - 1 if i > 0 else n + i
    if i == 0 or not 0 <= idx < n:
        raise EditRefused(
            "no_scene", f"There is no scene {i} — the video has {n} scene{'s' * (n != 1)}.", index=i, count=n
        )
    return idx


def _scene_name(s: Segment) -> str:
    return str(s.meta.get("headline") or s.name or s.meta.get("text") or "")[:60]


def _inside(s: Segment, owner: Segment) -> bool:
    return owner.start <= s.start and s.end <= owner.end


def _narration_for(draft: Draft, scene: Segment) -> Segment | None:
    t = draft.first_track("narration")
    if t is None:
        return None
    return next((s for s in t.segments if scene.start <= s.start < scene.end), None)


def _plan(track: Track, durations: Mapping[str, int] | None = None) -> list[tuple[str, int]]:
    return [(s.id, (durations or {}).get(s.id, s.duration)) for s in track.segments]


def _estimate_ms(text: str, lang: str, speed: float) -> int:
    words = len(re.findall(r"[\u3400-\u9fff]", text)) * 0.65 + len(re.findall(r"[A-Za-z0-9']+", text))
    return max(600, round((words * 380 + 200) / max(0.25, speed)))


def _speak_ms(ctx: EditContext, text: str, *, lang: str, voice: str, speed: float) -> int:
    if ctx.speech is None:
        return _estimate_ms(text, lang, speed)
    clip = ctx.speech.synthesize(text, lang=lang, voice=voice, speed=speed)
    return max(1, int(clip.duration_ms))


def _default_size(draft: Draft, landscape: float, portrait: float) -> int:
    """The text size the renderer uses when a style names none (px at the draft's canvas)."""
    w, h = draft.canvas.width, draft.canvas.height
    return round(min(w, h) * (landscape if w >= h else portrait))


def _percent(v: float) -> str:
    return f"{round(v * 100)}%"


def _require_track(draft: Draft, role: str, reason: str, message: str) -> Track:
    t = draft.first_track(role)
    if t is None or not t.segments:
        raise EditRefused(reason, message)
    return t


def _caption_segments(draft: Draft, voice_segments: Sequence[Segment]) -> list[Segment]:
    """Phrase-level captions in sync with ``voice_segments`` (the director's rules), fresh ids."""
    from promptreel.agent.director import caption_segments

    track = Track("_voice", TrackType.AUDIO, "narration", "", tuple(voice_segments))
    return caption_segments(track, draft=draft)


def _retime_captions(draft: Draft, scene: Segment, narration: Segment) -> Draft:
    """Replace the captions inside ``scene`` with fresh ones spanning ``narration``."""
    ct = draft.first_track("captions")
    if ct is None:
        return draft
    keep = [s for s in ct.segments if not _inside(s, scene)]
    lang = str(narration.meta.get("lang") or _lang(draft))
    text = str(narration.meta.get("text") or "")
    without = ops.replace_segments(draft, ct.id, keep)
    if not text:
        return without
    dur = min(narration.duration, scene.end - narration.start)
    line = narration.replace(duration=max(1, dur), meta=narration.meta.set(lang=lang))
    new = _caption_segments(without, [line])
    return ops.replace_segments(without, ct.id, [*keep, *new])


# ---------------------------------------------------------------- canvas


def set_aspect(draft: Draft, ctx: EditContext, aspect: str) -> Result:
    if aspect not in ASPECTS:
        raise EditRefused("bad_aspect", f"Aspect {aspect!r} is not one of 9:16, 1:1, 16:9.", aspect=aspect)
    w, h = ASPECTS[aspect]
    c = draft.canvas
    before = f"{c.aspect} ({c.width}×{c.height})"
    new = ops.set_canvas(draft, w, h, c.fps)
    return new, {"what": "aspect", "before": before, "after": f"{aspect} ({w}×{h})", "aspect": aspect}


# ---------------------------------------------------------------- title


def _title_track(draft: Draft) -> tuple[Draft, Track, Segment]:
    t = draft.first_track("title")
    if t is not None and t.segments:
        return draft, t, t.segments[0]
    draft, tid = ops.upsert_track(draft, "title", TrackType.TEXT, "Title")
    sid = ops.new_id(draft, "seg_title")
    total = draft.duration or DEFAULT_TITLE_MS
    seg = Segment(
        sid, 0, min(DEFAULT_TITLE_MS, total), "title", "", Meta({"text": draft.meta.get("title", "")})
    )
    draft = ops.add_segment(draft, tid, seg)
    t2 = draft.track(tid)
    assert t2 is not None
    return draft, t2, seg


def set_title(
    draft: Draft,
    ctx: EditContext,
    text: str | None = None,
    color: str | None = None,
    size_scale: float | None = None,
    font: str | None = None,
    start_ms: int | None = None,
    duration_ms: int | None = None,
    position: str | None = None,
    at: str | None = None,
) -> Result:
    if all(v is None for v in (text, color, size_scale, font, start_ms, duration_ms, position, at)):
        raise EditRefused(
            "title_what", "What should change about the title: its text, colour, size or timing?"
        )
    existing = draft.first_track("title")
    if (existing is None or not existing.segments) and not (text or draft.meta.get("title")):
        raise EditRefused("no_title", "There is no title yet — tell me its text first.")
    d, _t, seg = _title_track(draft)
    before_text = str(seg.meta.get("text", ""))
    style = dict(thaw(seg.meta.get("style", {})) or {})
    changes: dict[str, Any] = {}
    res: dict[str, Any] = {"what": "title", "name": before_text}
    if text is not None:
        text = text.strip()
        if not text:
            raise EditRefused("empty_text", "The title text cannot be empty.")
        changes["text"] = text
        res.update(before=before_text, after=text, name=text)
    if color is not None:
        res.update(field="color", before=style.get("color", "default"), after=color)
        style["color"] = color
    if size_scale is not None:
        old = int(style.get("size") or _default_size(draft, 0.12, 0.13))
        new_size = max(24, min(320, round(old * float(size_scale))))
        style["size"] = new_size
        res.update(field="size", before=old, after=new_size)
    if font is not None:
        res.update(field="font", before=style.get("font", "default"), after=font)
        style["font"] = font
    if style != dict(thaw(seg.meta.get("style", {})) or {}):
        changes["style"] = style
    if position is not None:
        changes["position"] = position
        res.update(field="position", before=seg.meta.get("position", "center"), after=position)
    new_start = seg.start if start_ms is None else max(0, int(start_ms))
    new_dur = seg.duration if duration_ms is None else int(duration_ms)
    if at == "end":
        new_start = max(0, d.duration - new_dur)
    elif at == "start":
        new_start = 0
    if new_dur <= 0:
        raise EditRefused("bad_duration", "The title needs a positive duration.")
    total = d.duration
    if new_start >= total > 0:
        new_start = max(0, total - new_dur)
    new_dur = min(new_dur, max(1, total - new_start)) if total > 0 else new_dur
    if (new_start, new_dur) != (seg.start, seg.duration):
        res.update(
            field="timing",
            before=span_label(seg.start, seg.end),
            after=span_label(new_start, new_start + new_dur),
        )
    extra: dict[str, Any] = {"name": text} if text is not None else {}
    d = ops.update_segment(d, seg.id, start=new_start, duration=new_dur, meta=changes, **extra)
    if text is not None:
        d = ops.set_meta(d, title=text)
    res["timing"] = span_label(new_start, new_start + new_dur)
    return d, res


def remove_title(draft: Draft, ctx: EditContext) -> Result:
    t = _require_track(draft, "title", "no_title", "There is no title to remove.")
    seg = t.segments[0]
    d = ops.remove_track(draft, t.id)
    return d, {
        "what": "title_removed",
        "name": str(seg.meta.get("text", "")),
        "timing": span_label(seg.start, seg.end),
    }


# ---------------------------------------------------------------- music


def _find_media(ctx: EditContext, media_id: str | None, kind: str | None, name: str | None) -> Any:
    items = list(ctx.media)

    def get(m: Any, key: str) -> Any:
        return m.get(key) if isinstance(m, Mapping) else getattr(m, key, None)

    if media_id:
        for m in items:
            if get(m, "media_id") == media_id:
                return m
        raise EditRefused("no_media", f"No upload with id {media_id!r} in this session.", kind=kind or "file")
    if name:
        for m in reversed(items):
            if name.lower() in str(get(m, "name") or "").lower():
                return m
    pool = [m for m in items if kind in (None, "any") or get(m, "kind") == kind]
    if not pool:
        raise EditRefused(
            "no_media",
            f"There is no uploaded {kind or 'file'} in this session yet — upload one first.",
            kind=kind or "file",
        )
    return pool[-1]


def _media_fact(m: Any, key: str) -> Any:
    return m.get(key) if isinstance(m, Mapping) else getattr(m, key, None)


def set_music(
    draft: Draft,
    ctx: EditContext,
    style: str | None = None,
    volume: float | None = None,
    volume_scale: float | None = None,
    muted: bool | None = None,
    media_id: str | None = None,
) -> Result:
    from promptreel.agent.phrases import MUSIC_STYLES

    if style is not None and style not in MUSIC_STYLES:
        raise EditRefused(
            "bad_style", f"Music style {style!r} is unknown.", style=style, styles=list(MUSIC_STYLES)
        )
    total = draft.duration
    if total <= 0:
        raise EditRefused("no_scenes", "The draft has no scenes yet.")
    t = draft.first_track("bgm")
    d = draft
    res: dict[str, Any] = {"what": "music"}
    if t is None or not t.segments:
        if muted or (volume_scale is not None and style is None and volume is None and media_id is None):
            raise EditRefused("no_music", "There is no background music yet — ask me to add some.")
        if t is None:
            d, tid = ops.upsert_track(d, "bgm", TrackType.AUDIO, "BGM", index=_audio_index(d))
            d = ops.update_track(d, tid, meta={"volume": 0.35, "duck": True})
        else:
            tid = t.id
        st = style or _default_style(draft)
        sid = ops.new_id(d, "seg_music")
        seg = Segment(
            sid,
            0,
            total,
            "music",
            st,
            Meta(
                {
                    "style": st,
                    "tempo": 0,
                    "seed": int(draft.meta.get("seed", 0) or 0),
                    "fade_in": 500,
                    "fade_out": 1500,
                }
            ),
        )
        d = ops.add_segment(d, tid, seg)
        res.update(added=True, before="none", after=st, style=st)
        t = d.track(tid)
        assert t is not None
    else:
        res["style"] = str(t.segments[0].meta.get("style", ""))
    vol_before = float(t.meta.get("volume", 0.35))
    track_meta: dict[str, Any] = {}
    if media_id is not None:
        m = _find_media(ctx, None if media_id == "latest" else media_id, "audio", None)
        dur = int(_media_fact(m, "duration_ms") or total)
        sid = ops.new_id(d, "seg_audio")
        seg = Segment(
            sid,
            0,
            min(total, dur) if dur > 0 else total,
            "audio",
            str(_media_fact(m, "name") or ""),
            Meta(
                {
                    "media_id": _media_fact(m, "media_id"),
                    "src": _media_fact(m, "src") or _media_fact(m, "media_id"),
                    "trim_in": 0,
                }
            ),
        )
        d = ops.replace_segments(d, t.id, [seg])
        res.update(field="upload", before=res.get("style", ""), after=str(_media_fact(m, "name") or "upload"))
    if style is not None and not res.get("added"):
        new_segs = []
        for s in t.segments:
            if s.kind == "music":
                new_segs.append(s.replace(name=style, meta=s.meta.set(style=style, tempo=0)))
            else:
                new_segs.append(s)
        before = res.get("style", "")
        d = ops.replace_segments(d, t.id, new_segs)
        res.update(field="style", before=before, after=style, style=style)
    if volume is not None or volume_scale is not None:
        v = float(volume) if volume is not None else vol_before * float(volume_scale or 1.0)
        v = round(max(0.05, min(2.0, v)), 3)
        if volume is not None and not 0 < float(volume) <= 2:
            raise EditRefused("bad_volume", "Volume must be between 1% and 200%.", volume=volume)
        track_meta["volume"] = v
        if not res.get("added") or volume is not None:
            res.update(volume_before=_percent(vol_before), volume_after=_percent(v))
        if not muted and t.meta.get("muted"):
            track_meta["muted"] = None
    if muted is not None:
        was = bool(t.meta.get("muted"))
        track_meta["muted"] = True if muted else None
        res.update(field="muted", before="muted" if was else "on", after="muted" if muted else "on")
    if track_meta:
        d = ops.update_track(d, t.id, meta=track_meta)
    final = d.track(t.id)
    assert final is not None
    res["volume"] = _percent(
        final.volume if not final.meta.get("muted") else float(final.meta.get("volume", 0.35))
    )
    res["timing"] = span_label(final.start, final.end)
    return d, res


def _audio_index(draft: Draft) -> int:
    """Audio tracks go after the visual tracks and before text tracks."""
    for i, t in enumerate(draft.tracks):
        if t.type is TrackType.TEXT:
            return i
    return len(draft.tracks)


def _default_style(draft: Draft) -> str:
    from promptreel.agent.phrases import MUSIC_STYLES, music_style

    mood = str(draft.meta.get("mood") or "")
    st = mood if mood in MUSIC_STYLES else music_style(mood.lower())
    return st or "lofi"


def remove_music(draft: Draft, ctx: EditContext) -> Result:
    t = _require_track(draft, "bgm", "no_music", "There is no background music to remove.")
    style = str(t.segments[0].meta.get("style") or t.segments[0].name)
    d = ops.remove_track(draft, t.id)
    return d, {"what": "music_removed", "name": style, "timing": span_label(t.start, t.end)}


# ---------------------------------------------------------------- narration


@dataclass(frozen=True, slots=True)
class Voice:
    id: str
    gender: str = ""
    lang: str = ""
    quality: str = ""  # "natural" (neural) | "robotic" (formant) | ""


_FEMALE_NAMES = (
    "amy",
    "lessac",
    "kristin",
    "ljspeech",
    "jenny",
    "kathleen",
    "hfc_female",
    "female",
    "alba",
    "cori",
    "jane",
    "libritts",
    "huayan",
    "xiao",
    "zh-f",
    "f1",
    "f2",
    "f3",
    "f4",
    "f5",
    "woman",
)
_MALE_NAMES = ("joe", "ryan", "john", "bryce", "danny", "kusal", "norman", "hfc_male", "male", "alan", "arctic",
               "m1", "m2", "m3", "m4", "m5", "man", "cmn")  # fmt: skip


def _guess_gender(name: str) -> str:
    n = name.lower()
    if any(k in n for k in ("female", "woman")):
        return "female"
    if re.search(r"(?<![a-z])(male|man)(?![a-z])", n):
        return "male"
    for k in _FEMALE_NAMES:
        if re.search(rf"(?<![a-z]){re.escape(k)}(?![a-z])", n):
            return "female"
    for k in _MALE_NAMES:
        if re.search(rf"(?<![a-z]){re.escape(k)}(?![a-z])", n):
            return "male"
    return ""


def voices(ctx: EditContext, draft: Draft | None = None) -> list[Voice]:
    """Voices the speech engine offers (``list_voices()`` when it has one), best guess at gender."""
    out: list[Voice] = []
    raw: Sequence[Any] = []
    engine: Any = ctx.speech
    for _ in range(4):  # look through caching wrappers (``.engine``) for the engine that lists voices
        if engine is None:
            break
        for attr in ("list_voices", "voices"):
            lister = getattr(engine, attr, None)
            if callable(lister):
                try:
                    raw = list(lister())
                except TypeError:
                    continue
                break
        if raw:
            break
        engine = getattr(engine, "engine", None)
    for v in raw:
        if isinstance(v, str):
            out.append(
                Voice(
                    v,
                    _guess_gender(v),
                    "zh" if v.startswith(("zh", "cmn")) else "en" if v.startswith("en") else "",
                )
            )
        else:
            get = (
                (lambda k, v=v: v.get(k)) if isinstance(v, Mapping) else (lambda k, v=v: getattr(v, k, None))
            )
            vid = str(get("id") or get("name") or "")
            if not vid:
                continue
            gender = str(get("gender") or "") or _guess_gender(vid + " " + str(get("name") or ""))
            quality = str(get("quality") or "")
            out.append(Voice(vid, gender.lower(), str(get("lang") or get("language") or ""), quality))
    if not out and draft is not None:
        current = str(draft.meta.get("voice") or "")
        if current:
            out.append(Voice(current, _guess_gender(current), _lang(draft)))
    return out


def _reflow_narration(
    draft: Draft,
    ctx: EditContext,
    *,
    voice: str | None = None,
    speed: float | None = None,
    texts: Mapping[int, str] | None = None,
) -> Draft:
    """Re-voice narration (new voice, speed or text per scene index) and re-flow scene timing.

    Each scene keeps the pause it had around its line: its length changes by the change in the
    narration's length; following scenes, narration and captions shift; music stretches.
    """
    st = _scene_track(draft)
    nt = draft.first_track("narration")
    if nt is None or not nt.segments:
        raise EditRefused("no_narration", "This video has no narration.")
    texts = texts or {}
    new_durs: dict[str, int] = {}
    nar_durs: dict[str, int] = {}
    inner: dict[str, tuple[int, float]] = {}
    metas: dict[str, Meta] = {}
    for i, scene in enumerate(st.segments):
        n = _narration_for(draft, scene)
        if n is None:
            continue
        text = texts.get(i, str(n.meta.get("text") or ""))
        v = voice if voice is not None else str(n.meta.get("voice") or draft.meta.get("voice") or "")
        sp = speed if speed is not None else float(n.meta.get("speed") or draft.meta.get("speed") or 1.0)
        lang = str(n.meta.get("lang") or _lang(draft))
        old_voice = str(n.meta.get("voice") or draft.meta.get("voice") or "")
        old_speed = float(n.meta.get("speed") or draft.meta.get("speed") or 1.0)
        if (text, v, sp) == (str(n.meta.get("text") or ""), old_voice, old_speed):
            ms = n.duration  # nothing about this line changed: keep its audio as it is
        elif ctx.speech is None and i not in texts and voice is None:
            # no engine: the same words at a new speed take proportionally longer or shorter
            ms = max(1, round(n.duration * old_speed / sp))
        else:
            ms = _speak_ms(ctx, text, lang=lang, voice=v, speed=sp)
        off = n.start - scene.start
        new_scene = max(scene.duration + ms - n.duration, off + ms + NARRATION_TAIL_MS // 2, MIN_SCENE_MS)
        new_durs[scene.id] = new_scene
        nar_durs[n.id] = ms
        inner[scene.id] = (off, ms / n.duration)
        metas[n.id] = n.meta.set(text=text, voice=v or None, speed=sp, lang=lang)
    d = ops.remap_segments(draft, st.id, _plan(st, new_durs), inner=inner, durations=nar_durs)
    nt2 = d.first_track("narration")
    assert nt2 is not None
    d = ops.replace_segments(d, nt2.id, [s.replace(meta=metas.get(s.id, s.meta)) for s in nt2.segments])
    for i, text in texts.items():
        d = ops.update_segment(d, _scene_track(d).segments[i].id, meta={"text": text})
        scene = _scene_track(d).segments[i]
        n2 = _narration_for(d, scene)
        if n2 is not None:
            d = _retime_captions(d, scene, n2)
    return d


def set_voice(draft: Draft, ctx: EditContext, voice: str | None = None, gender: str | None = None) -> Result:
    nt = _require_track(draft, "narration", "no_narration", "This video has no narration to re-voice.")
    available = voices(ctx, draft)
    lang = _lang(draft)
    current = str(nt.segments[0].meta.get("voice") or draft.meta.get("voice") or "")
    if not current:  # the engine's default voice for the language
        current = next((v.id for v in available if v.lang in ("", lang)), "default")
    names = [v.id for v in available]
    chosen: Voice | None = None
    if voice:
        chosen = next((v for v in available if v.id == voice), None) or next(
            (v for v in available if voice.lower() in v.id.lower()), None
        )
        if chosen is None:
            return draft, {
                "what": "voice",
                "ok": False,
                "note": "voice_unknown",
                "wanted": voice,
                "available": names,
                "before": current,
                "after": current,
            }
    elif gender:
        matches = [v for v in available if v.gender == gender]
        matches.sort(
            key=lambda v: (
                v.lang not in ("", lang) and not v.lang.startswith(lang),
                v.quality == "robotic",
                v.id != current,
            )
        )
        chosen = matches[0] if matches else None
        if chosen is None:
            return draft, {
                "what": "voice",
                "ok": False,
                "note": "voice_unavailable",
                "wanted": gender,
                "available": names or [current or "the default voice"],
                "before": current,
                "after": current,
            }
    else:
        raise EditRefused("voice_what", "Which voice should I use?", available=names)
    if chosen.id == current:
        return draft, {
            "what": "voice",
            "ok": True,
            "note": "voice_same",
            "before": current,
            "after": current,
            "gender": chosen.gender,
        }
    d = _reflow_narration(draft, ctx, voice=chosen.id)
    d = ops.set_meta(d, voice=chosen.id)
    return d, {
        "what": "voice",
        "before": current,
        "after": chosen.id,
        "gender": chosen.gender,
        "quality": chosen.quality,
        "timing": span_label(0, d.duration),
    }


def set_speech_speed(
    draft: Draft, ctx: EditContext, speed: float | None = None, delta: float | None = None
) -> Result:
    nt = _require_track(draft, "narration", "no_narration", "This video has no narration.")
    before = float(nt.segments[0].meta.get("speed") or draft.meta.get("speed") or 1.0)
    if speed is None and delta is None:
        raise EditRefused("speed_what", "Faster or slower?")
    new = float(speed) if speed is not None else before + float(delta or 0)
    new = round(max(0.5, min(2.0, new)), 2)
    if new == before:
        raise EditRefused("speed_same", f"The narration already plays at {before:g}×.", speed=before)
    old_total = draft.duration
    d = _reflow_narration(draft, ctx, speed=new)
    d = ops.set_meta(d, speed=new)
    return d, {
        "what": "speed",
        "before": f"{before:g}×",
        "after": f"{new:g}×",
        "duration_before": span_label(0, old_total),
        "duration_after": span_label(0, d.duration),
    }


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


# ---------------------------------------------------------------- scenes


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


def remove_scene(draft: Draft, ctx: EditContext, scene: int) -> Result:
    idx = _scene_index(draft, scene)
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


def _headline(about: str, lang: str) -> str:
    if lang == "zh" or re.search(r"[\u3400-\u9fff]", about):
        return about[:12]
    words = about.split()[:6]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def _sentence(about: str, lang: str) -> str:
    about = about.strip().rstrip(".。!！")
    if re.search(r"[\u3400-\u9fff]", about):
        return about + "。"
    return about[:1].upper() + about[1:] + "."


def add_scene(
    draft: Draft,
    ctx: EditContext,
    about: str,
    text: str | None = None,
    position: int | None = None,
    duration_ms: int | None = None,
) -> Result:
    about = about.strip()
    if not about:
        raise EditRefused("scene_what", "What should the new scene be about?")
    st = _scene_track(draft)
    n = len(st.segments)
    pos = n if position is None else (int(position) - 1 if int(position) > 0 else n + 1 + int(position))
    if not 0 <= pos <= n:
        raise EditRefused(
            "no_scene",
            f"There is no position {position} — the video has {n} scenes.",
            index=position,
            count=n,
        )
    lang = "zh" if re.search(r"[\u3400-\u9fff]", about) else _lang(draft)
    line = (text or _sentence(about, lang)).strip()
    neighbour = st.segments[min(pos, n - 1)] if pos < n else st.segments[-1]
    exclude = tuple(str(s.meta.get("icon")) for s in st.segments if s.meta.get("icon"))
    icon = ""
    if ctx.illustrations is not None:
        icon = (
            ctx.illustrations.match(about, lang=lang, exclude=exclude)
            or ctx.illustrations.match(about, lang=lang)
            or ""
        )
    voice = str(draft.meta.get("voice") or "")
    speed = float(draft.meta.get("speed") or 1.0)
    nt = draft.first_track("narration")
    has_voice = nt is not None and bool(nt.segments)
    ms = _speak_ms(ctx, line, lang=lang, voice=voice, speed=speed) if has_voice else 0
    dur = int(duration_ms) if duration_ms else max(3000, NARRATION_LEAD_MS + ms + NARRATION_TAIL_MS)
    sid = ops.new_id(draft, "seg_scene")
    seed = int(draft.meta.get("seed", 0) or 0) + n + 1
    meta = {
        "text": line,
        "headline": _headline(about, lang),
        "icon": icon,
        "palette": list(thaw(neighbour.meta.get("palette", [])) or []),
        "motion": neighbour.meta.get("motion", "gradient"),
        "transition": neighbour.meta.get("transition", "crossfade") if pos > 0 else "cut",
        "transition_ms": int(neighbour.meta.get("transition_ms", DEFAULT_TRANSITION_MS) or 0),
        "seed": seed,
    }
    new_seg = Segment(sid, 0, dur, "scene", _headline(about, lang), Meta(meta))
    order = [(s.id, s.duration) for s in st.segments]
    order.insert(pos, (sid, dur))
    d = ops.remap_segments(draft, st.id, order, new_segments=[new_seg])
    placed = _scene_track(d).segments[pos]
    if has_voice and nt is not None:
        vid = ops.new_id(d, "seg_voice")
        vseg = Segment(
            vid,
            placed.start + NARRATION_LEAD_MS,
            min(ms, placed.duration - NARRATION_LEAD_MS),
            "voice",
            "",
            Meta({"text": line, "voice": voice, "speed": speed, "lang": lang}),
        )
        d = ops.add_segment(d, nt.id, vseg)
        if d.first_track("captions") is not None:
            d = _retime_captions(d, placed, vseg)
    return d, {
        "what": "scene_added",
        "scene": pos + 1,
        "name": meta["headline"],
        "text": line,
        "icon": icon,
        "timing": span_label(placed.start, placed.end),
        "before": n,
        "after": n + 1,
    }


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
        lang = "zh" if re.search(r"[\u3400-\u9fff]", text) else _lang(draft)
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


# ---------------------------------------------------------------- captions


def set_captions(
    draft: Draft,
    ctx: EditContext,
    enabled: bool | None = None,
    color: str | None = None,
    size_scale: float | None = None,
    position: str | None = None,
) -> Result:
    if all(v is None for v in (enabled, color, size_scale, position)):
        raise EditRefused(
            "captions_what", "Should captions be on or off, or change colour, size or position?"
        )
    if position is not None and position not in ("bottom", "top", "center"):
        raise EditRefused("bad_position", f"Captions can sit at the top, center or bottom, not {position!r}.")
    t = draft.first_track("captions")
    d = draft
    res: dict[str, Any] = {"what": "captions"}
    if t is None or not t.segments:
        if enabled is False:
            raise EditRefused("captions_same", "There are no captions to turn off.", enabled=False)
        d = _build_captions(d)
        t = d.first_track("captions")
        assert t is not None
        res.update(field="enabled", before="off", after="on", added=True)
        enabled = None
    meta: dict[str, Any] = {}
    if enabled is not None:
        was = not t.hidden
        if was == enabled and color is None and size_scale is None and position is None:
            raise EditRefused(
                "captions_same", "Captions are already " + ("on." if enabled else "off."), enabled=enabled
            )
        meta["hidden"] = None if enabled else True
        res.update(field="enabled", before="on" if was else "off", after="on" if enabled else "off")
        d = ops.set_meta(d, captions=bool(enabled))
    style = dict(thaw(t.meta.get("style", {})) or {})
    before_style = dict(style)
    if color is not None:
        style["color"] = color
        res.update(field="color", before=before_style.get("color", "#FFFFFF"), after=color)
    if size_scale is not None:
        old = int(style.get("size") or _default_size(draft, 0.048, 0.056))
        style["size"] = max(16, min(160, round(old * float(size_scale))))
        res.update(field="size", before=old, after=style["size"])
    if position is not None:
        style["position"] = position
        res.update(field="position", before=before_style.get("position", "bottom"), after=position)
    if style != before_style:
        meta["style"] = style
        if not t.hidden or enabled:
            meta["hidden"] = None
    if meta:
        d = ops.update_track(d, t.id, meta=meta)
    final = d.track(t.id)
    assert final is not None
    res["timing"] = span_label(final.start, final.end)
    res["count"] = len(final.segments)
    return d, res


def _build_captions(draft: Draft) -> Draft:
    nt = draft.first_track("narration")
    if nt is None or not nt.segments:
        raise EditRefused("no_narration", "There is no narration to caption.")
    d, tid = ops.upsert_track(draft, "captions", TrackType.TEXT, "Captions")
    if draft.first_track("captions") is None:
        d = ops.update_track(d, tid, meta={"style": {"color": "#FFFFFF", "position": "bottom"}})
    d = ops.replace_segments(d, tid, _caption_segments(d, nt.segments))
    return ops.set_meta(d, captions=True)


# ---------------------------------------------------------------- overlays and transitions


def add_overlay(
    draft: Draft,
    ctx: EditContext,
    text: str,
    at: str = "end",
    duration_ms: int = 3000,
    start_ms: int | None = None,
    scene: int | None = None,
    position: str = "center",
) -> Result:
    text = text.strip()
    if not text:
        raise EditRefused("empty_text", "What should the text say?")
    total = draft.duration
    if total <= 0:
        raise EditRefused("no_scenes", "The draft has no scenes yet.")
    if position not in ("top", "center", "bottom", "lower-third"):
        position = "center"
    dur = max(1, int(duration_ms or 3000))
    if scene is not None:
        s = _scene_track(draft).segments[_scene_index(draft, scene)]
        start = s.start
        dur = min(dur, s.duration) if duration_ms else s.duration
    elif start_ms is not None:
        start = max(0, int(start_ms))
    elif at == "whole":
        start, dur = 0, total
    elif at in ("start", "beginning"):
        start = 0
    else:
        start = max(0, total - dur)
    if start >= total:
        raise EditRefused("past_end", f"The video is only {total / 1000:g}s long.", total_s=total / 1000)
    dur = min(dur, total - start)
    d, tid = ops.upsert_track(draft, "overlays", TrackType.TEXT, "Text")
    t = d.track(tid)
    assert t is not None
    clash = [s for s in t.segments if s.start < start + dur and start < s.end]
    if clash:
        d = ops.replace_segments(d, tid, [s for s in t.segments if s not in clash])
    sid = ops.new_id(d, "seg_overlay")
    d = ops.add_segment(
        d, tid, Segment(sid, start, dur, "overlay", text, Meta({"text": text, "position": position}))
    )
    return d, {
        "what": "overlay",
        "name": text,
        "timing": span_label(start, start + dur),
        "position": position,
        "replaced": [str(s.meta.get("text", "")) for s in clash],
    }


def remove_overlays(draft: Draft, ctx: EditContext, text: str | None = None) -> Result:
    t = _require_track(draft, "overlays", "no_overlays", "There is no text overlay to remove.")
    gone = [s for s in t.segments if text is None or text.lower() in str(s.meta.get("text", "")).lower()]
    if not gone:
        raise EditRefused("no_overlays", f"No text overlay says {text!r}.", text=text or "")
    d = ops.replace_segments(draft, t.id, [s for s in t.segments if s not in gone])
    return d, {
        "what": "overlay_removed",
        "name": ", ".join(str(s.meta.get("text", "")) for s in gone),
        "count": len(gone),
    }


def set_transition(
    draft: Draft, ctx: EditContext, transition: str, scene: int | None = None, duration_ms: int | None = None
) -> Result:
    from promptreel.agent.phrases import TRANSITIONS

    if transition not in TRANSITIONS:
        raise EditRefused("bad_transition", f"Transition {transition!r} is unknown.", transition=transition)
    st = _scene_track(draft)
    if len(st.segments) < 2:
        raise EditRefused("one_scene", "With a single scene there is nothing to transition between.")
    targets = list(range(1, len(st.segments))) if scene is None else [_scene_index(draft, scene)]
    if targets == [0]:
        raise EditRefused(
            "first_scene", "The first scene has nothing before it; pick the scene after the cut."
        )
    before = sorted({str(st.segments[i].meta.get("transition") or "cut") for i in targets})
    ms = 0 if transition == "cut" else int(duration_ms or DEFAULT_TRANSITION_MS)
    segs = list(st.segments)
    for i in targets:
        segs[i] = segs[i].replace(meta=segs[i].meta.set(transition=transition, transition_ms=ms))
    d = ops.replace_segments(draft, st.id, segs)
    mt = d.first_track("media")
    if mt is not None:  # uploads shown in those scenes cut the same way
        starts = {st.segments[i].start for i in targets}
        d = ops.replace_segments(
            d,
            mt.id,
            [
                s.replace(meta=s.meta.set(transition=transition, transition_ms=ms))
                if s.start in starts
                else s
                for s in mt.segments
            ],
        )
    return d, {
        "what": "transition",
        "before": "/".join(before),
        "after": transition,
        "scene": targets[0] + 1 if scene is not None else None,
        "count": len(targets),
        "ms": ms,
    }


# ---------------------------------------------------------------- total duration


def set_duration(
    draft: Draft, ctx: EditContext, total_ms: int | None = None, delta_ms: int | None = None
) -> Result:
    st = _scene_track(draft)
    old_total = st.end - st.start
    if total_ms is None and delta_ms is None:
        raise EditRefused("duration_what", "How long should the video be?")
    target = int(total_ms) if total_ms is not None else old_total + int(delta_ms or 0)
    if target < MIN_SCENE_MS:
        raise EditRefused("too_short_total", "A video needs at least 1 second.", min_s=1)
    if target == old_total:
        raise EditRefused(
            "same_total", f"The video is already {target / 1000:g}s long.", total_s=target / 1000
        )
    scenes = list(st.segments)
    mins = {}
    for s in scenes:
        n = _narration_for(draft, s)
        mins[s.id] = max(
            MIN_SCENE_MS // 2, (n.end - s.start + NARRATION_TAIL_MS // 2) if n is not None else 0
        )
    kept = list(scenes)
    dropped: list[Segment] = []
    # drop beats from the middle (keep the opening and the closing scene) until the lines fit
    while sum(mins[s.id] for s in kept) > target and len(kept) > 2:
        body = [s for s in kept[1:-1] if s.meta.get("beat", "body") == "body"]
        victim = body[-1] if body else kept[-2]
        kept.remove(victim)
        dropped.append(victim)
    if sum(mins[s.id] for s in kept) > target:
        need = sum(mins[s.id] for s in kept)
        raise EditRefused(
            "too_short_total",
            f"The narration alone needs {need / 1000:g}s; try a faster voice or fewer scenes.",
            min_s=need / 1000,
        )
    cur = sum(s.duration for s in kept)
    durs: dict[str, int] = {}
    if target >= cur:
        for s in kept:
            durs[s.id] = round(s.duration * target / cur)
    else:
        slack = sum(s.duration - mins[s.id] for s in kept)
        cut = cur - target
        for s in kept:
            room = s.duration - mins[s.id]
            durs[s.id] = s.duration - (round(cut * room / slack) if slack > 0 else 0)
    diff = target - sum(durs.values())
    durs[kept[-1].id] += diff
    if any(v <= 0 for v in durs.values()):
        raise EditRefused("too_short_total", "That is too short for these scenes.", min_s=len(kept))
    d = ops.remap_segments(draft, st.id, [(s.id, durs[s.id]) for s in kept])
    return d, {
        "what": "duration",
        "before": f"{old_total / 1000:g}s",
        "after": f"{target / 1000:g}s",
        "dropped": [scenes.index(s) + 1 for s in dropped],
        "count": len(kept),
    }


# ---------------------------------------------------------------- reading, history


def show_timeline(draft: Draft, ctx: EditContext) -> Result:
    return draft, {"what": "summary", "summary": summary(draft), "readonly": True}


def undo(draft: Draft, ctx: EditContext) -> Result:
    if not ctx.history.can_undo:
        raise EditRefused("nothing_to_undo", "There is nothing to undo yet.")
    prev, _ = ctx.history.undo(draft)
    return prev, {"what": "undo", "before": summary(draft), "after": summary(prev)}


def redo(draft: Draft, ctx: EditContext) -> Result:
    if not ctx.history.can_redo:
        raise EditRefused("nothing_to_redo", "There is nothing to redo.")
    nxt, _ = ctx.history.redo(draft)
    return nxt, {"what": "redo", "before": summary(draft), "after": summary(nxt)}


# ---------------------------------------------------------------- registry

_SCENE = {"type": "integer", "description": "1-based scene number; -1 is the last scene"}
_MS = {"type": "integer", "minimum": 0}


def _obj(props: dict[str, Any], required: Sequence[str] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": False}


TOOLS: dict[str, Tool] = {
    t.name: t
    for t in [
        Tool(
            "set_aspect",
            "Change the aspect ratio / orientation (9:16 vertical, 1:1 square, 16:9 landscape).",
            _obj({"aspect": {"type": "string", "enum": list(ASPECTS)}}, ["aspect"]),
            set_aspect,
        ),
        Tool(
            "set_title",
            "Change the title: text, colour (#RRGGBB), size (scale factor), font, position or timing.",
            _obj(
                {
                    "text": {"type": "string"},
                    "color": {"type": "string"},
                    "size_scale": {"type": "number"},
                    "font": {"type": "string"},
                    "start_ms": _MS,
                    "duration_ms": _MS,
                    "position": {"type": "string", "enum": ["top", "center", "bottom"]},
                    "at": {"type": "string", "enum": ["start", "end"]},
                }
            ),
            set_title,
        ),
        Tool("remove_title", "Remove the title.", _obj({}), remove_title),
        Tool(
            "set_music",
            "Add or change background music: style, volume (0.35 = 35%), volume_scale "
            "(0.6 quieter, 1.5 louder), muted, or an uploaded audio file.",
            _obj(
                {
                    "style": {
                        "type": "string",
                        "enum": [
                            "lofi",
                            "upbeat",
                            "calm",
                            "cinematic",
                            "happy",
                            "corporate",
                            "warm",
                            "energetic",
                        ],
                    },
                    "volume": {"type": "number", "minimum": 0, "maximum": 2},
                    "volume_scale": {"type": "number", "minimum": 0},
                    "muted": {"type": "boolean"},
                    "media_id": {"type": "string"},
                }
            ),
            set_music,
        ),
        Tool("remove_music", "Remove the background music.", _obj({}), remove_music),
        Tool(
            "set_voice",
            "Change the narration voice by id or by gender; scene timing re-flows.",
            _obj({"voice": {"type": "string"}, "gender": {"type": "string", "enum": ["female", "male"]}}),
            set_voice,
        ),
        Tool(
            "set_speech_speed",
            "Narration speed (1 = normal, 0.9 a bit slower) or a change (delta); timing re-flows.",
            _obj({"speed": {"type": "number", "minimum": 0.5, "maximum": 2}, "delta": {"type": "number"}}),
            set_speech_speed,
        ),
        Tool(
            "set_narration",
            "Turn narration on or off, or change its volume.",
            _obj(
                {
                    "enabled": {"type": "boolean"},
                    "volume": {"type": "number"},
                    "volume_scale": {"type": "number"},
                }
            ),
            set_narration,
        ),
        Tool(
            "set_scene_text",
            "Rewrite one scene's narration line and re-voice it.",
            _obj({"scene": _SCENE, "text": {"type": "string"}}, ["scene", "text"]),
            set_scene_text,
        ),
        Tool(
            "resize_scene",
            "Make one scene longer or shorter (ripple: later scenes move, music stretches).",
            _obj({"scene": _SCENE, "duration_ms": _MS, "delta_ms": {"type": "integer"}}, ["scene"]),
            resize_scene,
        ),
        Tool(
            "move_scene",
            "Move a scene to another position.",
            _obj({"scene": _SCENE, "to": _SCENE}, ["scene", "to"]),
            move_scene,
        ),
        Tool("swap_scenes", "Swap two scenes.", _obj({"a": _SCENE, "b": _SCENE}, ["a", "b"]), swap_scenes),
        Tool(
            "remove_scene",
            "Remove a scene with its narration and captions (ripple).",
            _obj({"scene": _SCENE}, ["scene"]),
            remove_scene,
        ),
        Tool(
            "add_scene",
            "Add a scene about a topic (script line, illustration, narration, captions).",
            _obj(
                {
                    "about": {"type": "string"},
                    "text": {"type": "string"},
                    "position": {"type": "integer", "description": "1-based position; default: at the end"},
                    "duration_ms": _MS,
                },
                ["about"],
            ),
            add_scene,
        ),
        Tool(
            "regenerate_visual",
            "Give a scene a new picture.",
            _obj({"scene": _SCENE, "hint": {"type": "string"}}, ["scene"]),
            regenerate_visual,
        ),
        Tool(
            "use_media",
            "Show an uploaded image or video in a scene.",
            _obj(
                {
                    "scene": _SCENE,
                    "media_id": {"type": "string"},
                    "kind": {"type": "string", "enum": ["image", "video", "any"]},
                    "name": {"type": "string"},
                },
                ["scene"],
            ),
            use_media,
        ),
        Tool(
            "set_captions",
            "Captions on/off, colour (#RRGGBB), size (scale factor), position.",
            _obj(
                {
                    "enabled": {"type": "boolean"},
                    "color": {"type": "string"},
                    "size_scale": {"type": "number"},
                    "position": {"type": "string", "enum": ["bottom", "top", "center"]},
                }
            ),
            set_captions,
        ),
        Tool(
            "add_overlay",
            "Add on-screen text at the start, the end, a time or over a scene.",
            _obj(
                {
                    "text": {"type": "string"},
                    "at": {"type": "string", "enum": ["start", "end", "whole"]},
                    "duration_ms": _MS,
                    "start_ms": _MS,
                    "scene": _SCENE,
                    "position": {"type": "string", "enum": ["top", "center", "bottom", "lower-third"]},
                },
                ["text"],
            ),
            add_overlay,
        ),
        Tool(
            "remove_overlays",
            "Remove on-screen text (all, or those containing text).",
            _obj({"text": {"type": "string"}}),
            remove_overlays,
        ),
        Tool(
            "set_transition",
            "Set the transition into every scene, or into one scene.",
            _obj(
                {
                    "transition": {"type": "string", "enum": ["cut", "crossfade", "slide", "wipe", "zoom"]},
                    "scene": _SCENE,
                    "duration_ms": _MS,
                },
                ["transition"],
            ),
            set_transition,
        ),
        Tool(
            "set_duration",
            "Change the total length (scenes scale; beats are dropped if lines do not fit).",
            _obj({"total_ms": _MS, "delta_ms": {"type": "integer"}}),
            set_duration,
        ),
        Tool("show_timeline", "Describe what is on the timeline (read only).", _obj({}), show_timeline),
        Tool("undo", "Undo the last change.", _obj({}), undo),
        Tool("redo", "Redo the last undone change.", _obj({}), redo),
    ]
}


def tool_schemas() -> list[dict[str, Any]]:
    """The tools in OpenAI chat-completions ``tools`` format."""
    return [t.schema() for t in TOOLS.values()]


def apply_tool(draft: Draft, ctx: EditContext, name: str, args: Mapping[str, Any]) -> Result:
    """Run one tool by name with checked arguments; raises :class:`EditRefused` on bad calls."""
    tool = TOOLS.get(name)
    if tool is None:
        raise EditRefused("unknown_tool", f"There is no tool {name!r}.", tool=name)
    allowed = set(tool.parameters.get("properties", {}))
    ignored = sorted(set(args) - allowed)  # models sometimes add a "reason"; never let that block an edit
    missing = [k for k in tool.parameters.get("required", []) if args.get(k) is None]
    if missing:
        raise EditRefused("bad_args", f"{name} needs {', '.join(missing)}.", tool=name)
    clean = {k: v for k, v in args.items() if v is not None and k in allowed}
    for key in ("volume", "speed"):  # "35" meant 35 %
        if isinstance(clean.get(key), int | float) and not isinstance(clean[key], bool) and clean[key] > 2:
            clean[key] = clean[key] / 100
    try:
        new, result = tool.fn(draft, ctx, **clean)
        if ignored:
            result = {**result, "ignored_args": ignored}
        return new, result
    except EditRefused:
        raise
    except PromptreelError as e:
        raise EditRefused("invalid", e.message, tool=name) from e
    except (TypeError, ValueError) as e:
        raise EditRefused("bad_args", f"{name}: {e}", tool=name) from e
