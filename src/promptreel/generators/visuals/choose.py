"""The picture of a scene, chosen so that no scene shows something unrelated.

In order: the scene's own content words (a picture not shown yet, unless the only fresh one is a
much weaker sense than the best); then the video's subject; then the prompt's content words
(the occasion or offer: "周末促销" is a sale); then the kind of video's picture
(``data/kinds.toml``). Words every video says ("In short", "Welcome", "总之") never pick a
picture (``data/stopwords.toml``), so such scenes fall through to the subject.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from importlib.resources import files

from promptreel.generators.base import Illustrations

__all__ = ["scene_picture", "kind_pictures", "told_words", "FRESH_RATIO"]

#: a not-yet-shown picture scoring below this share of the scene's best is a weaker sense of
#: its words ("coffee shop" → a convenience store): the subject's picture is shown instead
FRESH_RATIO = 0.7

_KINDS: dict[str, tuple[str, ...]] = {
    k: tuple(v)
    for k, v in tomllib.loads(
        files(__package__).joinpath("data").joinpath("kinds.toml").read_text(encoding="utf-8")
    )["kinds"].items()
}
_PREFIX = "fluent-emoji-flat"
_ASKS: dict[str, tuple[re.Pattern[str], ...]] = {
    lang: tuple(re.compile(p, re.I) for p in pats)
    for lang, pats in tomllib.loads(
        files(__package__).joinpath("data").joinpath("asks.toml").read_text(encoding="utf-8")
    ).items()
}


def told_words(prompt: str, lang: str = "en") -> str:
    """The prompt's words that say what the video is about: what it asks away ("no background
    music", "不要音乐") and how it asks the video to be made ("make it vertical") are dropped
    (``data/asks.toml``), so they never choose a picture."""
    text = prompt
    for pattern in (*_ASKS.get("en", ()), *_ASKS.get("zh", ())):
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def kind_pictures(genre: str) -> tuple[str, ...]:
    """Illustration ids that stand for a kind of video (``promo``, ``greeting``, …)."""
    names = _KINDS.get(genre) or _KINDS["default"]
    return tuple(n if ":" in n else f"{_PREFIX}:{n}" for n in names)


def _fresh(lib: Illustrations, text: str, lang: str, used: Sequence[str], ratio: float) -> str:
    """The best picture for ``text`` not in ``used``, if it scores at least ``ratio`` of the
    best overall (a weaker sense of the words is no picture of them)."""
    if not text.strip():
        return ""
    rank: Callable[..., list[tuple[str, float]]] | None = getattr(lib, "rank", None)
    if rank is None:
        return lib.match(text, lang=lang, exclude=tuple(used)) or ""
    ranked = rank(text, lang=lang, k=len(used) + 6)
    if not ranked:
        return ""
    best = ranked[0][1]
    for icon_id, score in ranked:
        if icon_id not in used:
            return icon_id if score >= best * ratio else ""
    return ""


def scene_picture(
    lib: Illustrations,
    query: str,
    *,
    lang: str = "en",
    used: Sequence[str] = (),
    subject: str = "",
    prompt: str = "",
    genre: str = "",
    closing: bool = False,
) -> str:
    """The illustration id for a scene whose words (or keywords) are ``query``; ``used`` are
    the pictures of the scenes before it. Never ``""`` when the kind of video has a picture:
    a scene that names nothing shows what the video is about, never an abstract shape.

    A fresh picture of the subject or the prompt comes first; then the subject's own picture
    again (never twice in a row), so the video stays on what it is about; the kind of video's
    picture only when neither names anything to picture."""
    icon = _fresh(lib, query, lang, used, FRESH_RATIO)
    if icon:
        return icon
    prompt = told_words(prompt, lang)
    last = tuple(used[-1:])  # a picture again, but never twice in a row
    if closing and subject.strip():
        icon = lib.match(subject, lang=lang, exclude=last) or ""
        if icon:
            return icon
    for text in (subject, prompt):
        icon = _fresh(lib, text, lang, used, 0.5)
        if icon:
            return icon
    for text in (subject, prompt):  # the subject's own picture again
        if text.strip():
            icon = lib.match(text, lang=lang, exclude=last) or ""
            if icon:
                return icon
    kinds = kind_pictures(genre)
    return next((k for k in kinds if k not in used), "") or next((k for k in kinds if k not in last), "")
