"""Lines woven from what the prompt says, in the grammar of the video rather than of the prompt:
a relative clause about the person a greeting is for ("my dad Robert, who loves fishing and jazz"
→ "To a dad who loves fishing and jazz.", "Here's to more fishing and jazz.") and the offer an ad
or launch closes on. The wordings are data (``traits`` in ``data/purposes.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent.brief import Brief, data
from promptreel.agent.fill import _said_when
from promptreel.agent.frame import OFFER
from promptreel.agent.kinds import is_event, subject_kind
from promptreel.agent.storyboard import ScenePlan
from promptreel.agent.wording import ordinal_suffix

__all__ = [
    "trait_lines", "offer_line", "offer_points", "is_event", "day_line", "aged_greeting", "other_day", "says_list",
    "heard_before",
    "in_order",
    "place_preposition",
    "signed_last",
]  # fmt: skip


def trait_lines(brief: Brief, name: str) -> tuple[list[str], list[str]]:
    """What the card says of the person it is for, woven from the prompt's relative clauses
    (``traits`` in ``data/purposes.toml``): "To a dad who loves fishing and jazz.", "Here's to more
    fishing and jazz." """
    zh = brief.lang == "zh"
    spec = data("purposes")["traits"]["zh" if zh else "en"]
    relation = brief.recipient if zh else brief.kind
    about = []
    for trait in brief.traits:
        if relation:
            about.append(str(spec["who"]).format(relation=relation, trait=trait, name=brief.recipient))
        else:
            named = brief.recipient or name
            mine = re.search(r"\b(my|our)\s+" + re.escape(named) + r"\b", brief.prompt, re.I)
            named = f"{mine.group(1).lower()} {named}" if mine and named[:1].islower() else named
            about.append(str(spec["who_named"]).format(name=named, trait=trait))
    loves = [str(spec["loves"]).format(things=t) for t in brief.loves]
    return about, loves


def offer_line(brief: Brief) -> str:
    """The offer an ad or launch closes on ("free for the first 3 months", "限时八折"), when it asks
    nothing else of the viewer (no link, no "book now") and is not for a sale (that closes on the sale)."""
    return ("，" if brief.lang == "zh" else ", ").join(offer_points(brief))


#: a line that adds to the offer before it ("会员再送书签" after "全场图书8折", "plus a free tote")
_ADDS = re.compile(r"^\S{0,6}?(?:再|还|另|也|加)(?:送|赠|享|领|返|减|免)|^(?:plus|and\s+also|also)\b", re.I)


def offer_points(brief: Brief) -> list[str]:
    """The points :func:`offer_line` says: the offer, and any line right after it that adds to it."""
    if brief.actions or brief.sale or brief.purpose not in ("ad", "teaser", "announcement"):
        return []
    if subject_kind(brief) == "notice":
        return []  # a notice's offer ("赠送10元优惠券") is one of its lines, never said by its name
    # a line the list board or the date card says is said there, once
    points = [p for p in brief.points if not says_list(brief, p) and not any(w in p for w in brief.when)]
    at = next((k for k in range(len(points) - 1, -1, -1) if OFFER.search(points[k])), -1)
    if at < 0:
        return []
    while at > 0 and _ADDS.search(points[at]) and OFFER.search(points[at - 1]):
        at -= 1  # the offer that the last one adds to comes first
    end = at + 1
    while end < len(points) and _ADDS.search(points[end]):
        end += 1
    return points[at:end]


def says_list(brief: Brief, point: str) -> bool:
    """Whether a line of the user's says every listed thing (the list board says it then)."""
    names = [i.text.lower() for i in brief.items]
    return bool(names) and all(n in point.lower() for n in names)


def heard_before(brief: Brief, before: Sequence[ScenePlan]) -> str:
    """What the scenes before a date card say (lowercase): the lines, a list board that says the
    user's own line, and the call to action ("find us at Pier 39 every Friday": the close says it)."""
    own = {p.lower().rstrip(".") for p in brief.points}
    said = [
        s.text
        for s in before
        if s.beat != "hook"
        and (
            s.layout != "list"
            or s.text.lower().rstrip(".") in own
            or (s.items and all(t.lower() in s.text.lower() for t, _ in s.items))  # the list said whole
        )
    ]
    return " ".join([*said, *brief.actions]).lower()


