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
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from promptreel.agent import asks
from promptreel.agent import lexicon as lx
from promptreel.errors import InvalidRequest

__all__ = ["Brief", "Item", "Figure", "read_brief", "data", "PURPOSES"]

PURPOSES = (
    "ad", "recruiting", "menu", "lesson", "explainer", "greeting", "invitation", "announcement",
    "teaser", "update", "story",
)  # fmt: skip


class Item(BaseModel):
    """One listed thing, as written ("latte", "$4.50"; "recyclable waste")."""

    model_config = ConfigDict(frozen=True)
    text: str = Field(max_length=200)
    value: str = Field(default="", max_length=120)


class Figure(BaseModel):
    """One number of a series ("2019" → 4.5, unit "M"), kept as written in ``text``."""

    model_config = ConfigDict(frozen=True)
    label: str = Field(max_length=60)
    value: float
    unit: str = Field(default="", max_length=12)
    text: str = Field(default="", max_length=80)


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
        out = [self.slogan, *self.quotes, *self.stats, *self.points, *self.actions, self.address]
        out += [i.text for i in self.items] + [i.value for i in self.items] + list(self.when)
        return [t for t in out if t]


@cache
def data(name: str) -> dict[str, Any]:
    """A knowledge file from ``agent/data`` (``instructions``, ``purposes``, ``occasions``)."""
    raw = resources.files("promptreel.agent").joinpath("data", f"{name}.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


@cache
def _patterns(section: str, key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in data("instructions")[section].get(key, ()))


# ── small text tools ───────────────────────────────────────────────────────────────────────

_QUOTE = re.compile(
    r"[\"“](.+?)[\"”]|「(.+?)」|『(.+?)』|《(.+?)》|(?<![\w])'([^']{2,}?)'(?![\w])|‘(.+?)’", re.S
)
_HOLE = re.compile(r"⟦(\d+)⟧")
_PRICE = re.compile(
    r"(?:[$€£¥￥]\s?\d[\d,]*(?:\.\d{1,2})?|(?<![\d.])\d{1,4}\.\d{2}\b|\d[\d,]*(?:\.\d{1,2})?\s?(?:元|块|€|euros?|dollars?|usd|rmb|eur|gbp|kr))",
    re.I,
)
_URL = re.compile(r"\b(?:https?://)?(?:[\w-]+\.)+(?:com|org|net|io|co|dev|app|ai|cn|de|pt|uk|fr|es|it|nl|jp|"
                  r"example|shop|store|edu|gov|info|me|tv)(?:/[\w./?=&%-]*)?\b|\b[\w.+-]+@[\w-]+\.[\w.]+\b",
                  re.I)  # fmt: skip
_DATE_EN = re.compile(
    r"\b(?:(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:,?\s+\d{1,2}(?:st|nd|rd|th)?(?:\s+[A-Z][a-z]+)?)?|"
    r"(?:next|this)\s+(?:week(?:end)?|month|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|tomorrow|tonight|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+\d{4})?|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2})\b"
    r"(?:\s*(?:-|–|to|until|through|thru)\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
    r"\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:am|pm|:)))?"
    r"(?:,?\s*(?:at|from)?\s*\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?)?",
    re.I,
)
_TIME_EN = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm))?\b", re.I
)
_DATE_ZH = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:[（(]?(?:周|星期)[一二三四五六日天][)）]?)?(?:(?:上午|下午|晚上|早上|中午)?\d{1,2}[点:：]\d{0,2}分?)?|"
    r"(?:下|这|本)?(?:周|星期|礼拜)[一二三四五六日天](?:(?:上午|下午|晚上|早上|中午)\d{1,2}点(?:半|\d{1,2}分)?)?|"
    r"(?:今天|明天|后天|今晚|明晚)(?:(?:上午|下午|晚上)?\d{1,2}点(?:半)?)?|(?:上午|下午|晚上|早上)\d{1,2}[点:：]\d{0,2}"
)
_ADDRESS_EN = re.compile(
    r"\b(?:at\s+)?(\d{1,5}\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,4}(?:\s+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Way|"
    r"Square|Sq|Boulevard|Blvd|Rua|Platz|Strasse|Straße))?\.?(?:,\s*[A-Z][\w-]+)?)"
)
_ADDRESS_ZH = re.compile(r"(?:地址|地点|在)[:：]?\s*([\u4e00-\u9fff0-9A-Za-z]{2,24}?(?:路|街|道|号|广场|中心|大厦|酒店|公园|"
                         r"礼堂|体育馆|会议室|餐厅|店|馆|楼|室|厅|园|场)(?:[\u4e00-\u9fff0-9]{0,8}?号)?)")  # fmt: skip
