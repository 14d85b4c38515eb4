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
from promptreel.agent.todo import is_step, keeps_verbs  # a list of things to do, re-exported

__all__ = [
    "subject_kind",
    "is_event",
    "copy_key",
    "hiring",
    "opening",
    "is_step",
    "keeps_verbs",
    "leading_relation",
    "strip_label",
    "labelled_subject",
    "course_zh",
    "with_causes",
    "named_sale",
    "invitation_zh",
    "notice_news",
    "wish_cut",
    "KINDS",
]

#: the kinds of subject the stock lines are written for (``more_place``, ``close_product``…)
KINDS = ("cause", "event", "home", "notice", "person", "place", "product")


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
    cause = str(_spec().get("subject_kinds", {}).get("cause", {}).get("labels", ""))
    if cause and re.match(r"\s*(?:" + cause + ")", brief.prompt, re.I):
        return "cause"  # "Charity appeal for Shelter Now:", "公益倡议：光盘行动"
    said = re.search(  # "FlowDesk, a standing desk with …": what the prompt says it is
        re.escape(brief.subject)
        + r",\s+(?:a|an|our|the)\s+([\w\s-]+?)(?=\s+(?:with|that|for|in|from|by)\b|[,.;]|$)",
        brief.prompt,
    )
    names += [said.group(1)] if said and not zh else []
    for kind in ("notice", "home", "person", "place", "product"):
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
    if not (brief.subject or getattr(brief, "place", "")) and f"{key}_unnamed" in lines and key == "more":
        return f"{key}_unnamed"  # "20% off all helmets": no one to meet
    kind = subject_kind(brief)
    if kind == "event" and f"event_{key}" in lines:
        return f"event_{key}"  # "Join us for chess club!"
    return f"{key}_{kind}" if kind and f"{key}_{kind}" in lines else key


def _plural(name: str) -> bool:
    from promptreel.agent.wording import plural_head  # a leaf module: imported where it is used

    return plural_head(name)


# ── a label naming the kind of video ───────────────────────────────────────────────────────


def strip_label(work: str, zh: bool) -> tuple[str, str, str]:
    """(the text without a label that opens it, the purpose it names, the label): "School notice: Greenfield
    Primary will close early …" is an announcement about Greenfield Primary; "Charity appeal for
    Shelter Now: …" an ad for Shelter Now (``video_labels`` in ``data/purposes.toml``)."""
    for purpose, spec in _spec().get("video_labels", {}).items():
        rule = str(spec.get("zh" if zh else "en", ""))
        m = (
            re.match(r"^\s*(?:" + rule + r")\s*(?:[:：!！]|[-–—]\s|(?=\s+for\s))\s*", work, re.I)
            if rule
            else None
        )
        if m:
            return work[m.end() :], purpose, pt.tidy(m.group(0).strip(" :：!！-–—"))
    return work, "", ""


def labelled_subject(out: dict[str, Any], zh: bool) -> None:
    """A labelled video whose first words are a figure ("Workshop recap: 30 makers, 12 tables
    built") is named by its label; the figure is said with the others."""
    label, subject = out.get("label", ""), out.get("subject", "")
    if re.search(r"\bsorry\b|\bapology\b|道歉|致歉", label, re.I):  # "We're sorry:" opens the video
        points = out.get("points", ())
        if pt.size(subject, zh) > (4 if zh else 3) and not any(subject in p for p in points):
            out["points"] = (subject, *points)  # "由于系统故障": what happened, said
        out["subject"] = label
    elif re.search(r"recap|highlights|回顾", label, re.I) and re.match(r"\d[\d,.]*\s+\w", subject):
        out["points"] = (subject, *out.get("points", ()))
        out["subject"] = label if zh else label[:1].lower() + label[1:]


def course_zh(out: dict[str, Any], text: str, zh: bool) -> None:
    """ "暑期编程课开始报名啦！" offers a class to sign up for: an ad for 暑期编程课, never a lesson."""
    m = re.search(
        r"([\u4e00-\u9fff]{1,8}?(?:课程|课|班|训练营|夏令营|冬令营|工作坊))(?:开始|即将|正在|火热|现已)?(?:报名|招生)",
        text,
    )
    signs_up = out["purpose"] == "recruiting" and bool(m) and "招生" in (m.group(0) if m else "")  # no job ad
    if zh and m and ((out["purpose"] in ("lesson", "story") and not out.get("subject")) or signs_up):
        out["subject"], out["purpose"] = re.sub(r"^(?:我们的?|我的)", "", m.group(1)), "ad"


