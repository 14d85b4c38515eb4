"""The pieces a clause of a prompt breaks into: listed things, a figure series, the subject it
names, and the asks to the maker that carry content ("要有月亮" keeps "月亮")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from promptreel.agent import lexicon as lx
from promptreel.agent import patterns as pt
from promptreel.agent.todo import keeps_verbs

__all__ = [
    "Item", "Figure", "directive", "split_items", "share_head", "object_items", "en_clauses", "series",
    "subject_en", "subject_zh", "only_time_and_place", "zh_count", "FIGURE", "COUNT_EN", "COUNT_ZH",
    "SUBJECT_CUE", "STEPS", "count_phrase", "is_label", "news",
]  # fmt: skip


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


def split_items(clause: str, zh: bool, quotes: Sequence[str] = ()) -> list[str]:
    steps = [
        re.sub(r"^(?:and|then)\s+", "", pt.tidy(p)) for p in re.split(r"\s*(?:[,;]|\bthen\b)\s*", clause)
    ]
    if not zh and keeps_verbs([p for p in steps if p]):
        # things to do keep their verbs and their "and": "whisk eggs and milk, add flour, pour and flip"
        parts = [p for p in steps if p]
    else:
        parts = [
            directive(pt.tidy(p), zh, [])
            for p in (pt.LIST_SPLIT_ZH if zh else pt.LIST_SPLIT_EN).split(clause)
        ]
    parts = [p for p in parts if p not in quotes]
    return [p for p in parts if p and not re.fullmatch(r"(?:etc|等等?|and so on)", p, flags=re.I)]


def share_head(items: list[str], zh: bool, context: str = "") -> list[str]:
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


def object_items(sentence: str, zh: bool) -> list[str]:
    """Listed objects inside a sentence: "We are hiring engineers, designers and a product lead"."""
    items = split_items(sentence, zh)
    if len(items) < 2:
        return []
    lead = re.split(r"\b(?:are|is|hiring|offer|offers|serve|serves|sell|sells|have|has|need|needs|include|"
                    r"includes|including|like|such as|with|featuring|from|for|love|loves|make|makes|bring|"
                    r"brings|do|does|provide|provides|cover|covers|feature|features|sell)\b|[:：]|(?:招聘|招|有|包括|提供|推出|需要)", items[0])[-1]  # fmt: skip
    if pt.PRICE.match(lead.strip()):
        return []  # "haircuts from $25, walk-ins welcome": the price is of what comes before it
    items[0] = lead.strip()
    items = [pt.strip_articles(i) for i in items]
    ok = [i for i in items if i and pt.size(i, zh) <= (10 if zh else 5)]
    return ok if len(ok) == len(items) else []


def en_clauses(sentence: str) -> list[str]:
    """Comma parts that are each a statement of their own; a run of short names stays one list."""
    parts = [p.strip() for p in sentence.split(",") if p.strip()]
    listing = bool(object_items(sentence, False))  # "We're looking for lab technicians, data scientists …"
    if (
        len(parts) >= 2
        and not listing
        and any(pt.size(p, False) > 5 for p in parts)
        and not pt.PRICE.search(sentence)
    ):
        return parts
    return [sentence]


def series(clause: str) -> list[Figure]:
    out: list[Figure] = []
    for m in pt.SERIES.finditer(clause):
        label = m.group("label")
        if label.lower() in pt.NUM_WORDS or label.lower() in {"the", "and", "with", "from", "to", "in"}:
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


def directive(clause: str, zh: bool, quotes: list[str]) -> str:
    """A clause spoken to the maker is dropped, keeping only the content it carries."""
    for p in pt.patterns("directive", "zh" if zh else "en"):
        m = p.search(clause)
        if m:
            obj = pt.tidy(m.groupdict().get("obj") or "")
            if obj and pt.IMAGERY_ASK.search(clause):
                return pt.IMG + obj
            if obj and obj != clause:
                obj = directive(obj, zh, quotes)  # "一定要放这句话" → "这句话" → nothing
            obj = re.sub(r"^(?:我们的|我们|我的)$", "", obj)
            return "" if obj in quotes else obj
    return clause


#: "on Market Square", "at 12 Baker Street": a named street or square closing the request's clause
_STREET_AT_END = re.compile(
    r"\s+(?:on|at|in|off)\s+((?:\d+[a-z]?\s+)?(?:[A-Z][\w'’-]*\s+){1,3}(?:Street|St|Square|Road|Rd|Avenue|Ave|"
    r"Lane|Place|Way|Boulevard|Blvd|Drive|Plaza|Row|Quay|Parade|Terrace|Walk|Green|Broadway|High\s+Street))\.?\s*$"
)


def subject_en(head: str) -> tuple[str, str]:
    """(subject, place) from the request's first clause, instructions already removed."""
    text = pt.tidy(head)
    place = ""
    street = _STREET_AT_END.search(text)  # "our bakery on Market Square": where it is, not what
    if street and street.start() > 0:
        place, text = street.group(1), text[: street.start()]
    # when and where are no subject: "on Saturday June 14", "in Room 12 of the Central Library"
    text = pt.tidy(pt.ROOM_EN.sub(" ", pt.DATE_EN.sub(" ", text))) or text
    text = re.sub(r"\s+(?:meets|meet\s+up|runs|takes\s+place|kicks\s+off|is\s+on|are\s+on)(?:\s+(?:every|weekly|again))?$",
                  "", text, flags=re.I)  # fmt: skip  # "Book club meets Thursday 7pm": the book club
    m = re.search(r"(?<!back\s)\b(?:for|about|on|of|introducing|promoting|featuring|showcasing|celebrating|announcing|"
                  r"explaining|to|^launching|^unveiling|^meet)\s+(.+)$", text, flags=re.I)  # fmt: skip
    subject = m.group(1) if m else text
    subject = re.split(r"\s*(?:[,:]|\bwith\b|\bthat\b|\bwhich\b|\bwho\b)\s*", subject, maxsplit=1)[0]
    # "our new headphones launch today": what launches, not the launch
    subject = re.sub(r"\s+(?:launch(?:es)?|(?:is|are)\s+(?:launching|out|here)|arrives?|hits?\s+stores)\s+"
                     r"(?:today|now|on|this|next|tomorrow|in)\b.*$", "", subject, flags=re.I)  # fmt: skip
    subject = pt.ROOM_EN.sub(
        " ", pt.TIME_EN.sub(" ", pt.DATE_EN.sub(" ", subject))
    )  # when and where, not what
    subject = re.sub(r"\s+(?:on|at|this|next)\s*$", "", subject.strip())
    pm = (
        None
        if place
        else re.search(r"\b(?:in|at|from)\s+((?:[A-Z][\w'-]+|⟦\d+⟧)(?:\s+(?:[A-Z][\w'-]+))*)\s*$", subject)
    )
    if pm:
        place, subject = pm.group(1), subject[: pm.start()]
    subject = pt.strip_articles(pt.tidy(subject))
    subject = re.sub(r"^(?:(?:for|about|on|of)\s+)+", "", subject, flags=re.I)
    subject = re.sub(r"(?:\s+(?:in|on|at|for|to|of|with|and|by|from))+$", "", subject, flags=re.I)
    subject = pt.strip_articles(subject)
    if subject.lower() in lx.STOPWORDS or not re.search(r"\w", subject):
        subject = ""
    return subject, place