_SERIES = re.compile(
    r"(?P<label>(?:19|20)\d\d|Q[1-4](?:[\s']?(?:19|20)\d\d(?=\s+\d))?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|week\s?\d+|第?[一二三四1-4]季度|\d{1,2}月|(?-i:[A-Z][A-Za-z0-9-]{1,15})(?!\s*[:=：]?\s*(?:19|20)\d\d\b))"
    r"(?:(?<=\d{4})年?[\u4e00-\u9fff]{0,4})?\s*(?:[:=：]|-|–|was|is|had|hit|at)?\s*(?P<cur>[$€£¥￥])?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|[kKmMbB]\b|万|亿|人|个)?",
    re.I,
)
_STAT = re.compile(r"(?P<num>[$€£¥￥]?\d[\d,]*(?:\.\d+)?\s*(?:%|％|percent|x|[kKmMbB]\b|万|亿|倍)?)", re.I)
_DIRECTION = re.compile(r"\b(?:up|down|grew|rose|increased|fell|dropped|decreased|declined|jumped|doubled|cut|hit|"
                        r"reached|passed|crossed|topped|surpassed|over|million|thousand|billion)\b|"
                        r"增长|上涨|提升|提高|上升|下降|减少|下滑|翻倍|突破|达到|超过|破|万|亿", re.I)  # fmt: skip
_ACTION = re.compile(
    r"^(?:please\s+)?(?:visit|apply|book|order|sign\s+up|register|call|join\s+us|download|follow|shop|try|scan|"
    r"come\s+(?:by|visit|and)|find\s+us|get\s+(?:yours|it|tickets)|reserve|rsvp|subscribe|contact|email|dm|grab)\b|"
    r"^(?:欢迎|立即|马上|快来|扫码|点击|报名|预约|下单|关注|访问|拨打|联系)",
    re.I,
)
_LIST_SPLIT_EN = re.compile(r"\s*(?:,|;|\s\+\s|\band\b|\bplus\b|\bthen\b|\bor\b)\s*", re.I)
_LIST_SPLIT_ZH = re.compile(r"\s*(?:、|，|,|；|;|和|以及|及|与|还有|然后|再)\s*")
_NUM_WORDS = lx.COUNT_WORDS
_LABEL_ONLY = re.compile(
    r"(?:地址|地点|时间|日期|电话|when|where|address|date|time|venue|location|phone)[:：]?", re.I
)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’$€£¥%.-]+", text)


def _size(text: str, zh: bool) -> int:
    return (
        len(re.findall(r"[\u4e00-\u9fff]", text)) + len(re.findall(r"[A-Za-z0-9]+", text))
        if zh
        else len(_words(text))
    )


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?，。；：！？、])", r"\1", text)
    text = re.sub(r"([,;:，；：、])(?:\s*[,;:，；：、])+", r"\1", text)
    text = re.sub(r"\(\s*\)|（\s*）", "", text)
    return text.strip(" ,;:-–—，；：、")


def _fill(text: str, quotes: list[str]) -> str:
    return _HOLE.sub(lambda m: quotes[int(m.group(1))], text)


def _strip_articles(text: str) -> str:
    return re.sub(r"^(?:(?:a|an|the|our|my|your|their|this|some|all)\s+)+", "", text.strip(), flags=re.I)


# ── reading ───────────────────────────────────────────────────────────────────────────────


def _take(pats: tuple[re.Pattern[str], ...], text: str, gap: str = " ") -> tuple[str, list[re.Match[str]]]:
    found: list[re.Match[str]] = []
    for p in pats:
        found.extend(p.finditer(text))
        text = p.sub(gap, text)
    return text, found


def _purpose(text: str, genre: str) -> tuple[str, str, str]:
    """(purpose, text without the words that named it)."""
    for key in data("instructions")["purpose_words"]:
        compiled = _patterns("purpose_words", key)
        found = next((m for p in compiled for m in [p.search(text)] if m), None)
        if found:
            return key, _take(compiled, text)[0], found.group(0).strip()
    fallback = {"promo": "ad", "greeting": "greeting", "update": "update", "explainer": "explainer",
                "teaser": "teaser"}  # fmt: skip
    return fallback.get(genre, "story"), text, ""


def _occasion(text: str) -> str:
    low = text.lower()
    best: tuple[int, int, str] | None = None
    for key, spec in data("occasions").items():
        if key == "recipients":
            continue
        for w in spec["words"]:
            pos = asks.has_word(low, w.lower())
            if pos >= 0 and (best is None or (pos, -len(w)) < best[:2]):
                best = (pos, -len(w), key)
    return best[2] if best else ""


def _recipient(text: str, zh: bool) -> tuple[str, str]:
    """(who, group): "for my sister Anna" → ("Anna", "family"); "送给客户" → ("客户", "customers")."""
    groups = data("occasions")["recipients"]
    if zh:
        m = re.search(
            r"(?:送给|献给|发给|给|致|祝)(?:我的|我们的|亲爱的|全体|各位|所有|我)?([\u4e00-\u9fffA-Za-z]{1,8}?)(?=的|[，,。！!]|$|生日|中秋|新年|春节|做|制作|生成|拍|送|发|准备|录)",
            text,
        )
        who = m.group(1) if m else ""
    else:
        m = re.search(r"\b(?:for|to)\s+(?:my|our|all\s+our|all|the)?\s*((?:(?:dear|little|big|lovely|amazing|wonderful|best)\s+)?"
                      r"[a-z]+(?:\s+[A-Z][\w'-]+)?|[A-Z][\w'-]+(?:\s+(?:and|&)\s+[A-Z][\w'-]+)?)", text)  # fmt: skip
        who = m.group(1) if m else ""
    group = ""
    best = 0
    for key, spec in groups.items():  # the longest word that names the relation decides (女朋友 over 朋友)
        for w in spec["words"]:
            if (w in who.lower().split() or (zh and w in who)) and len(w) > best:
                group, best = key, len(w)
    if not zh:
        name = re.search(r"\b([A-Z][\w'-]+(?:\s+(?:and|&)\s+[A-Z][\w'-]+)?)$", who)
        if name and name.group(1).lower() not in {"christmas", "diwali", "eid"}:
            return name.group(1), group
        return ("", group) if group else ("", "")
    return who if (who and (group or len(who) <= 4)) else "", group


