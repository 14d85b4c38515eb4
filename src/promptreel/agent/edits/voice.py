"""The narration voice and its speed; scene timing re-flows around the new lines."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from promptreel.agent.clause import (
    _CHANGE,
    _LOUDER,
    _MUSIC,
    _OFF,
    _ON,
    _QUIETER,
    _REMOVE,
    _VOICE,
    Call,
    _Clause,
    _first_quote,
    _refs,
    _Say,
    _scene_word,
    _strip_quotes,
    _tail_text,
    rule,
)
from promptreel.agent.edits.base import (
    MIN_SCENE_MS,
    NARRATION_TAIL_MS,
    Args,
    EditContext,
    EditRefused,
    Result,
    _lang,
    _narration_for,
    _plan,
    _require_track,
    _retime_captions,
    _scene_track,
    _speak_ms,
    capability,
)
from promptreel.agent.edits.captions import _back
from promptreel.agent.edits.invariants import refit_length
from promptreel.agent.phrases import degree, has_any, percentages, relative, voice_gender
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Draft
from promptreel.draft.query import span_label


class VoiceArgs(Args):
    voice: str | None = None
    gender: Literal["female", "male"] | None = None


class SpeedArgs(Args):
    speed: float | None = Field(default=None, ge=0.5, le=2)
    delta: float | None = None
    keep_length: bool | None = Field(
        default=None, description="keep the video's total length (default: true unless asked otherwise)"
    )


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


@capability(
    "set_voice",
    "Change the narration voice by id or by gender; scene timing re-flows.",
    VoiceArgs,
)
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


@capability(
    "set_speech_speed",
    "Narration speed (1 = normal, 0.9 a bit slower) or a change (delta); timing re-flows.",
    SpeedArgs,
)
def set_speech_speed(
    draft: Draft,
    ctx: EditContext,
    speed: float | None = None,
    delta: float | None = None,
    keep_length: bool | None = None,
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
    st = _scene_track(draft)
    d = _reflow_narration(draft, ctx, speed=new)
    if keep_length is not False and d.duration != old_total:
        d = refit_length(d, ctx, st.end - st.start)
    d = ops.set_meta(d, speed=new)
    return d, {
        "what": "speed",
        "before": f"{before:g}×",
        "after": f"{new:g}×",
        "duration_before": span_label(0, old_total),
        "duration_after": span_label(0, d.duration),
        "length_kept": d.duration == old_total,
    }


# ---------------------------------------------------------------- phrasings (EN/ZH)


@rule(12)
def _rule_narration(c: _Clause) -> list[Call] | None:
    t = c.t
    bare = _strip_quotes(t)
    gender = voice_gender(bare) or (
        "male" if has_any(bare, ("deeper", "lower-pitched", "低沉", "浑厚")) else None
    )
    voiced = has_any(bare, _VOICE)
    slower = has_any(bare, ("slower", "slow down", "more slowly", "less fast", "slowly", "放慢", "慢一点", "慢点",
                            "慢些", "慢一些", "说慢", "慢慢", "慢下来", "减慢", "降低语速", "调慢", "变慢", "放缓", "too fast",
                            "too quick", "太快"))  # fmt: skip
    slower = slower or bool(re.search(r"\bslow\b(?: \S+){1,3} down\b", bare))
    faster = has_any(bare, ("faster", "speed up", "quicker", "more quickly", "quickly", "less slow", "加快", "快一点",
                            "快点", "快些", "快一些", "说快", "提高语速", "加速", "调快", "变快", "too slow", "太慢"))  # fmt: skip
    faster = faster or bool(re.search(r"\bspeed\b(?: \S+){1,3} up\b", bare))
    if not (voiced or (gender and has_any(bare, ("use", "switch", "change", "用", "换", "改")))) and (
        not (slower or faster) or has_any(bare, _MUSIC) or _scene_word(c)
    ):
        return None
    if has_any(bare, _MUSIC) and not has_any(bare, ("voice", "narration", "旁白", "配音", "解说", "人声")):
        return None
    refs = _refs(c)
    # re-voice one scene's line
    line_word = has_any(bare, ("narration", "line", "lines", "script", "text", "say", "says", "voiceover", "voice-over",
                               "旁白", "台词", "文案", "解说", "说", "念", "讲", "词"))  # fmt: skip
    if refs and line_word:
        text = (
            _first_quote(c)
            or _tail_text(c, r"(?:narration|line|script|text|voiceover|voice-over)\s+(?:to|as|into|:)\s*")
            or _tail_text(c, r"\b(?:say|says|read|reads)\s*:?\s*")
            or _tail_text(c, r"(?:旁白|台词|文案|解说|词)(?:改成|改为|换成|换为|设为|写成|：|:)")
            or _tail_text(c, r"(?:说|念|讲)(?:：|:)?")
        )
        if text:
            return [("set_scene_text", {"scene": refs[0], "text": text})]
        raise _Say("scene_text_what")
    calls: list[Call] = []
    if gender:
        calls.append(("set_voice", {"gender": gender}))
    else:
        m = re.search(r"voice\s*(?:to|:|=)?\s*((?:en|zh|cmn)[-_a-z0-9+]*)", bare)
        if m:
            calls.append(("set_voice", {"voice": m.group(1)}))
    pct = percentages(bare)
    spd = re.search(r"(\d+(?:\.\d+)?)\s*(?:x|倍速?)(?![a-z])", bare)
    much = degree(bare) == "much"
    if spd and (voiced or slower or faster):
        calls.append(("set_speech_speed", {"speed": float(spd.group(1))}))
    elif pct and has_any(bare, ("speed", "pace", "rate", "语速", "速度")):
        calls.append(("set_speech_speed", {"speed": pct[0]}))
    elif has_any(bare, ("normal speed", "normal pace", "regular speed", "正常语速", "正常速度")) or re.search(
        r"(?:语速|速度).*(?:正常|恢复)|(?:正常|恢复).*(?:语速|速度)|\b(?:speed|pace)\b.*\bnormal\b", bare
    ):
        calls.append(("set_speech_speed", {"speed": 1.0}))
    elif slower:
        calls.append(("set_speech_speed", {"delta": -0.2 if much else -0.1}))
    elif faster:
        calls.append(("set_speech_speed", {"delta": 0.2 if much else 0.1}))
    if calls:
        return calls
    if pct and not has_any(bare, ("speed", "语速")):
        return [("set_narration", {"volume": pct[0]})]
    if has_any(bare, _QUIETER):
        return [("set_narration", {"volume_scale": relative(bare, 0.6)})]
    if has_any(bare, _LOUDER):
        return [("set_narration", {"volume_scale": relative(bare, 1.5)})]
    if (
        (has_any(bare, _ON) or _back(bare))
        and not has_any(bare, ("no", "without", "不要"))
        and not has_any(bare, ("turn off", "关闭", "关掉"))
    ) or ("取消" in bare and "静音" in bare):
        return [("set_narration", {"enabled": True})]
    if has_any(bare, _OFF) or has_any(bare, _REMOVE):
        return [("set_narration", {"enabled": False})]
    if has_any(bare, _CHANGE) or has_any(bare, ("voice",)):
        raise _Say("voice_what")
    return None
