"""What changed between two drafts, told the way a person reads a timeline.

Each :class:`Change` says *what* (track, segment, canvas, title, volume), its *name*, its
*timing*, and *before → after*. Tracks and segments are matched by their stable ids.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from promptreel.client.messages import text
from promptreel.draft import Draft, Segment, Track, TrackType
from promptreel.draft.meta import thaw
from promptreel.draft.query import describe_track, span_label, track_label

__all__ = [
    "Change",
    "diff_drafts",
    "describe_changes",
    "download_path",
    "file_stem",
    "suggest_next_steps",
    "video_title",
]

_SEGMENT_WORD = {
    "scene": "scene",
    "media": "clip",
    "voice": "narration line",
    "music": "music",
    "audio": "audio clip",
    "title": "title",
    "caption": "caption",
    "overlay": "text",
}
# meta keys worth telling a person about, in the order they are told
_TOLD_KEYS = (
    "text",
    "headline",
    "subtitle",
    "style",
    "icon",
    "motion",
    "palette",
    "chart",
    "transition",
    "transition_ms",
    "voice",
    "speed",
    "tempo",
    "position",
    "fit",
    "kenburns",
    "trim_in",
    "src",
    "media_id",
    "fade_in",
    "fade_out",
)
_DRAFT_KEYS = ("voice", "speed", "mood", "captions", "lang")


@dataclass(frozen=True)
class Change:
    what: str  # track_added | track_removed | segment_added | segment_removed | segment_changed |
    #            canvas | title | volume | track_changed | setting
    name: str
    timing: str = ""  # the span it occupies now ("5-10s")
    field: str = ""  # for a changed segment: "timing", "name" or the meta key
    before: str = ""
    after: str = ""
    kind: str = ""  # for a segment: its kind ("scene", "voice", "caption", …)
    shifted: bool = False  # a timing change that only moved the segment (its length is the same)

    def __str__(self) -> str:
        return _sentence(self)


def _short(v: Any, limit: int = 48) -> str:
    if isinstance(v, str):
        s = f'"{v}"'
    elif isinstance(v, bool):
        s = "on" if v else "off"
    elif isinstance(v, Mapping | list | tuple):
        import json

        s = json.dumps(thaw(v), ensure_ascii=False, separators=(",", ":"))
    else:
        s = str(v)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _seg_name(track: Track, s: Segment) -> str:
    word = _SEGMENT_WORD.get(s.kind, s.kind)
    label = s.name or s.meta.get("headline") or s.meta.get("text") or s.meta.get("style") or ""
    label = str(label)
    if len(label) > 40:
        label = label[:39] + "…"
    if label:
        return f'{word} "{label}"'
    idx = next((i for i, x in enumerate(track.segments, 1) if x.id == s.id), 0)
    return f"{word} {idx}" if idx else word


def _volume(track: Track) -> str:
    return "muted" if track.meta.get("muted") else f"{round(track.volume * 100)}%"


def file_stem(title: str, limit: int = 60) -> str:
    """``title`` as a plain file name stem: letters and digits of any script joined by hyphens,
    lower-cased ("Family Bakery: Since 1962!" → ``family-bakery-since-1962``, "猫咖新店" stays)."""
    words = re.findall(r"[^\W_]+", title.lower())
    return "-".join(words)[:limit].strip("-")


def download_path(folder: Path, draft: Draft | None, suffix: str) -> Path:
    """Where a download goes: named after the video's title ("Family Bakery" →
    ``family-bakery.mp4``), never over an earlier file (``family-bakery-2.mp4``)."""
    stem = file_stem(video_title(draft) if draft is not None else "") or "promptreel-video"
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists() or path.with_name(path.name + ".part").exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def video_title(d: Draft) -> str:
    """The video's title: the draft's, else its title card's text, else ``""``."""
    t = d.meta.get("title")
    if t:
        return str(t)
    tr = d.first_track("title")
    if tr and tr.segments:
        return str(tr.segments[0].meta.get("text") or tr.segments[0].name or "")
    return ""


