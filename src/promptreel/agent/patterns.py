"""Shared text knowledge of the prompt reader: the data files, the patterns that find content
(prices, dates, addresses, figure series, calls to action) and small text tools.

Phrase lists live in ``agent/data/*.toml``; the patterns here find the *shapes* of content that
no list can enumerate.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel

from promptreel.agent import lexicon as lx


@cache
def data(name: str) -> dict[str, Any]:
    """A knowledge file from ``agent/data`` (``instructions``, ``purposes``, ``occasions``)."""
    raw = resources.files("promptreel.agent").joinpath("data", f"{name}.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


@cache
def patterns(section: str, key: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in data("instructions")[section].get(key, ()))


QUOTE = re.compile(
    r"[\"“](.+?)[\"”]|「(.+?)」|『(.+?)』|《(.+?)》|(?<![\w])'([^']{2,}?)'(?![\w])|‘(.+?)’", re.S
)


HOLE = re.compile(r"⟦(\d+)⟧")


PRICE = re.compile(
    r"(?:[$€£¥￥]\s?\d[\d,]*(?:\.\d{1,2})?|(?<![\d.])\d{1,4}\.\d{2}\b|\d[\d,]*(?:\.\d{1,2})?\s?(?:元|块|€|euros?|dollars?|usd|rmb|eur|gbp|kr))",
    re.I,
)


URL = re.compile(r"\b(?:https?://)?(?:[\w-]+\.)+(?:com|org|net|io|co|dev|app|ai|cn|de|pt|uk|fr|es|it|nl|jp|"
                  r"example|shop|store|edu|gov|info|me|tv)(?:/[\w./?=&%-]*)?\b|\b[\w.+-]+@[\w-]+\.[\w.]+\b",
                  re.I)  # fmt: skip


DATE_EN = re.compile(
    # a range of days is one: "Tuesday to Sunday", "Mon–Fri"
    r"\b(?:(?:from\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?\s*(?:-|–|—|to|through|thru|until)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?|"
    r"(?:every\s+|on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days(?:\s*(?:,|and|&|or)\s*(?:and\s+)?"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)*|(?:every\s+)?(?:weekdays|weekends|week\s*day|weekend)s?(?=\s+(?:at|from)\b)|"
    r"every\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:\s*(?:,|and|&|or)\s*(?:mon|tues|wednes|thurs|fri|satur|sun)day)*|"
    r"(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:,?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"(?!\s*(?:am|pm|:|[-–]\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)))(?:\s+[A-Z][a-z]+)?|"
    r",?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)?|"
    r"(?:next|this|last)\s+(?:week(?:end)?|month|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
    r"(?:tomorrow|tonight|yesterday)(?!['’]s)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:\s+\d{4})?|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2})\b"
    r"(?:\s*(?:-|–|to|until|through|thru)\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
    r"\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:am|pm|:)))?"
    r"(?:,?\s*(?:at|from)?\s*(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?|"
    r"\d{1,2}(?::\d{2})?\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)\b))?",
    re.I,
)


TIME_EN = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm))?\b", re.I
)


DATE_ZH = re.compile(
    r"(?:(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:[（(]?(?:周|星期)[一二三四五六日天][)）]?)?(?:(?:上午|下午|晚上|早上|中午)?\d{1,2}[点:：]\d{0,2}分?)?|"
    r"(?:(?:每|下|这|本|上)?(?:周|星期|礼拜)[一二三四五六日天](?:(?:[、和及与]|至|到|[-~—－])?(?:周|星期|礼拜)?[一二三四五六日天])*|(?:每|下|这|本)周末|周末(?=上午|下午|晚上|早上|中午|\d|[一二两三四五六七八九十]{1,3}点))"
    # the hours of the days stay with them: "周二至周日11点到23点", "周一至周五上午9点"
    r"(?:(?:上午|下午|晚上|早上|中午)?(?:(?:\d{1,2}|[一二两三四五六七八九十]{1,3})点(?:半|\d{1,2}分)?)|(?:上午|下午|晚上|早上|中午))?|"
    r"(?:今天|明天|后天|今晚|明晚|昨天|前天|昨晚)(?:(?:上午|下午|晚上)?(?:\d{1,2}|[一二两三四五六七八九十]{1,3})点(?:半)?)?|"
    r"(?:每天|每日)(?:上午|下午|晚上|早上)?(?:\d{1,2}|[一二两三四五六七八九十]{1,3})点(?:半)?|"  # "每天7点到20点营业"
    r"(?:上午|下午|晚上|早上)(?:\d{1,2}[点:：]\d{0,2}|[一二两三四五六七八九十]{1,3}点(?:半)?))"
    # a time range reads as one: "上午9点到下午6点", "12月1日至12月15日"
    r"(?:(?<=[点分\d日号])(?:到|至|[-~—－])(?:\d{1,2}月)?(?:\d{1,2}[日号](?!\d))?(?:上午|下午|晚上|早上|中午)?(?:\d{1,2}[点:：]\d{0,2}分?)?(?<![到至\-~—－]))?"
)


ADDRESS_EN = re.compile(
    r"\b(?:at\s+)?(\d{1,5}\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,4}(?:\s+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Way|"
    r"Square|Sq|Boulevard|Blvd|Rua|Platz|Strasse|Straße))?\.?(?:,\s*[A-Z][\w-]+)?)"
)
#: a room, floor or building inside a venue ("in Room 401, Building B", "on Level 3", "in Suite 12")
ROOM_EN = re.compile(
    r"\b(?:in|at|on)\s+(?:the\s+)?((?:Room|Rm\.?|Suite|Studio|Hall|Level|Floor|Conference\s+Room|Meeting\s+Room)\s+"
    r"[A-Z0-9][\w-]*(?:,?\s+(?:Building|Block|Floor|Level|Wing|Tower)\s+[A-Z0-9][\w-]*)?"
    # the building it is in stays with it: "Room 12 of the Central Library"
    r"(?:\s+(?:of|at|in)\s+the\s+[A-Z][\w'’&-]*(?:\s+(?:[A-Z][\w'’&-]*|of))*(?<!\sof))?)\b"
)
#: a street named first and numbered after ("Rua Rodrigues de Faria 103", "Via Roma 12", "Hauptstraße 5")
STREET_FIRST = re.compile(
    r"\b((?:Rua|Rue|Calle|Carrer|Via|Viale|Avenida|Avenue|Av\.|Praça|Plaza|Piazza|Platz|Largo|Travessa|Strada)\s+"
    r"[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|de|da|do|das|dos|del|della|di|la|le|des))*\s+\d{1,5}[a-z]?\b|"
    r"[A-Z][\w-]*(?:straße|strasse|gasse|weg|platz|allee)\s+\d{1,5}[a-z]?\b)"
)


ADDRESS_ZH = re.compile(r"(?:地址|地点|在)[:：]?\s*([\u4e00-\u9fff0-9A-Za-z]{2,24}?(?:路|街|道|号|广场|中心|大厦|酒店|公园|"
                         r"礼堂|体育馆|会议室|餐厅|店|馆|楼|室|厅|园|场)(?:\s*[\u4e00-\u9fff0-9]{0,8}?\s*号)?"
                         # the floor or room stays with its building: "滨江大酒店三楼", "大厦B座1203室"
                         r"(?:[A-Za-z]\d?座)?(?:(?:[一二三四五六七八九十]{1,3}|\d{1,3})(?:楼|层)(?:[\u4e00-\u9fff]{1,4}?厅)?|\d{2,4}(?:教室|会议室|室|房)?|[\u4e00-\u9fff]{1,4}?厅)?)")  # fmt: skip


SERIES = re.compile(
    r"(?P<label>(?:19|20)\d\d|Q[1-4](?:[\s']?(?:19|20)\d\d(?=\s+\d))?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|week\s?\d+|第?[一二三四1-4]季度|\d{1,2}月|(?-i:[A-Z][A-Za-z0-9-]{1,15})(?!\s*[:=：]?\s*(?:19|20)\d\d\b))"
    r"(?:(?<=\d{4})年?(?P<infix>[\u4e00-\u9fff]{0,4}))?\s*(?:[:=：]|-|–|was|is|had|hit|at)?\s*(?P<cur>[$€£¥￥])?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|[kKmMbB]\b|万|亿|人|个)?",
    re.I,
)


STAT = re.compile(r"(?P<num>[$€£¥￥]?\d[\d,]*(?:\.\d+)?\s*(?:%|％|percent|x|[kKmMbB]\b|万|亿|倍)?)", re.I)


DIRECTION = re.compile(r"\b(?:up|down|grew|rose|increased|fell|dropped|decreased|declined|jumped|doubled|cut|hit|"
                        r"reached|passed|crossed|topped|surpassed|over|million|thousand|billion)\b|"
                        r"增长|上涨|提升|提高|上升|下降|减少|下滑|翻倍|突破|达到|超过|破|万|亿", re.I)  # fmt: skip


ACTION = re.compile(
    r"^(?:please\s+)?(?:visit|apply|book|order|sign\s+up|register|call|join\s+us|download|follow|shop|try|"
    r"scan(?=\s+(?:the|our|this|a|to|here|now|me|qr|below|and|it)\b)|"
    r"come\s+(?:by|visit|and)|find\s+us|get\s+(?:yours|it|tickets)|reserve|rsvp|subscribe|contact|email|dm|grab)\b|"
    r"^(?:欢迎|立即|马上|快来|扫码|点击|报名|预约|下单|关注|访问|拨打|联系)",
    re.I,
)


LIST_SPLIT_EN = re.compile(r"\s*(?:,|;|\s\+\s|\band\b|\bplus\b|\bthen\b|\bor\b)\s*", re.I)


LIST_SPLIT_ZH = re.compile(r"\s*(?:、|，|,|；|;|和|以及|及|与|还有|然后|再)\s*")


NUM_WORDS = lx.COUNT_WORDS


LABEL_ONLY = re.compile(
    r"(?:地址|地点|时间|日期|电话|when|where|address|date|time|venue|location|phone)[:：]?", re.I
)


ABBREV = re.compile(r"\b(St|Dr|Mr|Mrs|Ms|Jr|Sr|No|Inc|Co|Ltd|vs|Mt|Ave|Rd|approx|e\.g|i\.e)\.", re.I)


KEEP_DOT, KEEP_COMMA, KEEP_FOR = "\ue001", "\ue000", "\ue003"


IMAGERY_ASK = re.compile(r"^(?:要有|要出现|需要有|希望有|画面要有|画面里要有|配上|配)|^(?:with|show|add)\s+(?:some\s+)?"
                          r"(?:pictures?|images?|illustrations?)\s+of\b", re.I)  # fmt: skip


IMG = "\ue002"  # marks content asked for as a picture ("要有雪花")


DAYS = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:jan|febr)uary|march|april|may|june|july|august|"
                   r"(?:septem|octo|novem|decem)ber|today|tomorrow|tonight", re.I)  # fmt: skip


GENERIC = re.compile(
    r"^(?:display|screen|loop|board|video|clip|ad|promo|post|reel|content|something|one|it|this|that)$", re.I
)


NAME = re.compile(
    r"(?<![\w.])((?:[A-Z][\w'’&.\ue001-]*|&)(?:\s+(?:[A-Z][\w'’&.\ue001-]*|&|of|de|la|the)){0,4}(?<![\s&]))"
)


COMPARE = (
    re.compile(
        r"\b(?P<a>before)(?:\s*[:：;-]\s*|\s+)(?!(?:and|&|or)\s)(?P<x>[^;.:]+?)[;,.]?\s+\b(?P<b>after)(?:\s*[:：;-]\s*|\s+)"
        r"(?P<y>[^;.:]+?)\s*(?:[.;:：]|$)",
        re.I,
    ),
    re.compile(
        r"(?P<a>旧款|老款|以前|之前|改造前|使用前)(?P<x>[^，,；;。]+)[，,；;]\s*(?P<b>新款|现在|之后|改造后|使用后)(?P<y>[^，,；;。]+)"
    ),
    re.compile(r"(?P<a>[\w ]{2,30}?)\s+(?:vs\.?|versus)\s+(?P<b>[\w ]{2,30})", re.I),
    # "compare the Pixel 9 and the iPhone 16: Pixel has a better camera, iPhone has longer battery life"
    re.compile(
        r"\bcompar(?:e|ing)\s+(?:the\s+)?(?P<a>[A-Z][\w.+-]*(?:\s+[\w.+-]+){0,3}?)\s+(?:and|with|to)\s+(?:the\s+)?"
        r"(?P<b>[A-Z][\w.+-]*(?:\s+[\w.+-]+){0,3}?)\s*(?:[:：]\s*(?:the\s+)?[\w-]+(?:\s+\d+)?\s+(?:has|is|are|gets|offers)\s+"
        r"(?P<x>[^,;.]+)[,;]\s*(?:(?:and|but)\s+)?(?:the\s+)?[\w-]+(?:\s+\d+)?\s+(?:has|is|are|gets|offers)\s+(?P<y>[^,;.]+)|(?=[:：,.]|$))",
        re.I,
    ),
    # "A款吸力4000Pa，续航150分钟；B款吸力3000Pa，续航200分钟"
    re.compile(
        r"(?P<a>[A-Za-z0-9甲乙]款)(?P<x>[^；;。]+?)(?:[；;]|\s)\s*(?P<b>[A-Za-z0-9甲乙]款)(?P<y>[^；;。]+)"
    ),
    # "iPhone 16和华为Mate 70对比", "对比一下A和B"
    re.compile(
        r"(?P<a>[A-Za-z0-9\u4e00-\u9fff][\w\u4e00-\u9fff ]{1,14}?)\s*(?:和|与|跟|VS|vs)\s*(?P<b>[\w\u4e00-\u9fff ]{2,15}?)\s*(?:对比|比较|PK|pk)"
    ),
)


COUNTDOWN = re.compile(r"\b(?:in|only|just)\s+(\d+|\w+)\s+(days?|hours?|weeks?|sleeps?)\b(?:\s+(?:left|to\s+go))?|"
                        r"(?:还有|倒计时|仅剩|只剩)\s*([\d一二两三四五六七八九十]+)\s*(天|小时|周)", re.I)  # fmt: skip


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’$€£¥%.-]+", text)


def size(text: str, zh: bool) -> int:
    return lx.count_cjk(text) + len(re.findall(r"[A-Za-z0-9]+", text)) if zh else len(words(text))


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?，。；：！？、])", r"\1", text)
    text = re.sub(r"([,;:，；：、])(?:\s*[,;:，；：、])+", r"\1", text)
    text = re.sub(r"\(\s*\)|（\s*）", "", text)
    return text.strip(" ,;:-–—，；：、")


def fill(text: str, quotes: list[str]) -> str:
    return HOLE.sub(lambda m: quotes[int(m.group(1))], text)


def strip_articles(text: str) -> str:
    return re.sub(r"^(?:(?:a|an|the|our|my|your|their|this|some|all)\s+)+", "", text.strip(), flags=re.I)


def take(pats: tuple[re.Pattern[str], ...], text: str, gap: str = " ") -> tuple[str, list[re.Match[str]]]:
    found: list[re.Match[str]] = []
    for p in pats:
        found.extend(p.finditer(text))
        text = p.sub(gap, text)
    return text, found


def protect(text: str) -> str:
    """Dots of abbreviations and commas of thousands ("St.", "$1,629") are not clause breaks."""
    text = ABBREV.sub(lambda m: m.group(1) + KEEP_DOT, text)
    text = re.sub(
        r"\b(\d)\s*-?\s*for\s*-?\s*(\d)\b", "\\1" + KEEP_FOR + "\\2", text
    )  # "2 for 1" is one offer
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", KEEP_COMMA, text)


def restore(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(KEEP_DOT, ".").replace(KEEP_COMMA, ",").replace(KEEP_FOR, "-for-")
    if isinstance(value, tuple | list):
        return type(value)(restore(v) for v in value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: restore(v) for k, v in value.__dict__.items()})
    return value


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"[.!?]+(?=\s|$)\s*|[。！？\n]+|;\s*|；", text)
    return [p.strip() for p in parts if p and p.strip(" ,，")]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
