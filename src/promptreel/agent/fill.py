"""A thin script lengthened to the time asked for, with nothing made up.

"A 30 second video about our coffee brand" gives two lines of content: said alone they leave the
video silent for most of its length. When a script is that thin (its estimated speech, with each
scene's pauses, is under :data:`FILL_FROM` of the length), :func:`fill` adds lines, one scene each,
until it reaches :data:`FILL_SHARE`, never past :data:`FILL_CEILING`; a script of the user's own
content that nearly fills the length gets no generic copy (the director paces the rest). The lines come from data, in the order the kind of video prefers
(``fill`` in ``data/purposes.toml``):

* ``topic``: what is true of the subject's kind (coffee, a bike, a smile), ``data/topics.toml``;
* ``occasion``: the occasion's own lines (a Christmas sale), ``data/occasions.toml``;
* ``ask``, ``intro`` and ``more``: the kind of video's question to the viewer ("Ever wondered how
  tides work?"), framing and call to action, ``data/purposes.toml``;
  a line naming ``{when}`` or ``{address}`` restates what the user gave, and only then.

Sources take turns, so a short video gets one line of each before any gets a second. Opening lines
(``intro``, the first of the topic and of the occasion) follow the hook; the rest precede the close.
Added scenes are ``body`` beats: the director drops them first when the real speech runs long.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from promptreel.agent import lexicon as lx
from promptreel.agent.brief import Brief, data
from promptreel.agent.kinds import copy_key
from promptreel.agent.patterns import TIME_EN
from promptreel.agent.storyboard import SCENE_PAD_MS, ScenePlan
from promptreel.agent.wording import echoes, headline, sentence

__all__ = ["fill", "topic_for", "script_ms", "speech_ms", "FILL_FROM", "FILL_SHARE", "FILL_CEILING"]

#: a script whose estimated length is below this share of the video's is thin, and is filled (percent)
FILL_FROM = 70
#: a thin script is filled until its estimated length reaches this share (percent)
FILL_SHARE = 80
#: a line is added only while the script stays within this share (percent)
FILL_CEILING = 88
#: words per second (English) and characters per second (Chinese) of the offline voices at speed 1
EN_WORDS_PER_S = 3.0
ZH_CHARS_PER_S = 4.0

#: the order lines are said in, whichever were picked first
_ORDER = {"ask": -1, "intro": 0, "topic": 1, "occasion": 2, "more": 3}


def speech_ms(text: str, zh: bool, speed: float = 1.0) -> int:
    """Estimated time to say ``text`` at ``speed``, in ms."""
    if not text.strip():
        return 0
    seconds = len(text.split()) / EN_WORDS_PER_S
    if zh:
        seconds = (
            lx.count_cjk(text) / ZH_CHARS_PER_S + len(re.findall(r"[A-Za-z0-9]+", text)) / EN_WORDS_PER_S
        )
    return int(seconds * 1000 / max(0.25, speed or 1.0))


def script_ms(scenes: Sequence[ScenePlan], zh: bool, speed: float = 1.0) -> int:
    """Estimated length of the scenes: each one's speech and pauses, or its reading time if longer."""
    total = 0
    for s in scenes:
        said = speech_ms(s.text, zh, speed)
        total += max(said + SCENE_PAD_MS if said else 0, s.min_ms)
    return total


def _found(word: str, text: str) -> bool:
    if lx.has_cjk(word):
        return word in text
    return re.search(r"(?<![\w'])" + re.escape(word.lower()) + r"(?![\w'])", text.lower()) is not None


#: the ages a prompt names: "aged 8-12", "8–12-year-olds", "ages 3 to 5", "a 10-year-old", "3至6岁"
_AGES = re.compile(
    r"\b(?:aged?|ages)\s+(\d{1,2})(?:\s*(?:-|–|to)\s*(\d{1,2}))?\b"
    r"|\b(\d{1,2})(?:\s*(?:-|–|to)\s*(\d{1,2}))?[\s-]*(?:years?[\s-]*olds?|yrs?\b|y/?o\b)"
    r"|(\d{1,2})(?:\s*(?:-|–|~|至|到)\s*(\d{1,2}))?\s*(?:周岁|岁)",
    re.I,
)


