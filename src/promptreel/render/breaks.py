"""Where lines may break, and which breaks read best.

Two rules, both independent of fonts:

* :func:`glue` joins pieces that must never be split across lines: a number and the unit,
  currency or counter that follows it ("50元", "3种", "20分钟", "100円"), an ordinal prefix and its
  number ("第3"), and numbers cut at a full-width colon or point ("6：30").
* :func:`best_breaks` chooses, for a fixed number of lines, the breaks that keep lines even and
  fall at phrase boundaries (after punctuation, between words, where the script changes) rather
  than between two CJK characters of one phrase; given which tokens continue a word
  (``joins``), a break inside a word ("新年快 / 乐") is taken only when no other fits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

__all__ = ["glue", "best_breaks", "greedy_breaks", "penalties", "WORD_BREAK"]

#: units, currencies and counters that follow a number ("50元", "3种", "8折", "100円", "3つ")
_COUNTERS = frozenset(
    "种个款位家杯份天年月日号次件条只张本块元角岁点分秒周倍折名人道碗盘箱斤克米层楼站期届集章节课"
    "套双对瓶盒包袋串颗粒座间台辆部首篇场轮代段项样度成圈步遍口头匹棵朵束枚万亿千百"
    "円つ個回歳時冊枚店品色"
)
#: two-character units a number must not be parted from ("20分钟", "3个月", "5時間")
_UNITS2 = frozenset(
    {
        "分钟", "小时", "个月", "周年", "公里", "公斤", "公分", "块钱", "平米", "毫升", "厘米",
        "英寸", "英里", "千克", "万元", "亿元", "时间", "時間", "週間", "か月", "ヶ月", "種類",
    }
)  # fmt: skip
_NUMERALS = frozenset("一二两三四五六七八九十百千万几半")
_ORDINAL = frozenset("第")
_NUMBER = re.compile(r"^[^A-Za-z]*\d$")  # a run that is a number, not a word ("iPhone15")
_NUM_JOIN = re.compile(r"\d[：．:.,]$")


def _letter(piece: str) -> str:
    """The piece's first character when it is one CJK character (punctuation may trail it)."""
    return piece[0] if piece and not piece[0].isascii() and not piece[0].isdigit() else ""


def glue(pieces: Sequence[str], is_cjk: Callable[[str], bool]) -> list[str]:
    """``pieces`` (single CJK characters and Latin runs) with number + unit runs joined."""
    out: list[str] = []
    for piece in pieces:
        prev = out[-1] if out else ""
        first = _letter(piece)
        if prev and first and is_cjk(first):
            core = prev.rstrip()
            spelled = bool(core) and all(c in _NUMERALS for c in core)
            numeric = bool(_NUMBER.search(core)) or spelled
            if (numeric and first in _COUNTERS) or (spelled and first in _NUMERALS):
                out[-1] = prev + piece  # "50" + "元", "三" + "种", "十" + "五"
                continue
            unit = core[-1:]
            if len(core) >= 2 and (core[-2].isdigit() or core[-2] in _NUMERALS) and unit + first in _UNITS2:
                out[-1] = prev + piece  # "20分" + "钟"
                continue
        joins = _NUM_JOIN.search(prev) and _NUMBER.search(prev[:-1])
        if prev and piece[:1].isdigit() and (prev[-1] in _ORDINAL or joins):
            out[-1] = prev + piece  # "第" + "3", "6：" + "30"
            continue
        out.append(piece)
    return out


def greedy_breaks(widths: Sequence[float], gaps: Sequence[float], max_width: float) -> list[int]:
    """Line-start indices of the greedy fill (the fewest lines; an over-wide token alone)."""
    starts = [0]
    x = 0.0
    for i, w in enumerate(widths):
        gap = gaps[i] if x > 0 else 0.0
        if x > 0 and x + gap + w > max_width:
            starts.append(i)
            x = w
        else:
            x += gap + w
    return starts if widths else []


#: cost of a break between two characters of a CJK phrase; (slack / width)² is the unit
CJK_BREAK = 0.3
#: cost of a break after a particle that closes a phrase ("的", "の", "を") or before a
#: conjunction ("和", "与"), or where CJK meets a Latin word
PHRASE_BREAK = 0.1
#: cost of a break inside a dictionary word ("工 / 程师"): more than any uneven lines cost
WORD_BREAK = 1.5
#: cost of a break between two CJK words (no punctuation there)
WORD_GAP = 0.12
#: cost of a line that opens with a particle that closes the phrase before it ("的", "の")
PARTICLE_OPENS = 0.45
_ENDS_PHRASE = frozenset("的之をはがにでのともへや")
_STARTS_PHRASE = frozenset("和与及或跟并")
_PUNCT = frozenset("，。！？、；：）》」』】〕…—,.!?;:)]}～")


