"""Lines woven from what the prompt says, in the grammar of the video rather than of the prompt:
a relative clause about the person a greeting is for ("my dad Robert, who loves fishing and jazz"
→ "To a dad who loves fishing and jazz.", "Here's to more fishing and jazz.") and the offer an ad
or launch closes on. The wordings are data (``traits`` in ``data/purposes.toml``).
"""

from __future__ import annotations

import re

from promptreel.agent.brief import Brief, data
from promptreel.agent.frame import OFFER

__all__ = ["trait_lines", "offer_line"]


def trait_lines(brief: Brief, name: str) -> tuple[list[str], list[str]]:
    """What the card says of the person it is for, woven from the prompt's relative clauses
    (``traits`` in ``data/purposes.toml``): "To a dad who loves fishing and jazz.", "Here's to more
    fishing and jazz." """
    zh = brief.lang == "zh"
    spec = data("purposes")["traits"]["zh" if zh else "en"]
    relation = brief.recipient if zh else brief.kind
    about = []
    for trait in brief.traits:
        if relation:
            about.append(str(spec["who"]).format(relation=relation, trait=trait, name=brief.recipient))
        else:
            named = brief.recipient or name
            mine = re.search(r"\b(my|our)\s+" + re.escape(named) + r"\b", brief.prompt, re.I)
            named = f"{mine.group(1).lower()} {named}" if mine and named[:1].islower() else named
            about.append(str(spec["who_named"]).format(name=named, trait=trait))
    loves = [str(spec["loves"]).format(things=t) for t in brief.loves]
    return about, loves


def offer_line(brief: Brief) -> str:
    """The offer an ad or launch closes on ("free for the first 3 months", "限时八折"), when it asks
    nothing else of the viewer (no link, no "book now") and is not for a sale (that closes on the sale)."""
    if brief.actions or brief.sale or brief.purpose not in ("ad", "teaser", "announcement"):
        return ""
    return next((p for p in reversed(brief.points) if OFFER.search(p)), "")