_ABBREV = re.compile(r"\b(St|Dr|Mr|Mrs|Ms|Jr|Sr|No|Inc|Co|Ltd|vs|Mt|Ave|Rd|approx|e\.g|i\.e)\.", re.I)
_KEEP_DOT, _KEEP_COMMA = "\ue001", "\ue000"


def _protect(text: str) -> str:
    """Dots of abbreviations and commas of thousands ("St.", "$1,629") are not clause breaks."""
    text = _ABBREV.sub(lambda m: m.group(1) + _KEEP_DOT, text)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", _KEEP_COMMA, text)


def _restore(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(_KEEP_DOT, ".").replace(_KEEP_COMMA, ",")
    if isinstance(value, tuple | list):
        return type(value)(_restore(v) for v in value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: _restore(v) for k, v in value.__dict__.items()})
    return value


def _split_sentences(text: str) -> list[str]:
    parts = re.split(r"[.!?]+(?=\s|$)\s*|[。！？\n]+|;\s*|；", text)
    return [p.strip() for p in parts if p and p.strip(" ,，")]


def _items(clause: str, zh: bool, quotes: Sequence[str] = ()) -> list[str]:
    parts = [_directive(_tidy(p), zh, []) for p in (_LIST_SPLIT_ZH if zh else _LIST_SPLIT_EN).split(clause)]
    parts = [p for p in parts if p not in quotes]
    return [p for p in parts if p and not re.fullmatch(r"(?:etc|等等?|and so on)", p, flags=re.I)]


def _share_head(items: list[str], zh: bool, context: str = "") -> list[str]:
    """The four kinds of waste: "recyclable, kitchen, hazardous and other waste" → each item gets
    the shared noun, when the subject names it."""
    if zh or len(items) < 3:
        return items
    last = items[-1].split()
    if len(last) < 2 or any(len(i.split()) > 1 for i in items[:-1]):
        return items
    head = last[-1]
    if not re.search(r"\b" + re.escape(head.rstrip("s")) + r"s?\b", context, re.I):
        return items
    return [f"{i} {head}" for i in items[:-1]] + [items[-1]]


def _object_items(sentence: str, zh: bool) -> list[str]:
    """Listed objects inside a sentence: "We are hiring engineers, designers and a product lead"."""
    items = _items(sentence, zh)
    if len(items) < 2:
        return []
    lead = re.split(r"\b(?:are|is|hiring|offer|offers|serve|serves|sell|sells|have|has|need|needs|include|"
                    r"includes|including|like|such as|with|featuring|from|for|love|loves|make|makes|bring|"
                    r"brings|do|does|provide|provides|cover|covers|feature|features|sell)\b|[:：]|(?:招聘|招|有|包括|提供|推出|需要)", items[0])[-1]  # fmt: skip
    items[0] = lead.strip()
    items = [_strip_articles(i) for i in items]
    ok = [i for i in items if i and _size(i, zh) <= (10 if zh else 5)]
    return ok if len(ok) == len(items) else []


def _en_clauses(sentence: str) -> list[str]:
    """Comma parts that are each a statement of their own; a run of short names stays one list."""
    parts = [p.strip() for p in sentence.split(",") if p.strip()]
    listing = bool(_object_items(sentence, False))  # "We're looking for lab technicians, data scientists …"
    if (
        len(parts) >= 2
        and not listing
        and any(_size(p, False) > 5 for p in parts)
        and not _PRICE.search(sentence)
    ):
        return parts
    return [sentence]


def _series(clause: str) -> list[Figure]:
    out: list[Figure] = []
    for m in _SERIES.finditer(clause):
        label = m.group("label")
        if label.lower() in _NUM_WORDS or label.lower() in {"the", "and", "with", "from", "to", "in"}:
            continue
        unit = (
            (m.group("unit") or "").upper()
            if (m.group("unit") or "") in "kmbKMB"
            else (m.group("unit") or "")
        )
        unit = (m.group("cur") or "") + unit if m.group("cur") else unit
        out.append(Figure(label=label, value=float(m.group("num").replace(",", "")), unit=unit,
                          text=m.group(0).strip()))  # fmt: skip
    return out if len(out) >= 2 else []


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

        return _QUOTE.sub(hole, text)

    def user_script(self, text: str) -> str:
        m = re.search(r"(?:\b(?:my\s+|our\s+|this\s+|the\s+following\s+)?(?:script|narration|voice-?over\s+text|"
                      r"copy|text)\s*(?:is|reads)?\s*[:：]|(?:旁白|脚本|文案|台词|解说词)(?:是|如下)?[:：])\s*(.+)$",
                      text, flags=re.I | re.S)  # fmt: skip
        if m and _size(_fill(m.group(1), self.quotes), self.zh) >= (8 if self.zh else 6):
            self.out["user_script"] = _tidy(_fill(m.group(1), self.quotes))
            return text[: m.start()]
        for i, q in enumerate(self.quotes):
            if _size(q, self.zh) >= (16 if self.zh else 12) and len(_split_sentences(q)) >= 1:
                self.out["user_script"] = q
                return text.replace(f"⟦{i}⟧", " ")
        return text

    def flags(self, text: str) -> str:
        for key in ("no_music", "no_narration", "no_captions", "loop", "chart", "menu", "steps"):
            # a mid-sentence ask ("… for Kyoto with a chart of visitors: …") leaves a clause break
            text, found = _take(_patterns("flags", key), text, " , " if key == "chart" else " ")
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
    m = re.search(r"\b(?:for|aimed\s+at|targeting|suitable\s+for)\s+(?:our\s+|the\s+)?(kids|children|(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth)[\s-]graders?|(?:high|middle)[\s-]school(?:\s+\w+)?|primary[\s-]school"
                  r"(?:\s+\w+)?|elementary[\s-]school(?:\s+\w+)?|students|pupils|beginners|teens|teenagers|seniors|parents|"
                  r"families|new\s+hires|employees|investors|developers)\b|(小学生|中学生|初中生|高中生|小朋友|孩子|儿童|学生|新手|"
                  r"老人|家长|新员工|员工|投资人)", text, re.I)  # fmt: skip
    return (m.group(1) or m.group(2) or "") if m else ""


