"""Prompt → :class:`Storyboard`. Deterministic and offline: the same prompt always plans the same video.

Reads duration, aspect, language, mood, genre, subject, listed details and facts, music style and
uploaded-media mentions from an English or Chinese prompt, then asks :mod:`promptreel.agent.script`
for narration sized to the duration and dresses each scene with a motion and a transition.
"""

from __future__ import annotations

import hashlib
import random
import re

from promptreel.agent import lexicon as lx
from promptreel.agent.script import Script, write_script
from promptreel.agent.storyboard import Brief, Chart, Fact, ScenePlan, Storyboard
from promptreel.draft.model import Canvas
from promptreel.errors import InvalidRequest

__all__ = [
    "plan",
    "read_brief",
    "parse_duration",
    "parse_canvas",
    "detect_lang",
    "parse_mood",
    "parse_genre",
    "parse_subject",
    "parse_music_style",
    "parse_facts",
    "parse_voice",
    "prompt_seed",
    "DEFAULT_MS",
    "SHORT_MS",
    "MIN_MS",
    "MAX_MS",
    "PALETTES",
    "MOTIONS",
    "TRANSITIONS",
]

DEFAULT_MS = 30_000
SHORT_MS = 15_000
MIN_MS = 5_000
MAX_MS = 600_000

VERTICAL = Canvas(1080, 1920, 30)
SQUARE = Canvas(1080, 1080, 30)
LANDSCAPE = Canvas(1920, 1080, 30)
FOUR_FIVE = Canvas(1080, 1350, 30)

#: mood → palettes, each ordered [deep background, second background, accent, highlight, text]
PALETTES: dict[str, tuple[tuple[str, ...], ...]] = {
    "warm": (
        ("#3B2417", "#7A4A2A", "#D98E48", "#F2C078", "#FFF4E6"),
        ("#4A1F1A", "#9C4A2F", "#E07A3F", "#F6C177", "#FFF8EE"),
    ),
    "upbeat": (
        ("#1B1464", "#5B2A86", "#FF5E78", "#FFC93C", "#FFFFFF"),
        ("#0B3D91", "#1FA2FF", "#FF6F3C", "#FFE066", "#FFFFFF"),
    ),
    "energetic": (
        ("#0D0D0D", "#1F1147", "#FF2E63", "#08D9D6", "#FFFFFF"),
        ("#111111", "#2B0A3D", "#F9ED32", "#FF3864", "#FFFFFF"),
    ),
    "happy": (
        ("#FF6F91", "#FF9671", "#FFC75F", "#F9F871", "#FFFFFF"),
        ("#845EC2", "#D65DB1", "#FF9671", "#FFC75F", "#FFFFFF"),
    ),
    "calm": (
        ("#0F2C3F", "#1F5F73", "#6FB3B8", "#BADFDB", "#F4FBFB"),
        ("#1D2B53", "#3E5C76", "#89B0AE", "#D8E2DC", "#FFFFFF"),
    ),
    "corporate": (
        ("#0B1F3A", "#16406B", "#2E86DE", "#48C9B0", "#FFFFFF"),
        ("#102A43", "#243B53", "#3EBD93", "#F0B429", "#FFFFFF"),
    ),
    "cinematic": (
        ("#0A0F14", "#1B2A36", "#D9822B", "#2A9D8F", "#F1F1F1"),
        ("#07090F", "#21283A", "#C9A227", "#7D8CA3", "#F5F5F5"),
    ),
    "playful": (
        ("#2D1E6B", "#5F0F40", "#FB8B24", "#0CCE6B", "#FFFFFF"),
        ("#3A0CA3", "#7209B7", "#F72585", "#4CC9F0", "#FFFFFF"),
    ),
}
MOTIONS: dict[str, tuple[str, ...]] = {
    "warm": ("gradient", "waves", "particles", "shapes"),
    "upbeat": ("shapes", "particles", "rays", "grid"),
    "energetic": ("rays", "shapes", "grid", "particles"),
    "happy": ("particles", "shapes", "rays", "waves"),
    "calm": ("waves", "gradient", "particles"),
    "corporate": ("grid", "gradient", "shapes"),
    "cinematic": ("rays", "gradient", "particles", "waves"),
    "playful": ("shapes", "particles", "waves", "rays"),
}
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "warm": ("crossfade", "slide", "crossfade"),
    "upbeat": ("slide", "wipe", "zoom", "crossfade"),
    "energetic": ("zoom", "slide", "wipe"),
    "happy": ("zoom", "slide", "crossfade"),
    "calm": ("crossfade",),
    "corporate": ("wipe", "crossfade", "slide"),
    "cinematic": ("crossfade", "zoom"),
    "playful": ("slide", "zoom", "wipe"),
}
TRANSITION_MS = {
    "warm": 600, "upbeat": 400, "energetic": 300, "happy": 450,
    "calm": 800, "corporate": 500, "cinematic": 700, "playful": 400,
}  # fmt: skip
MOOD_MUSIC = {
    "warm": "warm", "upbeat": "upbeat", "energetic": "energetic", "happy": "happy",
    "calm": "calm", "corporate": "corporate", "cinematic": "cinematic", "playful": "happy",
}  # fmt: skip
MOOD_SPEED = {"calm": 0.95, "energetic": 1.08, "upbeat": 1.03}

