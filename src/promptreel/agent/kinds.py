"""What kind of thing a prompt's content is about, read from its words: a subject that is a place,
a product, an event or a person (the stock lines said of it fit it: a café is visited, a backpack
is tried, a fair is come to); a job ad told by its content ("we're hiring baristas"), its roles
and the company; the opening a place announces ("咖啡店开业啦"); and a list of things to do, whose
items keep their verbs ("brush teeth, add toothpaste, rinse").

The vocabularies are data (``subject_kinds``, ``openings`` and ``step_verbs`` in
``data/purposes.toml``); this module holds only the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

from promptreel.agent import patterns as pt

__all__ = [
    "subject_kind",
    "is_event",
    "copy_key",
    "hiring",
    "opening",
    "is_step",
    "keeps_verbs",
    "leading_relation",
    "KINDS",
]

#: the kinds of subject the stock lines are written for (``more_place``, ``close_product``…)
KINDS = ("event", "person", "place", "product")


class _Subject(Protocol):
    """The fields of a brief the kind of its subject is read from."""

    @property
    def lang(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def sale(self) -> str: ...
    @property
    def opening(self) -> str: ...
    @property
    def prompt(self) -> str: ...


def _spec() -> dict[str, Any]:
    return pt.data("purposes")


@cache
def _words(kind: str, lang: str) -> tuple[str, ...]:
    table = _spec().get("subject_kinds", {}).get(kind, {})
    return tuple(sorted((str(w) for w in table.get(lang, ())), key=len, reverse=True))


def _named_by(text: str, words: tuple[str, ...], zh: bool) -> bool:
    """Whether a name ends in one of ``words`` (its head noun): "Crumb & Co bakery", "花店"."""
    if zh:
        return any(text.endswith(w) for w in words)
    low = text.lower()
    return any(re.search(r"(?<![\w'])" + re.escape(w) + r"s?$", low) for w in words)


def is_event(brief: _Subject) -> bool:
    """Whether the subject names an event or a sale ("书店周年庆", "our summer fair"), ``events``
    in ``data/purposes.toml``."""
    rule = str((_spec().get("events") or {}).get("zh" if brief.lang == "zh" else "en", ""))
    return bool(rule and brief.subject and re.search(rule, brief.subject, re.I))


def subject_kind(brief: _Subject) -> str:
    """What the subject is, one of :data:`KINDS`, or "" when its words do not say: an event ("summer
    fair"), a person ("Dr. Lena Hart"), a place ("Crumb & Co bakery", "咖啡店") or a product ("our
    new water bottle", a teaser's launch)."""
    zh = brief.lang == "zh"
    lang = "zh" if zh else "en"
    names = [x for x in (brief.subject, re.sub(r"^(?:our|my|the|a|an)\s+", "", brief.kind, flags=re.I)) if x]
    if not names:
        return ""
    if is_event(brief) or any(_named_by(n, _words("event", lang), zh) for n in names):
        return "event"
    if not zh and re.match(r"(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+[A-Z]", brief.subject):
        return "person"
    for kind in ("person", "place", "product"):
        if any(_named_by(n, _words(kind, lang), zh) for n in names):
            return kind
    new = r"\b(?:new|latest|brand[\s-]new)\b|新款|新品|全新"
    if brief.purpose == "teaser" or (brief.kind and re.search(new, brief.kind, re.I)):
        return "product"  # what is launched, or said to be new, is a thing to try
    return ""


def copy_key(brief: _Subject, key: str, lines: Mapping[str, Any]) -> str:
    """The key of the line a kind of video says for ``key`` ("hook", "close", "more"…): an event's
    (``event_``), a sale's (``sale_``), an opening's (``opening_``), one for plural names
    (``_plural``), or one for the kind of subject (``_place``, ``_product``…), where the data has one."""
    zh = brief.lang == "zh"
    if brief.opening and f"opening_{key}" in lines:
        return f"opening_{key}"
    if not zh and f"{key}_plural" in lines and _plural(brief.subject):
        key = f"{key}_plural"  # "Discover our Pilates classes.", not "Meet Pilates classes."
    if f"event_{key}" in lines and is_event(brief):
        return f"event_{key}"  # "书店周年庆来啦！", not "书店周年庆，欢迎了解。"
    if brief.sale and f"sale_{key}" in lines:
        return f"sale_{key}"
    kind = subject_kind(brief)
    if kind == "event" and f"event_{key}" in lines:
        return f"event_{key}"  # "Join us for chess club!"
    return f"{key}_{kind}" if kind and f"{key}_{kind}" in lines else key


def _plural(name: str) -> bool:
    from promptreel.agent.wording import plural_head  # a leaf module: imported where it is used

    return plural_head(name)


# ── a job ad told by its content ────────────────────────────────────────────────────────────

_HIRING_EN = re.compile(
    r"\b(?:we(?:['’]re|\s+are)\s+(?:now\s+|currently\s+)?hiring|(?:is|are)\s+(?:now\s+)?hiring|now\s+hiring|"
    r"join\s+our\s+(?:[\w-]+\s+)?team|we(?:['’]re|\s+are)\s+looking\s+for\s+(?:a|an|new)?\s*[\w\s-]{0,30}?"
    r"(?:to\s+join|staff|team\s+members?))\b|^\s*hiring\s*[:!]?\s+(?!videos?\b|ads?\b|posts?\b)\w",
    re.I,
)
_ROLES_EN = re.compile(
    r"\b(?:hiring|looking\s+for)\s*:?\s+(?P<roles>(?!(?:videos?|ads?|posts?|reels?|spots?)\b)[^,.;:!?()]+?)"
    r"(?=\s+(?:at|in|for|to|who|with|from|near|across|on)\b|\s*[,.;:!?()]|$)",
    re.I,
)
_NOT_A_NAME_EN = re.compile(r"\bhiring\b|\bjoin\s+our\b|^(?:we|i)\b|\blooking\s+for\b|\bjobs?\b", re.I)


def hiring(out: dict[str, Any], text: str, zh: bool) -> None:
    """ "Join our team: we're hiring baristas" is a job ad: its roles are what it hires (listed when
    more than one), the company it names after "at" is its subject, and no clause of the ask
    ("join our team", "hiring cooks") is taken for a name."""
    from promptreel.agent.clauses import Item  # clauses reads lists with this module

    if zh:
        return
    if out["purpose"] in ("story", "ad", "announcement") and not out.get("sale") and _HIRING_EN.search(text):
        out["purpose"] = "recruiting"
    if out["purpose"] != "recruiting":
        return
    found = _ROLES_EN.search(text)
    said = pt.tidy(found.group("roles")) if found else ""
    roles = [pt.strip_articles(r) for r in re.split(r"\s*(?:,|\+|&|\band\b)\s*", said) if r.strip()]
    subject = out.get("subject", "")
    if subject and (_NOT_A_NAME_EN.search(subject) or subject.lower() in said.lower()):
        at = re.search(
            r"\b(?i:hiring|looking\s+for)\b[^.;:!?]*?\bat\s+((?:[A-Z][\w&'’.-]*|&)(?:\s+(?:[A-Z][\w&'’.-]*|&|de|of))*)",
            text,
        )
        out["subject"] = at.group(1).rstrip(".") if at else ""
        for key in ("address", "place"):
            if at and out.get(key) == out["subject"]:
                out[key] = ""  # the company hiring is the subject, not a place to come to
    points = [
        p for p in out.get("points", ()) if not re.fullmatch(r"(?:join\s+our\s+(?:[\w-]+\s+)?team)", p, re.I)
    ]
    listed = [i.text for i in out.get("items", ())]
    other = [x for x in listed if not any(x.lower().startswith(r.lower()) for r in roles)]
    if (
        len(roles) >= 2
        and all(pt.size(r, False) <= 4 for r in roles)
        and len(listed) - len(other) in (0, len(roles))
    ):
        # "baristas and bakers at Crumb & Co, flexible hours": the roles, without where; a perk is said
        out["items"], out["list_kind"] = tuple(Item(text=r) for r in roles), "items"
        points += [x for x in other if not any(x in p for p in points)]
    elif roles and not any(r.lower() in p.lower() for r in roles for p in points):
        points.insert(0, f"We're hiring {said}")
    out["points"] = tuple(points)


# ── an opening announced ────────────────────────────────────────────────────────────────────


def opening(out: dict[str, Any], text: str, zh: bool) -> None:
    """The opening a subject announces, as written: "我们的咖啡店开业啦" → 开业, "the grand
    opening of Crumb & Co" → grand opening (``openings`` in ``data/purposes.toml``)."""
    subject = out.get("subject", "")
    if not subject or out["purpose"] in ("greeting", "recruiting", "invitation"):
        return
    words = sorted(
        (str(w) for w in _spec().get("openings", {}).get("zh" if zh else "en", ())), key=len, reverse=True
    )
    if not words:
        return
    said = "|".join(re.escape(w) for w in words)
    if zh:  # "我们的花店盛大开业": the 花店, its 开业
        out["subject"] = subject = re.sub(r"(?<=..)(?:正式|盛大|即将|终于|新店)+$", "", subject)
        m = re.search(
            re.escape(subject)
            + r"(?:正式|盛大|今天|今日|明天|本周[六日末]|即将|要|将|终于|新店)*("
            + said
            + ")",
            text,
        )
    else:
        m = re.search(
            r"\b(" + said + r")\s+(?:of|at|for)\s+(?:our\s+|the\s+)?" + re.escape(subject), text, re.I
        )
        m = m or re.search(re.escape(subject) + r"(?:['’]s)?\s+(" + said + r")\b", text, re.I)
    if m:
        out["opening"] = m.group(1).lower() if not zh else m.group(1)
        if out["purpose"] == "story":
            out["purpose"] = "ad"


# ── a list of things to do ──────────────────────────────────────────────────────────────────


@cache
def _step_verbs() -> frozenset[str]:
    listed = pt.data("instructions").get("lexicon", {}).get("step_verbs", ())
    return frozenset((*listed, *(_spec().get("step_verbs", {}).get("en", ()))))


def is_step(item: str) -> bool:
    """Whether a listed item is a thing to do: it starts with a verb of doing ("brush teeth", "rinse")."""
    first = item.split()[:1]
    return bool(first) and first[0].lower() in _step_verbs()


def keeps_verbs(raw: list[str]) -> bool:
    """Whether a list is a list of things to do (two or more of its items start with a verb of
    doing): its items keep their verbs, even one that could ask the maker ("add toothpaste")."""
    return len(raw) >= 3 and sum(is_step(r) for r in raw) >= 2


# ── who a Chinese card is for, named first ─────────────────────────────────────────────────


def leading_relation(text: str) -> str:
    """The relation a Chinese prompt opens on, before the age or occasion ("爷爷80岁生日" → 爷爷)."""
    groups = _spec_occasions().get("recipients", {})
    words = sorted((w for g in groups.values() for w in g.get("words", ()) if re.search(r"[\u4e00-\u9fff]", w)),
                   key=len, reverse=True)  # fmt: skip
    if not words:
        return ""
    m = re.match(
        r"^(?:我的|我们的|亲爱的)?("
        + "|".join(map(re.escape, words))
        + r")(?=[一二三四五六七八九十百\d]+(?:大寿|岁|周岁)|生日|的)",
        text.strip(),
    )
    return m.group(1) if m else ""


def _spec_occasions() -> dict[str, Any]:
    return pt.data("occasions")
