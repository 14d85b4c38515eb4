"""Opening hours: when a shop is open ("Tuesday to Sunday, 9am to 6pm", "Mon–Fri 7am-3pm",
"周一至周五") is said as its hours, never as the date of an event."""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent import patterns as pt

__all__ = ["is_hours", "place_line_en", "subtitle", "time_with_days", "time_label_zh"]

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_DAY_RANGE = re.compile(rf"\b(?:{_DAY})\.?\s*(?:-|–|—|to|through|thru|until)\s*(?:{_DAY})\b", re.I)
_TIME_RANGE = re.compile(
    r"\d(?:\s*(?:am|pm))?\s*(?:-|–|—|to|until|till)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)", re.I
)
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}/\d{1,2}|\d{4}-\d{2}|"
    r"\b(?:tomorrow|tonight|next|this|last)\b",
    re.I,
)


def is_hours(when: str) -> bool:
    """Whether a span of time reads as opening hours: a range of days or of clock times, or a time
    said of every day ("daily 7am") — never a date, nor one time ("weekdays at 6pm" is a class)."""
    ranged = (
        _DAY_RANGE.search(when)
        or _TIME_RANGE.search(when)
        or re.match(r"(?:daily|every\s+day)\b", when, re.I)
    )
    return bool(ranged) and not _DATE.search(when)


def place_line_en(purpose: str, head: str, when: Sequence[str], where: str) -> str:
    """What the date-and-place card says: an ad's hours are when it is open ("Open Tuesday to
    Sunday, 9am to 6pm, at 14 Mill Road."), and its address alone is where to find it ("Find us at
    14 Mill Road."); any other card names its subject first ("Book fair: June 14, at the library")."""
    if purpose == "ad" and when and all(is_hours(w) for w in when):
        return "Open " + ", ".join((*when, where) if where else when)
    if purpose == "ad" and where and not when:
        return f"Find us {where}"
    return f"{head}: " + ", ".join(x for x in (*when, where) if x)


_DAYS_BEFORE = re.compile(
    r"\b(?:daily|every\s+day|weekdays|weekends|(?:mon|tues|wednes|thurs|fri|satur|sun)days)\s+(?:from\s+)?$",
    re.I,
)


def time_with_days(match: re.Match[str], full: str) -> str:
    """A clock time with the days it holds on when they come just before it ("open daily 7am" →
    "daily 7am"): the hours are read whole."""
    days = _DAYS_BEFORE.search(full[: match.start()])
    after = re.match(r"\s+(?:every\s+day|daily)\b", full[match.end() :], re.I) if not days else None
    end = match.end() + (after.end() if after else 0)  # "8am to 8pm every day"
    return pt.tidy(full[days.start() if days else match.start() : end])


def subtitle(purpose: str, when: str) -> str:
    """The title card's line of time: an ad's hours say they are hours ("Open daily 7am")."""
    return (
        f"Open {when}" if purpose == "ad" and is_hours(when) and not when.lower().startswith("open") else when
    )


_HOURS_ZH = re.compile(
    r"(?:周|星期|礼拜)[一二三四五六日天](?:至|到|[-~—－])(?:周|星期|礼拜)?[一二三四五六日天]|"
    r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})[点:：]\d{0,2}(?:至|到|[-~—－])(?:上午|下午|晚上)?(?:\d{1,2}|[一二两三四五六七八九十]{1,3})[点:：]|"
    r"每天|每日"
)


def time_label_zh(purpose: str, when: str) -> str:
    """What a Chinese place card calls its time: an ad's hours are its opening hours ("营业时间：
    周二至周日11点到23点"), any other time is the time of what happens ("时间：")."""
    return (
        "营业时间"
        if purpose == "ad"
        and _HOURS_ZH.search(when)
        and not re.search(r"月|日[^\u4e00-\u9fff]?$|号", when.replace("周日", ""))
        else "时间"
    )
