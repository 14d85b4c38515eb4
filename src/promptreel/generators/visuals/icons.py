"""Illustrations from Iconify JSON sets (npm ``@iconify-json/*``), chosen by meaning.

``IconLibrary`` implements :class:`~promptreel.generators.base.Illustrations`. It indexes the
``fluent-emoji-flat`` set (colour illustrations) and ``tabler`` (line icons, fallback): icon
names, aliases, categories (``metadata.json``) and emoji (``chars.json``). A scene phrase —
English, or Chinese through the lexicon — first loses its connective and instruction words
("plus", "next up", "首先"; ``data/stopwords.toml``); what is left is matched by multi-word
concepts and whole illustration names, then keywords (stemming, synonyms, ``data/lexicon.toml``),
blended with a sentence-embedding ranker (:class:`SemanticRanker`) when keywords are unsure.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from promptreel.generators.visuals.embed import default_ranker
from promptreel.generators.visuals.lexicon import (
    CONCEPTS,
    PHRASE_LEN,
    STOPWORDS,
    SYNONYMS,
    WEAK,
    content,
    is_filler,
    stem,
    zh_to_en,
)
from promptreel.language import has_cjk
from promptreel.settings import Settings

__all__ = ["IconLibrary", "IconEntry", "IconSet", "SemanticRanker", "find_icon_root", "DEFAULT_SETS"]

log = logging.getLogger(__name__)

DEFAULT_SETS = ("fluent-emoji-flat", "tabler")
STRONG = 3.0  # a keyword score at least this high (a concept or the icon's own name) is trusted
SIM_FLOOR = 0.25  # cosine similarity below this adds nothing
_SKIN = re.compile(r"-(dark|light|medium|medium-dark|medium-light)$")
_SKIP = re.compile(r"^(flag-|keycap-|regional-indicator)|-(oclock|thirty)$|^(japanese|input)-")
_WORD = re.compile(r"[a-z][a-z0-9']*")
_NAMED = "="  # marks a query word that is an illustration's whole name
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][a-z]+(?![\w'])")
_CATEGORY_PRIOR = {
    "People & Body": -0.4,
    "Smileys & Emotion": -0.25,
    "Flags": -1.0,
    "Symbols": -0.15,
}


_ABOUT: dict[str, list[str]] = defaultdict(list)  # icon name → concept words that show it
for _word, _names in CONCEPTS.items():
    for _n in _names:
        _ABOUT[_n].append(_word)


class SemanticRanker(Protocol):
    """Scores how well each icon description fits a text (cosine similarity, −1..1)."""

    def similarities(self, text: str, descriptions: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class IconEntry:
    id: str  # "prefix:name"
    name: str
    words: tuple[str, ...]  # stemmed name words
    category: str = ""
    emoji: str = ""

    @property
    def description(self) -> str:
        about = _ABOUT.get(self.name)
        name = self.name.replace("-", " ")
        return f"{name}: {', '.join(about[:6])}" if about else name


@dataclass(slots=True)
class IconSet:
    """One Iconify JSON set, loaded from ``<root>/<prefix>/icons.json`` (+ metadata, chars)."""

    prefix: str
    width: int
    height: int
    icons: dict[str, dict[str, Any]]
    aliases: dict[str, dict[str, Any]]
    categories: dict[str, str] = field(default_factory=dict)
    chars: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> IconSet:
        data = json.loads((folder / "icons.json").read_text(encoding="utf-8"))
        categories: dict[str, str] = {}
        meta_file = folder / "metadata.json"
        if meta_file.is_file():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            for cat, names in (meta.get("categories") or {}).items():
                for n in names:
                    categories.setdefault(n, cat)
        chars: dict[str, str] = {}
        chars_file = folder / "chars.json"
        if chars_file.is_file():
            for code, n in json.loads(chars_file.read_text(encoding="utf-8")).items():
                try:
                    chars.setdefault(n, "".join(chr(int(c, 16)) for c in code.split("-")))
                except ValueError:
                    continue
        return cls(
            prefix=data["prefix"],
            width=int(data.get("width", 16)),
            height=int(data.get("height", 16)),
            icons=data["icons"],
            aliases=data.get("aliases") or {},
            categories=categories,
            chars=chars,
        )

    def resolve(self, name: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(icon data, accumulated transform props) for a name or alias."""
        props: dict[str, Any] = {}
        seen = 0
        while name in self.aliases and seen < 8:
            alias = self.aliases[name]
            for k in ("hFlip", "vFlip"):
                if alias.get(k):
                    props[k] = not props.get(k, False)
            if alias.get("rotate"):
                props["rotate"] = (props.get("rotate", 0) + int(alias["rotate"])) % 4
            name = alias["parent"]
            seen += 1
        icon = self.icons.get(name)
        return (icon, props) if icon is not None else None

    def svg(self, name: str, *, color: str = "#ffffff") -> str | None:
        found = self.resolve(name)
        if found is None:
            return None
        icon, props = found
        left, top = int(icon.get("left", 0)), int(icon.get("top", 0))
        w, h = int(icon.get("width", self.width)), int(icon.get("height", self.height))
        body = str(icon["body"])
        h_flip = bool(icon.get("hFlip", False)) ^ bool(props.get("hFlip", False))
        v_flip = bool(icon.get("vFlip", False)) ^ bool(props.get("vFlip", False))
        rotate = (int(icon.get("rotate", 0)) + int(props.get("rotate", 0))) % 4
        transforms = []
        if h_flip or v_flip:
            transforms.append(
                f"translate({(left * 2 + w) if h_flip else 0} {(top * 2 + h) if v_flip else 0}) "
                f"scale({-1 if h_flip else 1} {-1 if v_flip else 1})"
            )
        if rotate:
            cx, cy = left + w / 2, top + h / 2
            transforms.append(f"rotate({rotate * 90} {cx:g} {cy:g})")
        if transforms:
            body = f'<g transform="{" ".join(transforms)}">{body}</g>'
        body = body.replace("currentColor", color)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{w}" height="{h}" viewBox="{left} {top} {w} {h}">{body}</svg>'
        )


