"""Under a title card: the headline waits for the card, the scene's picture does not (an
opening scene shows its subject even when the card lasts the whole scene); timed caption words
keep a number with the Chinese around it."""

from __future__ import annotations

import numpy as np
import skia

from promptreel.draft import Meta, Segment
from promptreel.render.captions import CaptionRenderer
from promptreel.render.scene import SceneRenderer
from test_compose_support import SCENES, IconAssets, surface

W, H = 270, 480


def _draw(delay_ms: float, t_ms: float) -> tuple[np.ndarray, SceneRenderer]:
    seg = Segment("s0", 0, 3000, "scene", meta=Meta({**SCENES[0], "motion": "gradient"}))
    r = SceneRenderer(seg, IconAssets(), W, H, seed=7, captions=False, headline_delay_ms=delay_ms)
    arr, surf = surface(W, H)
    c = surf.getCanvas()
    c.clear(skia.ColorBLACK)
    r.draw(c, t_ms)
    return arr[:, :, :3].astype(np.int16), r


def test_the_picture_shows_while_a_title_card_covers_the_whole_scene() -> None:
    """The picture is on screen while the card is up: where the card's words can't reach it
    (in its own place, or waiting above the card), never hidden until the card leaves."""
    covered, r = _draw(3000.0, 1500.0)  # the card lasts the scene
    plain, _ = _draw(0.0, 1500.0)
    before, _ = _draw(3000.0, 0.0)  # nothing has entered yet
    assert r.illustration is not None
    px, py, k = r._picture_at(1500.0)
    assert k > 0.0
    half = r.illustration.size * 0.45 * k
    shown = (
        slice(max(0, round(py - half)), round(py + half)),
        slice(max(0, round(px - half)), round(px + half)),
    )
    assert np.abs(covered[shown] - before[shown]).mean() > 5.0  # the picture is there
    hx, hy, hw, hh = (round(v) for v in r.layout.headline)
    head = (slice(hy, hy + hh), slice(hx, hx + hw))
    assert np.abs(covered[head] - plain[head]).mean() > 1.0  # the headline still waits


def test_timed_caption_words_space_only_between_spaced_words() -> None:
    words = [["外卖", 0, 300], ["满", 300, 400], ["50元", 400, 700], ["免", 700, 800], ["配送费", 800, 1200]]
    seg = Segment("c", 0, 1200, "caption", meta=Meta({"text": "外卖满50元免配送费", "words": words}))
    cap = CaptionRenderer(seg, {}, 1080, 1920, 1.0)
    assert [t.text for t in cap.tokens] == [w for w, *_ in words]  # the timed words themselves
    assert [t.gap for t in cap.tokens][1:] == [False, False, False, False]
    latin = [["Free", 0, 300], ["delivery", 300, 600], ["over", 600, 800], ["$50", 800, 1000]]
    seg = Segment("c", 0, 1000, "caption", meta=Meta({"text": "Free delivery over $50", "words": latin}))
    assert all(t.gap for t in CaptionRenderer(seg, {}, 1080, 1920, 1.0).tokens[1:])