def _canvas(d: Draft) -> str:
    c = d.canvas
    return f"{c.width}x{c.height} ({c.aspect}, {c.fps} fps)"


def diff_drafts(before: Draft | None, after: Draft | None) -> list[Change]:
    """Changes from ``before`` to ``after`` (``None`` means no draft yet)."""
    if after is None:
        return [] if before is None else [Change("track_removed", describe_track(t)) for t in before.tracks]
    if before is None:
        return [Change("track_added", describe_track(t), span_label(t.start, t.end)) for t in after.tracks]
    changes: list[Change] = []
    if before.canvas != after.canvas:
        changes.append(Change("canvas", "canvas", before=_canvas(before), after=_canvas(after)))
    if video_title(before) != video_title(after):
        changes.append(
            Change(
                "title",
                "title",
                before=_short(video_title(before) or "(none)"),
                after=_short(video_title(after) or "(none)"),
            )
        )
    for key in _DRAFT_KEYS:
        a, b = before.meta.get(key), after.meta.get(key)
        if a != b:
            changes.append(
                Change(
                    "setting",
                    key,
                    before=_short(a) if a is not None else "(default)",
                    after=_short(b) if b is not None else "(default)",
                )
            )
    old_tracks = {t.id: t for t in before.tracks}
    new_tracks = {t.id: t for t in after.tracks}
    for t in before.tracks:
        if t.id not in new_tracks:
            changes.append(
                Change("track_removed", describe_track(t), span_label(t.start, t.end) if t.segments else "")
            )
    for t in after.tracks:
        old = old_tracks.get(t.id)
        if old is None:
            changes.append(
                Change("track_added", describe_track(t), span_label(t.start, t.end) if t.segments else "")
            )
            continue
        label = track_label(t)
        if t.type is TrackType.AUDIO and _volume(old) != _volume(t):
            changes.append(Change("volume", f"{label} volume", before=_volume(old), after=_volume(t)))
        if old.hidden != t.hidden:
            changes.append(
                Change(
                    "track_changed",
                    f"{label} track",
                    before="hidden" if old.hidden else "shown",
                    after="hidden" if t.hidden else "shown",
                )
            )
        if old.meta.get("style") != t.meta.get("style"):
            changes.append(
                Change(
                    "track_changed",
                    f"{label} style",
                    before=_short(old.meta.get("style")),
                    after=_short(t.meta.get("style")),
                )
            )
        changes.extend(_segment_changes(old, t))
    return changes


def _segment_changes(old: Track, new: Track) -> list[Change]:
    out: list[Change] = []
    olds = {s.id: s for s in old.segments}
    news = {s.id: s for s in new.segments}
    label = track_label(new)
    for s in old.segments:
        if s.id not in news:
            out.append(Change("segment_removed", f"{label} {_seg_name(old, s)}", span_label(s.start, s.end)))
    for s in new.segments:
        o = olds.get(s.id)
        if o is None:
            out.append(Change("segment_added", f"{label} {_seg_name(new, s)}", span_label(s.start, s.end)))
            continue
        if o == s:
            continue
        name = f"{label} {_seg_name(new, s)}"
        span = span_label(s.start, s.end)
        if (o.start, o.duration) != (s.start, s.duration):
            out.append(
                Change(
                    "segment_changed",
                    name,
                    span,
                    "timing",
                    span_label(o.start, o.end),
                    span,
                    kind=s.kind,
                    shifted=o.duration == s.duration,
                )
            )
        if o.name != s.name:
            out.append(
                Change(
                    "segment_changed",
                    name,
                    span_label(s.start, s.end),
                    "name",
                    _short(o.name),
                    _short(s.name),
                )
            )
        keys = [k for k in _TOLD_KEYS if _told(o.meta.get(k)) != _told(s.meta.get(k))]
        keys += sorted(
            k
            for k in set(o.meta) | set(s.meta)
            if k not in _TOLD_KEYS and _told(o.meta.get(k)) != _told(s.meta.get(k))
        )
        for k in keys[:4]:
            a, b = _told(o.meta.get(k)), _told(s.meta.get(k))
            out.append(
                Change(
                    "segment_changed",
                    name,
                    span_label(s.start, s.end),
                    k,
                    _short(a) if a is not None else "(none)",
                    _short(b) if b is not None else "(none)",
                )
            )
    return out


