"""The frame of a request, read from the grammar of the prompt: who the video is *for* (its
audience, never its subject), what its subject is *called* ("our new app Tidy" is Tidy, a new
app), how the maker describes itself ("我们是一家杭州的创业公司", "we're a small design studio in
Lisbon"), what a relative clause says about a person ("my dad Robert, who loves fishing and
jazz"), and the sale an ad is for ("Christmas sale" is an ad, not a greeting).

Each reader is pure: text in, the pieces it names out. The vocabularies are data
(``data/instructions.toml``: ``audience``, ``sale``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from promptreel.agent import kinds
from promptreel.agent import patterns as pt
from promptreel.agent.clauses import Item, is_label
from promptreel.agent.offers import as_written

__all__ = [
    "reframe",
    "OFFER",
    "audience",
    "appositive",
    "self_description",
    "relative_clause",
    "sale_phrase",
    "turning_age",
]

_EN_LEAD = r"\b(?:for|to|aimed\s+at|targeting|targeted\s+at|suitable\s+for|made\s+for)\s+(?:our\s+|the\s+|all\s+|your\s+)?"
_NOT_A_NOUN = {"of", "at", "in", "on", "for", "to", "with", "from", "by", "and", "or", "the", "a", "an",
               "our", "my", "your", "their", "is", "are", "who", "that", "which"}  # fmt: skip


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(words, key=len, reverse=True))


@cache
def _audience_en() -> re.Pattern[str]:
    spec = pt.data("instructions")["audience"]
    people, mods = _alt(spec["people"]), _alt(spec["modifiers"])
    one = rf"(?:{spec['ages_en']}|(?:(?:{mods})[\s-]+){{0,2}}(?:{people}))"
    return re.compile(
        _EN_LEAD + rf"(?P<who>{one}(?:\s+(?:and|&)\s+{one})?)(?![\w-])"
        r"(?:(?P<of>\s+of\s+(?=(?:our|my|the|your)\b))|(?=\s*(?:[,.;:!?)]|$)|\s+(?:on|about|in|at|with|to|so|"
        r"explaining|showing|covering|learning)\b))",
        re.I,
    )


@cache
def _audience_zh() -> re.Pattern[str]:
    people = _alt(pt.data("instructions")["audience"]["zh"])
    return re.compile(
        rf"(?:适合|面向|给|讲给|针对|专门给|写给|拍给|做给)(?P<who>(?:[一二三四五六\d]年级的?)?(?:{people}))(?:看|听)?的?"
        r"(?![享价证凭优折半免专党卡])"
    )


def audience(text: str, zh: bool) -> tuple[str, str]:
    """(who the video is for, ``text`` without the phrase): "Explain X for 10-year-olds" →
    ("10-year-olds", "Explain X "); "Welcome video for new members of our gym" → ("new members",
    "Welcome video for our gym"); "给新员工看的入职介绍" → ("新员工", "入职介绍")."""
    m = (_audience_zh() if zh else _audience_en()).search(text)
    if not m:
        return "", text
    gap = " for " if not zh and m.group("of") else " "
    return m.group("who").strip(), (text[: m.start()] + gap + text[m.end() :]).strip()


_APPOSITIVE = re.compile(
    r"^(?P<kind>(?:(?:[a-z][\w-]*|[\w-]+['’]s)\s+){0,3}[a-z][\w-]*)\s+"
    r"(?P<name>[A-Z][\w'’&.-]*(?:\s+(?:[A-Z0-9][\w'’&.-]*|&))*)$"
)


def appositive(subject: str, prompt: str) -> tuple[str, str]:
    """(name, what it is) when ``subject`` is a description followed by a name: "new app Tidy" →
    ("Tidy", "our new app") when the prompt says "our new app Tidy"; else (``subject``, "")."""
    m = _APPOSITIVE.match(subject.strip())
    if not m or any(w.lower() in _NOT_A_NOUN for w in m.group("kind").split()):
        return subject, ""
    kind = m.group("kind")
    owner = re.search(r"\b(our|my|their|his|her|the)\s+" + re.escape(kind) + r"\s+" + re.escape(m.group("name")),
                      prompt, re.I)  # fmt: skip
    return m.group("name"), (f"{owner.group(1).lower()} {kind}" if owner else kind)


_SELF_EN = re.compile(r"\bwe(?:['’]re|\s+are)\s+(?:a|an)\s+(?P<d>[^,.;:!?]+)", re.I)
_SELF_ZH = re.compile(r"我们是(?P<m>一[家个所支间])(?P<d>[\u4e00-\u9fffA-Za-z0-9]{2,16})")


def self_description(text: str, zh: bool) -> tuple[str, str, str, str] | None:
    """How the maker describes itself: (subject, place, possessive, the words as written).
    "we're a small design studio in Lisbon" → ("small design studio", "Lisbon", "our", …);
    "我们是一家杭州的创业公司" → ("杭州的创业公司", "杭州", "我们这家", …)."""
    m = (_SELF_ZH if zh else _SELF_EN).search(text)
    if not m:
        return None
    desc = pt.tidy(m.group("d"))
    if zh:
        place = re.match(r"^([\u4e00-\u9fff]{2,3})的", desc)
        return desc, place.group(1) if place else "", "我们这" + m.group("m")[1:], m.group(0)
    pm = re.search(r"\s+(?:in|from|based\s+in)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)$", desc)
    subject = desc[: pm.start()] if pm else desc
    if len(subject.split()) > 6:
        return None
    return subject, pm.group(1) if pm else "", "our", m.group(0)


_REL_EN = re.compile(
    r"^(?:(?:who|that)\s+|(?=(?:loves|enjoys|likes|adores)\s))(?P<rest>(?:still\s+|really\s+|just\s+|always\s+)*[a-z][\w'-]*\b.*)$",
    re.I,
)
_REL_ZH = re.compile(
    r"^(?:她|他|TA|ta)(?P<rest>(?:很|最|特别|一直|总是|也)?(?:喜欢|爱|热爱|最爱|迷上了?|在|是|会|刚|要|正在|即将).+)$"
)
_LOVES_EN = re.compile(
    r"^(?:still\s+|really\s+|just\s+|always\s+)*(?:loves|enjoys|likes|adores)\s+(?P<things>.+)$", re.I
)
_LOVES_ZH = re.compile(r"^(?:很|最|特别|一直|也)?(?:喜欢|爱|热爱|最爱)(?P<things>.+)$")


def relative_clause(point: str, zh: bool) -> tuple[str, str] | None:
    """A line that only describes the person it follows: (what it says, the things they love, if
    that is what it says). "who loves fishing and jazz" → ("loves fishing and jazz", "fishing and
    jazz"); "她喜欢养花和旅行" → ("喜欢养花和旅行", "养花和旅行")."""
    m = (_REL_ZH if zh else _REL_EN).match(point.strip())
    if not m:
        return None
    rest = pt.tidy(m.group("rest")).rstrip("。.!！")
    loves = (_LOVES_ZH if zh else _LOVES_EN).match(rest)
    return rest, pt.tidy(loves.group("things")) if loves else ""


_TURNING = re.compile(r"(?:,\s*)?\b(?:turning|turns|who\s+turns|who\s+is\s+turning)\s+(\d{1,3})\b", re.I)


_ZH_DIGITS = {c: k for k, c in enumerate("零一二三四五六七八九")}
_AGE_ZH = re.compile(
    r"(\d{1,3}|[一二三四五六七八九十百]{1,4})\s*(?:周岁|岁)(?:生日|大寿)?|(\d{1,3}|[一二三四五六七八九十百]{1,4})大寿"
)


def zh_number(text: str) -> int:
    """A whole number written in digits or in Chinese up to 199 ("九十" → 90, "一百零五" → 105), or 0."""
    if text.isdigit():
        return int(text)
    total, unit = 0, 0
    for c in text:
        if c in _ZH_DIGITS:
            unit = _ZH_DIGITS[c]
        elif c == "十":
            total, unit = total + (unit or 1) * 10, 0
        elif c == "百":
            total, unit = total + (unit or 1) * 100, 0
    return total + unit


def age_zh(text: str) -> int:
    """The age a Chinese birthday is for: "80岁生日" → 80, "九十大寿" → 90, else 0."""
    m = _AGE_ZH.search(text)
    return zh_number(m.group(1) or m.group(2)) if m else 0


def turning_age(text: str) -> tuple[int, str]:
    """(the age a birthday is for, ``text`` without it): "who loves baking, turning 90" → (90, "who loves baking")."""
    m = _TURNING.search(text)
    if not m:
        return 0, text
    return int(m.group(1)), pt.tidy(text[: m.start()] + " " + text[m.end() :]).strip(" ,")


@cache
def _sales(zh: bool) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in pt.data("instructions")["sale"]["zh" if zh else "en"])