def with_causes(points: tuple[str, ...], zh: bool) -> tuple[str, ...]:
    """ "由于系统故障" is said with what it caused: "由于系统故障，昨天部分订单未能发货"."""
    out = list(points)
    for k in range(len(out) - 2, -1, -1):
        if zh and re.match(r"(?:由于|因为)", out[k]) and not re.search(r"[，,。]", out[k]):
            out[k : k + 2] = [f"{out[k]}，{out[k + 1]}"]
    return tuple(out)


def named_sale(out: dict[str, Any], zh: bool) -> str:
    """A sale the subject names ("Back to school sale at Pencil Pot"): the ad is for the sale, at the
    shop the prompt names."""
    subject = out.get("subject", "")
    if not re.search(
        r"\b(?:sale|clearance|sell-?off)$" if not zh else r"(?:促销|大促|特卖|清仓)$", subject, re.I
    ):
        return ""
    shop = out.get("place") or (out.get("address") if not re.search(r"\d", out.get("address", "")) else "")
    out["subject"] = shop
    for key in ("place", "address"):
        out[key] = "" if out.get(key) == shop else out.get(key, "")
    return subject


_INVITED_ZH = re.compile(
    r"^(?:请|欢迎|诚邀|邀请)?(?:大家|各位[\u4e00-\u9fff]{0,3}|你们|您|你)(?:一起|一同|来)?(?:参加|出席|参与)"
    r"(?:[\u4e00-\u9fff\d]{1,8}?的)?(?P<e>[\u4e00-\u9fff]{2,10}?(?:活动|大会|会|赛|节|典礼|派对|仪式|聚会|晚宴))"
)


_STATES_EN = re.compile(
    r"^(?:the\s+|our\s+|my\s+)?(?P<s>[A-Za-z][\w'’&-]*(?:\s+[\w'’&-]+){0,3}?)\s+"
    r"(?:will|is|are|has|have|was|were|won['’]t|shall)\s+(?:be\s+)?(?!(?:a|an|the)\b)\w"
)


def notice_news(head: str) -> tuple[str, str] | None:
    """(what a notice is about, its news as written): "the Riverside pool will be closed on Monday"
    → ("Riverside pool", …)."""
    m = _STATES_EN.match(head.strip())
    return (m.group("s"), head.strip()) if m else None


def invitation_zh(out: dict[str, Any], text: str, zh: bool) -> None:
    """ "请大家参加周六的植树活动": an invitation to the 植树活动 (its day is when, said by the card)."""
    m = _INVITED_ZH.match(text.strip()) if zh else None
    if m and out["purpose"] in ("story", "ad", "announcement"):
        out["purpose"], out["subject"] = "invitation", m.group("e")


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
    if zh:  # "我们的花店盛大开业": the 花店, its 开业; "新店开张": the 新店, its 开张
        out["subject"] = subject = re.sub(r"(?<=..)(?:正式|盛大|即将|终于|新店)+$", "", subject)
        named = re.fullmatch(r"(.{2,8}?)(" + said + r")(?:啦|了)?", subject)
        out["subject"], subject = (named.group(1), named.group(1)) if named else (subject, subject)
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
        if out["purpose"] in ("story", "lesson"):  # "健身房开业：…送私教课" opens a gym: no lesson
            out["purpose"] = "ad"


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


def wish_cut(who: str, word: str) -> str:
    """ "员工阖家团圆" → 员工: the wish said after who a card is for is no part of their name
    ("妹妹小雨" keeps 小雨)."""
    at = who.find(word) + len(word)
    wish = (
        r"阖家|合家|新年|身体|节日|快乐|万事|幸福|安康|团圆|健康|平安|工作|生意|事业|学业|前程|心想|吉祥|如意"
    )
    return who[:at] if at >= len(word) and re.match(wish, who[at:]) else who


def _spec_occasions() -> dict[str, Any]:
    return pt.data("occasions")
