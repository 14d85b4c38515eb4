"""What every edit capability shares: the refusal, the turn context, the registry and helpers.

Each capability module (one noun: title, music, voice, scenes…) declares a pydantic
:class:`Args` model and a pure ``draft → (draft, result)`` function, and registers both with
:func:`capability`. The model is the JSON schema the language model sees and the validation
every call goes through, whether the rules or the model made it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from promptreel.agent.history import History
from promptreel.draft import ops
from promptreel.draft.model import Draft, Segment, Track, TrackType
from promptreel.errors import InvalidRequest
from promptreel.generators.base import Illustrations, Speech
from promptreel.language import count_cjk

__all__ = [
    "ASPECTS",
    "TOOLS",
    "Args",
    "EditContext",
    "EditRefused",
    "Result",
    "Tool",
    "INVALID_CALL",
    "capability",
    "tool_schemas",
    "validate",
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
    args: type[BaseModel] | None = None  # validates every call, whichever path made it

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
    words = count_cjk(text) * 0.65 + len(re.findall(r"[A-Za-z0-9']+", text))
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
    from promptreel.agent.captioning import caption_segments

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


# ---------------------------------------------------------------- the registry


class Args(BaseModel):
    """Arguments of one capability. Unknown keys are ignored (and reported); a volume or speed
    given as a whole percentage (``35``) means 35 %."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _percent_slips(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            data = {k: v for k, v in data.items() if v is not None}
            for key in ("volume", "speed"):
                v = data.get(key)
                if isinstance(v, int | float) and not isinstance(v, bool) and v > 2:
                    data[key] = v / 100
        return data


TOOLS: dict[str, Tool] = {}


def _clean_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the plain shape chat-completions tools expect."""
    raw = model.model_json_schema()
    props: dict[str, Any] = {}
    for name, p in raw.get("properties", {}).items():
        p = dict(p)
        options = [o for o in p.pop("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            p = {**options[0], **p}
        p.pop("title", None)
        p.pop("default", None)
        props[name] = p
    return {
        "type": "object",
        "properties": props,
        "required": list(raw.get("required", [])),
        "additionalProperties": False,
    }


def capability(
    name: str, description: str, args: type[BaseModel]
) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Register ``fn`` as the capability ``name`` with its arguments model."""

    def register(fn: Callable[..., Result]) -> Callable[..., Result]:
        TOOLS[name] = Tool(name, description, _clean_schema(args), fn, args)
        return fn

    return register


def tool_schemas() -> list[dict[str, Any]]:
    """The capabilities in OpenAI chat-completions ``tools`` format."""
    return [t.schema() for t in TOOLS.values()]


def _problem(e: ValidationError) -> str:
    parts = []
    for err in e.errors()[:3]:
        where = ".".join(str(x) for x in err.get("loc", ())) or "arguments"
        got = f" (got {err['input']!r})" if "input" in err and not isinstance(err["input"], dict) else ""
        parts.append(f"{where}: {err.get('msg', 'invalid')}{got}")
    return "; ".join(parts)


INVALID_CALL = frozenset({"unknown_tool", "bad_args"})  # the reasons :func:`validate` refuses with


def validate(name: str, args: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The arguments of a call to capability ``name`` as its model reads them, and the keys it
    ignored; raises :class:`EditRefused` (``unknown_tool`` / ``bad_args``, see
    :data:`INVALID_CALL`) with what is wrong, in words a model can correct."""
    tool = TOOLS.get(name)
    if tool is None:
        raise EditRefused(
            "unknown_tool", f"There is no tool {name!r}; the tools are: {', '.join(TOOLS)}.", tool=name
        )
    allowed = set(tool.parameters.get("properties", {}))
    ignored = sorted(set(args) - allowed)  # models sometimes add a "reason"; never let that block an edit
    if tool.args is not None:
        try:
            model = tool.args.model_validate({k: v for k, v in args.items() if k in allowed})
        except ValidationError as e:
            raise EditRefused("bad_args", f"{name}: {_problem(e)}", tool=name) from None
        return {k: v for k, v in model.model_dump().items() if v is not None}, ignored
    missing = [k for k in tool.parameters.get("required", []) if args.get(k) is None]
    if missing:
        raise EditRefused("bad_args", f"{name} needs {', '.join(missing)}.", tool=name)
    return {k: v for k, v in args.items() if v is not None and k in allowed}, ignored
