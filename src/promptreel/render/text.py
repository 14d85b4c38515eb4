"""Text for frames: shaped paragraphs with font fallback, word tokens, word-wrapped layout and
pre-rendered word sprites (drawn per frame with only a transform and an alpha).

Everything expensive is cached by value: paragraphs per (text, style, width, align), sprites
per (text, style), measurements per (text, style). Widths scale linearly with font size, so a
layout can be fitted to a box by measuring once at a reference size.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, replace

import skia

from promptreel.render import fonts
from promptreel.render.breaks import WORD_BREAK, best_breaks, glue, greedy_breaks, penalties
from promptreel.render.words import joins as word_joins

__all__ = [
    "TextStyle",
    "Token",
    "Sprite",
    "Placed",
    "Block",
    "tokenize",
    "paragraph",
    "measure",
    "sprite",
    "layout",
    "fit",
    "fit_within",
    "fits",
    "splits_word",
    "is_cjk",
    "draw_block",
]

_REF_SIZE = 100.0


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a run of text looks. ``color``/``shadow`` are ARGB ints; ``shadow`` 0 means none."""

    size: float = 48.0
    color: int = 0xFFFFFFFF
    weight: int = 700
    kind: str = "text"  # "display" or "text": which preferred families
    font: str = ""  # a preferred installed family, tried first
    shadow: int = 0
    shadow_blur: float = 0.0  # sigma, in px
    shadow_dy: float = 0.0
    letter_spacing: float = 0.0  # in em
    line_height: float = 1.18  # in em

    def sized(self, size: float) -> TextStyle:
        return replace(self, size=size)

    def colored(self, color: int) -> TextStyle:
        return replace(self, color=color)


@dataclass(frozen=True, slots=True)
class Token:
    """A unit that animates and wraps as one: a word, or one CJK character with its punctuation."""

    text: str
    gap: bool  # a space precedes it (when not at the start of a line)


@dataclass(frozen=True, slots=True)
class Sprite:
    """A rasterised run of text: draw ``image`` at (x - pad, baseline - pad - baseline_offset)."""

    image: skia.Image
    pad: float
    width: float  # advance width
    height: float  # line box height
    baseline: float  # from the top of the line box


@dataclass(frozen=True, slots=True)
class Placed:
    index: int  # token index
    x: float  # left edge, relative to the block's left
    line: int
    width: float


@dataclass(frozen=True, slots=True)
class Block:
    """Tokens broken into lines: positions relative to the block's top-left (unaligned)."""

    placed: tuple[Placed, ...]
    line_widths: tuple[float, ...]
    line_height: float
    size: float

    @property
    def lines(self) -> int:
        return len(self.line_widths)

    @property
    def width(self) -> float:
        return max(self.line_widths, default=0.0)

    @property
    def height(self) -> float:
        return self.line_height * len(self.line_widths)

    def line_offset(self, line: int, align: str) -> float:
        """x offset of a line inside the block's width for ``align`` left/center/right."""
        free = self.width - self.line_widths[line]
        return free / 2 if align == "center" else free if align == "right" else 0.0


# --- tokens ----------------------------------------------------------------------------------

_CLOSING = set("，。！？、；：”’）》」』】〕…—,.!?;:)]}%％‰℃·～")
_OPENING = set("“‘（《「『【〔([{$¥￥＄€£")


