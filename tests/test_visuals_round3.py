"""Every scene's picture fits what the scene says, and rows read well at 16:9, 9:16 and 1:1.

* Words every video says ("In short", "Welcome", "Thanks for watching", "总之", "欢迎光临") never
  pick a picture; a scene made of them shows the video's subject, else the prompt's occasion,
  else the kind of video's picture, never an abstract shape.
* Steps, lists and place cards size their items to the space, and show the scene's picture
  beside them on a wide frame (above them on a tall or square one), never over their text.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.generators.visuals.choose import kind_pictures, scene_picture
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root
from promptreel.render.compose import Compositor
from promptreel.render.layouts import compose
from promptreel.render.layouts.elements import Icon, Shape, Text
from promptreel.render.palette import Palette
from promptreel.render.safezone import Box, safe_box
from promptreel.settings import Settings
from test_compose_support import IconAssets, frame

ASPECTS = ((1920, 1080), (1080, 1920), (1080, 1080))
PAL = ["#101828", "#1E3A5F", "#F59E0B", "#38BDF8"]


@pytest.fixture(scope="module")
def lib() -> IconLibrary:
    assert find_icon_root() is not None, "node_modules/@iconify-json is missing: run scripts/setup.sh"
    return IconLibrary.from_settings(Settings())


def _name(icon_id: str) -> str:
    return icon_id.partition(":")[2]


# --- icon choice -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("In short", "en"),
        ("Welcome", "en"),
        ("Thanks for watching", "en"),
        ("Stay tuned", "en"),
        ("Don't miss out", "en"),
        ("Let's take a closer look", "en"),
        ("Welcome, everyone, see you soon", "en"),
        ("总之", "zh"),
        ("欢迎光临", "zh"),
        ("敬请期待，不要错过", "zh"),
    ],
)
def test_words_every_video_says_pick_no_picture(lib: IconLibrary, text: str, lang: str) -> None:
    assert lib.rank(text, lang=lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "thing"),
    [
        ("Welcome to our bakery", "en", {"bread", "croissant", "baguette-bread"}),
        ("Thanks for watching our sneaker launch", "en", {"running-shoe"}),
        ("欢迎光临我们的咖啡店", "zh", {"hot-beverage", "teacup-without-handle"}),
    ],
)
def test_generic_words_leave_the_scene_its_subject(
    lib: IconLibrary, text: str, lang: str, thing: set[str]
) -> None:
    assert _name(lib.match(text, lang=lang) or "") in thing


@pytest.mark.parametrize(
    ("subject", "lang"),
    [
        ("how to wash your hands in 5 steps", "en"),
        ("Teach kids how to wash their hands", "en"),
        ("洗手", "zh"),
    ],
)
def test_hand_washing_is_soap_and_water_never_a_gesture(lib: IconLibrary, subject: str, lang: str) -> None:
    # the close ("In short") once showed a coat: it now shows the subject's own picture
    got = scene_picture(lib, "In short", lang=lang, used=(), subject=subject, genre="explainer")
    assert _name(got) in {"soap", "droplet", "raising-hands"}, got


@pytest.mark.parametrize(
    ("prompt", "lang", "thing"),
    [
        ("周末促销，全场八折", "zh", {"label", "shopping-bags"}),
        ("店庆大促，满200减50", "zh", {"label", "shopping-bags"}),
        ("Big summer sale this weekend, everything must go", "en", {"label", "shopping-bags"}),
    ],
)
def test_a_scene_naming_nothing_shows_the_prompts_occasion(
    lib: IconLibrary, prompt: str, lang: str, thing: set[str]
) -> None:
    got = scene_picture(lib, "期待与你相见" if lang == "zh" else "See you there", lang=lang, prompt=prompt)
    assert _name(got) in thing, got


@pytest.mark.parametrize("genre", ["promo", "greeting", "explainer", "update", "story", "teaser", "unknown"])
def test_nothing_to_picture_shows_the_kind_of_video(lib: IconLibrary, genre: str) -> None:
    first = scene_picture(lib, "Hello there", lang="en", prompt="Hello there", genre=genre)
    assert first and first in kind_pictures(genre)
    assert lib.svg(first), "the kind's picture exists in the set"
    # never the same picture twice in a row
    again = scene_picture(lib, "Hello there", lang="en", used=(first,), genre=genre)
    assert again and again != first


def test_a_fresh_but_weaker_sense_gives_way_to_the_subject(lib: IconLibrary) -> None:
    # after the coffee picture is shown, "coffee shop" must not drift to shopping bags
    best = lib.match("coffee shop") or ""
    used = (best, "fluent-emoji-flat:teacup-without-handle", "fluent-emoji-flat:croissant")
    got = scene_picture(lib, "coffee shop", used=used, subject="coffee shop", genre="promo")
    assert _name(got) not in {"shopping-bags", "convenience-store", "department-store"}


@pytest.mark.parametrize(
    "prompt",
    [
        "Teach kids how to wash their hands in 5 steps",
        "周末促销，全场八折",
        "招聘前端工程师，五险一金，双休",
        "Introducing our app's new dark mode feature",
    ],
)
def test_every_scene_of_a_real_draft_has_a_picture(prompt: str) -> None:
    from promptreel.service.studio import default_engines, generate_draft

    settings = Settings()
    draft = generate_draft(prompt, settings=settings, engines=default_engines(settings), seed=1)
    scenes = [s for t in draft.tracks if t.role == "scenes" for s in t.segments]
    icons = [str(s.meta.get("icon") or "") for s in scenes]
    assert all(icons), list(zip([s.meta.get("headline") for s in scenes], icons, strict=True))
    assert all(a != b for a, b in itertools.pairwise(icons)), icons
    gestures = {"call-me-hand", "palm-down-hand", "palm-up-hand", "coat", "gloves"}
    assert not gestures & {_name(i) for i in icons}, icons


# --- rows layouts ----------------------------------------------------------------------------

SHORT_STEPS = {
    "layout": "steps",
    "headline": "How to wash your hands",
    "icon": "fluent-emoji-flat:soap",
    "items": [{"text": "Wet your hands"}, {"text": "Add soap"}],
}
SHORT_STEPS_ZH = {
    "layout": "steps",
    "headline": "洗手两步",
    "icon": "fluent-emoji-flat:soap",
    "items": [{"text": "打湿双手"}, {"text": "抹上肥皂"}],
}
FIVE_STEPS = {
    "layout": "steps",
    "headline": "How to brew pour-over coffee",
    "icon": "fluent-emoji-flat:hot-beverage",
    "items": [
        {"text": t} for t in ("grind the beans", "rinse the filter", "pour hot water slowly", "wait", "enjoy")
    ],
}
SHORT_LIST = {
    "layout": "list",
    "headline": "We're hiring",
    "icon": "fluent-emoji-flat:briefcase",
    "items": [{"text": "Barista"}, {"text": "Flexible hours"}],
}
MENU = {
    "layout": "list",
    "headline": "Menu",
    "icon": "fluent-emoji-flat:croissant",
    "items": [
        {"text": "espresso", "value": "$3"},
        {"text": "latte", "value": "$4"},
        {"text": "croissant", "value": "$2.50"},
    ],
}
PLACE = {
    "layout": "place",
    "headline": "家长会",
    "icon": "fluent-emoji-flat:school",
    "items": [{"text": "周五下午3点"}, {"text": "学校体育馆", "value": "北京市海淀区中关村大街1号"}],
}
ROWS = {"short-steps": SHORT_STEPS, "short-steps-zh": SHORT_STEPS_ZH, "five-steps": FIVE_STEPS,
        "short-list": SHORT_LIST, "menu": MENU, "place": PLACE}  # fmt: skip


def _comp(spec: dict[str, Any], w: int, h: int, *, captions: bool = True) -> Any:
    return compose(spec, w, h, Palette.of(PAL), duration_ms=6000, captions=captions)


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("spec", [SHORT_STEPS, SHORT_STEPS_ZH, SHORT_LIST])
def test_few_short_items_are_large(spec: dict[str, Any], w: int, h: int) -> None:
    comp = _comp(spec, w, h)
    m = min(w, h)
    items = [e for e in comp.elements if isinstance(e, Text) and e.role == "item"]
    assert items and min(t.block.size for t in items) >= 0.065 * m, [t.block.size / m for t in items]


@pytest.mark.parametrize(("w", "h"), ASPECTS)
def test_many_steps_stay_readable_on_a_phone(w: int, h: int) -> None:
    comp = _comp(FIVE_STEPS, w, h)
    items = [e for e in comp.elements if isinstance(e, Text) and e.role == "item"]
    assert len(items) == 5 and min(t.block.size for t in items) >= 0.04 * min(w, h)
    if w > h:  # a wide frame spreads them over two columns rather than shrinking them
        assert len({round(t.box.x) for t in items}) == 2
        assert min(t.block.size for t in items) >= 0.05 * min(w, h)


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("name", list(ROWS))
def test_the_scene_picture_sits_beside_or_above_never_over_text(name: str, w: int, h: int) -> None:
    spec = ROWS[name]
    comp = _comp(spec, w, h)
    safe = safe_box(w, h)
    pics = [e for e in comp.elements if isinstance(e, Icon) and e.role == "icon"]
    texts = [e for e in comp.elements if isinstance(e, Text)]
    cards = [e for e in comp.elements if isinstance(e, Shape) and e.role == "card"]
    for p in pics:
        assert p.name == spec["icon"]
        assert safe.x - 1 <= p.box.x and p.box.right <= safe.right + 1, "picture outside the safe area"
        assert safe.y - 1 <= p.box.y and p.box.bottom <= safe.bottom + 1, "picture outside the safe area"
        for t in texts:
            assert not _overlap(p.box, t.ink), f"{name}: picture over {t.role}"
        for c in cards:
            assert not _overlap(p.box, c.box), f"{name}: picture over the card"
    # few rows leave room: the picture is there (beside on a wide frame, above otherwise)
    if len(spec["items"]) <= 3:
        assert pics, f"{name}: no picture at {w}x{h}"
        rows = [t for t in texts if t.role == "item"]
        if w > h:
            assert pics[0].box.right <= min(t.box.x for t in rows)
        else:
            assert pics[0].box.bottom <= min(t.box.y for t in rows)


def _draft(spec: dict[str, Any], w: int, h: int) -> Draft:
    seg = Segment("s0", 0, 4000, "scene", meta=Meta({"palette": PAL, "motion": "gradient", **spec}))
    return Draft(
        "d", Canvas(w, h, 30), (Track("v", TrackType.VIDEO, "scenes", "", (seg,)),), Meta({"seed": 3})
    )


@pytest.mark.parametrize(("w", "h"), [(960, 540), (540, 960), (540, 540)])
@pytest.mark.parametrize("spec", [SHORT_LIST, PLACE])
def test_drawn_frames_show_the_picture_and_fill_the_frame(spec: dict[str, Any], w: int, h: int) -> None:
    comp = Compositor(_draft(spec, w, h), IconAssets(), w, h)
    bare = Compositor(_draft({"layout": "list"}, w, h), IconAssets(), w, h)
    try:
        ink = np.abs(frame(comp, w, h, 100).astype(np.int16) - frame(bare, w, h, 100)).max(axis=2) > 40
    finally:
        comp.close()
        bare.close()
    pic = next(
        e for e in _comp(spec, w, h, captions=False).elements if isinstance(e, Icon) and e.role == "icon"
    )
    b = pic.box
    assert ink[int(b.y) : int(b.bottom), int(b.x) : int(b.right)].mean() > 0.15, "the picture is not drawn"
    ys, xs = np.nonzero(ink)
    # what the scene shows spans most of the frame's width or height, not a corner of it
    assert (xs.max() - xs.min()) / w > 0.45 or (ys.max() - ys.min()) / h > 0.45


STATS = [
    {"layout": "stat", "headline": "30% off all shoes", "icon": "fluent-emoji-flat:mans-shoe", "value": "30%",
     "label": "this weekend only"},
    {"layout": "stat", "headline": "全场八折", "icon": "fluent-emoji-flat:label", "value": "8折", "label": "周六周日两天"},
]  # fmt: skip


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("spec", STATS)
def test_a_big_number_shows_its_picture_large_and_apart(spec: dict[str, Any], w: int, h: int) -> None:
    comp = _comp(spec, w, h)
    pic = next(e for e in comp.elements if isinstance(e, Icon) and e.role == "icon")
    value = next(e for e in comp.elements if getattr(e, "role", "") == "value")
    texts = [e for e in comp.elements if isinstance(e, Text)]
    m = min(w, h)
    for t in texts:
        assert not _overlap(pic.box, t.ink), f"picture over {t.role}"
    if w > h:  # beside the number, about as tall as it
        assert pic.box.right <= value.box.x and pic.box.w >= 0.3 * m
    else:
        assert pic.box.bottom <= min(t.box.y for t in texts) and pic.box.w >= 0.12 * m


@pytest.mark.parametrize(
    ("subject", "prompt"),
    [
        ("coffee shop", "Make a video for our coffee shop, Bean There, new autumn latte"),
        ("bubble tea shop", "A promo for our bubble tea shop, open late"),
    ],
)
def test_a_scene_naming_nothing_shows_the_subject_before_the_kind(
    lib: IconLibrary, subject: str, prompt: str
) -> None:
    own = {i for i, _ in lib.rank(subject, k=3)}
    used = [*own, "fluent-emoji-flat:beans"]  # every picture of the subject shown already
    got = scene_picture(
        lib, "We can't wait to meet you", used=used, subject=subject, prompt=prompt, genre="promo"
    )
    assert got in own and got != used[-1], got
    assert got not in kind_pictures("promo")


LONG_ROWS = [
    {"layout": "list", "headline": "What you get", "icon": "fluent-emoji-flat:wrapped-gift",
     "items": [{"text": "A free tasting of our three seasonal single-origin coffees"},
               {"text": "Ten percent off every bag of beans you take home"}]},
    {"layout": "list", "headline": "报名须知", "icon": "fluent-emoji-flat:memo",
     "items": [{"text": "请家长于周五前在班级群内完成报名登记"}, {"text": "活动当天请携带孩子的学生证和水杯"}]},
    {"layout": "place", "headline": "School open day", "icon": "fluent-emoji-flat:spiral-calendar",
     "items": [{"text": "on Saturday May 4 at 10am"}, {"text": "Room 401, Building B"}]},
]  # fmt: skip


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize("spec", LONG_ROWS)
def test_long_items_wrap_to_two_lines_rather_than_shrink(spec: dict[str, Any], w: int, h: int) -> None:
    comp = _comp(spec, w, h)
    m = min(w, h)
    items = [e for e in comp.elements if isinstance(e, Text) and e.role == "item"]
    assert min(t.block.size for t in items) >= 0.038 * m, [round(t.block.size / m, 3) for t in items]
    for t in items:
        assert t.block.lines <= 2
        assert t.box.x - 1 <= t.ink.x and t.ink.right <= t.box.right + 1 and t.ink.bottom <= t.box.bottom + 1
    for a, b in itertools.pairwise(items):
        assert not _overlap(a.ink, b.ink)


@pytest.mark.parametrize(("name", "with_kin"), [("Anna", "my sister Anna"), ("Tom", "my brother Tom")])
def test_a_persons_name_is_no_picture(lib: IconLibrary, name: str, with_kin: str) -> None:
    assert lib.rank(name) == []  # a name alone once showed a sari
    got = _name(lib.match(with_kin) or "")
    assert got in {"woman", "man", "girl", "boy", "person", "heart-hands", "people-hugging", "family"}, got
    # the closing scene of a greeting to a name shows the occasion, not a guess from the name
    pic = scene_picture(lib, name, used=("fluent-emoji-flat:birthday-cake",), subject=name,
                        prompt=f"A birthday greeting for {with_kin} with confetti", genre="greeting", closing=True)  # fmt: skip
    assert _name(pic) in {"confetti-ball", "party-popper", "balloon", "wrapped-gift", "birthday-cake"}, pic


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize(
    "spec",
    [
        {"layout": "cta", "headline": "See you there", "icon": "fluent-emoji-flat:telephone-receiver",
         "items": [{"text": "example.com"}]},
        {"layout": "cta", "headline": "欢迎报名", "icon": "fluent-emoji-flat:memo", "items": [{"text": "扫码报名"}]},
    ],
)  # fmt: skip
def test_a_call_to_action_shows_its_picture_at_a_readable_size(spec: dict[str, Any], w: int, h: int) -> None:
    comp = _comp(spec, w, h)
    pic = next(e for e in comp.elements if isinstance(e, Icon))
    assert pic.box.w >= 0.12 * min(w, h)
    for t in (e for e in comp.elements if isinstance(e, Text)):
        assert not _overlap(pic.box, t.ink)


@pytest.mark.parametrize(("w", "h"), ASPECTS)
@pytest.mark.parametrize(
    "items",
    [
        ["Open the careers page", "Pick the role that fits you", "Upload your CV and portfolio"],
        ["Saturday, 14 June", "10:00 – 16:00", "Hall B, 88 Harbour Road"],
    ],
)
@pytest.mark.parametrize("layout", ["steps", "list", "place"])
def test_a_wrapped_item_never_leaves_one_word_alone(layout: str, items: list[str], w: int, h: int) -> None:
    spec = {"layout": layout, "headline": "How to apply", "items": [{"text": t} for t in items]}
    for t in (e for e in _comp(spec, w, h).elements if isinstance(e, Text) and e.role == "item"):
        if t.block.lines == 2:
            per_line = [sum(1 for pl in t.block.placed if pl.line == k) for k in range(2)]
            assert per_line[1] >= 2, ([tok.text for tok in t.tokens], per_line)  # no orphan