ZH_SUBJECT = (
    re.compile(r"(?:为|给|帮)(?:一家|一个|一款|一位|我们的|我们|我的|我|)([\u4e00-\u9fffA-Za-z0-9 ]{2,16}?)(?:做|制作|生成|拍|宣传|推广|招聘|写)"),
    re.compile(r"(?:介绍|展示|宣传|推广|讲解|讲讲|讲|科普|关于|庆祝|宣布)(?:一下)?(?:我们的|我们|我的|一款|一个|一家|)([\u4e00-\u9fffA-Za-z0-9 ]{2,16}?)(?:的|[，,。:：]|$)"),
    re.compile(r"^([\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)的(?:宣传|广告|推广|预告|介绍|招聘|菜单|公告|通知|发布)"),
    re.compile(r"(?:我们的|我们|我的)(?!会|将|要|已|正|可|能|也|都|还|就|在|把|对|为|给|向|从)([\u4e00-\u9fff]{2,6}?)(?=\d|[，,。：:]|开业|上线|推出|发布(?!会)|正式|即将|将|在|是|$)"),
    # a class or course offered, named before its times, price or sign-up: "书法班周六上午上课"
    # a how-to named by its question: "个税App怎么退税"
    re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?(?:怎么|如何|怎样)[\u4e00-\u9fff]{1,8}?)(?=[，,。：:？?]|$)"),
    re.compile(r"^(?:我们的|我们|我的)?([\u4e00-\u9fff]{1,8}?(?:课程|课|班|训练营|夏令营|冬令营|工作坊))(?=每|周[一二三四五六日末]|星期|上午|下午|晚上|早上|中午|\d|[，,。：:！!]|开课|上课|招生|报名|学费|开始|即将|正在|火热|$)"),
)  # fmt: skip
#: who is invited and the verb that asks them ("[邀请]大家参加公司年会"): the event is the subject
_INVITEE = re.compile(
    r"^(?:诚挚地?)?(?:大家|各位(?:朋友|同事|来宾|嘉宾|家长|同学|亲友)?|你们|您们?|你|朋友们|同事们|亲友们|"
    r"全体(?:员工|同事|同学|成员|家长)?)?(?:一起|一同|来)?(?:参加|出席|参与|光临|莅临)"
)