def _subject_en(head: str) -> tuple[str, str]:
    """(subject, place) from the request's first clause, instructions already removed."""
    text = _tidy(head)
    m = re.search(r"\b(?:for|about|on|of|introducing|promoting|featuring|showcasing|celebrating|announcing|"
                  r"explaining|to)\s+(.+)$", text, flags=re.I)  # fmt: skip
    subject = m.group(1) if m else text
    subject = re.split(r"\s*(?:[,:]|\bwith\b|\bthat\b|\bwhich\b|\bwho\b)\s*", subject, maxsplit=1)[0]
    subject = _DATE_EN.sub(" ", subject)
    subject = re.sub(r"\s+(?:on|at|this|next)\s*$", "", subject.strip())
    place = ""
    pm = re.search(r"\b(?:in|at|from)\s+((?:[A-Z][\w'-]+|⟦\d+⟧)(?:\s+(?:[A-Z][\w'-]+))*)\s*$", subject)
    if pm:
        place, subject = pm.group(1), subject[: pm.start()]
    subject = _strip_articles(_tidy(subject))
    subject = re.sub(r"^(?:(?:for|about|on|of)\s+)+", "", subject, flags=re.I)
    subject = re.sub(r"(?:\s+(?:in|on|at|for|to|of|with|and|by|from))+$", "", subject, flags=re.I)
    subject = _strip_articles(subject)
    if subject.lower() in lx.STOPWORDS or not re.search(r"\w", subject):
        subject = ""
    return subject, place


_ZH_SUBJECT = (
    re.compile(r"(?:为|给|帮)(?:一家|一个|一款|一位|我们的|我们|我的|我|)([\u4e00-\u9fffA-Za-z0-9 ]{2,16}?)(?:做|制作|生成|拍|宣传|推广|招聘|写)"),
    re.compile(r"(?:介绍|展示|宣传|推广|讲解|讲讲|讲|科普|关于|庆祝|宣布)(?:一下)?(?:我们的|我们|我的|一款|一个|一家|)([\u4e00-\u9fffA-Za-z0-9 ]{2,16}?)(?:的|[，,。:：]|$)"),
    re.compile(r"^([\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)的(?:宣传|广告|推广|预告|介绍|招聘|菜单|公告|通知|发布)"),
    re.compile(r"(?:我们的|我们|我的)([\u4e00-\u9fff]{2,6}?)(?=\d|[，,。：:]|开业|上线|推出|发布|正式|即将|将|在|是|$)"),
)  # fmt: skip


def _subject_zh(head: str) -> tuple[str, str]:
    for pat in _ZH_SUBJECT:
        m = pat.search(head)
        if m:
            s = re.sub(r"^(?:一[家个款位部支]|这[个款家]|新款|新的)", "", m.group(1).strip())
            place = ""
            pm = re.match(r"^((?:北京|上海|广州|深圳|杭州|成都|重庆|南京|武汉|西安|苏州|天津|长沙|厦门|青岛|香港|台北|东京|巴黎|伦敦|纽约)(?:市)?)(.+)$", s)  # fmt: skip
            if pm:
                place, s = pm.group(1), pm.group(2)
            s = re.sub(r"的$", "", s)
            if s and s not in ("视频", "短片"):
                return s, place
    text = re.sub(r"的$", "", re.sub(r"[，,。:：].*$", "", head).strip())
    return (text if 2 <= len(text) <= 12 else ""), ""