def is_cjk(ch: str) -> bool:
    """Characters that break anywhere and carry no spaces (Han, kana, hangul, CJK punctuation)."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x30FF
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x2FA1F
    )


def _split_cjk(word: str) -> list[str]:
    """Split a space-free word into CJK characters and Latin runs, keeping punctuation attached
    and a number with its unit ("50元", "第3")."""
    parts: list[str] = []
    run = ""
    for ch in word:
        if is_cjk(ch) and ch not in _CLOSING and ch not in _OPENING:
            if run:
                parts.append(run)
            run = ch
            parts.append(run)
            run = ""
        elif ch in _CLOSING and (run or parts):
            if run:
                run += ch  # "20%，": punctuation stays with what it closes
            else:
                parts[-1] += ch
        elif ch in _OPENING:
            if run:
                parts.append(run)
            run = ch
        else:
            # Latin letters, digits, emoji (and combining marks / variation selectors)
            if run and run[-1] in _OPENING:
                run += ch
            elif run and (is_cjk(run[-1]) or run[-1] in _CLOSING):
                parts.append(run)
                run = ch
            else:
                run += ch
    if run:
        parts.append(run)
    # merge pieces that are only an opening mark into the next piece
    merged: list[str] = []
    carry = ""
    for p in parts:
        if all(c in _OPENING for c in p):
            carry += p
            continue
        merged.append(carry + p)
        carry = ""
    if carry:
        merged.append(carry)
    return glue(merged, is_cjk)


@functools.lru_cache(maxsize=1024)
def tokenize(text: str) -> tuple[Token, ...]:
    """Words separated by whitespace; words holding CJK split per character."""
    out: list[Token] = []
    for word in re.split(r"\s+", unicodedata.normalize("NFC", text.strip())):
        if not word:
            continue
        if any(is_cjk(ch) for ch in word):
            for i, piece in enumerate(_split_cjk(word)):
                out.append(Token(piece, gap=(i == 0)))
        else:
            out.append(Token(word, gap=True))
    return tuple(out)


# --- paragraphs and sprites ------------------------------------------------------------------


@functools.cache
def _unicode() -> skia.Unicode:
    return skia.Unicode()


def _text_style(style: TextStyle) -> skia.textlayout.TextStyle:
    ts = skia.textlayout.TextStyle()
    ts.setFontFamilies(list(fonts.families(style.kind, style.font)))
    ts.setFontSize(style.size)
    ts.setFontStyle(skia.FontStyle(style.weight, 5, skia.FontStyle.kUpright_Slant))
    ts.setColor(style.color)
    if style.letter_spacing:
        ts.setLetterSpacing(style.letter_spacing * style.size)
    return ts


_ALIGN = {
    "left": skia.textlayout.TextAlign.kLeft,
    "center": skia.textlayout.TextAlign.kCenter,
    "right": skia.textlayout.TextAlign.kRight,
}


@functools.lru_cache(maxsize=512)  # bounded: ~25 KB each, a long video lays out thousands
def paragraph(
    text: str, style: TextStyle, width: float = 1e6, align: str = "left"
) -> skia.textlayout.Paragraph:
    """A shaped, laid-out paragraph (font fallback per character). Cached by value."""
    ps = skia.textlayout.ParagraphStyle()
    ts = _text_style(style)
    ps.setTextStyle(ts)
    ps.setTextAlign(_ALIGN.get(align, _ALIGN["left"]))
    builder = skia.textlayout.ParagraphBuilder(ps, fonts.font_collection(), _unicode())
    builder.pushStyle(ts)
    builder.addText(text)
    p = builder.Build()
    p.layout(width)
    return p


@functools.lru_cache(maxsize=8192)
def _measure_ref(text: str, style: TextStyle) -> tuple[float, float, float]:
    p = paragraph(text, style.sized(_REF_SIZE))
    return float(p.MaxIntrinsicWidth), float(p.Height), float(p.AlphabeticBaseline)


def measure(text: str, style: TextStyle) -> tuple[float, float, float]:
    """(advance width, line height, baseline from top) at ``style.size``."""
    w, h, b = _measure_ref(text, style.sized(_REF_SIZE))
    k = style.size / _REF_SIZE
    return w * k, h * k, b * k


#: rasterised words kept at most (bytes): a 1080p headline word is a few hundred KB, and a long
#: video says thousands of words, so the cache is bounded by size, not count, and a render's
#: memory does not grow with its length
SPRITE_BUDGET = 24 << 20
_sprites: OrderedDict[tuple[str, TextStyle], Sprite] = OrderedDict()
_sprite_bytes = 0
_sprite_lock = threading.Lock()


def sprite(text: str, style: TextStyle) -> Sprite:
    """``text`` rasterised (with its drop shadow) for cheap per-frame drawing; the most recently
    used ones are kept, up to :data:`SPRITE_BUDGET` bytes."""
    global _sprite_bytes
    key = (text, style)
    with _sprite_lock:
        found = _sprites.get(key)
        if found is not None:
            _sprites.move_to_end(key)
            return found
    made = _rasterise(text, style)
    size = made.image.width() * made.image.height() * 4
    with _sprite_lock:
        _sprites[key] = made
        _sprite_bytes += size
        while _sprite_bytes > SPRITE_BUDGET and len(_sprites) > 1:
            _, old = _sprites.popitem(last=False)
            _sprite_bytes -= old.image.width() * old.image.height() * 4
    return made


def _rasterise(text: str, style: TextStyle) -> Sprite:
    p = paragraph(text, style)
    width = float(p.MaxIntrinsicWidth)
    height = float(p.Height)
    pad = math.ceil(style.shadow_blur * 3 + abs(style.shadow_dy) + 2) if style.shadow else 2
    w = max(1, math.ceil(width + 2 * pad))
    h = max(1, math.ceil(height + 2 * pad))
    surface = skia.Surface(w, h)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    if style.shadow:
        shadow = skia.ImageFilters.DropShadow(
            0, style.shadow_dy, style.shadow_blur, style.shadow_blur, style.shadow
        )
        canvas.saveLayer(None, skia.Paint(ImageFilter=shadow))
        p.paint(canvas, pad, pad)
        canvas.restore()
    else:
        p.paint(canvas, pad, pad)
    return Sprite(surface.makeImageSnapshot(), float(pad), width, height, float(p.AlphabeticBaseline))


# --- layout ----------------------------------------------------------------------------------


def _space(style: TextStyle) -> float:
    return style.size * 0.26


def layout(tokens: tuple[Token, ...], style: TextStyle, max_width: float, *, balance: bool = False) -> Block:
    """``tokens`` wrapped into the fewest lines no wider than ``max_width`` (a token wider than a
    line gets a line of its own), breaking where it reads best: after punctuation, between
    words, not inside a CJK phrase unless the lines would be much more uneven. ``balance``
    evens out all lines (no lone last word); otherwise lines fill and the last one is short."""
    space = _space(style)
    widths = [measure(tok.text, style)[0] for tok in tokens]
    gaps = [space if (tok.gap and i > 0) else 0.0 for i, tok in enumerate(tokens)]
    starts = greedy_breaks(widths, gaps, max_width)
    if len(starts) > 1:
        texts = [tok.text for tok in tokens]
        joins = _joins(tokens)
        starts = (
            best_breaks(texts, widths, gaps, max_width, len(starts), is_cjk, balance=balance, joins=joins)
            or starts
        )
    placed: list[Placed] = []
    line_widths: list[float] = []
    ends = [*starts[1:], len(tokens)] if starts else []
    for line, (a, b) in enumerate(zip(starts, ends, strict=True)):
        x = 0.0
        for i in range(a, b):
            gap = gaps[i] if i > a else 0.0
            placed.append(Placed(i, x + gap, line, widths[i]))
            x += gap + widths[i]
        line_widths.append(x)
    return Block(tuple(placed), tuple(line_widths), style.size * style.line_height, style.size)


@functools.lru_cache(maxsize=1024)
def _joins(tokens: tuple[Token, ...]) -> tuple[bool, ...]:
    return tuple(word_joins([t.text for t in tokens], [t.gap for t in tokens]))


def splits_word(tokens: tuple[Token, ...], block: Block) -> bool:
    """Whether a line of ``block`` starts inside a word ("祝你新年快 / 乐")."""
    texts = [t.text for t in tokens]
    gaps = [1.0 if t.gap and i else 0.0 for i, t in enumerate(tokens)]
    pen = penalties(texts, gaps, is_cjk, _joins(tokens))
    return any(pl.line > 0 and pen[pl.index] >= WORD_BREAK for pl in block.placed if pl.x == 0.0)


#: how far :func:`fit` shrinks the type below the size that fits to keep every word whole
WHOLE_WORDS_SHRINK = 0.82


def fit(
    tokens: tuple[Token, ...],
    style: TextStyle,
    box_w: float,
    box_h: float,
    max_lines: int = 3,
    min_size: float = 8.0,
    *,
    balance: bool = False,
) -> Block:
    """The largest size ≤ ``style.size`` whose layout fits ``box_w``×``box_h`` in ≤ ``max_lines``
    lines (never below ``min_size``). ``balance`` evens out line lengths (no lone last word)."""
    size = style.size
    while True:
        block = layout(tokens, style.sized(size), box_w)
        if (block.lines <= max_lines and block.height <= box_h and block.width <= box_w) or size <= min_size:
            break
        size = max(min_size, size * 0.92)
    if balance and block.lines > 1:
        block = layout(tokens, style.sized(size), box_w, balance=True)
    if block.lines > 1 and splits_word(tokens, block):
        # slightly smaller type often lets a line end between words: take the largest that does
        k = 0.97
        while k >= WHOLE_WORDS_SHRINK - 1e-9 and size * k >= min_size:
            other = layout(tokens, style.sized(size * k), box_w, balance=balance)
            if other.lines <= block.lines and fits(other, box_w, box_h) and not splits_word(tokens, other):
                return other
            k -= 0.03
    return block


def fits(block: Block, box_w: float, box_h: float) -> bool:
    return block.width <= box_w + 0.01 and block.height <= box_h + 0.01


def fit_within(
    tokens: tuple[Token, ...],
    style: TextStyle,
    box_w: float,
    box_h: float,
    max_lines: int = 3,
    min_size: float = 8.0,
    *,
    balance: bool = False,
) -> Block:
    """Like :func:`fit`, but the result always fits the box: when ``max_lines`` lines at
    ``min_size`` do not fit, more lines and smaller type are used — text is never cut,
    ellipsized or left overflowing."""
    block = fit(tokens, style, box_w, box_h, max_lines, min_size, balance=balance)
    if fits(block, box_w, box_h) or not tokens:
        return block
    block = fit(tokens, style.sized(block.size), box_w, box_h, max(max_lines, len(tokens)), 1.0)
    if fits(block, box_w, box_h):
        return block
    size = block.size
    while size > 0.5 and not fits(block, box_w, box_h):  # a word wider than the box at any size
        size *= 0.9
        block = layout(tokens, style.sized(size), box_w)
    return block


def draw_block(
    canvas: skia.Canvas,
    tokens: tuple[Token, ...],
    block: Block,
    style: TextStyle,
    left: float,
    top: float,
    width: float,
    *,
    align: str = "center",
    alpha: float = 1.0,
    styles: dict[int, TextStyle] | None = None,
    reveal: list[tuple[float, float]] | None = None,
) -> None:
    """Draw a laid-out block with word sprites. ``styles`` overrides the style of some tokens
    (highlighted words); ``reveal`` gives per-token (alpha, rise in px) for kinetic entries."""
    lh = block.line_height
    sampling = skia.SamplingOptions(skia.FilterMode.kLinear)
    paint = skia.Paint()
    for pl in block.placed:
        a, rise = reveal[pl.index] if reveal is not None else (1.0, 0.0)
        a *= alpha
        if a <= 0.003:
            continue
        st = styles.get(pl.index, style) if styles else style
        spr = sprite(tokens[pl.index].text, st)
        line_w = block.line_widths[pl.line]
        line_x = left + (
            (width - line_w) / 2 if align == "center" else (width - line_w) if align == "right" else 0.0
        )
        baseline = top + pl.line * lh + (lh + style.size * 0.72) / 2
        x = line_x + pl.x - spr.pad
        y = baseline - spr.baseline - spr.pad + rise
        if a >= 0.999 and rise == 0.0:
            canvas.drawImage(spr.image, round(x), round(y))
        else:
            paint.setAlphaf(min(1.0, a))
            canvas.drawImage(spr.image, x, y, sampling, paint)
