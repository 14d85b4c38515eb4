"""Times and colours in replies, said for people: an edit's result keeps its exact values
(``"0.3-14.397s"``, ``"#FDD835"``, read by tools and tests), and the reply shows them as
``"0.3–14.4 s"`` (``"0.3–14.4 秒"``), ``"whole video"`` when a change covers all of it, a video's
length as ``"12 s"`` and a colour by its name (``"yellow"``, ``"黄色"``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from promptreel.agent.phrases import COLORS
from promptreel.draft.query import length_text, parse_span, span_text

__all__ = ["for_people", "said_span", "said_length", "said_colour", "spans_said"]

#: an exact span inside a line of text: the timeline summary's "(0.3-14.397s, 35%)"
_IN_TEXT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?-\d+(?:\.\d+)?s\b")


def spans_said(text: str, zh: bool = False) -> str:
    """Every exact span in ``text`` (the protocol's timeline summary) said for people."""
    return _IN_TEXT.sub(lambda m: str(said_span(m.group(0), zh)), text)


#: a colour's name by its hex value, the first name the phrase table gives it in each language
_NAME_EN: dict[str, str] = {}
_NAME_ZH: dict[str, str] = {}
for _word, _hex in COLORS.items():
    if _word.isascii():
        _NAME_EN.setdefault(_hex, _word)
    elif _word.endswith("色"):
        _NAME_ZH.setdefault(_hex, _word)


def said_colour(value: Any, zh: bool) -> Any:
    """``"#FDD835"`` → ``"yellow"`` (``"黄色"``); a colour with no name as it is."""
    if not isinstance(value, str):
        return value
    return (_NAME_ZH if zh else _NAME_EN).get(value.upper(), value)


#: result keys that hold a video's length (``"0-20s"`` or ``"20s"``), said as ``"20 s"``
_LENGTH_KEYS = frozenset({"total", "duration_before", "duration_after", "length_changed", "length_refit"})
#: result keys that hold where something is on the timeline
_SPAN_KEYS = frozenset({"timing", "title_retimed"})
#: results whose ``before`` and ``after`` are the video's length
_LENGTH_RESULTS = frozenset({"scene_removed", "scene_length", "duration"})


def said_span(value: Any, zh: bool, total: int | None = None) -> Any:
    """An exact span label as people read it (anything else as it is)."""
    if not isinstance(value, str):
        return value
    span = parse_span(value)
    return value if span is None else span_text(*span, total=total, zh=zh)


def said_length(value: Any, zh: bool) -> Any:
    """A length (``"12.033s"``, ``"0-12.033s"``) as people read it: ``"12 s"``."""
    if isinstance(value, list):
        return [said_length(v, zh) for v in value]
    if not isinstance(value, str):
        return value
    span = parse_span(value)
    return value if span is None or span[0] != 0 else length_text(span[1], zh)


def for_people(r: Mapping[str, Any], zh: bool, total: int | None = None) -> dict[str, Any]:
    """A copy of result ``r`` with its times said for people; ``total`` (the video's length in
    ms) turns a span that covers all of it into "whole video"."""
    out = dict(r)
    what = out.get("what")
    for key, value in r.items():
        if key in _LENGTH_KEYS:
            out[key] = said_length(value, zh)
        elif key in _SPAN_KEYS:
            out[key] = said_span(value, zh, total)
        elif key in ("before", "after"):
            if what in _LENGTH_RESULTS:
                out[key] = said_length(value, zh)
            elif r.get("field") == "timing":
                out[key] = said_span(value, zh)
            elif r.get("field") == "color":
                out[key] = said_colour(value, zh)
        elif key in ("fields", "list", "items") and isinstance(value, list):
            out[key] = [_part(p, zh) if isinstance(p, Mapping) else p for p in value]
    return out


def _part(p: Mapping[str, Any], zh: bool) -> dict[str, Any]:
    out = dict(p)
    if "timing" in out:
        out["timing"] = said_span(out["timing"], zh)
    if p.get("field") == "timing":
        out["before"], out["after"] = said_span(p.get("before"), zh), said_span(p.get("after"), zh)
    if p.get("field") == "color":
        out["before"], out["after"] = said_colour(p.get("before"), zh), said_colour(p.get("after"), zh)
    return out
