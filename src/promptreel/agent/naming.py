"""How the video names a subject the prompt labels with the kind of video: "Hair salon ad: …" is
the maker's own hair salon ("Meet our hair salon."), while a name ("Bean There ad: …", "FlowDesk
promo") is said as written."""

from __future__ import annotations

import re

__all__ = ["labelled_kind", "our_name"]

_LABEL = r"(?:ad|advert|advertisement|promo|promotion|commercial|spot)\b"


def labelled_kind(subject: str, prompt: str) -> bool:
    """Whether ``subject`` opens the prompt as the kind of business an ad is for ("Hair salon ad:",
    "Dentist promo -"): written in lower case but for its first letter, with no digit or brand."""
    words = subject.split()
    if (
        not words
        or not 1 <= len(words) <= 3
        or not words[0][:1].isupper()
        or re.search(r"\d|[&'’.]", subject)
    ):
        return False
    if any(not w.islower() for w in [words[0][1:], *words[1:]] if w):
        return False  # "Bean There", "FlowDesk": a name
    return bool(re.match(r"\s*" + re.escape(subject) + r"\s+" + _LABEL, prompt, re.I))


def our_name(subject: str, prompt: str) -> str:
    """The subject as the maker says it of their own: "our hair salon", "our Pilates classes"."""
    own = subject[:1].lower() + subject[1:] if labelled_kind(subject, prompt) else subject
    return "our " + own
