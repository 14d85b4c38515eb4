"""Words the editing grammar understands, in English and Chinese: numbers, ordinals, times,
percentages, quoted text, scene references, styles, colours and voices.

Everything here is a pure function of a string; :mod:`promptreel.agent.grammar` combines them.
Numbers, time spans and telling Chinese text come from :mod:`promptreel.language`, their one home.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from promptreel.language import ZH_NUMBER, durations, find_word, parse_number
from promptreel.stopwords import ENGLISH_STOPWORDS as STOPWORDS

__all__ = [
    "normalize",
    "parse_number",
    "ordinal",
    "durations",
    "percentages",
    "quoted",
    "mark_quotes",
    "SceneRef",
    "scene_refs",
    "MUSIC_STYLES",
    "music_style",
    "TRANSITIONS",
    "transition",
    "COLORS",
    "color",
    "voice_gender",
    "has_any",
    "fix_typos",
    "degree",
    "relative",
]


def normalize(text: str) -> str:
    """NFKC (full-width digits and ％ become ASCII), lower case, single spaces, straight quotes kept."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    t = t.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", t)


def has_any(text: str, words: tuple[str, ...] | list[str]) -> bool:
    """True when ``text`` holds one of ``words`` (whole words for Latin, substrings for Chinese)."""
    return any(find_word(text, w) >= 0 for w in words)


# ---------------------------------------------------------------- typos

_WORD = re.compile(r"[A-Za-z]{5,}")


