"""Scene backgrounds: the cached base shaded small looks like one shaded at full size, and the
damage a moving background reports holds every pixel that changes."""

from __future__ import annotations

import numpy as np
import pytest
import skia

from promptreel.render import background as bg
from promptreel.render.palette import Palette

W, H = 640, 360
PALETTES = [
    Palette.of(None),
    Palette.of(["#101426", "#2B3A67", "#FF8A3D"]),
    Palette.of(["#F7F3E8", "#E3D5B8"]),
]


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    err = float(((a.astype(np.float64) - b.astype(np.float64)) ** 2)[..., :3].mean())
    return 99.0 if err == 0 else 10 * np.log10(255**2 / err)


def _frame(background: bg.Background, t: float) -> np.ndarray:
    surface = skia.Surface(W, H)
    background.draw(surface.getCanvas(), t)
    return np.array(surface.makeImageSnapshot().toarray())


@pytest.mark.parametrize("palette", PALETTES)
def test_the_base_shaded_at_a_quarter_and_scaled_up_looks_like_one_shaded_whole(
    palette: Palette, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = bg.Background("gradient", palette, W, H, 3, (0.7, 0.5)).base.toarray()
    monkeypatch.setattr(bg, "_BASE_SCALE", 1)
    whole = bg.Background("gradient", palette, W, H, 3, (0.7, 0.5)).base.toarray()
    assert small.shape == whole.shape == (H, W, 4)
    assert _psnr(small, whole) >= 50
    assert np.abs(small.astype(int) - whole).max() <= 4


@pytest.mark.parametrize("motion", ["gradient", "waves", "shapes"])
def test_every_changed_pixel_lies_inside_the_reported_damage(motion: str) -> None:
    background = bg.Background(motion, PALETTES[0], W, H, 5, (0.7, 0.5))
    for t0 in (0.0, 1000.0, 4321.0):
        t1 = t0 + 1000 / 30
        changed = np.any(_frame(background, t0) != _frame(background, t1), axis=2)
        assert changed.any(), "a moving background changes from frame to frame"
        inside = np.zeros_like(changed)
        damage = background.damage(t0, t1)
        assert damage is not None
        for x0, y0, x1, y1 in damage:
            inside[max(0, int(y0)) : int(np.ceil(y1)), max(0, int(x0)) : int(np.ceil(x1))] = True
        assert not (changed & ~inside).any(), f"{motion} at {t0}: a change outside the damage"
        assert inside.mean() < 0.9


def test_waves_damage_stops_above_the_still_bottom_of_the_front_wave() -> None:
    background = bg.Background("waves", PALETTES[1], W, H, 2, (0.5, 0.5))
    damage = background.damage(0.0, 40.0)
    assert damage is not None and len(damage) == 1
    bottom = damage[0][3]
    assert bottom < H
    a, b = _frame(background, 0.0), _frame(background, 40.0)
    assert np.array_equal(a[int(np.ceil(bottom)) :], b[int(np.ceil(bottom)) :])
