"""Text for frames: tokens (Latin words, CJK characters with punctuation attached), wrapping,
fitting, balanced lines, font fallback lists, palettes."""

from __future__ import annotations

import pytest

from promptreel.render import fonts
from promptreel.render import text as tx
from promptreel.render.palette import Palette, contrast, mix, parse_color


def test_latin_words_and_cjk_characters() -> None:
    assert [t.text for t in tx.tokenize("  Fresh   coffee, daily ")] == ["Fresh", "coffee,", "daily"]
    toks = tx.tokenize("清晨的咖啡，唤醒你。")
    assert [t.text for t in toks] == ["清", "晨", "的", "咖", "啡，", "唤", "醒", "你。"]
    assert toks[0].gap and not any(t.gap for t in toks[1:])
    mixed = [t.text for t in tx.tokenize("用iPhone15拍摄“精彩”瞬间")]
    assert "iPhone15" in mixed and "“精" in mixed and "彩”" in mixed


def test_no_line_starts_with_closing_punctuation() -> None:
    style = tx.TextStyle(size=40)
    toks = tx.tokenize("我们的咖啡豆，小批量烘焙，每一杯都新鲜。")
    for width in range(120, 700, 37):
        block = tx.layout(toks, style, width)
        firsts = [toks[p.index].text for p in block.placed if p.x == 0]
        assert not any(f[0] in "，。！？、" for f in firsts)


def test_wrap_respects_width_and_fit_shrinks() -> None:
    style = tx.TextStyle(size=60, weight=800, kind="display")
    toks = tx.tokenize("Every great day starts with a fresh cup of coffee")
    block = tx.layout(toks, style, 500)
    assert block.lines > 1 and block.width <= 500
    fitted = tx.fit(toks, style, 500, 150, max_lines=2, min_size=10)
    assert fitted.lines <= 2 and fitted.height <= 150 and fitted.size < 60
    balanced = tx.fit(tx.tokenize("Fresh coffee, every morning"), style, 900, 1000, balance=True)
    if balanced.lines == 2:
        a, b = balanced.line_widths
        assert min(a, b) / max(a, b) > 0.5


def test_measure_scales_linearly_with_size() -> None:
    w1 = tx.measure("Morning", tx.TextStyle(size=20))[0]
    w2 = tx.measure("Morning", tx.TextStyle(size=80))[0]
    assert w2 == pytest.approx(4 * w1, rel=0.02)


def test_family_lists_fall_back_to_emoji_and_cjk() -> None:
    fams = fonts.families("display")
    assert fams and all(fonts.installed(f) for f in fams)
    if fonts.installed(fonts.EMOJI):
        assert fonts.EMOJI in fams
    cjk = [f for f in fams if f in fonts.CJK]
    assert cjk, "no CJK font installed (fonts-noto-cjk or fonts-wqy-microhei)"
    assert fonts.covers(fonts.typeface(cjk[0]), "清晨咖啡")
    assert fonts.families("text", "No Such Font")[0] != "No Such Font"


def test_emoji_renders_in_colour() -> None:
    if not fonts.installed(fonts.EMOJI):
        pytest.skip("Noto Color Emoji is not installed")
    spr = tx.sprite("🍎", tx.TextStyle(size=64, color=0xFFFFFFFF))
    arr = spr.image.toarray()
    ink = arr[arr[:, :, 3] > 200][:, :3].astype(int)
    assert len(ink) > 50
    spread = (ink.max(axis=1) - ink.min(axis=1)).mean()
    assert spread > 30, "emoji drawn monochrome (white text colour) instead of in colour"


def test_palette_roles_and_readable_text() -> None:
    p = Palette.of(["#3B2417", "#7A4A2A", "#D98E48", "#F2C078", "#FFF4E6"])
    assert p.text == parse_color("#FFF4E6") and p.highlight == parse_color("#F2C078")
    light = Palette.of(["#FFF7ED", "#FED7AA", "#EA580C"])
    assert contrast(light.text, mix(light.bg0, light.bg1, 0.5)) >= 4.5
    fallback = Palette.of("nonsense")
    assert fallback.bg0 != fallback.bg1
    assert Palette.of(["#112233", "#445566"]).accent  # two colours get a derived accent


def test_loading_fonts_prints_no_fontconfig_noise() -> None:
    """skia's fontconfig warns about configuration elements newer than itself when it loads
    the system's fonts: a new user saw those lines on every ``promptreel make``. Other output
    written while the fonts load still comes through."""
    import subprocess
    import sys

    code = (
        "import os, skia\n"
        "from promptreel.render import fonts, text as tx\n"
        "os.write(2, b'before\\n')\n"
        "fonts.families('display')\n"
        "tx.layout(tx.tokenize('Fresh coffee 清晨'), tx.TextStyle(size=40), 400)\n"
        "os.write(2, b'after\\n')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stderr.splitlines() == ["before", "after"], out.stderr
    assert fonts._HARMLESS.match(
        b'Fontconfig warning: "/x/05-reset-dirs-sample.conf", line 6: unknown element "reset-dirs"\n'
    )
    assert not fonts._HARMLESS.match(b"Fontconfig error: cannot load default config file\n")