def sale_phrase(text: str, zh: bool) -> str:
    """The sale a prompt is for, as written ("Summer sale", "Black Friday", "中秋节促销"), or ""."""
    for p in _sales(zh):
        m = p.search(text)
        if m:
            return pt.tidy(m.group(0))
    return ""


_SIGN_UP = re.compile(r"报名|试听|体验课|预约|\b(?:sign\s+up|enrol+|register|book\s+(?:now|a|your))\b", re.I)

#: words that make a line an offer ("free for the first 3 months", "限时八折")
OFFER = re.compile(
    r"\bfree\b|\d+\s*%\s*off\b|\bhalf[\s-]price\b|\b\d-for-\d\b|\bdiscount|免费|[一二三四五六七八九\d]折|"
    r"买[一二三\d]送[一二三\d]|包邮|半价|优惠",
    re.I,
)

_SINCE = re.compile(
    r"\bsince\s+(?:19|20)\d\d\b|\b(?:founded|established|est\.?|opened)\s+(?:in\s+)?(?:19|20)\d\d\b|(?:成立|创立|创办)于",
    re.I,
)


#: "teaching kids how to wash their hands", "showing new staff how to use the till": who watches, and the how-to
_HOW_TO_FOR = re.compile(
    r"\b(?:teach(?:es|ing)?|show(?:s|ing)?|help(?:s|ing)?|tell(?:s|ing)?)\s+(?P<who>(?:[\w'’-]+\s+){1,3}?)"
    r"how\s+to\s+(?P<what>[^,.:;!?()]+)",
    re.I,
)


