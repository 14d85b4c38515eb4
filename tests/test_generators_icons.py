"""Illustrations: Iconify sets indexed from node_modules, matched by meaning, rendered as SVG."""

from __future__ import annotations

import pytest
import skia

from promptreel.generators.base import Illustrations
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root
from promptreel.generators.visuals.lexicon import stem, tokens, zh_to_en
from promptreel.settings import Settings

# (text, lang, acceptable icons): the public sample prompts and scene-like sentences
CASES = [
    (
        "generate a 30-second video from my script about a coffee brand",
        "en",
        {"hot-beverage", "teacup-without-handle"},
    ),
    ("Fresh coffee, roasted every morning for you.", "en", {"hot-beverage"}),
    (
        "create a 30s promo for a neighbourhood bakery: fresh bread at dawn, croissants, coffee, warm tone",
        "en",
        {"bread", "croissant", "baguette-bread"},
    ),
    ("Our bakery opens before sunrise.", "en", {"bread", "croissant", "baguette-bread"}),
    ("Meet our new sneakers, built for speed.", "en", {"running-shoe"}),
    (
        "a short birthday greeting video for my sister Anna, with confetti and a happy song, square",
        "en",
        {"birthday-cake", "party-popper", "confetti-ball", "wrapped-gift"},
    ),
    (
        "make a 45-second explainer on how vaccines train the immune system, calm narration, 16:9",
        "en",
        {"syringe", "microbe", "shield"},
    ),
    (
        "a 20 second product launch teaser for a solar-powered backpack, upbeat music, vertical for TikTok",
        "en",
        {"sun", "backpack"},
    ),
    ("Revenue is up 12% this quarter.", "en", {"chart-increasing", "bar-chart", "money-bag"}),
    ("Two new hires joined the team this week.", "en", {"handshake", "busts-in-silhouette"}),
    ("We launch next Friday.", "en", {"rocket"}),
    (
        "为一家咖啡品牌生成一个30秒的宣传视频，温暖的色调，带旁白和字幕",
        "zh",
        {"hot-beverage", "teacup-without-handle"},
    ),
    ("做一个15秒的竖屏短视频，介绍我们的新款运动鞋，节奏要快", "zh", {"running-shoe"}),
    ("祝你生日快乐", "zh", {"birthday-cake", "party-popper"}),
    ("太阳能让能源更清洁", "zh", {"sun", "high-voltage", "battery"}),
    ("团队的收入增长了", "zh", {"chart-increasing", "busts-in-silhouette"}),
]


@pytest.fixture(scope="session")
def library() -> IconLibrary:
    root = find_icon_root()
    assert root is not None, "node_modules/@iconify-json is missing: run scripts/setup.sh"
    return IconLibrary(root, semantic=None)


def test_sets_are_indexed(library: IconLibrary) -> None:
    assert isinstance(library, Illustrations)
    names = library.names()
    assert len(library.names("fluent-emoji-flat")) > 1000
    assert len(library.names("tabler")) > 1000
    assert "fluent-emoji-flat:hot-beverage" in names
    assert not any(n.endswith("-medium-dark") for n in names)  # skin-tone variants collapse
    e = library.entry("fluent-emoji-flat:hot-beverage")
    assert e is not None and e.category == "Food & Drink" and e.emoji == "\u2615"


@pytest.mark.parametrize(("text", "lang", "expected"), CASES)
def test_sample_prompts_pick_sensible_icons(
    library: IconLibrary, text: str, lang: str, expected: set[str]
) -> None:
    got = library.match(text, lang=lang)
    assert got is not None
    prefix, _, name = got.partition(":")
    assert prefix == "fluent-emoji-flat" and name in expected, (text, library.rank(text, lang=lang, k=5))


def test_exclude_gives_variety(library: IconLibrary) -> None:
    text = "Fresh bread and croissants from our bakery"
    first = library.match(text)
    second = library.match(text, exclude=(first or "",))
    assert first and second and first != second
    assert second.split(":")[1] in {"bread", "croissant", "baguette-bread"}


def test_nothing_matches_nonsense(library: IconLibrary) -> None:
    assert library.match("zzqx vbnm") is None
    assert library.match("") is None


def test_tabler_is_the_fallback_for_words_only_it_has(library: IconLibrary) -> None:
    got = library.match("keyboard shortcuts cheat sheet for the wifi router")
    assert got is not None


@pytest.mark.parametrize(
    "name",
    [
        "fluent-emoji-flat:hot-beverage",
        "fluent-emoji-flat:backhand-index-pointing-right",
        "tabler:coffee",
        "hot-beverage",
    ],
)
def test_svg_parses_with_skia(library: IconLibrary, name: str) -> None:
    svg = library.svg(name)
    assert svg is not None and svg.startswith("<svg") and "viewBox=" in svg
    data = svg.encode()
    dom = skia.SVGDOM.MakeFromStream(skia.MemoryStream(data, True))
    assert dom is not None
    size = dom.containerSize()
    assert size.width() > 0 and size.height() > 0
    surface = skia.Surface(64, 64)
    canvas = surface.getCanvas()
    canvas.scale(64 / size.width(), 64 / size.height())
    dom.render(canvas)
    pixels = surface.makeImageSnapshot().toarray()
    assert pixels[..., 3].max() > 0  # something was drawn


def test_every_matched_icon_renders(library: IconLibrary) -> None:
    for text, lang, _ in CASES:
        icon = library.match(text, lang=lang)
        assert icon is not None
        svg = library.svg(icon)
        assert svg is not None
        data = svg.encode()
        assert skia.SVGDOM.MakeFromStream(skia.MemoryStream(data, True)) is not None


def test_unknown_svg_is_none(library: IconLibrary) -> None:
    assert library.svg("fluent-emoji-flat:no-such-icon") is None
    assert library.svg("no-such-set:coffee") is None


def test_root_from_settings_and_missing_root(tmp_path: object) -> None:
    root = find_icon_root()
    assert root is not None
    assert find_icon_root(Settings(icon_dir=root.parent)) == root
    empty = IconLibrary(None)
    assert empty.match("coffee") is None and empty.svg("fluent-emoji-flat:hot-beverage") is None


def test_lexicon_helpers() -> None:
    assert stem("sneakers") == "sneaker"
    assert stem("croissants") == "croissant"
    assert stem("vaccines") == "vaccine"
    assert stem("bakeries") == "bakery"
    assert "coffee" in tokens("The COFFEE is great")
    assert "the" not in tokens("the the the")
    assert "coffee" in zh_to_en("我爱咖啡") and "shoe" in zh_to_en("运动鞋")