def _told(value: Any) -> Any:
    """A meta value as a person sees it: an empty text is no value ("" and unset are the same)."""
    return None if value == "" else value


def _sentence(c: Change, lang: str = "en") -> str:
    if c.what == "track_added":
        return text(lang, "added", name=c.name)
    if c.what == "track_removed":
        return text(lang, "removed", name=c.name)
    if c.what == "segment_added":
        return text(lang, "added_at", name=c.name, timing=c.timing)
    if c.what == "segment_removed":
        return text(lang, "removed_at", name=c.name, timing=c.timing)
    if c.what == "segment_changed":
        if c.field == "timing":
            return text(lang, "changed_timing", name=c.name, before=c.before, after=c.after)
        return text(
            lang, "changed_field", name=c.name, timing=c.timing, field=c.field, before=c.before, after=c.after
        )
    if c.what == "canvas":
        return text(lang, "canvas", before=c.before, after=c.after)
    if c.what == "title":
        return text(lang, "title", before=c.before, after=c.after)
    if c.what == "setting":
        return f"{c.name.capitalize()}: {c.before} → {c.after}"
    return f"{c.name[:1].upper()}{c.name[1:]}: {c.before} → {c.after}"


def describe_changes(changes: list[Change], *, limit: int = 12, lang: str = "en") -> list[str]:
    """One line per change (at most ``limit``, then a count of the rest), in ``lang``.

    Segments re-timed around the change asked for are counted in one line after it, when there
    are more than a few: every re-timed segment when something else changed too (a new speed
    re-fits them all), else those that only moved (a longer scene moves the ones after it)."""
    timing = [c for c in changes if c.what == "segment_changed" and c.field == "timing"]
    moved = timing if len(timing) < len(changes) else [c for c in timing if c.shifted]
    if len(moved) <= 3:
        moved = []
    told = [c for c in changes if c not in moved]
    lines = [_sentence(c, lang) for c in told[:limit]]
    if len(told) > limit:
        lines.append(text(lang, "more_changes", n=len(told) - limit))
    if moved:
        counts: dict[str, int] = {}
        for c in moved:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        items = [text(lang, "n_items", n=n, what=_kind_word(kind, n, lang)) for kind, n in counts.items()]
        lines.append(text(lang, "retimed", items=text(lang, "list_sep").join(items)))
    return lines


_KIND_ZH = {"scene": "个场景", "media": "个片段", "voice": "条旁白", "music": "段音乐", "audio": "段音频",
            "title": "个标题", "caption": "条字幕", "overlay": "段文字"}  # fmt: skip


def _kind_word(kind: str, n: int, lang: str) -> str:
    if lang == "zh":
        return _KIND_ZH.get(kind, "处")
    word = _SEGMENT_WORD.get(kind, kind or "item")
    return word if n == 1 else f"{word}s"


def suggest_next_steps(draft: Draft | None, *, limit: int = 3, lang: str = "en") -> list[str]:
    """Two or three useful things to ask for next, based on what the draft lacks, in ``lang``."""
    if draft is None or not draft.ready:
        return [text(lang, "step_generate"), text(lang, "step_upload")]
    ideas: list[str] = []
    if not draft.first_track("bgm"):
        ideas.append("step_music")
    if not draft.first_track("title"):
        ideas.append("step_title")
    if not draft.first_track("captions"):
        ideas.append("step_captions")
    if draft.canvas.width > draft.canvas.height:
        ideas.append("step_vertical")
    ideas.append("step_longer")
    picked = ideas[: max(1, limit - 1)]
    picked.append("step_export")
    return [text(lang, key) for key in picked[:limit]]