def reframe(out: dict[str, Any], text: str, zh: bool, sale: str) -> None:
    """The frame read from the prompt's grammar (the readers above): a name after
    its description, the maker's own description, a sale, lines about a person, a founding year."""
    kinds.hiring(out, text, zh)  # "Join our team: we're hiring baristas" is a job ad
    kinds.labelled_subject(out, zh)
    kinds.course_zh(out, text, zh)
    kinds.invitation_zh(out, text, zh)
    _offers(out, zh)
    lines = [*out.get("points", ()), *out.get("actions", ())]
    if out["purpose"] == "lesson" and (
        out.get("address") or (out.get("when") and any(OFFER.search(p) or _SIGN_UP.search(p) for p in lines))
    ):  # a class with a street address to come to, or a time and an offer ("首节课免费"), is an ad for it
        out["purpose"] = "ad"
        if zh and out.get("subject") and f"{out['subject']}课" in text:
            out["subject"] += "课"  # "周末瑜伽课" keeps the 课 the lesson was named by
    if (
        zh
        and out["purpose"] in ("story", "lesson")
        and re.search(r"(?:课程|课|班|训练营|夏令营|冬令营|工作坊)$", out.get("subject", ""))
        and (
            out.get("when") or any(pt.PRICE.search(x) or OFFER.search(x) or _SIGN_UP.search(x) for x in lines)
        )
    ):  # a class offered with its times, price or sign-up ("书法班周六上午上课，学费每月300元") is an ad
        out["purpose"] = "ad"
    purpose, subject = out["purpose"], out.get("subject", "")
    points = [p for p in out.get("points", ()) if p]
    if not zh:  # "and opened a new office" → "opened a new office"
        points = [re.sub(r"^(?:and|but|plus|also)\s+", "", p, flags=re.I) for p in points]
    else:  # "并赠送10元优惠券" → "赠送10元优惠券"
        points = [re.sub(r"^(?:并且|并|而且|另外|同时)(?=..)", "", p) for p in points]
    taught = (
        _HOW_TO_FOR.search(text)
        if not zh
        and (
            purpose in ("story", "lesson", "explainer")
            or (
                purpose == "ad"
                and not sale
                and not re.search(r"\b(?:ads?|advert\w*|promos?|commercial)\b", text, re.I)
            )
        )
        else None
    )
    if taught:  # "teaching kids how to wash their hands": the kids watch; the video is how to wash yours
        out["purpose"] = purpose = "explainer" if purpose in ("story", "ad") else purpose
        what = re.sub(r"\b(?:their|his|her)\b", "your", pt.tidy(taught.group("what")))
        what = re.sub(r"\b(?:themselves|himself|herself)\b", "yourself", what)
        out["subject"] = subject = "how to " + what
        who = pt.strip_articles(re.sub(r"^(?:our|my|your)\s+", "", taught.group("who").strip()))
        out["audience"] = out.get("audience") or who
    if (
        not zh
        and subject
        and not subject.startswith("how to ")
        and re.search(r"\bhow\s+to\s+" + re.escape(subject) + r"\b", text, re.I)
    ):  # "a video for kids about how to brush your teeth": the how-to is the subject
        out["subject"] = subject = "how to " + subject
    if not zh and re.match(r"(?:teaching|explaining|showing|covering)\s+\w", subject):
        out["subject"] = subject = subject.split(None, 1)[
            1
        ]  # "teaching photosynthesis" is about photosynthesis
    if not zh and subject and purpose not in ("lesson", "explainer"):
        name, kind = appositive(subject, text)  # "new app Tidy" is Tidy, a new app
        out["subject"], out["kind"] = name, kind
        if purpose == "greeting" and kind:
            out["kind"] = re.sub(r"^(?:my|our|their|his|her|the)\s+", "", kind)  # the relation: "dad"
    if zh and re.match(r"我们(?:正在|正|在|要|想|刚|已经?|招|是|有)", subject):
        said = next(
            (c for c in re.split(r"[，,。：:；;！!]", text) if c.startswith("我们") and subject[-2:] in c), ""
        )
        if said and not any(said in p or p in said for p in points):
            points.insert(0, said)  # "我们正在招聘产品经理" says what we do; it names nothing
        out["subject"] = subject = ""
    described = self_description(text, zh)
    if described and purpose != "greeting":
        desc, place, owner, words = described
        now = out.get("subject", "")
        generic = bool(re.fullmatch(r"[a-z]+", now))  # "a welcome video for new hires: we're a …"
        if not now or now in words or "我们是" in now or now == out.get("place") or generic:
            out["subject"], out["owner"] = desc, owner
            out["place"] = out.get("place") or place
            low = words.lower()
            points = [
                p for p in points if not (low in p.lower() and pt.size(p, zh) <= pt.size(words, zh) + 2)
            ]
    if (
        purpose == "story"
        and (out.get("address") or out.get("when"))
        and any(OFFER.search(p) for p in points)
    ):
        out["purpose"] = purpose = "ad"  # a time, a place and an offer ("first week free") make an ad
    sale = sale or (kinds.named_sale(out, zh) if purpose == "ad" else "")
    if sale and purpose == "ad":
        out["sale"] = sale
        now = out.get("subject", "")
        rest = pt.strip_articles(
            pt.tidy(re.sub(r"^(?:at|from|for|in)\s+", "", now.replace(sale, " ").strip(), flags=re.I))
        )
        if not zh and (sale in now or (now and now in sale)):  # "Spring" of "Spring clearance sale"
            out["subject"] = rest = "" if now in sale else rest
        if rest and out.get("address") == rest:
            out["address"] = ""  # the shop the sale is at is the subject, not a second place
        if not out.get("subject") and out.get("address") and not re.search(r"\d", out["address"]):
            out["subject"], out["address"] = out["address"], ""  # "Boxing Day sale at Harper Books"
    if zh and purpose != "greeting":
        points = _named_zh(out, text, points)
    slogan = out.get("slogan", "")
    if (
        slogan
        and slogan == out.get("subject")
        and pt.size(slogan, zh) <= 5
        and not re.search(r"[.!?。！？]", slogan)
    ):
        out["slogan"] = ""  # a quoted name ('我们的新APP"记账喵"') names the video; it is no slogan
    items = list(out.get("items", ()))
    venue = [i.text for i in items if _VENUE.search(i.text)] if not out.get("address") else []
    if venue:  # "Riverside Community Hall" is where it is, not one of the things listed
        out["address"], items = venue[0], [i for i in items if i.text != venue[0]]
        points = [p for p in points if p != venue[0]]
    founded = [i.text for i in items if _SINCE.search(i.text)]
    if founded:  # "family-run since 1987" says what the subject is; it is not one of its products
        points = [*founded, *points]
        items = [i for i in items if i.text not in founded]
    if any(re.search(r"\b(?:from|over|under|above|only|just|at)$", i.text) for i in items if i.value):
        # "roses from $9, free delivery over $50" are offers said as written, not a price list
        points += [as_written(i.text, i.value, pt.restore(text)) for i in items]
        items = []
    if purpose == "recruiting" and zh:
        points = _roles_zh(out, points, items)
        items = list(out.get("items", ())) if len(items) < 2 else items
    if purpose == "recruiting":  # "line cooks and servers, flexible hours": the hours are no role
        perk = re.compile(pt.data("instructions")["perks"]["zh" if zh else "en"], re.I)
        points += [i.text for i in items if perk.search(i.text) and not any(i.text in p for p in points)]
        items = [i for i in items if not perk.search(i.text)]
    if len(items) == 1:
        points.append(items[0].text)
    out["items"] = tuple(items) if len(items) >= 2 else ()
    out["list_kind"] = out.get("list_kind", "") if out["items"] else ""
    actions = []
    for a in out.get("actions", ()):  # "book a safety induction, lockers are free": one ask, one fact
        parts = [x.strip() for x in a.split(",") if x.strip()] if not zh and " " in a else [a]
        actions += [x for x in parts if pt.ACTION.search(x) or x is parts[0]]
        points += [x for x in parts if not (pt.ACTION.search(x) or x is parts[0])]
    out["actions"] = tuple(actions)
    _traits(out, points, text, zh)
    kinds.opening(out, text, zh)


