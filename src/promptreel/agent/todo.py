"""A list of things to do ("brush teeth, add toothpaste, rinse"): each item starts with a verb of
doing (``step_verbs`` in the data), so its items keep their verbs and ask nothing of the maker."""

from __future__ import annotations

import re
from functools import cache

from promptreel.agent import patterns as pt

__all__ = ["is_step", "keeps_verbs"]


@cache
def _step_verbs() -> frozenset[str]:
    listed = pt.data("instructions").get("lexicon", {}).get("step_verbs", ())
    own = pt.data("purposes").get("step_verbs", {})
    return frozenset((*listed, *own.get("en", ()), *own.get("zh", ())))


def is_step(item: str) -> bool:
    """Whether a listed item is a thing to do: it starts with a verb of doing ("brush teeth", "rinse")."""
    if re.match(r"[\u4e00-\u9fff]", item):  # "点击指纹": Chinese verbs start the item
        return any(item.startswith(v) for v in _step_verbs() if re.match(r"[\u4e00-\u9fff]", v))
    first = item.split()[:1]
    return bool(first) and first[0].lower() in _step_verbs()


def keeps_verbs(raw: list[str]) -> bool:
    """Whether a list is a list of things to do (each of its three or more items starts with a verb
    of doing): its items keep their verbs, even one that could ask the maker ("add toothpaste")."""
    return len(raw) >= 3 and all(is_step(r) for r in raw)
