"""The matching lexicon, read from ``data/lexicon.toml`` and ``data/stopwords.toml``.

* ``CONCEPTS``: an English word or phrase (words stemmed by :func:`stem`) → illustration
  names that show it, best first (names of the ``fluent-emoji-flat`` set).
* ``WEAK``: setting words (time, mood) that pick an illustration only when nothing else does.
* ``SYNONYMS``: word → words that name the same thing in icon names.
* ``ZH_EN``: Chinese words → English keywords (longest match first).
* ``ZH_HEADS``: head characters → English keywords, for the end of a phrase no word covers
  ("牛肉面" is a 面: noodle), looking past shop and noun suffixes ("粥铺" → 粥).
* ``FILLER`` / ``FILLER_PHRASES`` / ``ZH_FILLER``: connective and instruction words ("plus",
  "next up", "首先") that never drive a match; :func:`content` strips them from a phrase.
"""

from __future__ import annotations

import re
import tomllib
from importlib.resources import files
from typing import Any

from promptreel.language import HAN
from promptreel.stopwords import ENGLISH_STOPWORDS

__all__ = [
    "CONCEPTS",
    "WEAK",
    "SYNONYMS",
    "ZH_EN",
    "ZH_HEADS",
    "STOPWORDS",
    "FILLER",
    "FILLER_PHRASES",
    "ZH_FILLER",
    "PHRASE_LEN",
    "stem",
    "tokens",
    "zh_to_en",
    "content",
    "is_filler",
]

_TOKEN = re.compile(r"[a-z][a-z0-9']*|\d+")


def stem(word: str) -> str:
    """A light English stemmer: plural and common verb endings (``sneakers`` → ``sneaker``)."""
    w = word.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) > len(suffix) + 3:
            base = w[: -len(suffix)]
            if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]
            return base
    return w


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(files(__package__).joinpath("data").joinpath(name).read_text(encoding="utf-8"))


def _phrase_key(key: str) -> str:
    """A multi-word concept key as the stems of its words ("wedding rings" → "wedding ring")."""
    words = _TOKEN.findall(key.lower())
    return " ".join(stem(w) for w in words) if len(words) > 1 else key.lower()


_LEX = _read("lexicon.toml")
_STOP = _read("stopwords.toml")

CONCEPTS: dict[str, tuple[str, ...]] = {_phrase_key(k): tuple(v) for k, v in _LEX["concepts"].items()}
WEAK = frozenset(_LEX["weak"]["words"])
SYNONYMS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _LEX["synonyms"].items()}
ZH_EN: dict[str, str] = dict(_LEX["zh"])
ZH_HEADS: dict[str, str] = dict(_LEX.get("zh_heads", {}))
_HEAD_SUFFIXES = frozenset(_LEX.get("zh_heads_skip", {}).get("suffixes", ()))
_NOT_HEADS = frozenset(_LEX.get("zh_heads_skip", {}).get("words", ()))
#: the longest multi-word concept key, in words
PHRASE_LEN = max((k.count(" ") + 1 for k in CONCEPTS), default=1)

FILLER = frozenset(w for group in ("connective", "instruction", "generic") for w in _STOP["en"][group])
FILLER_PHRASES = tuple(sorted(_STOP["en"]["phrases"], key=len, reverse=True))
ZH_FILLER = tuple(sorted(_STOP["zh"]["words"], key=len, reverse=True))

STOPWORDS = ENGLISH_STOPWORDS | frozenset({  # and words too vague to picture
    "again", "both", "come", "comes", "could", "did", "do", "does", "done", "everything", "few",
    "further", "give", "gives", "go", "goes", "going", "got", "had", "has", "have", "he", "him",
    "if", "let", "let's", "lets", "look", "looks", "many", "may", "might", "much", "must", "off",
    "once", "s", "script", "see", "seen", "she", "something", "t", "take", "takes", "thing",
    "things", "under", "where", "whose", "would", "yes", "yours",
})  # fmt: skip

_FILLER_PHRASE_RE = re.compile(
    r"(?<![a-z'])(?:" + "|".join(re.escape(p) for p in FILLER_PHRASES) + r")(?![a-z'])"
)
_ZH_FILLER_RE = re.compile("|".join(re.escape(w) for w in ZH_FILLER))


def is_filler(word: str) -> bool:
    """Whether a lower-cased surface word never names a subject."""
    return word in FILLER or word in STOPWORDS


def content(text: str) -> str:
    """``text`` without its connective and instruction words; ``""`` if nothing else is left.

    General function words ("the", "of") are kept when a subject remains, so a sentence model
    still reads the phrase as a phrase ("next up: our new latte" → "our new latte")."""
    low = _ZH_FILLER_RE.sub(" ", text.lower())
    low = _FILLER_PHRASE_RE.sub(" ", low)
    kept: list[str] = []
    subject = False
    for piece in re.split(rf"(\s+|[^\w'{HAN}]+)", low):
        word = piece.strip("'")
        if word in FILLER:
            continue
        if re.search(rf"[a-z{HAN}]", word) and word not in STOPWORDS:
            subject = True
        kept.append(piece)
    out = re.sub(r"\s+", " ", "".join(kept)).strip(" ,.;:!?-–—")
    return out if subject else ""


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words (stopwords dropped)."""
    out = []
    for m in _TOKEN.finditer(text.lower()):
        t = m.group(0)
        if t in STOPWORDS or t.isdigit():
            continue
        s = stem(t)
        if s and s not in STOPWORDS:
            out.append(s)
    return out


_ZH_KEYS = sorted(ZH_EN.keys() | _NOT_HEADS, key=len, reverse=True)
_ZH_RE = re.compile("|".join(re.escape(k) for k in _ZH_KEYS))
_HAN_RUN = re.compile(f"[{HAN}]+")


def _head(tail: str) -> str:
    """The keyword of the character that heads ``tail`` (its last, past shop and noun suffixes)."""
    core = tail
    while len(core) > 1 and core[-1] in _HEAD_SUFFIXES:
        core = core[:-1]
    return ZH_HEADS.get(core[-1], "") if core else ""


def zh_to_en(text: str) -> str:
    """English keywords for the Chinese words found in ``text`` (longest match first), each
    phrase led by its head character's keyword when no word covers the phrase's end."""
    out: list[str] = []
    for run in _HAN_RUN.finditer(text):
        phrase = run.group(0)
        words: list[str] = []
        end = 0
        for m in _ZH_RE.finditer(phrase):
            words.append(ZH_EN.get(m.group(0), ""))  # a word listed as no head names nothing
            end = m.end()
        head = _head(phrase[end:]) if end < len(phrase) else ""
        out.extend(w for w in (head, *words) if w)
    return " ".join(out)