#: a line that adds to the offer before it ("plus a free bell", "and a free tote")
_ADDS_EN = re.compile(r"^(?:plus|and(?:\s+also)?|also|with)\s+", re.I)


def _offers(out: dict[str, Any], zh: bool) -> None:
    """ "20% off all helmets, plus a free bell" is one offer, said in one line: an offer read as the
    subject is no name, and a line that adds to an offer ("plus a free bell") is said with it."""
    points, subject = list(out.get("points", ())), out.get("subject", "")
    if not zh and subject and OFFER.search(subject) and re.search(r"\d|\bfree\b", subject, re.I):
        points, out["subject"] = [subject, *points], ""
        out["purpose"] = "ad" if out["purpose"] == "story" else out["purpose"]
    merged: list[str] = []
    for p in points:
        if not zh and merged and _ADDS_EN.match(p) and OFFER.search(p) and OFFER.search(merged[-1]):
            merged[-1] = f"{merged[-1]}, {p}"
        else:
            merged.append(p)
    out["points"] = tuple(merged)


def _traits(out: dict[str, Any], points: list[str], text: str, zh: bool) -> None:
    """Relative clauses about a person ("my dad Robert, who loves fishing and jazz"): in a greeting
    they are what the card says of its recipient; elsewhere they are said of the subject by name."""
    greeting = out["purpose"] == "greeting"
    who = out.get("recipient") or out.get("subject", "")
    tail = (
        re.search(f"(?i:{re.escape(who)})" + r",?\s+((?:who|that)\s+[^,.;:!?]+)", text)
        if greeting and who
        else None
    )
    if tail and not any(tail.group(1) in p for p in points):  # "our volunteers who cleaned up the beach"
        points = [*points, tail.group(1)]
    traits: list[str] = []
    loves: list[str] = []
    kept: list[str] = []
    lines = points
    if zh:  # "她喜欢养花和旅行" may have been read as a list: the clause is read as written
        lines = points + [c for c in re.split(r"[，,。；;！!]", text) if relative_clause(c, zh)]
    if zh and out.get("occasion") == "birthday" and age_zh(text):
        out["age"] = age_zh(text)
    for p in lines:
        who = re.escape(out.get("recipient") or "她")  # "妈妈今年60岁": the age is all it says
        if (
            zh
            and out.get("age")
            and not re.sub(rf"{who}|[他她您你满了就将要]|今年|即将", "", _AGE_ZH.sub("", p))
        ):
            continue  # "她今年六十岁" is the greeting's age, said by its age line
        age, p = turning_age(p) if not zh else (0, p)
        if age and out.get("occasion") == "birthday":
            out["age"] = age
            day = re.sub(r"^(?:(?:he|she|they|who|and)\s+)*(?:on\s+)?", "", p, flags=re.I).lower()
            bare = re.sub(
                r"\b(?:this|next)\s+(?:year|week|month)\b|\b(?:soon|today|tomorrow)\b", "", day
            ).strip(" ,")
            if not p or not bare or day in {w.lower() for w in out.get("when", ())}:
                continue  # "she turns 95 on June 5": the day is the greeting's, said by its day line
        rc = relative_clause(p, zh)
        if not rc:
            kept.append(p)
            continue
        if not greeting and out.get("subject"):
            kept.append(f"{out['subject']} {rc[0]}")
        elif greeting and rc[0] not in traits:
            traits.append(rc[0])
            loves += [rc[1]] if rc[1] else []
    if zh and traits:  # the pieces a list was split into are gone with the clause
        gone = "".join(traits)
        kept = [p for p in kept if p not in gone and not any(p in t for t in traits)]
        items = [
            i for i in out.get("items", ()) if i.text not in gone and not any(i.text in t for t in traits)
        ]
        out["items"] = tuple(items) if len(items) >= 2 else ()
        out["list_kind"] = out.get("list_kind", "") if out["items"] else ""
    out["points"], out["traits"], out["loves"] = tuple(dict.fromkeys(kept)), tuple(traits), tuple(loves)


