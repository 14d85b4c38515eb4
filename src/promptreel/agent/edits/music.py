"""Background music: add, restyle, re-level, mute, use an upload, remove."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import (
    _CAPTIONS,
    _CHANGE,
    _LOUDER,
    _MUSIC,
    _QUIETER,
    _REMOVE,
    _TITLE,
    Call,
    _Clause,
    _Say,
    _scene_word,
    rule,
)
from promptreel.agent.edits.base import (
    Args,
    EditContext,
    EditRefused,
    Result,
    _percent,
    _require_track,
    capability,
)
from promptreel.agent.phrases import has_any, music_style, percentages, relative
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Draft, Segment, TrackType
from promptreel.draft.query import span_label


class MusicArgs(Args):
    style: (
        Literal["lofi", "upbeat", "calm", "cinematic", "happy", "corporate", "warm", "energetic"] | None
    ) = None
    volume: float | None = Field(default=None, ge=0, le=2)
    volume_scale: float | None = Field(default=None, ge=0)
    muted: bool | None = None
    media_id: str | None = None


class NoArgs(Args):
    pass


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


@capability(
    "set_music",
    "Add or change background music: style, volume (0.35 = 35%), volume_scale (0.6 quieter, 1.5 louder), muted, or an uploaded audio file.",
    MusicArgs,
)
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


@capability(
    "remove_music",
    "Remove the background music.",
    NoArgs,
)
def remove_music(draft: Draft, ctx: EditContext) -> Result:
    t = _require_track(draft, "bgm", "no_music", "There is no background music to remove.")
    style = str(t.segments[0].meta.get("style") or t.segments[0].name)
    d = ops.remove_track(draft, t.id)
    return d, {"what": "music_removed", "name": style, "timing": span_label(t.start, t.end)}


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(11)
def _rule_music(c: _Clause) -> list[Call] | None:
    t = c.t
    if not has_any(t, _MUSIC):
        return None
    args: dict[str, Any] = {}
    style = music_style(t)
    pct = percentages(t)
    if re.search(r"\b(my|our|the uploaded)\s+(song|track|music|audio|mp3|file)\b", t) or has_any(
        t, ("我的歌", "我上传的", "我的音乐")
    ):
        args["media_id"] = "latest"
    if (
        (has_any(t, _REMOVE) or has_any(t, ("no music", "without music", "no background music", "no bgm")))
        and not style
        and not pct
    ):
        return [("remove_music", {})]
    if (
        has_any(
            t,
            (
                "unmute",
                "back on",
                "turn on",
                "bring back",
                "取消静音",
                "打开",
                "恢复",
                "开启",
                "加回",
                "回来",
            ),
        )
        or ("取消" in t and "静音" in t)
        or re.search(r"\b(?:bring|put|add)\b.*\bback\b|\b(?:turn|switch)\b.*\bon\b", t)
    ):
        args["muted"] = False
    elif has_any(
        t, ("mute", "silence", "turn off", "switch off", "静音", "关掉", "关闭", "关了", "停掉")
    ) or re.search(r"\b(?:turn|switch|shut)\b.*\boff\b", t):
        args["muted"] = True
    if style:
        args["style"] = style
    if pct:
        args["volume"] = pct[0]
    elif _complaint(t) is not None:
        args["volume_scale"] = _complaint(t)
    elif has_any(t, _QUIETER) or re.search(r"\bturn\b.*\bdown\b", t):
        args["volume_scale"] = relative(t, 0.6)
    elif has_any(t, _LOUDER) or re.search(r"\bturn\b.*\bup\b", t):
        args["volume_scale"] = relative(t, 1.5)
    if not args:
        if has_any(t, _CHANGE) or re.search(
            r"\b(?:don'?t|do not|doesn'?t|not) (?:like|love|fit|suit|match)\b|\b(?:dislike|hate|not a fan|annoying)\b"
            r"|不喜欢|不好听|难听|不合适|不搭|太难听",
            t,
        ):
            return [("other_music", {})]  # "change the music", "I don't like the music": another style
        if has_any(t, ("add", "put", "use", "want", "need", "加", "添加", "配上", "加上", "来点", "要")):
            return [("set_music", {})]
        raise _Say("music_what")
    return [("set_music", args)]


_TOO_QUIET = re.compile(
    r"\btoo (?:quiet|soft|low)\b|\bcan'?t hear\b|太小声|太轻|声音太小|音量太小|听不[到清见]"
)
_TOO_LOUD = re.compile(r"\btoo (?:loud|noisy)\b|太吵|太大声|太响|声音太大|音量太大|吵死")


def _complaint(t: str) -> float | None:
    """ "too quiet" wants it louder (1.5), "太吵了" quieter (0.6); ``None``: no complaint."""
    if _TOO_QUIET.search(t):
        return relative(t, 1.5)
    if _TOO_LOUD.search(t):
        return relative(t, 0.6)
    return None


@rule(18)
def _rule_volume(c: _Clause) -> list[Call] | None:
    """Bare "quieter" / "louder" / "小声一点" mean the background music."""
    t = c.t
    if _scene_word(c) or has_any(t, _TITLE) or has_any(t, _CAPTIONS):
        return None
    complaint = _complaint(t)
    if complaint is not None:
        return [("set_music", {"volume_scale": complaint})]
    if has_any(t, _QUIETER) and (len(t.split()) <= 6 or has_any(t, ("volume", "音量"))):
        return [("set_music", {"volume_scale": relative(t, 0.6)})]
    if has_any(t, _LOUDER) and (len(t.split()) <= 6 or has_any(t, ("volume", "音量"))):
        if c.zh and not re.search(r"声|音|响|听|轻|吵", t):
            return None  # a bare "大一点" / "调大" is as likely a size ("标题改成红色，再大一点")
        return [("set_music", {"volume_scale": relative(t, 1.5)})]
    return None
