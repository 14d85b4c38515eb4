"""Text and pictures keep out of each other's way: Chinese lines break between words (at
punctuation first), the highlight colours a whole word, the opening title card never covers
the scene's picture, and a tall canvas spreads its picture and headline over its height."""

from __future__ import annotations

import numpy as np
import pytest
import skia

from promptreel.draft import Meta, Segment
from promptreel.render import text as tx
from promptreel.render.layouts import compose
from promptreel.render.layouts.balance import ink
from promptreel.render.palette import Palette
from promptreel.render.scene import SceneRenderer, _emphasis, scene_layout
from promptreel.render.titles import TitleRenderer
from test_compose_layouts import LAYOUT_SCENES
from test_compose_support import IconAssets

STYLE = tx.TextStyle(size=100, weight=800, kind="display", line_height=1.25)
PAL = ["#101828", "#1E3A5F", "#F59E0B", "#38BDF8"]
ICON = "fluent-emoji-flat:hot-beverage"


def _lines(text: str, width: float, *, max_lines: int = 3) -> tuple[list[str], float]:
    toks = tx.tokenize(text)
    block = tx.fit_within(toks, STYLE, width, 4000, max_lines=max_lines, min_size=20, balance=True)
    out = [""] * block.lines
    for p in block.placed:
        out[p.line] += toks[p.index].text
    return out, block.size


def _chars(n: float) -> float:
    return tx.measure("国" * 10, STYLE)[0] / 10 * n


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # the reported greeting broke "快 / 乐"; the comma is the place
        ("祝你新年快乐，万事顺遂", 7.2, ["祝你新年快乐，", "万事顺遂"]),
        ("愿你所愿皆所得，岁岁常欢愉", 8.2, ["愿你所愿皆所得，", "岁岁常欢愉"]),
        # the reported "祝您阖 / 家幸福": between the two words
        ("祝您阖家幸福", 4.3, ["祝您", "阖家幸福"]),
        ("欢迎加入我们的工程师团队", 7.4, ["欢迎加入我们的", "工程师团队"]),
    ],
)
def test_chinese_lines_break_at_punctuation_and_between_words(
    text: str, width: float, expected: list[str]
) -> None:
    lines, size = _lines(text, _chars(width))
    assert lines == expected
    assert size == STYLE.size


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # at full size only "祝您阖家幸" fits a line: slightly smaller type keeps "阖家幸福" whole
        ("祝您阖家幸福", 3.9, ["祝您", "阖家幸福"]),
        ("恭喜发财，身体健康", 4.8, ["恭喜发财，", "身体健康"]),
        # the reported greeting at a width where "祝你新年快乐，" is a little too long
        ("祝你新年快乐，万事顺遂", 6.6, ["祝你新年快乐，", "万事顺遂"]),
    ],
)
def test_slightly_smaller_type_keeps_words_whole(text: str, width: float, expected: list[str]) -> None:
    lines, size = _lines(text, _chars(width))
    assert lines == expected
    assert STYLE.size * 0.8 <= size < STYLE.size


@pytest.mark.parametrize(
    ("headline", "word"),
    [("成为一名优秀的工程师", "工程师"), ("祝您阖家幸福", "阖家幸福"), ("欢迎加入我们的团队", "团队")],
)
def test_the_highlight_colours_a_whole_word(headline: str, word: str) -> None:
    toks = tx.tokenize(headline)
    assert "".join(toks[i].text for i in sorted(_emphasis(toks))) == word


def _scene(w: int, h: int, headline: str, *, title_ms: int = 0, captions: bool = True) -> SceneRenderer:
    meta = Meta({"headline": headline, "icon": ICON, "palette": PAL})
    seg = Segment("s", 0, 6000, "scene", meta=meta)
    return SceneRenderer(seg, IconAssets(), w, h, headline_delay_ms=title_ms, captions=captions)