def ages_named(text: str) -> tuple[int, ...]:
    """Every age (years) the text names for who a video is for, in order."""
    return tuple(int(a) for m in _AGES.finditer(text) for a in m.groups() if a)


def topic_for(brief: Brief) -> str:
    """The topic (a key of ``data/topics.toml``) the brief is about, or "".

    A word in the subject's name decides first ("our bakery: sourdough, coffee" is about a bakery),
    then one anywhere in the prompt ("a teaser for our podcast 'Night Shift'"); the topics' words
    are things, never settings, so an instruction does not choose one. The longer word wins a tie.
    A topic whose lines fit only some ages (``ages``: little ones) is never chosen for a prompt
    naming an age outside them ("a coding camp for 8–12-year-olds").
    """
    named = " ".join((brief.subject, brief.place, brief.noun))
    content = " ".join((brief.prompt, *(i.text for i in brief.items), *brief.points))
    ages = ages_named(" ".join((brief.prompt, brief.audience)))
    best, score = "", (0, 0)
    for key, spec in data("topics").items():
        low, high = spec.get("ages", (0, 200))
        if any(not low <= a <= high for a in ages):
            continue
        for w in spec["words"]:
            found = (2 if _found(w, named) else 1 if _found(w, content) else 0, len(w))
            if found[0] and found > score:
                best, score = key, found
    return best


def _format(template: str, fields: Mapping[str, str]) -> str:
    """The line with its fields filled, or "" when it names one the prompt did not give."""
    names = [n for _, n, _, _ in string.Formatter().parse(template) if n]
    if any(not fields.get(n) for n in names):
        return ""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", template.format(**fields).strip())  # "Brew & Co.."


def _sources(
    brief: Brief, fields: Mapping[str, str], has_content: bool
) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Each source's lines with the illustrations to show them, in the purpose's order of preference."""
    lang = "zh" if brief.lang == "zh" else "en"
    spec: dict[str, Any] = data("purposes").get(brief.purpose) or data("purposes")["story"]
    subject = (brief.subject or brief.place,) if brief.subject or brief.place else ()
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for source in spec.get("fill", ()):
        lines: list[tuple[str, tuple[str, ...]]] = []
        if source == "intro" and spec.get("intro_frames_content") and not has_content:
            continue
        if source == "topic" and (topic := topic_for(brief)):
            t = data("topics")[topic]
            imagery = list(t["imagery"])
            lines = [(str(x), (imagery[k % len(imagery)],)) for k, x in enumerate(t[lang]["lines"])]
            if _watches(brief, t["words"]):  # a video for kids speaks to them, never about them
                lines = [(x, k) for x, k in lines if not _about_them(x, t["words"])]
        elif source == "occasion" and brief.occasion and brief.purpose != "greeting":
            occ = data("occasions").get(brief.occasion) or {}
            imagery = list(occ.get("imagery", ())) or list(subject)
            lines = [
                (str(x), tuple(imagery[k + 1 : k + 2]))
                for k, x in enumerate(
                    occ.get(lang, {}).get("invite_lines" if brief.purpose == "invitation" else "lines", ())
                )
            ]
        elif source in ("ask", "intro", "more"):
            key = copy_key(brief, source, spec[lang])  # a sale's own lines, a place's, a product's…
            lines = [(_format(str(x), fields), subject) for x in spec[lang].get(key, ())]
        out[source] = [(x, k or subject) for x, k in lines if x]
    return out


def _watches(brief: Brief, words: Sequence[str]) -> bool:
    """Whether the topic was chosen by who the video is for ("teaching kids …" is for kids)."""
    return bool(brief.audience) and any(_found(w, brief.audience) for w in words)


def _about_them(line: str, words: Sequence[str]) -> bool:
    """Whether a line speaks of a group in the third person ("Kids learn best when they're …")."""
    return any(_found(w, line) for w in words) or bool(
        re.search(r"\b(?:they|them|their|they['’]re)\b|他们|孩子们", line, re.I)
    )


def _restates(line: str, brief: Brief, scenes: Sequence[ScenePlan]) -> bool:
    """Whether a line says a time or place a scene already says ("时间：12月28日晚上6点" then
    "12月28日晚上6点，我们不见不散"): each fact is said once."""
    spans = [x for x in (*brief.when[:1], brief.address) if x]
    return any(x.lower() in line.lower() and any(x.lower() in s.text.lower() for s in scenes) for x in spans)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _said_when(brief: Brief) -> str:
    """The brief's first time as a line says it after a verb: "at 7pm", "on June 5", "on Friday at
    7pm" (as given when it has its own preposition; Chinese as given)."""
    when = brief.when[0] if brief.when else ""
    if (
        not when
        or brief.lang == "zh"
        or re.match(r"(?:on|at|in|from|every|next|this|tomorrow|tonight)\b", when, re.I)
    ):
        return when
    return ("at " if TIME_EN.fullmatch(when) else "on ") + when


