"""Everyday businesses, in Chinese and English, get a picture of what they sell: Chinese words
read through the lexicon, and phrases no word covers through their head character."""

from __future__ import annotations

import pytest

from promptreel.generators.visuals.icons import IconLibrary, find_icon_root
from promptreel.generators.visuals.lexicon import zh_to_en


@pytest.fixture(scope="module")
def library() -> IconLibrary:
    root = find_icon_root()
    assert root is not None, "node_modules/@iconify-json is missing: run scripts/setup.sh"
    return IconLibrary(root, semantic=None)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("饺子馆", "zh", {"dumpling"}),
        ("介绍我们的饺子馆：手工现包", "zh", {"dumpling"}),
        ("外卖满50元免配送费", "zh", {"takeout-box", "delivery-truck"}),
        ("韭菜鸡蛋 猪肉白菜 三鲜", "zh", {"egg", "leafy-green", "shrimp", "pig", "cut-of-meat"}),
        ("拉面馆", "zh", {"steaming-bowl"}),
        ("我们的牛肉面馆开业了", "zh", {"steaming-bowl"}),
        ("面包店", "zh", {"bread", "croissant", "baguette-bread"}),
        ("奶茶店新品上市", "zh", {"bubble-tea"}),
        ("花店", "zh", {"tulip", "blossom", "bouquet", "rose"}),
        ("自行车维修", "zh", {"bicycle"}),
        ("包子铺", "zh", {"dumpling"}),
        ("粥铺", "zh", {"bowl-with-spoon"}),
        ("烤鸭店", "zh", {"duck"}),
        ("理发店", "zh", {"barber-pole"}),
        ("洗衣店", "zh", {"basket", "soap", "t-shirt"}),
        ("our dumpling shop", "en", {"dumpling"}),
        ("a noodle shop downtown", "en", {"steaming-bowl"}),
        ("the ramen bar on Main Street", "en", {"steaming-bowl"}),
        ("a neighbourhood bakery", "en", {"bread", "croissant", "baguette-bread"}),
        ("bubble tea", "en", {"bubble-tea"}),
        ("a flower shop", "en", {"tulip", "blossom", "bouquet"}),
        ("bike repair", "en", {"bicycle"}),
        ("takeaway and delivery", "en", {"takeout-box", "delivery-truck"}),
        ("laundry", "en", {"basket", "soap", "t-shirt"}),
        ("红绿灯", "zh", {"vertical-traffic-light", "horizontal-traffic-light"}),  # not a skin tone
        ("奶奶", "zh", {"old-woman", "older-person"}),  # not milk
    ],
)
def test_shops_show_what_they_sell(library: IconLibrary, text: str, lang: str, expected: set[str]) -> None:
    got = library.match(text, lang=lang)
    assert got is not None, (text, library.rank(text, lang=lang, k=5))
    assert got.partition(":")[2] in expected, (text, library.rank(text, lang=lang, k=5))


def test_the_head_character_names_a_phrase_no_word_covers() -> None:
    assert zh_to_en("牛肉面").split()[0] == "noodle"  # a 面 first, then what kind
    assert zh_to_en("粥铺") == "porridge"  # past the shop suffix
    assert zh_to_en("烤鸭店") == "duck"
    assert zh_to_en("期待与你见面") == ""  # 见面 is meeting, not noodles
    assert zh_to_en("我们很期待认识你") == ""
    assert zh_to_en("饺子馆") == "dumpling"  # a word covers the end: no head needed
    assert zh_to_en("自行车维修") == "bike repair"
    assert zh_to_en("调刹车") == ""  # a brake is not a car
