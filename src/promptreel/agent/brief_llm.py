"""The brief filled by a language model: the same :class:`Brief` schema, validated, with the rules as
the floor.

Settings (length, aspect, tone, music, narration, chart) always come from the rule reader — they
are exact and cheap. The model is asked only for the *content* fields, as JSON; its answer is
validated with pydantic, retried once with the validation error, and dropped in favour of the
rule brief if it is still wrong or the model cannot be reached. Content that echoes an
instruction the rules removed ("30-second", "vertical", "no music") is refused the same way.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from promptreel.agent.brief import PURPOSES, Brief, Figure, Item, read_brief
from promptreel.agent.llm import ChatModel
from promptreel.errors import UpstreamError

__all__ = ["BriefContent", "brief_with_model", "SYSTEM_PROMPT"]

log = logging.getLogger(__name__)


class BriefContent(BaseModel):
    """What the model may fill: the brief's content, never its settings."""

    model_config = ConfigDict(extra="forbid")
    purpose: str = Field(default="story", description=" | ".join(PURPOSES))
    subject: str = ""
    place: str = ""
    when: list[str] = Field(default_factory=list)
    address: str = ""
    recipient: str = ""
    slogan: str = ""
    quotes: list[str] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list, max_length=12)
    list_kind: str = Field(default="", pattern=r"^(?:|items|steps|menu)$")
    count: int = Field(default=0, ge=0, le=100)
    figures: list[Figure] = Field(default_factory=list, max_length=12)
    series_name: str = ""
    stats: list[str] = Field(default_factory=list)
    points: list[str] = Field(default_factory=list, max_length=20)
    actions: list[str] = Field(default_factory=list)


SYSTEM_PROMPT = (
    "You read a request for a short video and return ONLY a JSON object with the video's content, "
    "following this JSON schema:\n{schema}\n"
    "Rules: instructions about the video (length, aspect, platform, tone, music, voice, captions, "
    "audience, 'include the line', 'with a chart', 'make it …') are NOT content: never put them in any "
    "field. Keep the user's words verbatim: quoted lines (slogan = the short quoted line meant as a "
    "headline or closing line), names, places, dates, addresses, prices (items with value), figures "
    "(figures: label/value/unit, e.g. 2019 → 4.5 'M'), lists (items; list_kind 'steps' for a sequence "
    "of actions, 'menu' for things with prices). points are the user's own content sentences, each "
    "short enough to narrate. Never add facts the user did not give."
)


def _parse(text: str) -> dict[str, Any]:
    text = text.strip()
    fence = re.search(r"```(?:json)?\s*(.+?)```", text, re.S)
    if fence:
        text = fence.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the reply")
    data = json.loads(text[start : end + 1])
    if not isinstance(data, dict):
        raise ValueError("the reply is not a JSON object")
    return data


def _echoes(content: BriefContent, rules: Brief) -> list[str]:
    """Instruction words the rule reader removed that the model put back into the content."""
    texts = [
        content.subject,
        content.slogan,
        *content.points,
        *content.stats,
        *(i.text for i in content.items),
    ]
    blob = " ".join(texts).lower()
    found = []
    for pat in (r"\b\d+\s*-?\s*(?:second|sec|minute)s?\b", r"\b(?:vertical|landscape|9:16|16:9|tiktok|reels)\b",
                r"\bno\s+(?:music|voice-?over|narration)\b", r"\bwith\s+a\s+chart\b", r"\binclude\s+the\s+line\b",
                r"竖屏|横屏|不要(?:背景)?音乐|不要(?:配音|旁白)|\d+秒"):  # fmt: skip
        m = re.search(pat, blob, re.I)
        if m and m.group(0) not in rules.prompt.lower().split('"')[1::2]:
            found.append(m.group(0))
    return found


def brief_with_model(prompt: str, model: ChatModel) -> Brief:
    """The brief for ``prompt`` with content from ``model``; the rule brief when the model fails."""
    rules = read_brief(prompt)
    schema = json.dumps(BriefContent.model_json_schema(), ensure_ascii=False)
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": SYSTEM_PROMPT.format(schema=schema)},
        {"role": "user", "content": rules.prompt},
    ]
    for attempt in range(2):
        try:
            reply = model.chat(messages, tools=())
        except UpstreamError as exc:
            log.warning("brief: the language model failed (%s); using the rules", exc.message)
            return rules
        try:
            content = BriefContent.model_validate(_parse(reply.content or ""))
            echoes = _echoes(content, rules)
            if echoes:
                raise ValueError(f"these are instructions, not content: {', '.join(echoes)}")
        except (ValueError, ValidationError) as exc:
            log.info("brief: model reply rejected (attempt %d): %s", attempt + 1, exc)
            messages += [
                {"role": "assistant", "content": reply.content or ""},
                {
                    "role": "user",
                    "content": f"That was not valid: {str(exc)[:500]}. Reply with the JSON object only.",
                },
            ]
            continue
        fields = content.model_dump()
        if fields["purpose"] not in PURPOSES:
            fields["purpose"] = rules.purpose
        return Brief.model_validate({**rules.model_dump(), **fields})
    return rules
