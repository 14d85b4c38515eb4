"""Rasterised words are kept by size, not count: a long video's thousands of words never hold
more than the budget, and a word drawn again is not rasterised again."""

from __future__ import annotations

from promptreel.render import text as tx


def _held() -> int:
    return sum(s.image.width() * s.image.height() * 4 for s in tx._sprites.values())


def test_sprites_stay_within_their_byte_budget_and_are_reused() -> None:
    big = tx.TextStyle(size=140.0, color=0xFFFFFFFF, weight=800, kind="display", font="",
                       shadow=0x99000000, shadow_blur=8.0, shadow_dy=4.0)  # fmt: skip
    first = tx.sprite("Espresso", big)
    assert tx.sprite("Espresso", big) is first  # kept: drawn again without rasterising
    largest = 0
    for i in range(400):  # far more than the budget holds at this size
        s = tx.sprite(f"Word{i}", big)
        largest = max(largest, s.image.width() * s.image.height() * 4)
        assert _held() <= tx.SPRITE_BUDGET + largest
    assert len(tx._sprites) < 400  # the oldest were let go
    assert tx.sprite("Espresso", big).image.width() == first.image.width()  # made again alike