_ROLE_ZH = (
    r"(?:(?!招)[A-Za-z\u4e00-\u9fff]){0,8}?(?:工程师|设计师|架构师|分析师|师|员|经理|专员|主管|总监|实习生|店长|骑手|顾问|"
    r"助理|老师|司机|客服|运营|编辑|文案|会计|出纳|前台|开发|主播|教练|保安|保洁|收银)"
)
_ROLES_ZH = re.compile(
    rf"^(?P<co>.*?)\s*(?:招聘|诚聘|招)?(?P<roles>{_ROLE_ZH}(?:[和、及与]{_ROLE_ZH})*)"
    r"(?P<n>\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:名|位|个|人))?$"
)


def _roles_zh(out: dict[str, Any], points: list[str], items: list[Any]) -> list[str]:
    """A job ad names its roles as roles: "蓝海科技招聘前端工程师" is 蓝海科技 hiring a 前端工程师,
    never a 前端工程师 to join; the company is the subject only when the prompt names one."""
    if re.fullmatch(r"(?:我们的?)?(?:公司|团队|企业)", out.get("subject", "")):
        out["subject"] = ""  # "为我们公司做招聘视频": we are hiring; no company is named
    m = _ROLES_ZH.match(out.get("subject", ""))
    if not m:
        return points
    company = re.sub(r"^(?:我们|我们的)?(?:公司|团队|企业)?$", "", m.group("co").strip())
    if re.match(r"我们的?(?=.)", company):  # "我们的健身房": ours, named by what it is
        out["owner"], company = "我们的", re.sub(r"^我们的?", "", company)
    out["subject"] = company
    roles = [r for r in re.split(r"[和、及与]", m.group("roles")) if r]
    if len(roles) >= 2 and not items:
        out["items"], out["list_kind"] = tuple(Item(text=r) for r in roles), "items"
    elif not any(r in p for r in roles for p in points):
        points.insert(0, f"我们在招{m.group('roles')}{(m.group('n') or '').strip()}")
    return points