def _one_slip(a: str, b: str) -> bool:
    """``a`` is ``b`` with one letter wrong, missing, extra, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def fix_typos(text: str, vocabulary: frozenset[str]) -> str:
    """``text`` with each word of five letters or more that is one slip away from a
    word of ``vocabulary`` (and starts with the same letter) spelled as that word: "musci" →
    "music", "captoins" → "captions". Words the vocabulary knows, or knows with an ending
    ("photos", "slowed"), stay as they are."""

    def fix(m: re.Match[str]) -> str:
        w = m.group(0).lower()
        if (
            w in STOPWORDS
            or w in vocabulary
            or any(w.endswith(e) and w[: -len(e)] in vocabulary for e in ("s", "es", "ed", "ing", "d"))
        ):
            return m.group(0)
        # a word one ending away ("second" / "seconds") is that word, not a slip
        near = [
            v
            for v in vocabulary
            if v[0] == w[0] and _one_slip(w, v) and not (v.startswith(w) or w.startswith(v))
        ]
        return near[0] if len(near) == 1 else m.group(0)

    return _WORD.sub(fix, text)


# ---------------------------------------------------------------- relative amounts

_LITTLE = ("a bit", "a little", "a little bit", "bit", "slightly", "a tad", "tad", "a touch", "somewhat",
           "一点点", "一丁点", "稍微", "稍稍", "略微", "微微", "稍")  # fmt: skip
_MUCH = ("much", "a lot", "lot", "lots", "way", "far", "really", "very", "so much", "a ton",
         "很多", "多很多", "多一点", "大幅", "非常", "特别", "大大")  # fmt: skip


def degree(text: str) -> str:
    """How much a relative change asks for: ``"much"`` ("much slower", "a lot quieter", "慢很多"),
    ``"little"`` ("a bit quieter", "slightly bigger", "稍微小声") or ``""``."""
    if has_any(text, _MUCH):
        return "much"
    if has_any(text, _LITTLE):
        return "little"
    return ""


def relative(text: str, factor: float) -> float:
    """The factor a relative change in ``text`` means, from the plain one (``0.6`` for "quieter"):
    gentler for a little (its square root), stronger for much (its square)."""
    power = {"little": 0.5, "much": 2.0}.get(degree(text), 1.0)
    return round(factor**power, 2)


# ---------------------------------------------------------------- numbers

_EN_ORD = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "opening": 1, "1st": 1,
    "2nd": 2, "3rd": 3, "last": -1, "final": -1, "closing": -1, "ending": -1,
    "penultimate": -2, "second-to-last": -2, "second to last": -2, "next-to-last": -2,
}  # fmt: skip


def ordinal(word: str) -> int | None:
    """``"second"``/``"2nd"``/``"2"``/``"二"``/``"last"`` → 2, 2, 2, 2, -1."""
    w = word.strip().lower()
    if w in _EN_ORD:
        return _EN_ORD[w]
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", w)
    if m:
        return int(m.group(1))
    n = parse_number(w)
    return int(n) if n is not None and n >= 1 and n == int(n) else None


# ---------------------------------------------------------------- percentages and start times

_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)")
_ZH_PCT = re.compile(rf"百分之\s*({ZH_NUMBER})")


def percentages(text: str) -> list[float]:
    """``"35%"``, ``"35 percent"``, ``"百分之三十五"`` → ``[0.35]``."""
    out: list[tuple[int, float]] = [(m.start(), float(m.group(1)) / 100) for m in _PCT.finditer(text)]
    for m in _ZH_PCT.finditer(text):
        n = parse_number(m.group(1))
        if n is not None:
            out.append((m.start(), n / 100))
    return [v for _, v in sorted(out)]


# ---------------------------------------------------------------- quoted text

_QUOTES = re.compile(
    r"\"([^\"]+)\"|“([^”]+)”|「([^」]+)」|『([^』]+)』|《([^》]+)》|‘([^’]+)’|(?<![A-Za-z])'([^']+)'(?![A-Za-z])"
)


def quoted(raw: str) -> list[str]:
    """Quoted strings in the original message (straight, curly, CJK corner quotes), in order."""
    return mark_quotes(raw)[1]


def mark_quotes(raw: str) -> tuple[str, list[str]]:
    """``raw`` (NFKC) with each quoted string replaced by ``⟦n⟧``, and the strings themselves."""
    text = unicodedata.normalize("NFKC", raw)
    out: list[str] = []

    def sub(m: re.Match[str]) -> str:
        val = next(g for g in m.groups() if g is not None).strip()
        if not val:
            return m.group(0)
        out.append(val)
        return f"⟦{len(out) - 1}⟧"

    return _QUOTES.sub(sub, text), out


# ---------------------------------------------------------------- scene references

SCENE_WORDS_EN = r"(?:scenes?|shots?|clips?|slides?|parts?|beats?|sections?|segments?|intro|outro)"
SCENE_WORDS_ZH = r"(?:场景|镜头|画面|片段|分镜|幕|段)"
_ORD_WORDS = "|".join(sorted((re.escape(k) for k in _EN_ORD), key=len, reverse=True))
_NUM_WORDS = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"  # scene numbers as words


@dataclass(frozen=True, slots=True)
class SceneRef:
    """A scene named in a message: 1-based ``index`` (negative counts from the end)."""

    index: int
    pos: int


def scene_refs(text: str) -> list[SceneRef]:
    """Scene references in order: "the second scene", "scene 2", "scenes 2 and 3", "第二个场景",
    "最后一个镜头", "场景3"."""
    found: dict[int, SceneRef] = {}

    def add(pos: int, idx: int | None) -> None:
        if idx is not None and idx != 0 and pos not in found:
            found[pos] = SceneRef(idx, pos)

    for m in re.finditer(rf"(?<![a-z])({_ORD_WORDS}|\d+(?:st|nd|rd|th))\s+(?:one\s+)?{SCENE_WORDS_EN}", text):
        add(m.start(), ordinal(m.group(1)))
    unit = r"(?!\s*(?:-\s*)?(?:s|sec|secs|seconds?|ms|milliseconds?|mins?|minutes?|%|percent)(?![a-z]))"
    for m in re.finditer(
        rf"{SCENE_WORDS_EN}\s*(?:#|no\.?|number)?\s*({_NUM_WORDS})(?![a-z0-9.]){unit}", text
    ):
        add(m.start(1), ordinal(m.group(1)))
        # "scenes 2 and 3", "scene 1, 3"
        tail = text[m.end() : m.end() + 40]
        for t in re.finditer(
            rf"^(?:\s*(?:,|and|&|with|to|or)\s*(?:{SCENE_WORDS_EN}\s*)?({_NUM_WORDS})(?![a-z0-9.]){unit})",
            tail,
        ):
            add(m.end() + t.start(1), ordinal(t.group(1)))
    # "the first and third scenes"
    for m in re.finditer(rf"({_ORD_WORDS})\s+(?:and|&)\s+(?:the\s+)?({_ORD_WORDS})\s+{SCENE_WORDS_EN}", text):
        add(m.start(1), ordinal(m.group(1)))
        add(m.start(2), ordinal(m.group(2)))
    # "the last one" / "the first one" after a scene word was used earlier
    if re.search(SCENE_WORDS_EN, text):
        for m in re.finditer(rf"(?:the\s+)({_ORD_WORDS})\s+one\b", text):
            add(m.start(1), ordinal(m.group(1)))
    # "the last two scenes", "the first 3 shots", "最后两个场景", "前三个镜头"
    for m in re.finditer(rf"(?<![a-z])(last|first)\s+({_NUM_WORDS})\s+{SCENE_WORDS_EN}", text):
        count = ordinal(m.group(2)) or 0
        for k in range(1, min(count, 20) + 1):
            add(m.start() + k, -k if m.group(1) == "last" else k)
    for m in re.finditer(rf"(最后|前)\s*({ZH_NUMBER})\s*(?:个|段|幕)?\s*{SCENE_WORDS_ZH}", text):
        v = parse_number(m.group(2))
        count = int(v) if v is not None else 0
        if m.group(1) == "最后" and count <= 1:
            continue
        for k in range(1, min(count, 20) + 1):
            add(m.start() + k, -k if m.group(1) == "最后" else k)
    # "the intro" / "the outro" on their own
    for m in re.finditer(r"(?<![a-z])(intro|outro)(?![a-z])", text):
        if not any(p <= m.start() < p + 30 for p in found):
            add(m.start(), 1 if m.group(1) == "intro" else -1)
    # Chinese
    for m in re.finditer(rf"第\s*({ZH_NUMBER})\s*(?:个|张|段|幕|条)?", text):
        n = parse_number(m.group(1))
        add(m.start(), int(n) if n is not None and n >= 1 else None)
    for m in re.finditer(
        r"(?:最后|末尾|结尾)(?:的)?(?:一|1)?(?:个|段|幕|张)?(?=" + SCENE_WORDS_ZH + r"|那|的)", text
    ):
        add(m.start(), -1)
    for m in re.finditer(r"(?:倒数第\s*(" + ZH_NUMBER + r"))", text):
        n = parse_number(m.group(1))
        if n is not None and n >= 1:
            found.pop(m.start() + 2, None)
            add(m.start(), -int(n))
    for m in re.finditer(rf"{SCENE_WORDS_ZH}\s*({ZH_NUMBER})(?!\s*(?:秒|毫秒|分钟|%))", text):
        n = parse_number(m.group(1))
        add(m.start(1), int(n) if n is not None and n >= 1 else None)
    for m in re.finditer(r"(?:开头|开场|第一个)(?:的)?" + SCENE_WORDS_ZH, text):
        add(m.start(), 1)
    # drop a ref whose text is inside another (e.g. "第2" inside "倒数第2")
    refs = sorted(found.values(), key=lambda r: r.pos)
    return refs


# ---------------------------------------------------------------- music, transitions, colours, voices

MUSIC_STYLES = ("lofi", "upbeat", "calm", "cinematic", "happy", "corporate", "warm", "energetic")
_STYLE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("lofi", ("lo-fi", "lofi", "lo fi", "chillhop", "chill hop", "chill", "低保真", "lofi风")),
    ("upbeat", ("upbeat", "up-beat", "bouncy", "light-hearted", "lighthearted", "playful", "轻快", "明快", "俏皮")),
    ("calm", ("calm", "calmer", "relaxing", "relaxed", "soothing", "peaceful", "gentle", "ambient", "soft", "mellow", "舒缓", "平静", "安静", "放松", "轻柔", "柔和", "宁静", "轻松")),
    ("cinematic", ("cinematic", "epic", "dramatic", "orchestral", "movie", "film", "电影感", "电影", "史诗", "大气", "震撼", "壮阔")),
    ("happy", ("happy", "cheerful", "joyful", "fun", "bright", "sunny", "欢快", "快乐", "开心", "愉快", "欢乐")),
    ("corporate", ("corporate", "business", "professional", "commercial", "商务", "企业", "专业")),
    ("warm", ("warm", "cozy", "cosy", "acoustic", "heartwarming", "温暖", "温馨", "暖")),
    ("energetic", ("energetic", "energy", "dynamic", "powerful", "intense", "rock", "edm", "exciting", "动感", "激情", "活力", "劲爆", "热血", "有力")),
]  # fmt: skip


def music_style(text: str) -> str | None:
    """The music style a message names ("lo-fi" → lofi, "轻快" → upbeat), or ``None``."""
    best: tuple[int, str] | None = None
    for style, words in _STYLE_WORDS:
        for w in words:
            i = find_word(text, w)
            if i >= 0 and (best is None or i < best[0]):
                best = (i, style)
    return best[1] if best else None


TRANSITIONS = ("cut", "crossfade", "slide", "wipe", "zoom")
_TRANSITION_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("wipe", ("wipe", "wipes", "擦除", "划像", "擦拭")),
    ("crossfade", ("crossfade", "cross-fade", "cross fade", "crossfades", "dissolve", "dissolves", "fade", "fades", "淡入淡出", "溶解", "叠化", "渐变", "淡化")),
    ("slide", ("slide", "slides", "push", "swipe", "滑动", "推移", "滑入", "平移")),
    ("zoom", ("zoom", "zooms", "缩放", "放大")),
    ("cut", ("cut", "cuts", "hard cut", "hard cuts", "straight cut", "no transitions", "no transition", "直切", "硬切", "无转场", "不要转场", "去掉转场", "取消转场")),
]  # fmt: skip


def transition(text: str) -> str | None:
    for name, words in _TRANSITION_WORDS:
        if has_any(text, words):
            return name
    return None


COLORS: dict[str, str] = {
    "white": "#FFFFFF", "black": "#000000", "red": "#E53935", "green": "#43A047", "blue": "#1E88E5",
    "yellow": "#FDD835", "orange": "#FB8C00", "purple": "#8E24AA", "pink": "#EC407A", "gray": "#9E9E9E",
    "grey": "#9E9E9E", "gold": "#FFC107", "golden": "#FFC107", "brown": "#6D4C41", "cyan": "#00BCD4",
    "teal": "#00897B", "navy": "#1A237E", "beige": "#F5F5DC", "cream": "#FFF8E1",
    "白色": "#FFFFFF", "白": "#FFFFFF", "黑色": "#000000", "黑": "#000000", "红色": "#E53935", "红": "#E53935",
    "绿色": "#43A047", "绿": "#43A047", "蓝色": "#1E88E5", "蓝": "#1E88E5", "黄色": "#FDD835",
    "黄": "#FDD835", "橙色": "#FB8C00", "橙": "#FB8C00", "紫色": "#8E24AA", "紫": "#8E24AA",
    "粉色": "#EC407A", "粉红": "#EC407A", "灰色": "#9E9E9E", "金色": "#FFC107", "棕色": "#6D4C41",
    "青色": "#00BCD4", "米色": "#F5F5DC",
}  # fmt: skip
_HEX = re.compile(r"#[0-9a-f]{6}\b|#[0-9a-f]{3}\b")


def color(text: str) -> tuple[str, str] | None:
    """``(word, "#RRGGBB")`` for the first colour named in ``text``."""
    m = _HEX.search(text)
    if m:
        h = m.group(0).upper()
        if len(h) == 4:
            h = "#" + "".join(c * 2 for c in h[1:])
        return h, h
    best: tuple[int, str] | None = None
    for word in sorted(COLORS, key=len, reverse=True):
        i = find_word(text, word)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, word)
    return (best[1], COLORS[best[1]]) if best else None


_FEMALE = (
    "female",
    "woman",
    "women",
    "woman's",
    "girl",
    "lady",
    "feminine",
    "女声",
    "女性",
    "女生",
    "女的",
    "女士",
    "女孩",
    "女配音",
    "女",
)
_MALE = ("male", "man", "men", "man's", "guy", "boy", "masculine", "男声", "男性", "男生", "男的", "男士", "男孩", "男配音", "男")  # fmt: skip


def voice_gender(text: str) -> str | None:
    """``"female"`` / ``"male"`` when the message asks for one."""
    if has_any(text, _FEMALE):
        return "female"
    if has_any(text, _MALE):
        return "male"
    return None