_WARM_SUBJECTS = (
    "coffee", "café", "cafe", "bakery", "bread", "tea", "restaurant", "kitchen", "food", "family",
    "home", "candle", "咖啡", "面包", "烘焙", "茶", "餐厅", "美食", "家",
)  # fmt: skip
_TECH_SUBJECTS = ("app", "software", "platform", "tech", "ai", "startup", "gadget", "device", "科技", "应用")


# ── small helpers ──────────────────────────────────────────────────────────────────────────


def prompt_seed(prompt: str) -> int:
    """A stable 31-bit seed from the prompt text (``hash()`` is salted per process; this is not)."""
    digest = hashlib.sha256(" ".join(prompt.split()).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def _has_word(text: str, phrase: str) -> int:
    """Position of ``phrase`` in lower-cased ``text`` (word-bounded for ASCII), or -1."""
    if lx.has_cjk(phrase) or not re.search(r"[a-z0-9]", phrase):
        return text.find(phrase)
    pattern = r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])"
    m = re.search(pattern, text)
    return m.start() if m else -1


def _first_of(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The key of ``table`` whose phrase appears earliest in ``text`` (longer phrases win ties)."""
    best: tuple[int, int, str] | None = None
    for key, phrases in table.items():
        for p in phrases:
            pos = _has_word(text, p)
            if pos >= 0:
                cand = (pos, -len(p), key)
                if best is None or cand < best:
                    best = cand
    return best[2] if best else None


# ── duration ───────────────────────────────────────────────────────────────────────────────

_NUM = r"(\d+(?:\.\d+)?)"
_EN_WORDNUM = r"((?:twenty|thirty|forty|fifty|sixty)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|" \
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|ninety)"  # fmt: skip
_ZH_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)"


def _clamp_ms(ms: float) -> int:
    return int(min(MAX_MS, max(MIN_MS, round(ms))))


def parse_duration(prompt: str) -> int | None:
    """Length asked for in ms (clamped to 5 s..10 min), or ``None`` when the prompt names none.

    ``"30-second"``, ``"30s"``, ``"30 sec"``, ``"1.5 minutes"``, ``"half a minute"``, ``"a minute"``,
    ``"two minutes"``, ``"1 minute 30 seconds"``, ``"45秒"``, ``"一分钟"``, ``"半分钟"``, ``"一分半"``.
    """
    t = prompt.lower().replace("–", "-").replace("—", "-")
    total = 0.0
    found = False
    # English: minutes (digits or words) optionally followed by seconds
    m = re.search(r"(?<![\d:.])" + _NUM + r"\s*-?\s*(?:minutes?|mins?)\b", t)
    wm = re.search(r"\b" + _EN_WORDNUM + r"[\s-]+minutes?\b", t)
    if re.search(r"\b(?:a|one)[\s-]+(?:and[\s-]+a[\s-]+half|and-a-half)[\s-]+minutes?\b", t) or re.search(
        r"\ba\s+minute\s+and\s+a\s+half\b", t
    ):
        total, found = 90.0, True
    elif re.search(r"\bhalf[\s-]+(?:a[\s-]+)?minute\b", t):
        total, found = 30.0, True
    elif m:
        total, found = float(m.group(1)) * 60, True
    elif wm:
        n = lx.word_number(wm.group(1))
        if n is not None:
            total, found = float(n) * 60, True
    elif re.search(r"\b(?:a|one)[\s-]+minute\b", t):
        total, found = 60.0, True
    s = re.search(r"(?<![\d:.])" + _NUM + r"\s*-?\s*(?:seconds?|secs?|s)\b", t)
    ws = re.search(r"\b" + _EN_WORDNUM + r"[\s-]+seconds?\b", t)
    sec: float | None = None
    if s:
        sec = float(s.group(1))
    elif ws:
        n = lx.word_number(ws.group(1))
        sec = float(n) if n is not None else None
    if sec is not None:
        total = total + sec if found and total < 600 and sec < 60 else (total if found else sec)
        found = True
    if not found:
        # Chinese
        if "半分钟" in prompt:
            return _clamp_ms(30_000)
        zm = re.search(_ZH_NUM + r"\s*分(?:钟)?(半)?", prompt)
        zs = re.search(_ZH_NUM + r"\s*(?:秒钟?|s\b)", prompt)
        if zm:
            zmin = _zh_or_float(zm.group(1))
            if zmin is not None:
                total, found = zmin * 60 + (30 if zm.group(2) else 0), True
        if zs:
            n2 = _zh_or_float(zs.group(1))
            if n2 is not None:
                total = total + float(n2) if found else float(n2)
                found = True
    if not found:
        return None
    return _clamp_ms(total * 1000)


def _zh_or_float(text: str) -> float | None:
    if re.fullmatch(_NUM, text):
        return float(text)
    n = lx.zh_number(text)
    return None if n is None else float(n)


def _target_ms(prompt: str) -> int:
    ms = parse_duration(prompt)
    if ms is not None:
        return ms
    low = prompt.lower()
    if _has_word(low, "short") >= 0 or "短视频" in prompt or "短片" in prompt or "简短" in prompt:
        return SHORT_MS
    return DEFAULT_MS


# ── canvas, language, mood, genre, music ───────────────────────────────────────────────────


def parse_canvas(prompt: str) -> Canvas:
    """1080×1920 for vertical/TikTok/竖屏, 1080×1080 for square, else 1920×1080; 30 fps."""
    t = prompt.lower().replace("：", ":").replace("x", "x")
    for ratio, canvas in (("9:16", VERTICAL), ("1:1", SQUARE), ("4:5", FOUR_FIVE), ("16:9", LANDSCAPE)):
        if ratio in t:
            return canvas
    kind = _first_of(
        t, {"vertical": lx.VERTICAL_WORDS, "square": lx.SQUARE_WORDS, "landscape": lx.LANDSCAPE_WORDS}
    )
    return {"vertical": VERTICAL, "square": SQUARE}.get(kind or "", LANDSCAPE)


def detect_lang(prompt: str) -> str:
    return "zh" if lx.has_cjk(prompt) else "en"


_IMPLIED_MOOD = {
    "happy": ("birthday", "party", "confetti", "celebration", "celebrate", "生日", "庆祝", "节日"),
    "corporate": ("team update", "weekly update", "report", "quarterly", "investor", "汇报", "周报"),
}
_EXPLICIT_MOOD = {
    mood: tuple(w for w in words if all(w not in v for v in _IMPLIED_MOOD.values()))
    for mood, words in lx.MOOD_WORDS.items()
}


def parse_mood(prompt: str, *, genre: str = "promo", subject: str = "") -> str:
    """The tone asked for ("warm tone", "upbeat", "节奏要快"), else one implied by genre and subject."""
    t = prompt.lower()
    explicit = _first_of(t, _EXPLICIT_MOOD)
    if explicit:
        return explicit
    implied = _first_of(t, _IMPLIED_MOOD)
    if implied:
        return implied
    s = f"{subject} {prompt}".lower()
    if genre == "greeting":
        return "happy"
    if genre == "update":
        return "corporate"
    if genre == "explainer":
        return "calm"
    if any(_has_word(s, w) >= 0 for w in _WARM_SUBJECTS):
        return "warm"
    if genre == "teaser":
        return "energetic"
    if any(_has_word(s, w) >= 0 for w in _TECH_SUBJECTS):
        return "upbeat"
    return "upbeat" if genre == "promo" else "warm"


_EXPLAINER_STRONG = ("explainer", "explain", "explains", "explaining", "tutorial", "introduction to", "how-to",
                     "科普", "讲解", "解释", "原理", "教程")  # fmt: skip
_EXPLAINER_WEAK = ("how", "what is", "what are", "why", "guide", "lesson", "如何", "怎么", "为什么")


def parse_genre(prompt: str) -> str:
    """promo | teaser | explainer | greeting | update | story."""
    t = prompt.lower()

    def any_of(words: tuple[str, ...]) -> bool:
        return any(_has_word(t, w.strip()) >= 0 for w in words)

    if any_of(lx.GENRE_WORDS["greeting"]):
        return "greeting"
    if any_of(lx.GENRE_WORDS["update"]):
        return "update"
    if any_of(_EXPLAINER_STRONG):
        return "explainer"
    if any_of(lx.GENRE_WORDS["teaser"]) or "新款" in prompt:
        return "teaser"
    if any_of(lx.GENRE_WORDS["promo"]) or any_of(lx.BUSINESS_NOUNS):
        return "promo"
    if any_of(_EXPLAINER_WEAK):
        return "explainer"
    return "story"


def parse_music_style(prompt: str, mood: str) -> str:
    """An explicit style ("lo-fi", "happy song", "upbeat music", "钢琴"), else the mood's style."""
    explicit = _first_of(prompt.lower(), lx.MUSIC_WORDS)
    return explicit or MOOD_MUSIC.get(mood, "upbeat")


# ── subject, details, facts ────────────────────────────────────────────────────────────────

_EN_CUTS = re.compile(
    r"\s*(?:(?<!\bCo)(?<!\bInc)(?<!\bLtd)(?<!\bSt)[.]|[,:;!?()\[\]]|\s-\s|\s—\s|\bwith\b|\bin\s+(?:a|an|the)\b|\busing\b|\bthat\b|\bwhich\b|"
    r"\bset\s+to\b|\bfor\s+(?:tiktok|instagram|youtube|reels|shorts|social)\b|\bfor\s+\d|\bin\s+\d|"
    r"\bvertical\b|\bsquare\b|\blandscape\b|\bportrait\b)"
)
_LEADING = re.compile(r"^(?:(?:a|an|the|my|our|your|this|some)\s+)+", re.I)
_LEADING_KEEP_THE = re.compile(r"^(?:(?:a|an|my|our|your|this|some)\s+)+", re.I)
_SUBJECT_CUES = ("about", "for", "on", "featuring", "introducing", "showcasing", "promoting", "advertising",
                 "explaining", "explain", "explains", "celebrating", "of")  # fmt: skip
_ZH_SUBJECT = (
    re.compile(r"为(?:一家|一个|一款|一位|我们的|我们|我的|我|)(.+?)(?:生成|制作|做|拍|创作|打造|设计|剪辑)"),
    re.compile(
        r"(?:介绍|展示|宣传|推广)(?:一下)?(?:我们的|我们|我的|一款|一个|一家|)(.+?)(?:[，。,.!！；;]|的视频|$)"
    ),
    re.compile(r"关于(.+?)的"),
    re.compile(r"给(?:我的|我|)(.+?)(?:的|做|生成|制作|[，,。]|$)"),
    re.compile(
        r"(?:做|生成|制作|拍|来)(?:一个|一条|一支|一段|个|)(?:\d+\s*秒的?|[一二两三四五六七八九十半]+分钟的?|竖屏的?|横屏的?|短)*"
        r"([\u4e00-\u9fffA-Za-z0-9]{2,12}?)的"
    ),
)


def _clean_subject(raw: str) -> str:
    text = _EN_CUTS.split(raw, maxsplit=1)[0].strip()
    text = re.sub(r"\s+\bfor\b\s+.*$", "", text)
    text = re.sub(r"[\"“”「」『』]", "", _LEADING_KEEP_THE.sub("", text)).strip(" '")
    if re.match(r"^the\s", text, flags=re.I) and not re.match(r"^the\s+\S+(?:\s+of\b|$)", text, flags=re.I):
        text = text[4:]  # "the immune system" keeps its article, "the neighbourhood bakery" does not need it
    words = text.split()
    trailing = ("and", "or", "of", "in", "on", "at", "for", "to", "with", "about", "from", "by")
    while words and (words[-1].lower() in lx.STYLE_WORDS or words[-1].lower() in trailing):
        words.pop()
    out = " ".join(words[:8])
    return "" if out.lower() in lx.STOPWORDS or len(out) < 2 else out


def parse_subject(prompt: str) -> str:
    """What the video is about: ``"coffee brand"``, ``"how vaccines train the immune system"``,
    ``"my sister Anna"`` → ``"sister Anna"``, ``"咖啡品牌"``; ``""`` when nothing is named."""
    if lx.has_cjk(prompt):
        for pat in _ZH_SUBJECT:
            m = pat.search(prompt)
            if m:
                s = re.sub(r"^(?:一[家个款位部支]|这[个款家])", "", m.group(1).strip())
                s = re.sub(r"的$", "", s)
                s = re.sub(r"^\d+\s*(?:秒|分钟)的?", "", s)
                if s and not any(w in s for w in ("视频", "短片")):
                    return s[:16]
        m = re.search(r"(团队周报|团队月报|周报|月报|季报|季度汇报|年终总结|汇报|复盘|团队更新)", prompt)
        return m.group(1) if m else ""
    lowered = prompt.lower()
    for cue in _SUBJECT_CUES:
        for m in re.finditer(r"\b" + cue + r"\s+(.+)", prompt, flags=re.I):
            raw = m.group(1)
            first = raw.split()[0].lower().strip(",.:;") if raw.split() else ""
            if first in ("tiktok", "instagram", "youtube", "reels", "shorts", "social", "my script", "me"):
                continue
            if cue == "on" and first in ("a", "an") and "explainer" not in lowered:
                pass
            subject = _clean_subject(raw)
            if subject and subject.lower() not in lx.STYLE_WORDS and not re.fullmatch(r"[\d\s.:-]+", subject):
                return subject
    # "a 60-second weekly team update: …" → the thing named before the colon
    head = re.split(r"[:：,;]", prompt, maxsplit=1)[0]
    head = re.sub(r"^\s*(?:please\s+)?(?:generate|create|make|produce|build|give me|i want|i need)\s+", "",
                  head, flags=re.I)  # fmt: skip
    head = re.sub(r"(?<![\w])(?:\d+(?:\.\d+)?|a|one|half a)[\s-]*(?:seconds?|secs?|s|minutes?|mins?)\b", "",
                  head, flags=re.I)  # fmt: skip
    head = re.sub(r"\b(?:video|clip|short|vertical|square|landscape)\b", "", head, flags=re.I)
    return _clean_subject(head)


_FACT_DIR = re.compile(
    r"^(?P<label>[\w\s'&/-]*?)\s*(?:is\s+|are\s+|was\s+)?(?P<dir>up|down|grew|rose|increased|fell|dropped|"
    r"decreased|declined|jumped)\s+(?:by\s+)?(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|percent|x|k|m)?",
    re.I,
)
_FACT_COUNT = re.compile(r"^(?P<num>\d[\d,]*(?:\.\d+)?|[a-z]+(?:-[a-z]+)?)\s*(?P<unit>%|percent|k)?\s+(?P<label>.+)$",
                         re.I)  # fmt: skip
_FACT_AT = re.compile(
    r"^(?P<label>[\w\s'&/-]+?)\s+(?:of|at|is|was|hit|reached|to)\s+(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|percent|k)?",
    re.I,
)
_ZH_FACT_DIR = re.compile(
    r"(?P<label>.*?)(?P<dir>增长|上涨|提升|提高|上升|下降|减少|下滑)了?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|％)?"
)
_ZH_FACT_NUM = re.compile(
    r"(?P<label>.*?)(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)\s*(?P<unit>%|％|个|位|名|人|家)?"
)


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _fact_chart(label: str, value: float, unit: str) -> Chart:
    return Chart("counter", (value,), (label,) if label else (), unit)


def parse_facts(fragment: str) -> Fact:
    """One listed fact, with a number and a chart when it has one ("revenue up 12%" → counter 12 %)."""
    text = fragment.strip().rstrip(".")
    if lx.has_cjk(text):
        m = _ZH_FACT_DIR.search(text)
        if m:
            v = _num(m.group("num"))
            unit = "%" if m.group("unit") else ""
            label = m.group("label").strip() or "增长"
            up = m.group("dir") in ("增长", "上涨", "提升", "提高", "上升")
            return Fact(text, label, v, unit, "up" if up else "down", _fact_chart(label, v, unit))
        m2 = _ZH_FACT_NUM.search(text)
        if m2:
            zn = _zh_or_float(m2.group("num"))
            if (
                zn is not None
                and zn > 0
                and not re.search(r"(?:周|月|号|日|点|年)", text[m2.end() : m2.end() + 1])
                and not re.search(r"(?:周|星期|礼拜)$", text[: m2.start("num")])
            ):
                unit = "%" if m2.group("unit") in ("%", "％") else ""
                label = (m2.group("label") + text[m2.end() :]).strip() or text
                return Fact(text, label, zn, unit, "", _fact_chart(label, zn, unit))
        return Fact(text)
    m = _FACT_DIR.search(text)
    if m:
        v = _num(m.group("num"))
        unit = _unit(m.group("unit"))
        label = m.group("label").strip() or "Growth"
        d = "up" if m.group("dir").lower() in ("up", "grew", "rose", "increased", "jumped") else "down"
        return Fact(text, label, v, unit, d, _fact_chart(label.capitalize(), v, unit))
    m = _FACT_AT.search(text)
    if m:
        v = _num(m.group("num"))
        unit = _unit(m.group("unit"))
        label = m.group("label").strip()
        return Fact(text, label, v, unit, "", _fact_chart(label.capitalize(), v, unit))
    m = _FACT_COUNT.search(text)
    if m:
        raw = m.group("num")
        word = lx.word_number(raw)
        count: float | None = _num(raw) if raw[0].isdigit() else (None if word is None else float(word))
        if count is not None and count > 0:
            unit = _unit(m.group("unit"))
            label = m.group("label").strip()
            return Fact(text, label, count, unit, "", _fact_chart(label.capitalize(), count, unit))
    return Fact(text)


def _unit(raw: str | None) -> str:
    if not raw:
        return ""
    r = raw.lower()
    return "%" if r in ("%", "percent", "％") else r


def _is_style_fragment(fragment: str) -> bool:
    f = fragment.lower().strip()
    if not f:
        return True
    if parse_duration(f) is not None and len(f.split()) <= 4:
        return True
    words = set(re.findall(r"[a-z0-9:'-]+", f))
    if words & set(lx.STYLE_WORDS):
        return True
    if lx.has_cjk(f) and any(w in f for w in lx.STYLE_WORDS if lx.has_cjk(w)):
        return True
    if _first_of(f, _EXPLICIT_MOOD) and len(f.split()) <= 3 and not re.search(r"\d", f):
        return True
    if any(_has_word(f, w) >= 0 for w in (*lx.VERTICAL_WORDS, *lx.SQUARE_WORDS, *lx.LANDSCAPE_WORDS)):
        return True
    if not re.search(r"\w", f):
        return True
    alpha = re.findall(r"[a-z]+", f)
    if alpha and not lx.has_cjk(f) and all(w in lx.TONE_WORDS for w in alpha) and len(f.split()) <= 4:
        return True
    return bool(re.fullmatch(r"(?:and|or|with|please|thanks?)", f))


def _fragments(prompt: str, subject: str) -> list[str]:
    """Listed things after the subject: the part after a colon, comma items and ``with … and …``."""
    if lx.has_cjk(prompt):
        parts = re.split(r"[，,。；;、：:！!]", prompt)
        out = []
        for p in parts:
            p = p.strip()
            if not p or (subject and subject in p) or _is_style_fragment(p):
                continue
            if re.search(r"(?:生成|制作|做一个|做个|来一个|视频)", p):
                continue
            out.append(re.sub(r"^(?:还有|以及|和|带|带有|包括)", "", p))
        return [p for p in out if p]
    text = prompt
    colon = re.search(r"(?<!\d):(?!\d)", text)
    if colon:
        tail = text[colon.end() :]
    else:
        low = text.lower()
        pos = low.find(subject.lower()) if subject else -1
        tail = text[pos + len(subject) :] if pos >= 0 else ""
    pieces: list[str] = []
    first = True
    for chunk in re.split(r"[,;]|\.\s", tail):
        chunk = chunk.strip().rstrip(".")
        if not chunk:
            continue
        if first and not colon and re.match(r"^(?:a|an|the)\s+\w", chunk, flags=re.I):
            first = False  # "Brew & Co., a specialty coffee roaster" describes the subject
            continue
        first = False
        chunk = re.sub(r"^(?:with|featuring|including|plus|and)\s+", "", chunk, flags=re.I)
        for sub in re.split(r"\s+and\s+(?=(?:a|an|the|some)?\s*\w)", chunk):
            sub = _LEADING.sub("", sub.strip()) if not re.match(r"^(?:a|an)\s+\d", sub) else sub.strip()
            if sub and not _is_style_fragment(sub) and sub.lower() != subject.lower():
                pieces.append(sub)
    return pieces[:8]


_NAME_STOP = {"and", "with", "for", "on", "in", "to", "a", "the", "happy", "birthday", "square", "vertical"}


def _recipient(prompt: str) -> tuple[str, str]:
    """(name, relation) for greetings: "for my sister Anna" → ("Anna", "sister")."""
    rel_alt = "|".join(sorted((re.escape(r) for r in lx.RELATIONS), key=len, reverse=True))
    m = re.search(
        r"\b(?:for|to)\s+(?:my|our)\s+(?:(?:little|big|older|younger|dear|lovely|amazing|wonderful)\s+)?"
        r"(" + rel_alt + r")\b(?:\s*,?\s+([A-Z][\w'-]+))?",
        prompt,
        flags=re.I,
    )
    if m:
        name = m.group(2) or ""
        if name.lower() in _NAME_STOP or not name[:1].isupper():
            name = ""
        return name, m.group(1).lower()
    m = re.search(r"\b(?:for|to)\s+([A-Z][a-z'-]+)(?:\s+(?:and|&)\s+([A-Z][a-z'-]+))?\b", prompt)
    if m and m.group(1).lower() not in _NAME_STOP | {"tiktok", "instagram", "youtube", "reels"}:
        return (f"{m.group(1)} and {m.group(2)}" if m.group(2) else m.group(1)), ""
    zh = re.search(r"(?:给|送给|祝)(?:我的|我|)(妈妈|爸爸|妹妹|姐姐|哥哥|弟弟|老婆|老公|朋友|闺蜜|女儿|儿子|奶奶|爷爷|"
                   r"外婆|外公|老师|同事|宝贝)?([\u4e00-\u9fff]{2,3}?)?(?:的|做|生日|[，,。]|$)", prompt)  # fmt: skip
    if zh and (zh.group(1) or zh.group(2)):
        return (zh.group(2) or ""), (zh.group(1) or "")
    return "", ""


def _occasion(prompt: str) -> str:
    return _first_of(prompt.lower(), lx.OCCASIONS) or ""


_QUOTED = re.compile(r"[\"“「『](.+?)[\"”」』]", re.S)
_SCRIPT_AFTER = re.compile(r"(?:script|narration|voice-?over|旁白|脚本|文案)\s*[:：]\s*(.+)$", re.I | re.S)


def _user_script(prompt: str, lang: str) -> str:
    """Narration written into the prompt itself (quoted, or after "script:"), used word for word."""
    m = _SCRIPT_AFTER.search(prompt)
    cands = [m.group(1)] if m else []
    cands += [q for q in _QUOTED.findall(prompt)]
    for c in cands:
        c = c.strip().strip("\"“”「」『』'")
        size = len(re.findall(r"[\u4e00-\u9fff]", c)) if lang == "zh" else len(c.split())
        if size >= (16 if lang == "zh" else 10):
            return c
    return ""


def _media_hints(prompt: str) -> tuple[str, ...]:
    low = prompt.lower()
    return tuple(w for w in lx.MEDIA_WORDS if (w in low if lx.has_cjk(w) else _has_word(low, w) >= 0))


def _speed(prompt: str, mood: str) -> float:
    t = prompt.lower()
    if re.search(r"\b(?:slow(?:ly)?|slower)\s+(?:narration|voice|voiceover|speech)|\bspeak(?:s)?\s+slow", t):
        return 0.9
    if re.search(r"\b(?:fast|quick|rapid)\s+(?:narration|voice|voiceover|speech)|\bspeak(?:s)?\s+fast", t):
        return 1.1
    return MOOD_SPEED.get(mood, 1.0)


def parse_voice(prompt: str) -> str:
    """A voice wish in the prompt ("female voice", "男声"), as the speech engines understand it; else ""."""
    t = prompt.lower()
    if re.search(
        r"\b(?:female|woman'?s?|women'?s?|girl'?s?)\s+(?:voice|narrator|narration|voiceover|vo)\b", t
    ) or any(w in prompt for w in ("女声", "女生配音", "女配音", "女旁白")):
        return "female"
    if re.search(
        r"\b(?:male|man'?s?|men'?s?|guy'?s?)\s+(?:voice|narrator|narration|voiceover|vo)\b", t
    ) or any(w in prompt for w in ("男声", "男生配音", "男配音", "男旁白")):
        return "male"
    return ""


def read_brief(prompt: str) -> Brief:
    """Everything the planner reads from a prompt (no writing yet)."""
    text = " ".join(prompt.replace("{", "(").replace("}", ")").split())  # braces mean nothing in a prompt
    if not text:
        raise InvalidRequest("The prompt is empty: describe the video you want, e.g. "
                             '"a 30-second promo for a coffee brand".')  # fmt: skip
    lang = detect_lang(text)
    genre = parse_genre(text)
    subject = parse_subject(text)
    mood = parse_mood(text, genre=genre, subject=subject)
    fragments = _fragments(text, subject)
    facts: list[Fact] = []
    details: list[str] = []
    for frag in fragments:
        fact = parse_facts(frag)
        if genre == "update" or fact.value is not None:
            facts.append(fact)
        else:
            details.append(frag)
    name, relation = _recipient(text) if genre == "greeting" else ("", "")
    user_script = _user_script(text, lang)
    named = [q.strip() for q in _QUOTED.findall(text) if 1 <= len(q.split()) <= 4]
    if named and not user_script and genre in ("promo", "teaser", "story"):
        subject = named[0]  # 'our indie game "Starfall"' → "Starfall"
    return Brief(
        prompt=text,
        lang=lang,
        target_ms=_target_ms(text),
        genre=genre,
        mood=mood,
        subject=subject,
        details=tuple(details),
        facts=tuple(facts),
        recipient=name,
        relation=relation,
        occasion=_occasion(text) if genre == "greeting" else "",
        user_script=user_script,
        speed=_speed(text, mood),
        media_hints=_media_hints(text),
    )


def _dress(script: Script, mood: str, rng: random.Random) -> tuple[ScenePlan, ...]:
    motions = MOTIONS.get(mood, MOTIONS["upbeat"])
    transitions = TRANSITIONS.get(mood, TRANSITIONS["upbeat"])
    offset = rng.randrange(len(motions))
    t_offset = rng.randrange(len(transitions))
    scenes = []
    for i, line in enumerate(script.scenes):
        motion = motions[(offset + i) % len(motions)]
        transition = "cut" if i == 0 else transitions[(t_offset + i) % len(transitions)]
        scenes.append(
            ScenePlan(
                text=line.text,
                headline=line.headline,
                keywords=line.keywords,
                chart=line.chart,
                motion=motion,
                transition=transition,
                beat=line.beat,
            )
        )
    return tuple(scenes)


def plan(prompt: str, *, seed: int | None = None) -> Storyboard:
    """Plan a video for ``prompt``: canvas, length, mood, look, title and a narrated scene list.

    Deterministic: the same prompt (and seed) always gives the same storyboard. With no seed one is
    derived from the prompt text.
    """
    brief = read_brief(prompt)
    seed = prompt_seed(brief.prompt) if seed is None else int(seed) & 0x7FFFFFFF
    rng = random.Random(seed)
    script = write_script(brief, seed=seed)
    palettes = PALETTES.get(brief.mood, PALETTES["upbeat"])
    palette = palettes[rng.randrange(len(palettes))]
    return Storyboard(
        prompt=brief.prompt,
        lang=brief.lang,
        canvas=parse_canvas(brief.prompt),
        target_ms=brief.target_ms,
        mood=brief.mood,
        palette=palette,
        music_style=parse_music_style(brief.prompt, brief.mood),
        title=script.title,
        subtitle=script.subtitle,
        voice=parse_voice(brief.prompt),
        speed=brief.speed,
        seed=seed,
        scenes=_dress(script, brief.mood, rng),
        genre=brief.genre,
        subject=brief.subject,
        transition_ms=TRANSITION_MS.get(brief.mood, 500),
        media_hints=brief.media_hints,
    )
