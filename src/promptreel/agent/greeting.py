"""What a greeting's prompt says besides its greeting: things listed without a sentence are its
imagery ("diyas, rangoli, sweets"), lines about the person are said of them, and a thank-you's bare
figures are said together with its event and day ("Together at the riverside cleanup last
Saturday: 120 people, 2 tons of trash collected.")."""

from __future__ import annotations

import re
from typing import Any

from promptreel.agent import patterns as pt

__all__ = ["greeting_content"]


def greeting_content(out: dict[str, Any], zh: bool) -> None:
    """In a greeting, things listed without a sentence ("diyas, rangoli, sweets") are its imagery, and
    the line naming who it is for is already the greeting's."""
    items = out.get("items", ())
    plain = not any(
        re.search(r"\d|\b(?:turning|turns|loves?|likes?|enjoys?|adores?)\b", i.text) for i in items
    )
    if not plain:  # "turning 80, loves fishing": what is said of the person, not pictures
        out["points"] = (*out.get("points", ()), *(i.text for i in items))
        out["items"], out["list_kind"] = (), ""
    elif (
        not zh and out.get("list_kind") == "items" and items and all(pt.size(i.text, zh) <= 2 for i in items)
    ):
        out["imagery"] = (*out.get("imagery", ()), *(i.text for i in items))
        out["items"], out["list_kind"] = (), ""
    _tally(out, zh)
    family = pt.data("occasions")["recipients"].get("family", {}).get("words", ())
    alone = next((p for p in out.get("points", ()) if zh and p in family), "")
    if alone and not out.get("recipient"):  # "母亲节快乐！妈妈，谢谢你": 妈妈 is who it is for
        out["recipient"], out["recipient_group"] = alone, "family"
    who = [w for w in (out.get("recipient"), out.get("sender")) if w]
    when = {w.lower() for w in out.get("when", ())}
    out["points"] = tuple(
        p
        for p in out.get("points", ())
        if p.lower() not in when  # "this Sunday" alone is when, said by the card's day line
        and not any(w.lower() in p.lower() and pt.size(p, zh) <= pt.size(w, zh) + 3 for w in who)
        and not (who and re.match(r"(?:happy|merry|congratulations|congrats)\b", p, re.I) and who[0] in p)
    )  # "Happy retirement to my boss Alan" is the greeting itself


#: a figure said without a sentence: "120 people", "2 tons of trash collected", "300人"
_BARE_FIGURE = re.compile(r"^(?:[$€£¥]?\d[\d,.]*|" + "|".join(pt.NUM_WORDS) + r")\b", re.I)
#: the event a thank-you is for: "volunteers at the riverside cleanup", "everyone who came to the bake sale"
_EVENT_EN = re.compile(
    r"\b(?:at|to|joined|from)\s+(?:the|our)\s+(?P<e>[a-z][\w'’-]*(?:\s+[\w'’-]+){0,3}?)"
    r"(?=\s+(?:last|this|next|yesterday|today|on|in)\b|\s*[:,.;!]|$)"
)


def _tally(out: dict[str, Any], zh: bool) -> None:
    """A thank-you's bare figures ("120 people, 2 tons of trash collected") said together in one
    sentence with the event and its day: "Together at the riverside cleanup last Saturday: 120
    people, 2 tons of trash collected." """
    points = [*out.get("points", ()), *out.get("stats", ())]  # "98% five-star reviews" is a figure too
    bare = [
        p
        for p in points
        if (re.match(r"\d", p) if zh else _BARE_FIGURE.match(p)) and not re.search(r"[.!?。！？]$", p)
    ]
    if not bare:
        return
    if zh:  # "200人参与，种下500棵树": the figures said with it join it
        bare = [p for p in points[points.index(bare[0]) :] if re.search(r"\d", p)]
    when = out.get("when", ())[:1]
    if zh:
        event = re.search(
            r"参加(?:了)?(?P<e>[\u4e00-\u9fff]{2,8}?(?:活动|比赛|义卖|演出|晚会|大会|赛))", out["prompt"]
        )
        lead = "的".join(x for x in (*when, event.group("e") if event else "") if x)
        line = (lead or "大家一起") + "：" + "，".join(bare)
    else:
        event = _EVENT_EN.search(out["prompt"])
        lead = " ".join(x for x in ("Together", f"at the {event.group('e')}" if event else "", *when) if x)
        line = f"{lead}: " + ", ".join(bare)
    at = points.index(bare[0])
    out["points"] = tuple([*points[:at], line, *(p for p in points[at:] if p not in bare)])
    out["stats"] = tuple(x for x in out.get("stats", ()) if x not in bare)