def _penalty(before: str, after: str, spaced: bool, is_cjk: Callable[[str], bool]) -> float:
    """The cost of a line break between two neighbouring tokens."""
    if spaced or not before or not after:
        return 0.0
    last, first = before[-1], after[0]
    if last in _PUNCT or (not is_cjk(last) and not is_cjk(first)):
        return 0.0
    if last in _ENDS_PHRASE or first in _STARTS_PHRASE:
        return PHRASE_BREAK
    if (last.isascii() and last.isalpha()) or (first.isascii() and first.isalpha()):
        return PHRASE_BREAK  # a Latin word inside CJK text
    return CJK_BREAK  # inside a phrase, numbers included ("满50元")


def penalties(
    texts: Sequence[str], gaps: Sequence[float], is_cjk: Callable[[str], bool], joins: Sequence[bool] | None
) -> list[float]:
    """The cost of a line break before each token (the first: 0)."""
    n = len(texts)
    pen = [0.0] + [_penalty(texts[i - 1], texts[i], gaps[i] > 0, is_cjk) for i in range(1, n)]
    if joins is not None:
        for i in range(1, n):
            if joins[i]:
                pen[i] = max(pen[i], WORD_BREAK)
            elif pen[i] == CJK_BREAK and texts[i][:1] in _ENDS_PHRASE:
                pen[i] = PARTICLE_OPENS  # "的辛苦付出": the particle belongs to the line before
            elif pen[i] == CJK_BREAK:
                # between two words of a phrase (a particle never opens a line); a one-character
                # word left alone at a line's end or start ("这些 / 年的") reads as a split word
                lone_before = not joins[i - 1] and len(texts[i - 1].rstrip("".join(_PUNCT))) == 1
                lone_after = (i + 1 == n or not joins[i + 1]) and len(texts[i]) == 1
                pen[i] = CJK_BREAK if lone_before or lone_after else WORD_GAP
    return pen


def best_breaks(
    texts: Sequence[str],
    widths: Sequence[float],
    gaps: Sequence[float],
    max_width: float,
    lines: int,
    is_cjk: Callable[[str], bool],
    *,
    balance: bool = False,
    joins: Sequence[bool] | None = None,
) -> list[int]:
    """Line-start indices for exactly ``lines`` lines no wider than ``max_width`` (a token wider
    than that alone on its line) that minimise the lines' squared slack plus break penalties.
    ``balance`` counts the last line's slack too (even lines); otherwise only the lines before
    it (filled lines, a shorter last line). ``gaps[i]`` is the space before token ``i``;
    ``joins[i]`` says token ``i`` continues the word before it (breaking there costs most)."""
    n = len(widths)
    if lines <= 1 or n <= 1:
        return [0] if n else []
    cum = [0.0]
    for i in range(n):
        cum.append(cum[-1] + (gaps[i] if i else 0.0) + widths[i])
    scale = max(max_width, 1e-6)
    pen = penalties(texts, gaps, is_cjk, joins)
    inf = math.inf
    cost = [[inf] * (n + 1) for _ in range(lines + 1)]
    back = [[-1] * (n + 1) for _ in range(lines + 1)]
    cost[0][0] = 0.0
    for line in range(1, lines + 1):
        counts = line < lines or balance
        for j in range(line, n + 1):
            for i in range(j - 1, line - 2, -1):
                w = cum[j] - cum[i] - (gaps[i] if i else 0.0)
                if w > max_width and j - i > 1:
                    break  # wider still as i moves left
                if cost[line - 1][i] == inf:
                    continue
                slack = max(0.0, max_width - w) / scale
                c = cost[line - 1][i] + (slack * slack if counts else 0.0) + pen[i]
                if c < cost[line][j]:
                    cost[line][j] = c
                    back[line][j] = i
    if cost[lines][n] == inf:
        return []
    starts: list[int] = []
    j = n
    for line in range(lines, 0, -1):
        i = back[line][j]
        starts.append(i)
        j = i
    return starts[::-1]
