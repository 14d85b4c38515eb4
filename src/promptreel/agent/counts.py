"""A count that sums up a list names the list; it is never one of its items.

"韭菜鸡蛋、猪肉白菜、三鲜三种口味" lists 韭菜鸡蛋, 猪肉白菜 and 三鲜 — three 口味; "pork and chive,
shrimp, veggie, three fillings" lists three fillings, "pork and chive" being one of them. The
count also says how many things come before it, so the list is read back from the user's own
words: the last pieces before the count, as many as it says. Only a count that matches is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from promptreel.agent import clauses as cl
from promptreel.agent import patterns as pt

__all__ = ["Counted", "count_the_list"]

Found = tuple[str, int, str, str]  # (before the count, the number, measure word, the phrase)

_SENTENCE = re.compile(r"[。！？!?；;\n]")
_PIECE = re.compile(r"\s*[,，、:：]\s*")
_AND_EN = re.compile(r"\s+(?:and|or|&)\s+", re.I)
_AND_ZH = re.compile(r"和|与|及|或")
_LEAD = re.compile(r"^(?:and|or|plus)\s+", re.I)


@dataclass
class Counted:
    """The list's content before and after the count is read."""

    items: list[cl.Item]
    points: list[str]
    stats: list[str]
    found: Found | None = None


def count_the_list(full: str, counted: Counted, *, zh: bool) -> Counted:
    """``counted`` with the list that a count in ``full`` sums up read as the items, the count
    out of the items, points and stats (``found`` set), or unchanged when no count matches."""
    if not any(i.value for i in counted.items):
        read = _from_text(full, counted, zh)
        if read is not None:
            return read
    return _from_items(counted, zh) or _from_points(counted, zh) or counted


def _from_text(full: str, counted: Counted, zh: bool) -> Counted | None:
    """The list read back from the words before the count ("pork and chive, shrimp, veggie, three
    fillings" → pork and chive, shrimp, veggie)."""
    short = 8 if zh else 4
    known = {pt.strip_articles(x).lower() for x in (*(i.text for i in counted.items), *counted.points)}
    split = _AND_ZH if zh else _AND_EN

    listed = {pt.strip_articles(i.text).lower() for i in counted.items}

    def items(piece: str) -> bool:  # a piece read as one of the listed things
        return any(pt.strip_articles(p).lower() in listed for p in split.split(piece.lower()))

    def read(member: str) -> bool:  # already read as a thing or a clause, not a figure or the frame
        m = member.lower()
        return m in known or all(pt.strip_articles(p).lower() in known for p in split.split(m))

    for sentence in _SENTENCE.split(full):
        pieces = [p for p in _PIECE.split(sentence.strip()) if p]
        for k, piece in enumerate(pieces):
            found = cl.count_phrase(piece, zh)
            if not found:
                continue
            before = pieces[:k] + ([found[0]] if found[0] else [])
            members, first = _last(before, found[1], zh)
            if not members or not all(0 < pt.size(m, zh) <= short and read(m) for m in members):
                continue
            ends = bool(before) and bool(split.search(before[-1]))
            if first > 0 and items(before[first - 1]) and not ends:
                continue  # "beef, dan dan, cold noodles, two sizes": a longer list, another count
            return _replace(counted, members, found, piece, sentence)
    return None


def _last(pieces: list[str], n: int, zh: bool) -> tuple[list[str], int]:
    """The last ``n`` of ``pieces`` and the index of the first piece they use. A list ends "B
    and C", so the last piece's "and" parts its last two items; an "and" further back only when
    there are too few ("pork and chive" is one filling in "pork and chive, shrimp, veggie")."""
    split = _AND_ZH if zh else _AND_EN
    kept = [_LEAD.sub("", p).strip() for p in pieces]
    parts = [[q.strip() for q in split.split(p) if q.strip()] for p in kept]
    use = [[p] for p in kept[:-1]] + parts[-1:]  # pieces as written, the last one parted
    i = len(pieces) - 2
    while sum(len(u) for u in use) < n and i >= 0:
        use[i] = parts[i]
        i -= 1
    out: list[str] = []
    first = len(pieces)
    while first > 0 and len(out) < n:
        first -= 1
        out = use[first] + out
    if len(out) < n:
        return [], 0
    return [pt.strip_articles(p) for p in out[-n:]], first


def _replace(counted: Counted, members: list[str], found: Found, piece: str, sentence: str) -> Counted | None:
    low = [m.lower() for m in members]

    def covered(text: str) -> bool:
        t = pt.strip_articles(text.strip()).lower()
        return bool(t) and (any(t in m for m in low) or found[3].lower() in t or t == piece.lower())

    others = [i.text for i in counted.items if not covered(i.text)]
    if any(o not in sentence for o in others):
        return None  # another list: leave it as read
    # the clauses of the same sentence before the counted run are things said, not listed
    points = [*others, *(p for p in counted.points if not covered(p))]
    stats = [s for s in counted.stats if not covered(s)]
    return Counted([cl.Item(text=m) for m in members], points, stats, found)


def _from_items(counted: Counted, zh: bool) -> Counted | None:
    """The count read as (part of) an item: "…、三鲜三种口味", "…, shrimp (3 flavours)"."""
    items = list(counted.items)
    for k, item in enumerate(items):
        found = cl.count_phrase(item.text, zh) if not item.value else None
        members = k + 1 if found and found[0] else k  # glued to the last item, or one of its own
        if found and members >= 2 and found[1] == members:
            after = [a.text for a in items[k + 1 :]]  # what follows the count is not counted
            kept = items[:k] + ([cl.Item(text=found[0])] if found[0] else [])
            return Counted(kept, [*counted.points, *after], list(counted.stats), found)
    return None


def _from_points(counted: Counted, zh: bool) -> Counted | None:
    """The count as a clause of its own beside the list: "三款招牌，杨枝甘露、芋泥波波、芝士葡萄"."""
    if len(counted.items) < 2:
        return None
    for name in ("points", "stats"):
        pool = list(getattr(counted, name))
        for p in pool:
            found = cl.count_phrase(p, zh)
            if found and not found[0] and found[1] == len(counted.items):
                pool.remove(p)
                out = Counted(list(counted.items), list(counted.points), list(counted.stats), found)
                setattr(out, name, pool)
                return out
    return None