def in_order(brief: Brief, body: list[ScenePlan], card: list[ScenePlan]) -> list[ScenePlan]:
    """The content scenes with the date card where the user's line it says stood among theirs
    ("本小区将于6月5日停水，请提前储水": the closure, then what to do); at the end otherwise."""
    key = [re.sub(r"[\W_]+", "", p.lower()) for p in brief.points]
    said = re.sub(r"[\W_]+", "", card[0].text.lower()) if card else ""
    at = next((k for k, p in enumerate(key) if p and p in said), -1)
    if at < 0:
        return [*body, *card]
    later = set(key[at + 1 :])
    k = next((i for i, s in enumerate(body) if re.sub(r"[\W_]+", "", s.text.lower()) in later), len(body))
    return [*body[:k], *card, *body[k:]]


def place_preposition(place: str, prompt: str = "") -> str:
    """ "at 200 Main St", "on Elm Street", "in Berlin", or as the prompt said it ("at Pencil Pot")."""
    said = re.search(r"\b(at|in|on)\s+(?:the\s+)?" + re.escape(place), prompt) if place else None
    if said:
        return said.group(1)
    if re.match(r"\d", place):
        return "at"
    if re.search(r"\b(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr)\.?$", place):
        return "on"
    return "in"


def signed_last(brief: Brief, scenes: list[ScenePlan]) -> list[ScenePlan]:
    """A card's signature ("初三二班全体同学敬上。") is its last line, after the user's own."""
    sign = [s for s in scenes if brief.sender and s.layout == "quote" and s.by == brief.sender]
    return [s for s in scenes if s not in sign] + sign


def day_line(brief: Brief, heard: str) -> str:
    """The day a greeting gives, said in a sentence of its occasion ("Here's to your big day this
    Sunday.", "这周日，是你的80岁生日。"), or "" when a line in ``heard`` already says it or the
    occasion has no such line. A Chinese card says its age here (``age``, ``day_age``)."""
    spec = (data("occasions").get(brief.occasion) or {}).get("zh" if brief.lang == "zh" else "en", {})
    when = brief.when[0] if brief.when else ""
    if when and when.lower() in heard.lower():
        when = ""
    key = ("day_age" if when else "age") if brief.age and brief.lang == "zh" else "day" if when else ""
    if key == "age" and _age_in_greeting(brief):
        return ""  # "爷爷，80岁生日快乐！" has said it
    template = str(spec.get(key, "")) if key else ""
    return template.format(when=_said_when(brief) if when else "", age=brief.age) if template else ""


def aged_greeting(brief: Brief, greeting: str, lang: str) -> str:
    """The occasion's greeting with the age or the years it is for: "Happy 80th Birthday",
    "80岁生日快乐", "Happy 60th Anniversary", "60周年快乐"."""
    nth = re.search(
        r"\b(\d{1,3})(?:st|nd|rd|th)\s+(?:work\s+|wedding\s+)?(?:anniversary|birthday)\b|([\d一二三四五六七八九十百]+)\s*周年",
        brief.prompt,
        re.I,
    )
    age = (
        nth.group(1)
        if nth and nth.group(1)
        else (str(brief.age) if brief.occasion == "birthday" and brief.age else "")
    )
    if age and lang == "en":
        return greeting.replace("Happy ", f"Happy {age}{ordinal_suffix(int(age))} ", 1)
    if nth and lang == "zh" and nth.group(2) and brief.occasion == "anniversary":
        return f"{nth.group(2)}周年快乐"
    if lang == "zh" and _age_in_greeting(brief):
        return f"{brief.age}岁{greeting}"  # "80岁生日快乐"
    return greeting


def _age_in_greeting(brief: Brief) -> bool:
    """Whether a Chinese birthday card says its age in its greeting: the prompt names the birthday
    by its age ("爷爷80岁生日") and gives no day (a day's line says the age with the day)."""
    return (
        brief.lang == "zh"
        and brief.occasion == "birthday"
        and brief.age > 0
        and not brief.when
        and bool(
            re.search(r"(?:\d{1,3}|[一二三四五六七八九十百]{1,4})\s*(?:周岁|岁)(?:的)?生日", brief.prompt)
        )
    )


def other_day(line: str, brief: Brief) -> bool:
    """Whether a stock line says "today" of a greeting the prompt gives another day for ("this
    Sunday"): the day line says when it is instead."""
    when = " ".join(brief.when)
    if not when or re.search(r"\btoday\b|今天|今日", when, re.I):
        return False
    return bool(re.search(r"\btoday\b|今天|今日", line, re.I))