def read_brief(prompt: str) -> Brief:
    """Read ``prompt`` into a :class:`Brief`. Pure and deterministic."""
    text = " ".join(prompt.replace("{", "(").replace("}", ")").split())
    if not text:
        raise InvalidRequest(
            'The prompt is empty: describe the video you want, e.g. "a 30-second promo for a coffee brand".'
        )
    r = _Reader(text)
    zh = r.zh
    work = _protect(r.lift_quotes(text))
    work = r.user_script(work)
    work = r.flags(work)
    purpose, work, phrase = _purpose(work, asks.parse_genre(text))
    if "menu" in r.out and purpose in ("ad", "story"):
        purpose = "menu"
    occasion = _occasion(text)
    if (
        purpose in ("story", "ad", "explainer")
        and _audience(text)
        and re.search(
            r"\b(?:kids|children|pupils|students|school)\b|小学生|小朋友|孩子|儿童|学生|[讲教]", text, re.I
        )
    ):
        purpose = "lesson"
    if (
        occasion
        and purpose in ("story", "ad")
        and not re.search(r"\b(?:sale|discount|offer|deal)s?\b|促销|优惠|折", text, re.I)
    ):
        purpose = "greeting"
    out: dict[str, Any] = {
        "prompt": text,
        "lang": "zh" if zh else "en",
        "purpose": purpose,
        "occasion": occasion,
    }
    out.update(_settings(text, purpose, r.out))
    out["audience"] = _audience(text)
    if purpose in ("greeting", "invitation"):
        out["recipient"], out["recipient_group"] = _recipient(_fill(work, r.quotes), zh)
        sender = (
            re.search(r"(?:落款|署名|来自)[:：]?\s*([^，,。；;]+)", text)
            if zh
            else re.search(r"\bfrom\s+((?:[A-Z][\w&.'’-]*|&)(?:\s+(?:[A-Z][\w&.'’-]*|&|and|of))*)", text)
        )
        if sender:
            out["sender"] = _tidy(sender.group(1))
    # instructions out; what remains is content
    for lang in ("zh", "en") if zh else ("en",):
        work = _take(_patterns("strip", lang), work)[0]
    if "user_script" in r.out:
        out["user_script"] = r.out["user_script"]
    # quoted lines: a short one is the slogan/headline, all are kept verbatim
    quotes = [q for q in r.quotes if q != out.get("user_script")]
    out["quotes"] = tuple(quotes)
    if quotes:
        out["slogan"] = min(quotes, key=lambda q: (_size(q, zh) > (14 if zh else 8), -len(q)))
    _content(work, r.quotes, zh, purpose, out, steps="steps" in r.out)
    if purpose == "greeting":
        _greeting_content(out, zh)
    if (
        purpose in ("update", "announcement")
        and phrase
        and (not out.get("subject") or _DAYS.fullmatch(out["subject"]))
    ):
        out["subject"] = _strip_articles(phrase)  # "weekly team update", "销售周报"
    return Brief(**{k: _restore(v) for k, v in out.items()})


def _greeting_content(out: dict[str, Any], zh: bool) -> None:
    """In a greeting, things listed without a sentence ("diyas, rangoli, sweets") are its imagery, and
    the line naming who it is for is already the greeting's."""
    items = out.get("items", ())
    if not zh and out.get("list_kind") == "items" and items and all(_size(i.text, zh) <= 2 for i in items):
        out["imagery"] = (*out.get("imagery", ()), *(i.text for i in items))
        out["items"], out["list_kind"] = (), ""
    who = [w for w in (out.get("recipient"), out.get("sender")) if w]
    out["points"] = tuple(
        p for p in out.get("points", ()) if not any(w in p and _size(p, zh) <= _size(w, zh) + 3 for w in who)
    )


_IMAGERY_ASK = re.compile(r"^(?:要有|要出现|需要有|希望有|画面要有|画面里要有|配上|配)|^(?:with|show|add)\s+(?:some\s+)?"
                          r"(?:pictures?|images?|illustrations?)\s+of\b", re.I)  # fmt: skip
_IMG = "\ue002"  # marks content asked for as a picture ("要有雪花")


def _directive(clause: str, zh: bool, quotes: list[str]) -> str:
    """A clause spoken to the maker is dropped, keeping only the content it carries."""
    for p in _patterns("directive", "zh" if zh else "en"):
        m = p.search(clause)
        if m:
            obj = _tidy(m.groupdict().get("obj") or "")
            if obj and _IMAGERY_ASK.search(clause):
                return _IMG + obj
            if obj and obj != clause:
                obj = _directive(obj, zh, quotes)  # "一定要放这句话" → "这句话" → nothing
            obj = re.sub(r"^(?:我们的|我们|我的)$", "", obj)
            return "" if obj in quotes else obj
    return clause