_VENUE = re.compile(r"^(?:[A-Z][\w'’&-]*\s+)+(?:Hall|Centre|Center|Park|Library|Museum|Church|Gallery|Theatre|Theater|"
                    r"Stadium|Arena|Square|Market|Gardens|Pavilion|Auditorium|Hotel|Club)$")  # fmt: skip


def _named_zh(out: dict[str, Any], text: str, points: list[str]) -> list[str]:
    """ "我们的新款保温杯“暖暖”": the quoted name is the subject, the words before it say what it is."""
    m = re.search(r"((?:我们的|我的)(?:新款|全新|新)?[\u4e00-\u9fff]{1,6}?|(?:新款|全新)[\u4e00-\u9fff]{1,6}?)\s*"
                  r"[“\"「]([^”\"」]{1,8})[”\"」]", text)  # fmt: skip
    subject = out.get("subject", "")
    heads = re.split(r"[:：]", text)
    head = heads[1] if len(heads) > 1 and is_label(heads[0], True) else heads[0]  # "新品上市：…"
    if (
        not m
        or (subject and subject in m.group(0) and subject != m.group(2))
        or (subject and subject not in head)
    ):
        return points
    out["subject"], out["kind"] = m.group(2), m.group(1)
    if out.get("slogan") == m.group(2):
        out["slogan"] = ""
    return [p for p in points if not (m.group(2) in p and m.group(1)[-2:] in p)]
