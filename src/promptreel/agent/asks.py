"""The settings a prompt asks for: length, aspect, language, tone, genre, music, voice and pace.

Each reader is a pure function of the prompt text. These are instructions — the brief keeps them
apart from the content, so they are never spoken or shown.
"""

from __future__ import annotations

import hashlib
import re

from promptreel.agent import lexicon as lx
from promptreel.agent.lengths import parse_duration
from promptreel.draft.model import Canvas
from promptreel.language import MAX_VIDEO_MS, MIN_VIDEO_MS, find_word

__all__ = [
    "parse_duration",
    "parse_canvas",
    "detect_lang",
    "parse_mood",
    "parse_genre",
    "parse_music_style",
    "parse_voice",
    "parse_speed",
    "media_hints",
    "target_ms",
    "prompt_seed",
    "has_word",
    "first_of",
    "DEFAULT_MS",
    "SHORT_MS",
    "MIN_MS",
    "MAX_MS",
    "PALETTES",
    "MOTIONS",
    "TRANSITIONS",
    "TRANSITION_MS",
]

DEFAULT_MS = 30_000
SHORT_MS = 15_000
MIN_MS = MIN_VIDEO_MS
MAX_MS = MAX_VIDEO_MS

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


has_word = find_word  # the one word finder, under the name the prompt reader knows


def first_of(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The key of ``table`` whose phrase appears earliest in ``text`` (longer phrases win ties)."""
    best: tuple[int, int, str] | None = None
    for key, phrases in table.items():
        for p in phrases:
            pos = has_word(text, p)
            if pos >= 0:
                cand = (pos, -len(p), key)
                if best is None or cand < best:
                    best = cand
    return best[2] if best else None


# ── duration: which time spans size the video (agent/lengths.py; spans read by promptreel.language) ─────────────────────────


def target_ms(prompt: str) -> int:
    ms = parse_duration(prompt)
    if ms is not None:
        return ms
    low = prompt.lower()
    if has_word(low, "short") >= 0 or "短视频" in prompt or "短片" in prompt or "简短" in prompt:
        return SHORT_MS
    return DEFAULT_MS


# ── canvas, language, mood, genre, music ───────────────────────────────────────────────────


def parse_canvas(prompt: str) -> Canvas:
    """1080×1920 for vertical/TikTok/竖屏, 1080×1080 for square, else 1920×1080; 30 fps."""
    # a place named with an aspect word ("Union Square", "Market Square") asks for no aspect
    named = re.sub(
        r"\b(?!(?:A|An|The|Our|My|In|As|It|Make|Go|Be)\b)([A-Z][\w'’-]*)\s+(?:Square|Landscape|Portrait)\b",
        r"\1",
        prompt,
    )
    t = named.lower().replace("：", ":")
    for ratio, canvas in (("9:16", VERTICAL), ("1:1", SQUARE), ("4:5", FOUR_FIVE), ("16:9", LANDSCAPE)):
        if ratio in t:
            return canvas
    kind = first_of(
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
    explicit = first_of(t, _EXPLICIT_MOOD)
    if explicit:
        return explicit
    implied = first_of(t, _IMPLIED_MOOD)
    if implied:
        return implied
    s = f"{subject} {prompt}".lower()
    if genre == "greeting":
        return "happy"
    if genre == "update":
        return "corporate"
    if genre == "explainer":
        return "calm"
    if any(has_word(s, w) >= 0 for w in _WARM_SUBJECTS):
        return "warm"
    if genre == "teaser":
        return "energetic"
    if any(has_word(s, w) >= 0 for w in _TECH_SUBJECTS):
        return "upbeat"
    return "upbeat" if genre == "promo" else "warm"


_EXPLAINER_STRONG = ("explainer", "explain", "explains", "explaining", "tutorial", "introduction to", "how-to",
                     "科普", "讲解", "解释", "原理", "教程")  # fmt: skip
_EXPLAINER_WEAK = ("how", "what is", "what are", "why", "guide", "lesson", "如何", "怎么", "为什么")


def parse_genre(prompt: str) -> str:
    """promo | teaser | explainer | greeting | update | story."""
    t = prompt.lower()

    def any_of(words: tuple[str, ...]) -> bool:
        return any(has_word(t, w.strip()) >= 0 for w in words)

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
    explicit = first_of(prompt.lower(), lx.MUSIC_WORDS)
    return explicit or MOOD_MUSIC.get(mood, "upbeat")


def media_hints(prompt: str) -> tuple[str, ...]:
    low = prompt.lower()
    return tuple(w for w in lx.MEDIA_WORDS if (w in low if lx.has_cjk(w) else has_word(low, w) >= 0))


def parse_speed(prompt: str, mood: str) -> float:
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