def _content(
    work: str, quotes: list[str], zh: bool, purpose: str, out: dict[str, Any], *, steps: bool
) -> None:
    """Fill the content fields from the instruction-free text (quotes still as ⟦n⟧ holes)."""
    work = re.sub(r"\s*(?:->|=>|→)\s*", ": ", work)
    work = re.sub(r"\s+[—–-]{1,2}\s+|——", "; " if not zh else "；", work)
    sentences = _split_sentences(work)
    head = sentences[0] if sentences else ""
    colon = re.search(r"(?<!\d)[:：](?!\d)", head)
    tail_first = ""
    if colon:
        head, tail_first = head[: colon.start()], head[colon.end() :]
    head = _directive(_tidy(head), zh, quotes) if _directive(_tidy(head), zh, quotes) != _tidy(head) else head
    clean = _tidy(head)
    parts = [p for p in re.split(r"\s*[,，]\s*", clean) if p.strip()]
    if len(parts) > 1:  # the part that names the subject is the head; the others are content
        cue = re.compile(
            r"\b(?:for|about|on|of|introducing|promoting|featuring|showcasing|celebrating)\b", re.I
        )
        k = 0 if zh else next((i for i, p in enumerate(parts) if cue.search(p)), 0)
        if not zh and k == 0 and _size(_strip_articles(parts[0]), zh) == 0:
            k = 1
        head = parts[k]
        sep = "，" if zh else ", "
        others = [p for p in parts[:k] + parts[k + 1 :] if _size(_strip_articles(p), zh)]
        tail_first = sep.join(others) + (sep + tail_first if tail_first else "")
    statement = (
        not zh
        and bool(re.match(r"\s*(?:we|i|they|it|there|you|here)\b", head, re.I))
        and not re.search(r"\b(?:for|about|on|of|introducing|promoting|featuring|celebrating)\b", head, re.I)
        and _size(head, zh) >= 3
    )
    if statement:  # "We just hit 1 million downloads" is content, not the request's frame
        tail_first = head + ("," + tail_first if tail_first else "")
        head = ""
    if zh:
        clauses = re.split(r"[，,：:；;]", " ".join(sentences))
        subject, place = _subject_zh(
            "，".join(c for c in (_directive(_tidy(x), zh, quotes) for x in clauses) if c)
        )
    else:
        subject, place = _subject_en(head)
    named = _HOLE.search(head)
    if named and _size(quotes[int(named.group(1))], zh) <= 5:
        subject = quotes[int(named.group(1))]  # 'our bakery "Crumbs"' → the name is the subject
    subject = _fill(subject, quotes)
    if re.fullmatch(r"⟦\d+⟧", subject.strip()):
        subject = _fill(subject, quotes)
    cm = re.match(
        r"^(?:the\s+)?(\d{1,2}|" + "|".join(_NUM_WORDS) + r")\s+([a-z][\w-]*\b.*)$", subject, flags=re.I
    )
    first_sentence = re.split(r"(?<!\d)[:：](?!\d)", sentences[0])[0] if sentences else ""
    zcm = (
        re.search(r"([二两三四五六七八九十\d]+)(种|类|步|条|大类|大(?=[\u4e00-\u9fff]))", first_sentence)
        if zh
        else None
    )
    if cm:
        n = int(cm.group(1)) if cm.group(1).isdigit() else (lx.word_number(cm.group(1).lower()) or 0)
        out["count"], out["noun"] = n, cm.group(2)
    elif zcm:
        n2 = int(zcm.group(1)) if zcm.group(1).isdigit() else (lx.zh_number(zcm.group(1)) or 0)
        out["count"], out["noun"] = n2, subject
        out["count_word"] = {"大类": "类", "大": "个"}.get(zcm.group(2), zcm.group(2))
    if zh and not subject:  # "…小课：太阳系的八大行星，水星、金星…" — the first short line names it
        first = next((c for c in re.split(r"[，,：:]", tail_first) if c.strip() and "、" not in c), "")
        lead = _directive(_tidy(first), zh, quotes)
        if 2 <= len(lead) <= 12 and not lead.startswith(_IMG):
            subject = lead
            tail_first = tail_first.replace(first, " ", 1)
            zc = re.search(r"([二两三四五六七八九十\d]+)(种|类|步|条|大类|大(?=[\u4e00-\u9fff]))", subject)
            if zc and not out.get("count"):
                out["count"] = int(zc.group(1)) if zc.group(1).isdigit() else (lx.zh_number(zc.group(1)) or 0)
                out["count_word"] = {"大类": "类", "大": "个"}.get(zc.group(2), zc.group(2))
            if out.get("count"):
                out["noun"] = subject
    out["subject"] = subject
    out["place"] = _fill(place, quotes)
    rest = [s for s in ([tail_first] if tail_first.strip(" ,，") else []) + sentences[1:]]
    if zh:  # Chinese runs clauses together with commas: read each on its own unless it is a list
        rest = [c for s in rest for c in re.split(r"[，,]|(?<!\d)[:：](?!\d)", s) if c.strip()]
    else:  # a short comma-separated run of names after the subject reads as separate facts
        rest = [c for s in rest for c in _en_clauses(s)]
    items: list[Item] = []
    points: list[str] = []
    stats: list[str] = []
    actions: list[str] = []
    when: list[str] = []
    address = ""
    full = _fill(" ".join(sentences), quotes)
    for m in (_DATE_ZH if zh else _DATE_EN).finditer(full):
        when.append(_tidy(m.group(0)))
    if not when and not zh:
        when += [_tidy(m.group(0)) for m in _TIME_EN.finditer(full)]
    am = (_ADDRESS_ZH if zh else _ADDRESS_EN).search(full)
    if am:
        address = _tidy(am.group(1))
    vm = (
        None
        if zh
        else re.search(
            r"\bat\s+((?:[A-Z0-9][\w&'.-]*)(?:\s+(?:[A-Z0-9&][\w&'.-]*|de|da|do|la|le|of))*)", full
        )
    )
    if vm and vm.group(1) not in address and not re.fullmatch(r"\d+(?:am|pm)?", vm.group(1), re.I):
        address = f"{vm.group(1)}, {address}" if address else vm.group(1)
    list_kind = "menu" if purpose == "menu" else ""
    body = _fill(" , ".join(rest), quotes)
    for span in [*when, address]:
        body = body.replace(span, " ") if span else body
    figures = _series(body)
    if figures:
        first = body.find(figures[0].text)
        pieces = [x for x in re.split(r"[,，;；:：]", body[:first]) if x.strip()]
        lead = pieces[-1] if pieces else ""
        name = _strip_articles(_tidy(re.sub(r"(?:19|20)\d\d年?$", "", lead)))
        if name and _size(name, zh) <= (8 if zh else 5):
            out["series_name"] = name
            body = (
                body[: body.rfind(lead, 0, first)] + " , " + body[first:]
            )  # the name is the chart's, not a line
        for f in figures:
            body = body.replace(f.text, " ")
        rest = [c for c in re.split(r"\s*,\s*,\s*", body)]
    priced = [c for c in rest if len(_PRICE.findall(c)) == 1 and _size(c, zh) <= (12 if zh else 6)]
    if len(priced) >= 2:  # "拿铁¥22，美式¥18": one price per clause, read together as a menu
        rest = [c for c in rest if c not in priced] + ["，".join(priced) if zh else ", ".join(priced)]
    for raw in rest:
        kept = [_directive(_tidy(x), zh, quotes) for x in re.split(r"\s*[,，]\s*", _tidy(_fill(raw, quotes)))]
        for x in kept:
            if x.startswith(_IMG):
                out["imagery"] = (*out.get("imagery", ()), *_items(x[1:], zh))
        clause = ("，" if zh else ", ").join(x for x in kept if x and not x.startswith(_IMG))
        if not clause or clause in quotes or _LABEL_ONLY.fullmatch(clause):
            continue
        if any(clause in w for w in when) or (address and clause in address):
            continue
        if clause.startswith(_IMG):
            out["imagery"] = (*out.get("imagery", ()), *_items(clause[1:], zh))
            continue
        for u in _URL.findall(clause):
            actions.append(u)
        parts = _items(clause, zh, quotes)
        if _ACTION.search(clause) and not (
            len(parts) >= 3 and all(_size(p, zh) <= (6 if zh else 3) for p in parts)
        ):
            actions.append(clause)
            continue
        acts = [p for p in parts if _ACTION.search(p)]
        if acts and len(parts) >= 2:  # "Pay from €42,000, free parking, apply at …/careers"
            actions.extend(acts)
            clause = ("，" if zh else ", ").join(p for p in parts if p not in acts)
            parts = [p for p in parts if p not in acts]
        prices = _PRICE.findall(clause)
        priced_parts = sum(1 for x in re.split(r"\s*[,;，；、]\s*", clause) if _PRICE.search(x))
        if (len(prices) >= 1 and (priced_parts >= 2 or purpose == "menu")) or (
            purpose == "menu" and len(re.findall(r"\s\d+(?:\.\d{1,2})?(?=\s*(?:,|$))", clause)) >= 2
        ):
            for part in re.split(r"\s*[,;，；、]\s*", clause):
                pm = _PRICE.search(part) or (
                    re.search(r"(?<=\s)\d+(?:\.\d{1,2})?$", part) if purpose == "menu" else None
                )
                name = _tidy(_PRICE.sub("", part)) if pm else part
                if name:
                    items.append(Item(text=_strip_articles(name), value=pm.group(0).strip() if pm else ""))
            list_kind = "menu"
            continue
        if _STAT.search(clause) and (_DIRECTION.search(clause) or re.search(r"%|％|percent", clause)):
            for part in _items(clause, zh) if not _DIRECTION.search(clause) or "," in clause else [clause]:
                if _STAT.search(part):
                    stats.append(part)
                elif part:
                    points.append(part)
            continue
        parts = _items(clause, zh)
        listed = _object_items(clause, zh)
        if len(parts) >= 2 and listed and listed[0] != parts[0]:
            points.append(clause)  # a sentence that lists things: said as written, shown as a list
            items.extend(Item(text=p) for p in listed)
            continue
        if len(parts) >= 2 and all(_size(p, zh) <= (10 if zh else 5) for p in parts):
            context = f"{out.get('subject', '')} {out.get('noun', '')}"
            items.extend(Item(text=_strip_articles(p)) for p in _share_head(parts, zh, context))
            continue
        if _size(clause, zh) <= (1 if zh else 0):
            continue
        if when and any(clause == w for w in when):
            continue
        points.append(clause)
    if not list_kind and items:
        steps = steps or bool(
            re.search(
                r"\bsteps?\b|\bhow\s+to\b|\bhow\s+\w+(?:\s+\w+)?\s+works?\b|步骤|几步|流程|[一二两三四五六七八九十\d]+步",
                full,
                re.I,
            )
        )
        verbs = set(data("instructions").get("lexicon", {}).get("step_verbs", ()))
        if steps or all(i.text.split()[0].lower() in verbs for i in items if i.text.split()):
            list_kind = "steps"
        else:
            list_kind = "items"
    spans = [x for x in (*when, address) if x]
    if spans:  # a sentence that only gives the time and place is said by the date-and-place card

        def bare(p: str) -> bool:
            rest = re.sub("|".join(re.escape(x) for x in spans), " ", p)
            if rest == p:
                return False
            if zh:
                return (
                    len(
                        re.findall(
                            r"[\u4e00-\u9fff]", re.sub(r"(?:我们|在|于|每|周|的|地址|时间|地点)", "", rest)
                        )
                    )
                    == 0
                )
            words = [w for w in re.findall(r"[a-z']+", rest.lower()) if w not in lx.STOPWORDS]
            return all(w in ("we're", "were", "open", "every", "daily", "find", "us", "join") for w in words)

        points[:] = [p for p in points if not bare(p)]
    _shape(full, zh, out, points, stats, items)
    figures = list(out.get("figures", figures))
    if out.pop("_drop_items", False):
        items = []
    out.update(items=tuple(items[:12]), list_kind=list_kind, points=tuple(points), stats=tuple(stats),
               actions=tuple(dict.fromkeys(actions)), figures=tuple(figures[:12]), when=tuple(dict.fromkeys(when)),
               address=address)  # fmt: skip


