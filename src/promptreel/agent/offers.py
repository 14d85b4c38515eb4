"""Offers said with their price: "2 for $5", "3个10元" is one price, never a count and a price
("croissants 2 for" at "$5" read "Croissants 2 for, $5")."""

from __future__ import annotations

import re

from promptreel.agent import patterns as pt

__all__ = ["OFFER_PRICE", "as_written", "price_of", "stat_headline", "stat_parts"]

#: a price with the count it buys before it: "2 for $5", "3 for 10 euros", "2个10元", "两杯30元"
OFFER_PRICE = re.compile(
    r"(?:(?<![\w.])(?:\d+|two|three|four|five)\s+for\s+|(?<![\d.])(?:\d+|[两二三四五六七八九十])\s*[个件杯份盒只瓶袋束]\s*)?"
    + pt.PRICE.pattern,
    re.I,
)


def price_of(part: str) -> re.Match[str] | None:
    """The price a listed thing is sold at, with the count it buys ("croissants 2 for $5" →
    "2 for $5")."""
    return OFFER_PRICE.search(part)


def as_written(text: str, value: str, prompt: str) -> str:
    """A listed thing with its price, in the order the prompt says them ("2 for $20 on Tuesdays",
    never "on Tuesdays 2 for $20")."""
    if not value:
        return text
    for a, b in ((value, text), (text, value)):
        m = re.search(re.escape(a) + r"\s*" + re.escape(b), prompt, re.I)
        if m:
            return m.group(0)
    return f"{text} {value}"


_OFFER = re.compile(r"\b(?:off|sale|discount|free|deal)\b|折|优惠|特价|免费|买.送.|满.+减", re.I)


def stat_headline(subject: str, stat: str, zh: bool) -> str:
    """The headline above a big number: who it is about ("Stride Shoes"), else what kind of number
    it is ("Special offer" for "30% off all shoes") — never the stat again, which its label says."""
    if subject:
        return subject
    if _OFFER.search(stat):
        return "限时优惠" if zh else "Special offer"
    return "数字一览" if zh else "By the numbers"


def stat_parts(stat: str, number: re.Match[str]) -> tuple[str, str]:
    """(the big number, what it counts): "sales grew by 40%" → ("40%", "sales grew"); an offer
    keeps its word with its number ("30% off all shoes" → ("30% off", "all shoes"))."""
    value = number.group(0).strip().replace(" percent", "%")
    if stat[: number.start()].strip(" :,，") and re.search(r"\w", stat[number.end() :]):
        return value, ""  # "会议不超过30分钟": a number inside its words is said whole, as the headline
    label = re.sub(r"\s+", " ", (stat[: number.start()] + stat[number.end() :])).strip(" :,，")
    label = re.sub(r"\b(?:by|of|to|is|are|was)\s*$", "", label).strip()
    off = re.match(r"(off|OFF|Off)\s+(?=\S)", label) if number.start() == 0 else None
    return (f"{value} {off.group(1)}", label[off.end() :]) if off else (value, label)