def _ink_rows(img: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Rows where ``img`` differs visibly from ``base``."""
    diff = np.abs(img[..., :3].astype(np.int16) - base[..., :3]).max(axis=2)
    return np.nonzero((diff > 40).sum(axis=1) > 2)[0]


def _draw(w: int, h: int, paint: object) -> np.ndarray:
    surface = skia.Surface(w, h)
    paint(surface.getCanvas())  # type: ignore[operator]
    return np.asarray(surface.makeImageSnapshot().toarray())


@pytest.mark.parametrize(("w", "h"), [(960, 540), (540, 960), (600, 600)])
@pytest.mark.parametrize(
    "title", ["How to Brew Pour-over Coffee", "Five Quick Tips for Better Sleep Tonight"]
)
def test_the_title_card_never_covers_the_picture(w: int, h: int, title: str) -> None:
    scene = _scene(w, h, "Fresh coffee, every morning", title_ms=3500)
    card = TitleRenderer(Segment("t", 0, 3500, "title", meta=Meta({"text": title})), w, h, 1.0)
    t = 1500.0  # the card fully shown, the picture entered
    bare = _draw(w, h, lambda c: scene.background.draw(c, t))
    picture = _draw(w, h, lambda c: scene.draw(c, t))
    words = _draw(w, h, lambda c: (scene.background.draw(c, t), card.draw(c, t)))
    pic_rows = _ink_rows(picture, bare)
    # the card's words, not its veil: compare with the veil and band alone
    veiled = _draw(w, h, lambda c: (scene.background.draw(c, t), card.draw(c, 0.5)))
    word_rows = _ink_rows(words, veiled)
    assert len(pic_rows) > h * 0.08, "the picture is still shown while the card is up"
    assert len(word_rows) > 0
    assert pic_rows.max() < word_rows.min(), (pic_rows.max(), word_rows.min())
    # once the card has gone, the picture is home again (the right column / the upper part)
    home = _ink_rows(
        _draw(w, h, lambda c: scene.draw(c, 4500)), _draw(w, h, lambda c: scene.background.draw(c, 4500))
    )
    _, vy, _, vh = scene.layout.visual
    assert vy - 2 <= home.min() and home.max() <= max(vy + vh, scene.head_top + scene.block.height) + h * 0.1


@pytest.mark.parametrize(
    ("headline", "captions"),
    [("Fresh coffee, every morning", False), ("祝你新年快乐，万事顺遂", False), ("Fresh coffee", True)],
)
def test_a_tall_canvas_spreads_picture_and_headline_over_its_height(headline: str, captions: bool) -> None:
    w, h = 540, 960
    scene = _scene(w, h, headline, captions=captions)
    drawn = _draw(w, h, lambda c: scene.draw(c, 5000))
    rows = _ink_rows(drawn, _draw(w, h, lambda c: scene.background.draw(c, 5000)))
    slot = scene_layout(w, h, chart=False, headline=True, captions=captions)
    floor = scene.layout.floor
    above = rows.min() - slot.visual[1]  # free height between the top margin and the picture
    below = floor - rows.max()  # free height between the underline and the caption band / safe area
    assert 0 <= below <= above + h * 0.03, (above, below)


@pytest.mark.parametrize("name", ["stat", "place", "countdown", "quote"])
@pytest.mark.parametrize(("w", "h"), [(540, 960), (600, 600), (960, 540)])
def test_layouts_centre_their_parts_between_the_top_margin_and_the_captions(
    name: str, w: int, h: int
) -> None:
    comp = compose(LAYOUT_SCENES[name], w, h, Palette.of(PAL), captions=True)
    boxes = [ink(e) for e in comp.elements]
    above = min(b.y for b in boxes) - comp.content.y
    below = comp.content.bottom - max(b.bottom for b in boxes)
    assert below >= 0 and above >= 0
    assert below - above <= comp.content.h * 0.05 + 1, (above, below)
    for e in comp.elements:
        assert comp.content.contains(e.box), (e.role, e.box, comp.content)


@pytest.mark.parametrize(
    "text", ["成为一名优秀的工程师", "谢谢您这些年的辛苦付出", "我们的咖啡豆都是新鲜烘焙的"]
)
def test_a_particle_never_opens_a_line(text: str) -> None:
    for chars in (4.3, 5.3, 6.3, 7.3):
        lines, _ = _lines(text, _chars(chars))
        assert not any(line.startswith("的") for line in lines[1:]), (chars, lines)