def subject_zh(head: str) -> tuple[str, str]:
    head = _INVITEE.sub("", head.strip())
    for pat in ZH_SUBJECT:
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
    text = re.sub(
        r"(?<=..)(?:正式)?(?:发布|上市|开售|首发|登场)$", "", text
    )  # "新款智能手表发布" names the watch
    return (text if 2 <= len(text) <= 12 and not FIGURE.search(text) else ""), ""


FIGURE = re.compile(r"(?:19|20)\d\d|\d[\d.,]*\s*(?:亿|万|%|[kKmMbB]\b)|[$€£¥%]")  # a line that gives figures
COUNT_EN = re.compile(r"^(?:the\s+)?(\d{1,2}|" + "|".join(pt.NUM_WORDS) + r")\s+([a-z][\w-]*\b.*)$", re.I)
COUNT_ZH = re.compile(r"([二两三四五六七八九十\d]+)(种|类|步|条|大类|大(?=[\u4e00-\u9fff]))")
SUBJECT_CUE = re.compile(  # "£12,000 raised for Oxfam" says where it went, not what the video is about
    r"(?<!raised\s)(?<!donated\s)(?<!collected\s)\b(?:for|about|on|of|introducing|promoting|featuring|showcasing|celebrating)\b",
    re.I,
)
STEPS = re.compile(
    r"\bsteps?\b|\bhow\s+to\b|\bhow\s+\w+(?:\s+\w+)?\s+works?\b|步骤|几步|流程|[一二两三四五六七八九十\d]+步",
    re.I,
)


def is_label(head: str, zh: bool) -> bool:
    """Whether a line before a colon only names what the video is for ("新品发布", "Now hiring")."""
    spec = pt.data("instructions")["labels"]["zh" if zh else "en"]
    return bool(head) and re.fullmatch(spec, head.strip(" ,，!！"), re.I) is not None


def news(clause: str, zh: bool) -> tuple[str, str] | None:
    """(what it is about, the news as written) when a clause states news: "that the library will
    be closed for renovation" → ("library", "the library will be closed for renovation")."""
    m = re.match(pt.data("instructions")["news"]["zh" if zh else "en"], clause.strip())
    if not m or (not zh and m.group("s").split()[0].lower() in lx.STOPWORDS - {"the", "our", "my", "their"}):
        return None
    said = clause.strip() if zh else re.sub(r"^(?:(?:an?|the)\s+)?that\s+", "", clause.strip(), flags=re.I)
    return pt.strip_articles(m.group("s")), said


