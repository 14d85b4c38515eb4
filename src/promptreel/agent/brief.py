"""The brief: a prompt read into **settings** (how to make the video) and **content** (what it says).

Instructions — length, aspect, platform, tone, audience, "no music", "include the line …", "with a
chart" — become settings and are removed from the text before anything is read as content, so
they are never spoken or shown. Content is kept as the user wrote it: quoted lines, names,
places, dates, prices, figures, lists, the occasion and the user's own script.

The phrase lists live in ``agent/data/*.toml``; this module holds only the mechanism. The
optional LLM planner fills the same :class:`Brief` schema (it is a pydantic model).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from promptreel.agent import asks, frame, kinds
from promptreel.agent import lexicon as lx
from promptreel.agent import patterns as pt
from promptreel.agent.clauses import Figure, Item
from promptreel.agent.content import read_content
from promptreel.agent.greeting import greeting_content
from promptreel.agent.lengths import cut_length
from promptreel.agent.patterns import data
from promptreel.errors import InvalidRequest

__all__ = ["Brief", "Item", "Figure", "read_brief", "data", "PURPOSES"]

PURPOSES = (
    "ad", "recruiting", "menu", "lesson", "explainer", "greeting", "invitation", "announcement",
    "teaser", "update", "story",
)  # fmt: skip


class Brief(BaseModel):
    """What the user asked for. Settings first, then content (verbatim where the user gave it)."""

    model_config = ConfigDict(frozen=True)
    prompt: str
    lang: str = "en"
    # settings — never spoken or shown
    target_ms: int = asks.DEFAULT_MS
    width: int = 1920
    height: int = 1080
    mood: str = "upbeat"
    music_style: str = "upbeat"
    music: bool = True
    narration: bool = True
    captions: bool = True
    loop: bool = False
    voice: str = ""
    speed: float = 1.0
    audience: str = ""
    chart: str = ""  # "" (not asked) | "bar" | "line" | "pie" | "any"
    purpose: str = "story"
    # content
    subject: str = ""
    kind: str = ""  # what the named subject is, as the prompt says it: "our new app" (Tidy)
    owner: str = ""  # said before a subject the maker described itself as: "our", "我们这家"
    sale: str = ""  # the sale an ad is for, as written: "Summer sale", "中秋节促销"
    opening: str = ""  # the opening it announces, as written: "开业", "grand opening"
    traits: tuple[str, ...] = ()  # what the prompt says of the person a greeting is for: "loves jazz"
    loves: tuple[str, ...] = ()  # the things they love, from those lines: "fishing and jazz"
    age: int = 0  # the birthday's age ("turning 90")
    place: str = ""
    when: tuple[str, ...] = ()
    address: str = ""
    occasion: str = ""
    recipient: str = ""
    recipient_group: str = ""
    sender: str = ""  # who a greeting is from: "Sharma & Associates", 落款
    slogan: str = ""
    quotes: tuple[str, ...] = ()
    user_script: str = ""
    items: tuple[Item, ...] = ()
    list_kind: str = ""  # "" | "items" | "steps" | "menu"
    count: int = 0
    noun: str = ""  # what is counted: "kinds of household waste"
    count_word: str = ""  # the Chinese measure word it is counted with: 类, 种, 步, 个
    figures: tuple[Figure, ...] = ()
    series_name: str = ""  # what the figures measure: "visitors"
    compare: tuple[Item, ...] = ()  # two sides: ("Before", "streaky, grimy glass"), ("After", …)
    countdown: str = ""  # "5 days"
    imagery: tuple[str, ...] = ()  # pictures the user asked for ("snowflakes", "雪花")
    stats: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    media_hints: tuple[str, ...] = ()

    @property
    def genre(self) -> str:
        """The older genre names some readers still use (promo, teaser, explainer, greeting, update, story)."""
        return {"ad": "promo", "recruiting": "promo", "menu": "promo", "lesson": "explainer",
                "invitation": "promo", "announcement": "update"}.get(self.purpose, self.purpose)  # fmt: skip

    def content_texts(self) -> list[str]:
        """Every piece of content the video must carry (for the faithfulness check)."""
        out = [self.slogan, *self.quotes, *self.stats, *self.points, *self.actions, self.address, self.sale]
        out += list(self.traits)
        out += [i.text for i in self.items] + [i.value for i in self.items] + list(self.when)
        return [t for t in out if t]


def _purpose(text: str, genre: str) -> tuple[str, str, str]:
    """(purpose, text without the words that named it)."""
    for key in data("instructions")["purpose_words"]:
        compiled = pt.patterns("purpose_words", key)
        found = next((m for p in compiled for m in [p.search(text)] if m), None)
        if found:
            for p in compiled:  # "我们正在招聘…" says what we do: the words stay in that sentence
                text = p.sub(
                    lambda m: m.group(0) if re.search(r"(?:正在|正|在)$", m.string[: m.start()]) else " ",
                    text,
                )
            return key, text, found.group(0).strip()
    fallback = {"promo": "ad", "greeting": "greeting", "update": "update", "explainer": "explainer",
                "teaser": "teaser"}  # fmt: skip
    return fallback.get(genre, "story"), text, ""


def _occasion(text: str) -> str:
    low = text.lower()
    best: tuple[int, int, str] | None = None
    found: set[str] = set()
    for key, spec in data("occasions").items():
        if key == "recipients":
            continue
        for w in spec["words"]:
            pos = asks.has_word(low, w.lower())
            if pos >= 0 and _MODIFIES.match(low, pos + len(w)):
                continue  # "wedding bouquets", "birthday cakes": what is sold, not what is celebrated
            if pos >= 0 and (best is None or (pos, -len(w)) < best[:2]):
                best = (pos, -len(w), key)
            if pos >= 0:
                found.add(key)
    chosen, last = (best[2] if best else ""), ""
    while chosen:  # an occasion said with a more general one is the one celebrated (``over``)
        found.discard(chosen)
        last = chosen
        chosen = next((k for k in found if last in data("occasions")[k].get("over", ())), "")
    return last


_MODIFIES = re.compile(
    r"\s+(?!(?:sales?|part(?:y|ies)|wish(?:es)?|greetings?|cards?|celebrations?|dinners?|messages?|videos?|"
    r"specials?|offers?|events?|gifts?|surprises?|e-?cards?|reels?|clips?|posts?|shout-?outs?|blessings?)\b)"
    r"[a-z]+(?<!s)s\b"
)


@cache
def _occasion_words_zh() -> str:
    """The Chinese names of every occasion, longest first ("父亲节快乐" ends the recipient "爸爸")."""
    words = {
        w for k, v in data("occasions").items() if k != "recipients" for w in v["words"] if lx.has_cjk(w)
    }
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: a title said before a name, part of it: "Mrs. Lee", "Dr Patel"
_TITLE = r"(?:(?:Mrs|Mr|Ms|Dr|Miss|Prof)[." + pt.KEEP_DOT + r"]?\s+)?"


def _recipient(text: str, zh: bool) -> tuple[str, str]:
    """(who, group): "for my sister Anna" → ("Anna", "family"); "送给客户" → ("客户", "customers")."""
    groups = data("occasions")["recipients"]
    if zh:
        m = re.search(
            r"(?:送给|献给|发给|给|致|祝)(?:我的|我们的|亲爱的|全体|各位|所有|我)?([\u4e00-\u9fffA-Za-z]{1,8}?)(?=的|[，,。！!]|$|生日|中秋|新年|春节|做|制作|生成|拍|送|发|准备|录|"
            r"[一二三四五六七八九十百\d]+(?:大寿|岁|周岁)|节日快乐|" + _occasion_words_zh() + ")",
            text,
        )
        who = m.group(1) if m else kinds.leading_relation(text)  # "爷爷80岁生日": named first
    else:
        m = re.search(r"\b(?:for|to)\s+(?:my|our|all\s+our|all|the)?\s*((?:(?:dear|little|big|lovely|amazing|wonderful|best)\s+)?"
                      r"[a-z]+(?:\s+" + _TITLE + r"[A-Z][\w'-]+)?|" + _TITLE + r"[A-Z][\w'-]+(?:\s+(?:and|&)\s+[A-Z][\w'-]+)?)",
                      text)  # fmt: skip
        whose = re.search(r"^(?:(?:a|an|the)\s+)?(?:(?:my|our)\s+)?([A-Za-z]+)['’]s\s+(?:\d{1,3}(?:st|nd|rd|th)\s+)?"
                          r"(?:birthday|anniversary|retirement|graduation|wedding)\b", text, re.I)  # fmt: skip
        who = m.group(1) if m else whose.group(1) if whose else ""  # "Grandma's 90th birthday video"
        said_to = re.search(
            r"[,，]\s*(" + _TITLE + r"[A-Z][\w'-]+(?:\s+(?:and|&)\s+[A-Z][\w'-]+)?)\s*[.!]*$", text
        )
        if not re.search(r"[A-Z]", who) and said_to:
            who = said_to.group(1)  # "Congratulations on your wedding, Anna and Ben": said to them
    group = ""
    best = 0
    for key, spec in groups.items():  # the longest word that names the relation decides (女朋友 over 朋友)
        for w in spec["words"]:
            if (w in who.lower().split() or (zh and w in who)) and len(w) > best:
                group, best = key, len(w)
                who = kinds.wish_cut(who, w) if zh else who  # "员工阖家团圆": the wish is no name
    if not zh:
        name = re.search(r"\b(" + _TITLE + r"[A-Z][\w'-]+(?:\s+(?:and|&)\s+[A-Z][\w'-]+)?)$", who)
        if name and name.group(1).lower() not in {"christmas", "diwali", "eid"}:
            return name.group(1), group
        called = who.lower().split()[-1:]  # "to dad": what a card calls him
        if group and called and called[0] in groups[group].get("en", {}).get("address", ()):
            return called[0].capitalize(), group
        return ("", group) if group else ("", "")
    if group == "team" and (whole := re.search(r"(?:全体|各位)" + re.escape(who), text) if who else None):
        who = whole.group(0)  # "全体员工，中秋快乐！": the whole team, as the prompt says it
    return who if (who and (group or len(who) <= 4)) else "", group


class _Reader:
    def __init__(self, prompt: str) -> None:
        self.prompt = prompt
        self.zh = lx.has_cjk(prompt)
        self.quotes: list[str] = []
        self.out: dict[str, Any] = {}

    def lift_quotes(self, text: str) -> str:
        def hole(m: re.Match[str]) -> str:
            self.quotes.append(next(g for g in m.groups() if g).strip())
            return f" ⟦{len(self.quotes) - 1}⟧ "

        return pt.QUOTE.sub(hole, text)

    def user_script(self, text: str) -> str:
        m = re.search(r"(?:\b(?:my\s+|our\s+|this\s+|the\s+following\s+)?(?:script|narration|voice-?over\s+text|"
                      r"copy|text)\s*(?:is|reads)?\s*[:：]|(?:旁白|脚本|文案|台词|解说词)(?:是|如下)?[:：])\s*(.+)$",
                      text, flags=re.I | re.S)  # fmt: skip
        if m and pt.size(pt.fill(m.group(1), self.quotes), self.zh) >= (8 if self.zh else 6):
            self.out["user_script"] = pt.tidy(pt.fill(m.group(1), self.quotes))
            return text[: m.start()]
        for i, q in enumerate(self.quotes):
            if pt.size(q, self.zh) >= (16 if self.zh else 12) and len(pt.split_sentences(q)) >= 1:
                self.out["user_script"] = q
                return text.replace(f"⟦{i}⟧", " ")
        return text

    def flags(self, text: str) -> str:
        for key in ("no_music", "no_narration", "no_captions", "loop", "chart", "menu", "steps"):
            # a mid-sentence ask ("… for Kyoto with a chart of visitors: …") leaves a clause break
            text, found = pt.take(pt.patterns("flags", key), text, " , " if key == "chart" else " ")
            if found:
                self.out[key] = found
        return text


def _settings(text: str, purpose: str, flags: dict[str, Any]) -> dict[str, Any]:
    canvas = asks.parse_canvas(text)
    genre = {"ad": "promo", "recruiting": "promo", "menu": "promo", "lesson": "explainer"}.get(
        purpose, purpose
    )
    mood = asks.parse_mood(text, genre=genre)
    chart = ""
    if "chart" in flags:
        kinds = [m.groupdict().get("kind") or "" for m in flags["chart"]]
        kind = next((k for k in kinds if k), "")
        chart = {"柱状": "bar", "折线": "line", "饼": "pie", "column": "bar"}.get(kind, kind.lower()) or "any"
    return {
        "target_ms": asks.target_ms(text), "width": canvas.width, "height": canvas.height, "mood": mood,
        "music_style": asks.parse_music_style(text, mood), "music": "no_music" not in flags,
        "narration": ("no_narration" not in flags and purpose != "menu") or bool(
            re.search(r"\b(?:with|add)\s+(?:a\s+)?(?:voice[\s-]?over|narration)|(?<!不)(?<!不要)(?:带|加|配上|要有)(?:旁白|配音)", text, re.I)),
        "captions": "no_captions" not in flags, "loop": "loop" in flags, "voice": asks.parse_voice(text),
        "speed": asks.parse_speed(text, mood), "chart": chart, "media_hints": asks.media_hints(text),
    }  # fmt: skip


def _audience(text: str) -> str:
    """Who the video is for ("for kids", "给小学生"); an offer to a group ("学生享8折",
    "老人半价") is content of an ad, not its audience."""
    m = re.search(r"\b(?:for|aimed\s+at|targeting|suitable\s+for)\s+(?:our\s+|the\s+)?(kids|children|(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth)[\s-]graders?|(?:high|middle)[\s-]school(?:\s+\w+)?|primary[\s-]school"
                  r"(?:\s+\w+)?|elementary[\s-]school(?:\s+\w+)?|students|pupils|beginners|teens|teenagers|seniors|parents|"
                  r"families|new\s+hires|employees|investors|developers)\b|(小学生|中学生|初中生|高中生|小朋友|孩子|儿童|学生|新手|"
                  r"老人|家长|新员工|员工|投资人)(?![享价证凭优折半免专党卡])", text, re.I)  # fmt: skip
    return (m.group(1) or m.group(2) or "") if m else ""


_NOW_ON_SALE = re.compile(
    r"\b(?:(?:now|today)\s+(?:available|on\s+sale|in\s+stores?)|available\s+(?:now|today)|on\s+sale\s+now|"
    r"out\s+now|in\s+stores\s+now|(?:buy|order|shop)\s+(?:it\s+)?now)\b|"
    r"现已(?:上市|开售|发售|上线|到店)|已(?:经)?(?:上市|开售|发售)|正式开售|现货|立即(?:购买|下单)|马上抢购",
    re.I,
)
_NOT_YET = re.compile(r"\bcoming\s+soon\b|\bpre-?orders?\b|即将|敬请期待|预售|预约", re.I)


def _on_sale(text: str) -> bool:
    """Whether a launch is for sale now: it gives a price, or says it is available ("现已上市",
    "available now"), and nothing says it is still to come (a coming-soon word, a date)."""
    dated = [m.group(0) for m in (*pt.DATE_EN.finditer(text), *pt.DATE_ZH.finditer(text))]
    later = any(
        not re.match(r"today|今天|今日", d, re.I) for d in dated
    )  # "available March 1": still to come
    return (
        bool(pt.PRICE.search(text) or _NOW_ON_SALE.search(text)) and not _NOT_YET.search(text) and not later
    )


def read_brief(prompt: str) -> Brief:
    """Read ``prompt`` into a :class:`Brief`. Pure and deterministic."""
    text = " ".join(prompt.replace("{", "(").replace("}", ")").split())
    if not text:
        raise InvalidRequest(
            'The prompt is empty: describe the video you want, e.g. "a 30-second promo for a coffee brand".'
        )
    r = _Reader(text)
    zh = r.zh
    # the video's length is an instruction: out first (a length in the content stays)
    work = pt.protect(cut_length(r.lift_quotes(text)))
    work = r.user_script(work)
    work, labelled, label = kinds.strip_label(r.flags(work), zh)  # "School notice:" says what it is for
    purpose, work, phrase = _purpose(work, asks.parse_genre(text))
    purpose, phrase = (labelled, label) if labelled and not phrase else (purpose, phrase)
    if not phrase and purpose in ("ad", "story") and re.match(r"\s*how\s+to\s", text, re.I):
        purpose = "explainer"  # "How to use the new Budget tab: tap Budget, …" teaches it
    if purpose == "teaser" and not phrase and _on_sale(text):
        purpose = "ad"  # a launch with its price, or on sale now, is no teaser
    if "menu" in r.out and purpose in ("ad", "story"):
        purpose = "menu"
    occasion = _occasion(text)
    sale = frame.sale_phrase(text, zh)
    if sale and purpose in ("story", "greeting"):
        purpose = "ad"  # "a Christmas sale" is an ad, not a greeting
    who, unaimed = frame.audience(work, zh)
    member = bool(who) and bool(re.search(re.escape(who) + r"\s+of\s+(?:our|my|the)\b", work))
    if (
        # "a promo for kids' cooking workshops" is an ad for them, not a lesson
        (purpose in ("story", "explainer") or (purpose == "ad" and not phrase))
        and (_audience(text) or who)
        and not member  # "for new students of our music school" is about the school, not a lesson
        and re.search(
            r"\b(?:kids|children|pupils|students|school|\d+[\s-]year[\s-]olds?)\b|小学生|小朋友|孩子|儿童|学生|[讲教]",
            text,
            re.I,
        )
    ):
        purpose = "lesson"
    if (
        occasion
        and not sale
        and (purpose == "story" or (purpose == "ad" and not phrase))  # "an ad for Bloom Florist" says it
        and not re.search(  # not "sales"; "买一送一" is an offer too
            r"\b(?:sale|discounts?|offers?|deals?)\b|促销|优惠|折|买[一二三\d]送[一二三\d]|满\d+减|半价|特价",
            text,
            re.I,
        )
    ):
        purpose = "greeting"
    out: dict[str, Any] = {
        "prompt": text,
        "lang": "zh" if zh else "en",
        "purpose": purpose,
        "occasion": occasion,
        "label": label,  # read by the frame, not kept
    }
    out.update(_settings(text, purpose, r.out))
    out["audience"] = (who if purpose not in ("greeting", "invitation") else "") or _audience(text)
    if purpose in ("greeting", "invitation"):
        out["recipient"], out["recipient_group"] = _recipient(pt.fill(work, r.quotes), zh)
        sender = (
            re.search(
                r"(?:落款|署名|来自)[:：]?\s*([^，,。；;]+)|([^，,。；;！!]{2,16}?)(?:敬上|谨上|敬贺|同贺|携全体员工)[。！!]?$",
                text,
            )
            if zh
            else re.search(r"\bfrom\s+((?:[A-Z][\w&.'’-]*|&)(?:\s+(?:[A-Z][\w&.'’-]*|&|and|of))*)", text)
        )
        if sender:
            out["sender"] = pt.tidy(sender.group(1) or sender.group(2) or "")
    if purpose not in ("greeting", "invitation"):
        work = unaimed  # "for 10-year-olds" is who it is for, never what it is about
    # instructions out; what remains is content
    for lang in ("zh", "en") if zh else ("en",):
        work = pt.take(pt.patterns("strip", lang), work)[0]
    if "user_script" in r.out:
        out["user_script"] = r.out["user_script"]
    # quoted lines: a short one is the slogan/headline, all are kept verbatim
    quotes = [q for q in r.quotes if q != out.get("user_script")]
    out["quotes"] = tuple(quotes)
    if quotes:
        out["slogan"] = min(quotes, key=lambda q: (pt.size(q, zh) > (14 if zh else 8), -len(q)))
    out.update(
        read_content(work, r.quotes, zh=zh, purpose=purpose, chart=out["chart"], steps="steps" in r.out)
    )
    if purpose == "greeting":
        greeting_content(out, zh)
    if (
        out["purpose"] in ("ad", "announcement")
        and not zh
        and who
        and re.search(r"\bfor\s+" + re.escape(who), text)
    ):
        # an ad for a camp "for kids ages 8-12" says who may come: a fact, said once
        said = re.sub(
            r"(\d+)\s*[-–]\s*(\d+)[\s-]years?[\s-]olds?\b", r"ages \1 to \2", who
        )  # "8-12-year-olds"
        said = "For " + re.sub(r"(\d+)\s*[-–]\s*(\d+)", r"\1 to \2", said)
        out["points"] = (*out.get("points", ()), said)
    frame.reframe(out, text, zh, sale)
    said = out.get("subject", "")
    if (
        purpose in ("update", "announcement")
        and phrase
        and (
            not said
            or pt.DAYS.fullmatch(said)
            or (zh and len(said) <= 2)
            or _is_clause(said, out, zh)
            or (purpose == "update" and said not in re.split(r"[:：]", text)[0])  # met only in the news
            or (
                purpose == "update"
                and re.search(r"\bfor\s+(?:the\s+|our\s+|all\s+)?" + re.escape(said) + r"\b", text)
            )
        )  # "update for the team": who it is for
    ):
        named = pt.strip_articles(phrase)  # "weekly team update", "销售周报"
        out["subject"] = named[:1].lower() + named[1:] if named[1:2].islower() else named
        if zh and said and f"{said}{named}" in text:
            out["subject"] = f"{said}{named}"  # "开学通知"
        if said and _is_clause(said, out, zh) and said not in out["points"] and said.lower() != named.lower():
            out["points"] = (said, *out.get("points", ()))  # "we hit 2,000 customers" is news, not a name
    out["points"] = kinds.with_causes(tuple(out.get("points", ())), zh)
    _said_by_close(out, zh)
    return Brief(**{k: pt.restore(v) for k, v in out.items()})


def _said_by_close(out: dict[str, Any], zh: bool) -> None:
    """A line the video's own close says ("敬请期待", "coming soon" in a teaser) is said there, once."""
    if out.get("actions") or out.get("quotes") or out.get("user_script"):
        return  # the close is the user's own then: their line stays
    spec = data("purposes").get(out["purpose"]) or {}
    close = re.sub(r"\{\w+\}|[\W_]+", "", str(spec.get("zh" if zh else "en", {}).get("close", "")).lower())
    keys = {p: re.sub(r"[\W_]+", "", p.lower()) for p in out.get("points", ())}
    out["points"] = tuple(p for p, k in keys.items() if not (close and k and k in close))


def _is_clause(subject: str, out: dict[str, Any], zh: bool) -> bool:
    """Whether a subject read from the first line is a statement ("we hit 2,000 customers",
    "本周上线了新版本") rather than a name."""
    if zh:
        return subject in out.get("points", ()) or bool(
            re.search(r"了|(?:^|本|这)(?:周|月)|^(?:由于|因为|为了|如果)", subject)
        )
    return bool(re.match(r"(?:we|i|our\s+team|they|it)\b", subject, re.I)) or len(subject.split()) > 6
