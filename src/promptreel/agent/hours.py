"""Opening hours: when a shop is open ("Tuesday to Sunday, 9am to 6pm", "Mon–Fri 7am-3pm",
"周一至周五") is said as its hours, never as the date of an event."""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent import patterns as pt

__all__ = ["is_hours", "place_line_en"]

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_DAY_RANGE = re.compile(rf"\b(?:{_DAY})\.?\s*(?:-|–|—|to|through|thru|until)\s*(?:{_DAY})\b", re.I)
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}/\d{1,2}|\d{4}-\d{2}|"
    r"\b(?:tomorrow|tonight|next|this|last)\b",
    re.I,
)


def is_hours(when: str) -> bool:
    """Whether a span of time reads as opening hours: a range of days or a clock time, no date."""
    return bool(_DAY_RANGE.search(when) or pt.TIME_EN.search(when)) and not _DATE.search(when)


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
    return pt.tidy(full[days.start() : match.end()] if days else match.group(0))


def subtitle(purpose: str, when: str) -> str:
    """The title card's line of time: an ad's hours say they are hours ("Open daily 7am")."""
    return (
        f"Open {when}" if purpose == "ad" and is_hours(when) and not when.lower().startswith("open") else when
    )