_DAYS = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:jan|febr)uary|march|april|may|june|july|august|"
                   r"(?:septem|octo|novem|decem)ber|today|tomorrow|tonight", re.I)  # fmt: skip
_GENERIC = re.compile(
    r"^(?:display|screen|loop|board|video|clip|ad|promo|post|reel|content|something|one|it|this|that)$", re.I
)
_NAME = re.compile(
    r"(?<![\w.])((?:[A-Z][\w'’&.\ue001-]*|&)(?:\s+(?:[A-Z][\w'’&.\ue001-]*|&|of|de|la|the)){0,4}(?<![\s&]))"
)
_COMPARE = (
    re.compile(
        r"\b(?P<a>before)\s*[:：-]\s*(?P<x>[^;.]+?)[;,.]?\s+\b(?P<b>after)\s*[:：-]\s*(?P<y>[^;.]+?)(?:[.;]|$)",
        re.I,
    ),
    re.compile(
        r"(?P<a>旧款|老款|以前|之前|改造前|使用前)(?P<x>[^，,；;。]+)[，,；;]\s*(?P<b>新款|现在|之后|改造后|使用后)(?P<y>[^，,；;。]+)"
    ),
    re.compile(r"(?P<a>[\w ]{2,30}?)\s+(?:vs\.?|versus)\s+(?P<b>[\w ]{2,30})", re.I),
)
_COUNTDOWN = re.compile(r"\b(?:in|only|just)\s+(\d+|\w+)\s+(days?|hours?|weeks?|sleeps?)\b(?:\s+(?:left|to\s+go))?|"
                        r"(?:还有|倒计时|仅剩|只剩)\s*([\d一二两三四五六七八九十]+)\s*(天|小时|周)", re.I)  # fmt: skip