def fill(brief: Brief, scenes: list[ScenePlan], fields: Mapping[str, str]) -> list[ScenePlan]:
    """``scenes`` with lines added from data until the script fills :data:`FILL_SHARE` of the length.

    ``fields`` fill the lines' placeholders (``{name}``, ``{Name}``, ``{place}``…, see
    ``data/purposes.toml``); ``{when}`` and ``{address}`` are the brief's own.
    """
    zh = brief.lang == "zh"
    if not brief.narration or brief.user_script or not scenes:
        return scenes
    goal, ceiling = brief.target_ms * FILL_SHARE // 100, brief.target_ms * FILL_CEILING // 100
    total = script_ms(scenes, zh, brief.speed)
    if total >= brief.target_ms * FILL_FROM // 100:
        return scenes
    fields = {**fields, "when": _said_when(brief), "address": brief.address}
    if not (brief.subject or brief.place):
        fields = {**fields, "name": "", "Name": ""}  # "Tell your friends about us" names nothing
    after_hook = 0
    while after_hook < len(scenes) and scenes[after_hook].beat == "hook":
        after_hook += 1
    close_at = len(scenes)
    while close_at > after_hook and (
        scenes[close_at - 1].beat == "cta" or scenes[close_at - 1].layout == "quote"
    ):
        close_at -= 1
    sources = _sources(brief, fields, has_content=close_at > after_hook)
    said = {_key(s.text) for s in scenes if s.text}
    picked: list[tuple[bool, int, int, ScenePlan]] = []  # (said at the close, order, turn, scene)
    for turn in range(max((len(v) for v in sources.values()), default=0)):
        for source, lines in sources.items():
            if turn >= len(lines) or total >= goal:
                continue
            line, keywords = lines[turn]
            text = sentence(line, zh)
            if _key(text) in said or echoes(text, brief.quotes) or _restates(text, brief, scenes):
                continue
            scene = ScenePlan(text, headline(text, zh), keywords, beat="body", min_ms=1500)
            cost = script_ms([scene], zh, brief.speed)
            if total + cost > ceiling:
                continue
            total += cost
            said.add(_key(text))
            closing = source == "more" or (source not in ("ask", "intro") and turn > 0)
            picked.append((closing, _ORDER.get(source, 9), turn, scene))
    if not picked:
        return scenes
    picked.sort(key=lambda p: p[:3])
    if close_at == after_hook == 0:  # a video that is only its call to action says it first
        return [*scenes, *(p[3] for p in picked)]
    first = [p[3] for p in picked if not p[0]]
    last = [p[3] for p in picked if p[0]]
    return [*scenes[:after_hook], *first, *scenes[after_hook:close_at], *last, *scenes[close_at:]]
