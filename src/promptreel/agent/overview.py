"""The whole video in one Chinese sentence — the counterpart of :func:`promptreel.draft.summary`
(which speaks English) for replies written in Chinese: "5 个场景（0–20 秒）；旁白 5 句；背景音乐：
温暖（35%）；片名“面包店”（0–3.5 秒）；字幕 6 句"."""

from __future__ import annotations

from promptreel.draft.model import Draft, Track
from promptreel.draft.query import span_text

__all__ = ["overview_zh"]

_STYLE_ZH = {"lofi": "Lo-fi", "upbeat": "轻快", "calm": "舒缓", "cinematic": "电影感", "happy": "欢快",
             "corporate": "商务", "warm": "温暖", "energetic": "动感"}  # fmt: skip


def _span(t: Track) -> str:
    return span_text(t.start, t.end, zh=True)


def overview_zh(draft: Draft) -> str:
    """What is on the timeline, track by track, in Chinese (no trailing full stop)."""
    parts: list[str] = []
    for t in draft.tracks:
        if not t.segments:
            continue
        n = len(t.segments)
        off = "，已隐藏" if t.hidden else ""
        if t.role in ("scenes", "media") and not parts:
            parts.append(f"{n} 个场景（{_span(t)}{off}）")
        elif t.role == "narration":
            parts.append(f"旁白 {n} 句（{_span(t)}{off}）")
        elif t.role == "bgm":
            s = t.segments[0]
            style = str(s.meta.get("style") or s.name or "")
            vol = "已静音" if t.meta.get("muted") else f"{round(t.volume * 100)}%"
            parts.append(f"背景音乐：{_STYLE_ZH.get(style, style or '上传的音乐')}（{_span(t)}，{vol}{off}）")
        elif t.role == "title":
            parts.append(f"片名“{t.segments[0].meta.get('text') or t.segments[0].name}”（{_span(t)}{off}）")
        elif t.role == "captions":
            parts.append(f"字幕 {n} 句（{_span(t)}{'，已关闭' if t.hidden else ''}）")
        elif t.role == "overlays":
            parts.append(f"文字叠加 {n} 条（{_span(t)}）")
        elif t.role in ("scenes", "media"):
            parts.append(f"画面 {n} 段（{_span(t)}）")
        else:
            parts.append(f"{t.name or t.role} {n} 段（{_span(t)}）")
    return "；".join(parts) if parts else "时间线是空的"
