"""Next steps worth suggesting for *this* video: the steps of ``agent/data/suggestions.toml``
whose conditions the draft meets, those made for the change just done first.

A step is never one the video already has ("make it vertical" on a vertical video, "add music"
with music playing, "turn on captions" with captions on): each names the facts it needs
(:func:`facts`), and the draft is read after the turn. Nor is it the change just made: a step
the editor would read as the same edit ("make the title bigger" right after "bigger title",
in either language) is left out. The reply uses the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from promptreel.agent.patterns import data
from promptreel.draft.model import Draft, Track

__all__ = ["Step", "steps", "facts", "next_steps", "line"]

SHORT_MS = 10_000
LONG_MS = 15_000
_EXPORT = ("export", "导出")


@dataclass(frozen=True, slots=True)
class Step:
    en: str
    zh: str
    when: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    def fits(self, known: frozenset[str]) -> bool:
        return all((w[1:] not in known) if w.startswith("!") else (w in known) for w in self.when)


@cache
def steps() -> tuple[Step, ...]:
    """The suggestion list, in its file's order."""
    return tuple(
        Step(str(s["en"]), str(s["zh"]), tuple(s.get("when", ())), tuple(s.get("after", ())))
        for s in data("suggestions")["step"]
    )


def _tracks(draft: Draft, role: str) -> list[Track]:
    return [t for t in draft.tracks_by_role(role) if t.segments]


def _sound(tracks: list[Track], on: str, off: str, none: str) -> str:
    if not tracks:
        return none
    return on if any(not t.hidden and t.volume > 0 for t in tracks) else off


def facts(draft: Draft, media: Iterable[Any] = ()) -> frozenset[str]:
    """What the draft shows, as the words ``when`` conditions use."""
    w, h = draft.canvas.width, draft.canvas.height
    out = {"landscape" if w > h else "vertical" if h > w else "square"}
    music = _tracks(draft, "bgm")
    out.add(_sound(music, "music", "music_muted", "no_music"))
    if music:
        out.add(f"music:{music[0].segments[0].meta.get('style', '')}")
    voices = _tracks(draft, "narration")
    out.add(_sound(voices, "narration", "narration_off", "no_narration"))
    if voices:
        speed = float(voices[0].segments[0].meta.get("speed") or draft.meta.get("speed") or 1.0)
        out.update({"slow"} if speed < 1 else {"fast"} if speed > 1 else set())
    captions = _tracks(draft, "captions")
    if not captions:
        out.add("no_captions")
    elif all(t.hidden for t in captions) or draft.meta.get("captions") is False:
        out.add("captions_off")
    else:
        out.add("captions")
        style = captions[0].meta.get("style", {}) or {}
        out.add(f"captions_{style.get('position') or 'bottom'}")
        if str(style.get("color") or "#FFFFFF").upper() not in ("#FFFFFF", "#FFF", "WHITE"):
            out.add("captions_coloured")
    out.add("title" if _tracks(draft, "title") else "no_title")
    if _tracks(draft, "overlays"):
        out.add("overlay")
    scenes = draft.first_track("scenes") or draft.first_track("media")
    n = len(scenes.segments) if scenes else 0
    out.update(f"scenes:{k}+" for k in (2, 3) if n >= k)
    kinds = {str(s.meta.get("transition") or "cut") for s in (scenes.segments[1:] if scenes else ())}
    if len(kinds) == 1:
        out.add(f"transition:{kinds.pop()}")
    if scenes and any(s.meta.get("grey") for s in scenes.segments):
        out.add("grey")
    if any(_kind(m) in ("image", "video") for m in media):
        out.add("uploads")
    if 0 < draft.duration < SHORT_MS:
        out.add("short")
    elif draft.duration > LONG_MS:
        out.add("long")
    return frozenset(out)


Done = Sequence[tuple[str, Mapping[str, Any]]]


@cache
def _calls(text: str, lang: str) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """The edits the grammar reads in a step's words."""
    from promptreel.agent.grammar import parse  # the grammar's rules import the capabilities

    return tuple(
        (name, tuple(sorted(args.items(), key=lambda kv: kv[0])))
        for name, args in parse(text, lang=lang).calls
    )


def _same_value(key: str, a: Any, b: Any) -> bool:
    if key.endswith("_scale") and isinstance(a, int | float) and isinstance(b, int | float):
        return (a > 1) == (b > 1)  # bigger again, quieter again: the same kind of change
    return bool(a == b)


def _repeats(text: str, lang: str, done: Done) -> bool:
    """Whether the step ``text`` would make one of the changes in ``done`` again."""
    for name, items in _calls(text, lang):
        args = dict(items)
        for dname, dargs in done:
            if (
                dname == name
                and set(dargs) == set(args)
                and all(_same_value(k, args[k], dargs[k]) for k in args)
            ):
                return True
    return False


def _kind(m: Any) -> str:
    return str(m.get("kind") if isinstance(m, dict) else getattr(m, "kind", ""))


def next_steps(
    draft: Draft,
    lang: str,
    after: Sequence[str] = (),
    *,
    media: Iterable[Any] = (),
    limit: int = 3,
    done: Done = (),
) -> list[str]:
    """Up to ``limit`` steps for ``draft`` in ``lang`` (``"zh"`` or English), export last: first
    those that follow up the changes in ``after`` (most recent first), then any that fit; none
    repeats a change in ``done`` (the turn's tool calls, ``(name, args)``)."""
    known = facts(draft, media)
    zh = lang == "zh"
    fitting = [s for s in steps() if s.fits(known)]
    ranked = [s for kind in after for s in fitting if kind in s.after]
    ranked += [s for s in fitting if not s.after]
    picked: list[str] = []
    for s in ranked:
        text = s.zh if zh else s.en
        if text not in picked and not (done and _repeats(text, "zh" if zh else "en", done)):
            picked.append(text)
    picked = picked[: max(1, limit - 1)]
    return [*picked, _EXPORT[1] if zh else _EXPORT[0]] if picked else []


def line(
    draft: Draft, lang: str, after: Sequence[str] = (), *, media: Iterable[Any] = (), done: Done = ()
) -> str:
    """The "Next you could try: …" line, or ``""`` when nothing fits."""
    picks = next_steps(draft, lang, after, media=media, done=done)
    if len(picks) < 2:
        return ""
    if lang == "zh":
        return "接下来可以试试：" + "、".join(f"“{p}”" for p in picks) + "。"
    return "Next you could try: " + ", ".join(f'"{p}"' for p in picks) + "."