def _shape(
    full: str, zh: bool, out: dict[str, Any], points: list[str], stats: list[str], items: list[Item]
) -> None:
    """Content that spans clauses: a comparison, a countdown, a name for the subject, shares as a chart."""
    for pat in _COMPARE:
        m = pat.search(full)
        if m:
            gd = m.groupdict()
            a, b = (gd["a"], gd["b"])
            x, y = gd.get("x") or "", gd.get("y") or ""
            if not x and not y:  # "A vs B": the two names are the sides
                a, b = _strip_articles(a.split(",")[-1].strip()), _strip_articles(b.strip())
            out["compare"] = (Item(text=_cap(a) if not zh else a, value=_tidy(x)),
                              Item(text=_cap(b) if not zh else b, value=_tidy(y)))  # fmt: skip
            if x or y:  # the sides replace the clauses they were read from
                gone = {_tidy(x), _tidy(y)}
                points[:] = [p for p in points if not any(g and g in p for g in gone)]
                out["_drop_items"] = bool(items) and all(any(i.text in g or g in i.text for g in gone if g)
                                                         or re.match(r"(?i)before|after", i.text) for i in items)  # fmt: skip
            break
    cm = _COUNTDOWN.search(full)
    if cm:
        out["countdown"] = (
            _tidy(cm.group(0).replace("in ", "", 1)) if not zh else f"{cm.group(3)}{cm.group(4)}"
        )
    subject = out.get("subject", "")
    if not subject or _GENERIC.match(subject) or (not zh and len(subject.split()) > 6):
        names = [] if zh else [n.strip() for n in _NAME.findall(" ".join([*points, *stats, full]))]
        names = [
            n
            for n in names
            if n.lower() not in lx.STOPWORDS
            and not re.fullmatch(r"(?:I|We|Our|The|A)", n)
            and not _DAYS.fullmatch(n)
        ]
        out["subject"] = names[0] if names else ("" if _GENERIC.match(subject or "x") else subject)
    if out.get("chart") and not out.get("figures") and len(stats) >= 2:
        figs = []
        for st in stats:
            m = re.search(r"(\d+(?:\.\d+)?)\s*(%|％|percent)", st)
            if m:
                label = _tidy(re.sub(r"(?:占|是|为|达|is|are|at|of)?\s*$", "", st[: m.start()].strip()))
                figs.append(Figure(label=label or st, value=float(m.group(1)), unit="%", text=st))
        if len(figs) >= 2:
            out["figures"] = tuple(figs)
            out["chart"] = (
                "pie"
                if out["chart"] == "any" and abs(sum(f.value for f in figs) - 100) <= 2
                else out["chart"]
            )
            stats[:] = [st for st in stats if not any(f.text == st for f in figs)]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