def only_time_and_place(piece: str, spans: list[str], zh: bool) -> bool:
    """A clause piece that only gives a date, a time or the place ("7pm", "at LX Factory")."""
    # "open Tuesday to Sunday, 9am to 6pm" is read across a comma: each part of it is its span too
    parts = {p for x in spans for p in (x, *re.split(r"\s*[,，]\s*", x)) if pt.size(p, zh) >= 1}
    rest = re.sub("|".join(re.escape(x) for x in sorted(parts, key=len, reverse=True)), " ", piece)
    if rest == piece or pt.PRICE.search(rest):  # "2 for $20 on Tuesdays": the offer is content
        return False
    if zh:
        return not lx.has_cjk(re.sub(r"(?:在|于|地址|时间|地点|每|周|营业(?:时间)?|开放)", "", rest))
    rest = pt.patterns("times", "hours")[0].sub(" ", rest)  # "open", "daily": the hours, no content
    return not [w for w in re.findall(r"[a-z']+", rest.lower()) if w not in lx.STOPWORDS]


def zh_count(match: re.Match[str]) -> tuple[int, str]:
    n = int(match.group(1)) if match.group(1).isdigit() else (lx.zh_number(match.group(1)) or 0)
    return n, {"大类": "类", "大": "个"}.get(match.group(2), match.group(2))


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LEX = pt.data("instructions").get("lexicon", {})
_COUNT_TAIL_ZH = re.compile(
    rf"^(?P<rest>.*?)(?:{_alternation(_LEX.get('count_lead_zh', ()))})?"
    rf"(?P<num>[一二两三四五六七八九十\d]+)\s*(?P<word>{_alternation(_LEX.get('list_counters', ()))})"
    r"(?P<noun>[\u4e00-\u9fff]{1,4})$"
)
_COUNT_WHOLE_EN = re.compile(
    r"^(?:(?P<rest>.+?)\s*[:(]\s*)?(?:(?:all|just|only|and|with|in)\s+)*(?:the\s+)?"
    r"(?P<num>\d{1,2}|" + "|".join(pt.NUM_WORDS) + r")\s+(?:(?:different|distinct|unique|new)\s+)?"
    r"(?P<noun>(?:[a-z][\w'-]*\s+)?[a-z][\w'-]*?)"
    rf"(?:\s+(?:{_alternation(_LEX.get('count_tail_en', ()))}))?\)?$",
    re.I,
)


def count_phrase(text: str, zh: bool) -> tuple[str, int, str, str] | None:
    """A count that sums up a list, at the end of ``text``: (what comes before it, the number,
    the measure word, the phrase). "三鲜三种口味" → ("三鲜", 3, "种", "三种口味"); "three options"
    → ("", 3, "", "options"); "shrimp (3 flavours)" → ("shrimp", 3, "", "flavours"). Chinese keeps the count in the phrase ("三种口味", as a heading);
    English gives only the noun ("options": "There are three options")."""
    text = text.strip()
    if zh:
        m = _COUNT_TAIL_ZH.match(text)
        if not m:
            return None
        num = m.group("num")
        n = int(num) if num.isdigit() else (lx.zh_number(num) or 0)
        word = {"大类": "类", "大": "个"}.get(m.group("word"), m.group("word"))
        phrase = text[m.start("num") :]
        return (m.group("rest").strip(" 、，,"), n, word, phrase) if n >= 2 else None
    m = _COUNT_WHOLE_EN.match(text)
    if not m:
        return None
    num = m.group("num").lower()
    n = int(num) if num.isdigit() else (lx.word_number(num) or 0)
    return ((m.group("rest") or "").strip(), n, "", m.group("noun")) if n >= 2 else None