def find_icon_root(settings: Settings | None = None, *, start: Iterable[Path] = ()) -> Path | None:
    """The ``@iconify-json`` folder: ``settings.icon_dir`` (that folder, or a ``node_modules``
    or project folder holding it), else the nearest ``node_modules/@iconify-json`` above the
    package or the current directory."""
    cands: list[Path] = []
    if settings is not None and settings.icon_dir:
        d = Path(settings.icon_dir).expanduser()
        cands += [d, d / "@iconify-json", d / "node_modules" / "@iconify-json"]
    env = os.environ.get("PROMPTREEL_ICON_DIR")
    if env:
        d = Path(env)
        cands += [d, d / "@iconify-json", d / "node_modules" / "@iconify-json"]
    for base in [*start, Path(__file__).resolve(), Path.cwd().resolve()]:
        for p in [base, *base.parents]:
            cands.append(p / "node_modules" / "@iconify-json")
    for c in cands:
        if c.is_dir() and any((c / s / "icons.json").is_file() for s in DEFAULT_SETS):
            return c
    return None


class IconLibrary:
    """Keyword (and optionally semantic) matching over Iconify sets; ``svg`` renders an id.

    Sets load lazily on first use. ``sets`` lists prefixes in preference order: the first set
    is searched first and later ones only when it has nothing that fits.
    """

    def __init__(
        self,
        root: Path | None,
        *,
        sets: Sequence[str] = DEFAULT_SETS,
        semantic: SemanticRanker | None = None,
        line_color: str = "#ffffff",
    ) -> None:
        self.root = Path(root) if root else None
        self.set_names = tuple(sets)
        self.semantic = semantic
        self.line_color = line_color
        self._sets: dict[str, IconSet] | None = None
        self._entries: dict[str, list[IconEntry]] = {}
        self._index: dict[str, dict[str, list[IconEntry]]] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._described: dict[str, tuple[str, ...]] = {}
        self._by_id: dict[str, IconEntry] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, semantic: SemanticRanker | bool | None = True
    ) -> IconLibrary:
        ranker: SemanticRanker | None
        ranker = default_ranker(settings.resolved_cache_dir) if semantic is True else semantic or None
        return cls(find_icon_root(settings), semantic=ranker)

    # loading -------------------------------------------------------------------
    def _load(self) -> dict[str, IconSet]:
        if self._sets is None:
            with self._lock:
                if self._sets is None:
                    sets: dict[str, IconSet] = {}
                    for prefix in self.set_names:
                        folder = self.root / prefix if self.root else None
                        if folder is None or not (folder / "icons.json").is_file():
                            continue
                        try:
                            s = IconSet.load(folder)
                        except (OSError, ValueError, KeyError) as exc:
                            log.warning("cannot load icon set %s: %s", folder, exc)
                            continue
                        sets[prefix] = s
                        self._build(s)
                    if not sets:
                        log.warning("no Iconify icon sets found (root=%s); illustrations disabled", self.root)
                    self._sets = sets
        return self._sets

    def _build(self, s: IconSet) -> None:
        entries: list[IconEntry] = []
        index: dict[str, list[IconEntry]] = defaultdict(list)
        every = {*s.icons, *s.aliases}
        for name in [*s.icons, *s.aliases]:
            if _SKIP.search(name) or name.endswith("-off"):
                continue
            if _SKIN.search(name) and _SKIN.sub("", name) in every:
                continue  # a skin-tone variant ("thumbs-up-light"), not a "traffic-light"
            words = tuple(dict.fromkeys(w for part in name.split("-") if (w := stem(part)) not in STOPWORDS))
            if not words:
                continue
            e = IconEntry(
                f"{s.prefix}:{name}", name, words, s.categories.get(name, ""), s.chars.get(name, "")
            )
            entries.append(e)
            self._by_id[e.id] = e
            for w in words:
                index[w].append(e)
        self._entries[s.prefix] = entries
        self._names[s.prefix] = frozenset(e.name for e in entries)
        self._index[s.prefix] = dict(index)

    @property
    def available(self) -> bool:
        return bool(self._load())

    def names(self, prefix: str | None = None) -> list[str]:
        sets = self._load()
        return [e.id for p in sets if prefix in (None, p) for e in self._entries[p]]

    def descriptions(self, prefix: str) -> list[str]:
        """What the semantic ranker compares text with, one per entry of ``prefix``."""
        self._load()
        return list(self._descriptions(prefix))

    def _descriptions(self, prefix: str) -> tuple[str, ...]:
        found = self._described.get(prefix)
        if found is None:
            found = tuple(e.description for e in self._entries.get(prefix, []))
            self._described[prefix] = found
        return found

    def entry(self, icon_id: str) -> IconEntry | None:
        self._load()
        return self._by_id.get(icon_id)

    # matching ------------------------------------------------------------------
    def _query(self, text: str, lang: str) -> tuple[str, list[str]]:
        """(the phrase's content for the sentence model, its keywords): connective and
        instruction words dropped, Chinese read through the lexicon, multi-word concepts
        ("full moon") kept whole. Both are empty when nothing is left to picture."""
        cjk = lang == "zh" or has_cjk(text)
        kept = content(text)
        if not kept:
            return "", []
        low = f"{kept} {zh_to_en(kept)}" if cjk else kept
        vocab = self._index.get(self.set_names[0], {})
        names = self._names.get(self.set_names[0], frozenset())
        raws = [m.group(0).strip("'") for m in _WORD.finditer(low)]
        stems = [stem(r) for r in raws]
        out: list[str] = []
        i = 0
        while i < len(raws):
            for n in range(min(max(PHRASE_LEN, 3), len(raws) - i), 1, -1):
                key = " ".join(stems[i : i + n])
                if key in CONCEPTS:
                    out.append(key)
                    i += n
                    break
                # the words spell an illustration's whole name ("ice cream" → ice-cream)
                name = next((m for m in ("-".join(raws[i : i + n]), key.replace(" ", "-")) if m in names), "")
                if name:
                    out.append(_NAMED + name)
                    i += n
                    break
            else:
                raw = raws[i]
                i += 1
                if is_filler(raw) or len(raw) < 2:
                    continue
                if raw not in CONCEPTS and raw in names:  # "sparkles", "ice": the thing itself
                    out.append(_NAMED + raw)
                    continue
                cands = [raw, stem(raw)]
                cands.append(cands[1] + "e")
                word = next((c for c in cands if c in CONCEPTS or c in vocab or c in SYNONYMS), cands[1])
                if word not in STOPWORDS:
                    out.append(word)
        words = list(dict.fromkeys(out))
        query = " ".join(w.removeprefix(_NAMED).replace("-", " ") for w in words) if cjk else kept
        return query, words

    def _names_only(self, text: str) -> frozenset[str]:
        """The capitalised words of ``text`` the lexicon and the illustrations do not know:
        a person's or place's name ("Anna", "Kyoto") is no picture (a sari, a tower)."""
        vocab = self._index.get(self.set_names[0], {})
        names = self._names.get(self.set_names[0], frozenset())
        out: set[str] = set()
        for m in _CAPITALISED.finditer(text):
            low = m.group(0).lower()
            known = (low, stem(low))
            if not any(k in CONCEPTS or k in SYNONYMS or k in vocab or k in names for k in known):
                out.update(known)
        return frozenset(out)

    def _keyword_scores(self, words: list[str], prefix: str) -> dict[str, float]:
        index = self._index.get(prefix, {})
        n = max(2, len(self._entries.get(prefix, ())))
        parts: dict[str, list[float]] = defaultdict(list)
        primary = prefix == self.set_names[0]
        for pos, w in enumerate(dict.fromkeys(words)):
            weight = (1.0 + 0.15 / (1 + pos)) * (0.6 if w in WEAK else 1.0)  # earlier is more topical
            hits: dict[str, float] = {}
            named = w.startswith(_NAMED)  # the words are an illustration's whole name
            thing = w.removeprefix(_NAMED)
            concepts = ((thing,) if named else CONCEPTS.get(w, ())) if primary else ()
            for rank, name in enumerate(concepts):
                exact = 1.5 if name == thing else 0.0  # the thing itself ("backpack"), not an aspect
                hits[f"{prefix}:{name}"] = max(hits.get(f"{prefix}:{name}", 0.0), 3.0 - 0.5 * rank + exact)
            # a concept entry fixes the word's sense ("train" the verb is not the vehicle)
            if concepts:
                terms: list[tuple[str, float]] = []
            elif named:  # a later set: the name's words
                terms = [(stem(part), 2.0) for part in thing.split("-")]
            else:
                terms = [(w, 2.0), *((s, 1.5) for s in SYNONYMS.get(w, ()))]
            for term, base in terms:
                postings = index.get(term, [])
                if not postings:
                    continue
                idf = math.log(n / len(postings)) / math.log(n)
                for e in postings:
                    s = base * (0.5 + idf) / (1 + 0.4 * (len(e.words) - 1))
                    if e.name == term:
                        s += 1.0
                    # generic words also name many faces, hands and symbols: prefer things
                    s += _CATEGORY_PRIOR.get(e.category, 0.0)
                    hits[e.id] = max(hits.get(e.id, 0.0), s)
            for icon_id, s in hits.items():
                parts[icon_id].append(s * weight)
        # the best word counts fully, further words that agree add a little
        scores = {
            k: v[0] + 0.35 * sum(v[1:]) for k, v in ((k, sorted(v, reverse=True)) for k, v in parts.items())
        }
        # drop concept names missing from this version of the set
        return {k: v for k, v in scores.items() if k in self._by_id}

    def rank(self, text: str, *, lang: str = "en", k: int = 10) -> list[tuple[str, float]]:
        """Best ``k`` illustration ids for ``text`` with their scores (higher is better)."""
        sets = self._load()
        if not sets or not text.strip():
            return []
        query, words = self._query(text, lang)
        if not words or all(w in self._names_only(text) for w in words):
            return []
        for i, prefix in enumerate(sets):
            scores = self._keyword_scores(words, prefix)
            # keywords decide when they found the thing itself; meaning fills in otherwise
            floor = 0.6 if i == 0 else 2.5  # line icons only for a clear name match
            if self.semantic is not None and i == 0 and max(scores.values(), default=0.0) < STRONG:
                scores = self._blend(query, prefix, scores)
                floor = 1.2
            good = sorted(((s, icon_id) for icon_id, s in scores.items() if s > floor), reverse=True)
            if good:
                return [(icon_id, round(s, 4)) for s, icon_id in good[:k]]
        return []

    def _blend(self, query: str, prefix: str, scores: dict[str, float]) -> dict[str, float]:
        assert self.semantic is not None
        entries = self._entries[prefix]
        try:
            sims = self.semantic.similarities(query, self._descriptions(prefix))
        except Exception as exc:  # a broken model must never break a render
            log.warning("semantic icon ranking failed, keywords only: %s", exc)
            return scores
        # weak keyword hits (a generic word in an icon's name) count half; meaning decides
        out = {k: 0.5 * v for k, v in scores.items()}
        for e, sim in zip(entries, sims, strict=True):
            bonus = 10.0 * max(0.0, float(sim) - SIM_FLOOR)
            if bonus > 0:
                out[e.id] = out.get(e.id, 0.0) + bonus + 0.5 * _CATEGORY_PRIOR.get(e.category, 0.0)
        return out

    def match(self, text: str, *, lang: str = "en", exclude: tuple[str, ...] = ()) -> str | None:
        ranked = self.rank(text, lang=lang, k=len(exclude) + 5)
        ex = set(exclude)
        for icon_id, _ in ranked:
            if icon_id not in ex:
                return icon_id
        return None

    def svg(self, name: str) -> str | None:
        prefix, _, icon = name.partition(":")
        sets = self._load()
        if not icon:
            prefix, icon = self.set_names[0], prefix
        s = sets.get(prefix)
        return s.svg(icon, color=self.line_color) if s else None
