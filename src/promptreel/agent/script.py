"""Narration writing: a hook, 3–6 body beats and a call to action, sized to the video's length.

Deterministic (variety comes from the seed), offline, English and Chinese. Lines are written for
the ear: short sentences, one idea each. Well-known subjects (coffee, bakeries, sneakers, …) have
their own lines; anything else gets well-formed lines for its genre, built around the prompt's own
subject, listed details and facts.

Sizing: the speaking rate of the shipped voices (English ≈ 3.0 words/s — Piper reads ~3.2, a
human narrator ~2.6; Chinese ≈ 4.0 characters/s — espeak-ng reads ~3.8), times the voice speed,
over the target length minus ~13 % breathing room and each scene's padding. Speech that still runs
long is handled by the director, which drops whole body beats.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from promptreel.agent import lexicon as lx
from promptreel.agent.storyboard import SCENE_PAD_MS, Brief, Chart, Fact

__all__ = [
    "Line",
    "Script",
    "write_script",
    "units",
    "speaking_budget",
    "split_sentences",
    "title_case",
    "body_count",
    "RATE",
    "BREATHING",
]

RATE = {"en": 3.0, "zh": 4.0}  # words (en) or characters (zh) per second at speed 1.0
BREATHING = 0.87  # share of the length that may be speech


@dataclass(frozen=True, slots=True)
class Line:
    """One scene's narration: the core sentence, optional extra sentences, and a shorter form."""

    text: str
    headline: str
    keywords: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    short: str = ""
    chart: Chart | None = None
    beat: str = "body"
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Script:
    title: str
    subtitle: str
    scenes: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.scenes)


def L(headline: str, text: str, kw: str = "", *extras: str, short: str = "", on: str = "") -> Line:
    """Compact line literal: ``kw`` and ``on`` (trigger words) are space-separated."""
    return Line(text, headline, tuple(kw.split()), tuple(extras), short, None, "body", tuple(on.split()))


# ── measuring ──────────────────────────────────────────────────────────────────────────────


def units(text: str, lang: str) -> int:
    """Spoken size: English words, or Chinese characters plus embedded Latin words/numbers."""
    latin = len(re.findall(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*", text))
    if lang == "zh":
        return len(re.findall(r"[\u3400-\u9fff]", text)) + latin
    return latin


def speaking_budget(target_ms: int, scenes: int, lang: str, speed: float = 1.0) -> float:
    """How many units of narration fit ``scenes`` scenes in ``target_ms`` at a natural pace."""
    usable = target_ms * BREATHING - scenes * SCENE_PAD_MS
    return max(0.0, usable / 1000 * RATE.get(lang, RATE["en"]) * speed)


def body_count(target_ms: int) -> int:
    s = target_ms / 1000
    for limit, n in ((10, 1), (15, 2), (35, 3), (50, 4), (70, 5)):
        if s < limit:
            return n
    return 6


def split_sentences(text: str, lang: str) -> list[str]:
    text = " ".join(text.split())
    if lang == "zh" or lx.has_cjk(text):
        parts = re.findall(r"[^。！？!?]+[。！？!?]*", text)
    else:
        parts = re.split(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9])", text)
    return [p.strip() for p in parts if p.strip()]


_SMALL = {"a", "an", "the", "of", "and", "or", "on", "in", "to", "for", "at", "by", "with", "from", "vs"}


def title_case(text: str) -> str:
    words = text.split()
    out = []
    for i, w in enumerate(words):
        if 0 < i < len(words) - 1 and w.lower() in _SMALL:
            out.append(w.lower())
        elif any(c.isupper() for c in w[1:]) or w[:1].isupper():
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# ── subject forms used by the templates ────────────────────────────────────────────────────


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


_FAMILY_ADDRESS = {
    "mom": "Mom", "mum": "Mum", "mother": "Mum", "dad": "Dad", "father": "Dad", "grandma": "Grandma",
    "grandmother": "Grandma", "grandpa": "Grandpa", "grandfather": "Grandpa",
}  # fmt: skip
_GENERIC_HEADS = {"brand", "company", "business", "shop", "store", "startup", "service", "product", "label"}
_QUESTION = re.compile(r"^(how|why|what|where|when|who)\b", re.I)


def _plural(subject: str) -> bool:
    last = subject.split()[-1].lower() if subject.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is")) and last not in ("news", "series")


def _fields(brief: Brief) -> _Fields:
    s = brief.subject.strip()
    f = _Fields()
    pack = _pack_for(brief)
    if not s and pack is not None and pack.default_subject:
        s = pack.default_subject
    if brief.lang == "zh":
        f["S"] = s or "我们"
        f["S_new"] = s if s.startswith(("新", "全新")) else f"全新{s or '作品'}"
        f["our_S"] = (
            f"我们的{s}" if s and "我们" in brief.prompt and not s.startswith("我们") else (s or "我们")
        )
        f["S_q"] = (
            f"你有没有想过，{s}？" if re.search(r"如何|怎么|为什么|什么|哪", s) else f"{s}，到底是怎么回事？"
        )
        f["name"] = brief.recipient
        f["relation"] = brief.relation or "朋友"
        f["phrase"] = {
            "birthday": "生日快乐", "anniversary": "纪念日快乐", "wedding": "新婚快乐", "graduation": "毕业快乐",
            "thanks": "谢谢你", "new year": "新年快乐", "christmas": "圣诞快乐", "congratulations": "恭喜你",
        }.get(brief.occasion, "送给你")  # fmt: skip
        address = brief.recipient or brief.relation
        f["name_comma"] = f"{address}，" if address else ""
        f["week"] = "本周" if "周" in brief.prompt else "本期"
        return f
    low = s.lower()
    if not s:
        s = "what we do"
    f["S"] = s
    f["S_T"] = title_case(s)
    f["S_cap"] = _cap(s)
    owned = re.match(r"^(?:my|our|your)\s", low) is not None
    f["our_S"] = s if owned else f"our {s}"
    f["the_S"] = s if owned else f"the {s}"
    f["a_S"] = s if (_plural(s) or owned) else (("an " if low[:1] in "aeiou" else "a ") + s)
    if _QUESTION.match(s):
        f["how_T"] = s[0].lower() + s[1:]
    else:
        f["how_T"] = f"how {s} really works" if not _plural(s) else f"how {s} really work"
    f["How_T"] = _cap(f["how_T"])
    if _QUESTION.match(s):
        f["How_q"] = f"Here's {f['how_T']}, in plain words."
    else:
        f["How_q"] = (
            f"How {'do' if _plural(s) else 'does'} {s} really work? Let's break it down in plain words."
        )
    f["T_head"] = _headline_words(re.sub(_QUESTION, "", s).strip() or s, 4)
    f["name"] = brief.recipient
    address = brief.recipient or _FAMILY_ADDRESS.get(brief.relation, "")
    if not address and brief.occasion == "thanks" and brief.subject and len(brief.subject.split()) <= 2:
        address = re.sub(r"^(?:my|our)\s+", "", brief.subject)  # "thank you video for our volunteers"
    f["comma_name"] = f", {address}" if address else ""
    f["relation"] = brief.relation or "friend"
    f["phrase"] = {
        "birthday": "Happy birthday", "anniversary": "Happy anniversary", "wedding": "Congratulations",
        "graduation": "Congratulations", "thanks": "Thank you", "new year": "Happy New Year",
        "christmas": "Merry Christmas", "congratulations": "Congratulations",
    }.get(brief.occasion, "This one's for you")  # fmt: skip
    update = re.sub(r"\b(video|clip)\b", "", low).strip() or "team update"
    if "update" not in update and "report" not in update and "recap" not in update:
        update = f"{update} update"
    f["update_s"] = update
    f["Update_T"] = title_case(update)
    f["next_time"] = "next week" if "week" in brief.prompt.lower() else "next time"
    return f


def _headline_words(text: str, limit: int = 5) -> str:
    words = [w.strip(",.;:!?\"'") for w in text.split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].lower() in lx.STOPWORDS and words[0].lower() not in ("new",):
        words.pop(0)
    return title_case(" ".join(words[:limit]))


def _limit_headline(text: str, limit: int = 5) -> str:
    return title_case(text.strip()) if len(text.split()) <= limit else _headline_words(text, limit)


def _zh_headline(text: str, limit: int = 8) -> str:
    text = re.sub(r"[，。！？、；：,.!?;:\s“”\"]+", "", text)
    return text[:limit]


# ── topic packs: lines for subjects people ask about often ─────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Pack:
    keys: tuple[str, ...]
    hooks: tuple[Line, ...]
    body: tuple[Line, ...]
    ctas: tuple[Line, ...]
    titles: tuple[tuple[str, str], ...]
    teaser_ctas: tuple[Line, ...] = ()
    genres: tuple[str, ...] = ("promo", "teaser", "story")
    default_subject: str = ""


_EN_PACKS: tuple[_Pack, ...] = (
    _Pack(
        keys=("coffee", "espresso", "latte", "café", "cafe", "roastery", "roaster", "barista"),
        hooks=(
            L(
                "Your Morning Ritual",
                "Every great day starts with a great cup of coffee.",
                "coffee morning sunrise",
                short="Great days start with coffee.",
            ),
            L(
                "Slow Down. Sip.",
                "There's a moment, right after the first sip, when the whole day makes sense.",
                "coffee cup steam",
                short="Slow down. Sip.",
            ),
        ),
        body=(
            L(
                "Ethically Sourced Beans",
                "It starts with the beans, picked by farmers we know by name and pay fairly.",
                "coffee beans farm",
                "Every harvest is tasted, and chosen for its character.",
                short="Beans, picked with care.",
                on="beans bean farm farmers origin sourced fair trade",
            ),
            L(
                "Roasted in Small Batches",
                "We roast in small batches every week, so every bag reaches you at its peak.",
                "fire roast coffee",
                "Low and slow, until the whole room smells of caramel and chocolate.",
                short="Roasted fresh, every week.",
                on="roast roasted roasting batch fresh",
            ),
            L(
                "Brewed with Care",
                "Our baristas pull rich espresso and pour silky milk, one cup at a time.",
                "coffee espresso barista",
                "No rushing. Just the perfect cup, done right.",
                short="Brewed with care.",
                on="espresso latte barista brew brewed cappuccino milk",
            ),
            L(
                "Your Moment",
                "A slow morning at home or a quick stop on the way to work: that cup is yours.",
                "coffee house clock",
                "Ten quiet minutes, just for you.",
                short="Your moment.",
                on="morning home work commute moment",
            ),
            L(
                "A Place to Stay",
                "And our cafés are made for lingering: warm light, good music, and friendly faces.",
                "house music people",
                "Stay for one cup, or stay all afternoon.",
                short="Stay a while.",
                on="café cafe shop place space music friends",
            ),
        ),
        ctas=(
            L(
                "Taste the Difference",
                "Find your new favourite cup today. Your coffee is waiting.",
                "coffee heart",
                short="Your coffee is waiting.",
            ),
            L(
                "Come Say Hello",
                "Stop by, say hello, and taste the difference for yourself.",
                "coffee waving hand",
                short="Come taste the difference.",
            ),
        ),
        titles=(
            ("The Art of Coffee", "Brewed with care"),
            ("Your Daily Ritual", "Great coffee, every day"),
            ("Brewed with Care", "From bean to cup"),
        ),
    ),
    _Pack(
        keys=(
            "bakery",
            "bakeries",
            "bread",
            "baker",
            "bakers",
            "croissant",
            "croissants",
            "pastry",
            "patisserie",
            "sourdough",
        ),
        hooks=(
            L(
                "Baked Before Sunrise",
                "While the neighbourhood sleeps, the ovens at our bakery are already warm.",
                "bread sunrise oven",
                short="Baked before sunrise.",
            ),
            L(
                "Good Mornings Smell Like This",
                "You can smell it from down the street: fresh bread, still warm from the oven.",
                "bread smell",
                short="Fresh from the oven.",
            ),
        ),
        body=(
            L(
                "Fresh Bread at Dawn",
                "Our bread is shaped by hand and baked at dawn, still warm when we open the doors.",
                "bread baguette sunrise",
                "Crackling crust, soft crumb, and a slow dough we start the night before.",
                short="Fresh bread at dawn.",
                on="bread loaf loaves sourdough dawn baguette rye",
            ),
            L(
                "Buttery Croissants",
                "Our croissants are folded, layer after buttery layer, until they shatter at first bite.",
                "croissant butter",
                "Golden, flaky, and gone by ten o'clock most days.",
                short="Buttery, flaky croissants.",
                on="croissant croissants pastry pastries butter viennoiserie",
            ),
            L(
                "Coffee, Freshly Brewed",
                "Pair it with a freshly brewed coffee, and your morning just got better.",
                "coffee cup",
                "Strong, smooth, and made the way you like it.",
                short="Plus freshly brewed coffee.",
                on="coffee espresso latte cappuccino tea",
            ),
            L(
                "Cakes and Treats",
                "There are cakes, tarts and cookies too, for birthdays, Sundays, or just because.",
                "cake cookie shortcake",
                "Baked in small batches, so there's always something new.",
                short="Cakes and treats.",
                on="cake cakes cookies cookie tarts tart treats sweets dessert desserts",
            ),
            L(
                "Your Local Bakery",
                "We're a small, local bakery, and we know most of our regulars by name.",
                "house people heart",
                "Come once, and you'll be one of them.",
                short="Your local bakery.",
                on="neighbourhood neighborhood local community family",
            ),
        ),
        ctas=(
            L(
                "See You Tomorrow",
                "Come by the bakery tomorrow morning, and start your day the delicious way.",
                "bread sunrise",
                short="See you tomorrow morning.",
            ),
            L(
                "Come On In",
                "Pop into the bakery, say hello, and take something warm home with you.",
                "bread waving hand",
                short="See you at the bakery.",
            ),
        ),
        titles=(
            ("Fresh from the Oven", "Baked every morning"),
            ("Baked at Dawn", "Fresh every morning"),
            ("Good Morning, Bakery", "Bread, pastries and coffee"),
        ),
    ),
    _Pack(
        keys=("backpack", "backpacks", "rucksack", "daypack", "bag", "solar-powered", "solar"),
        hooks=(
            L(
                "Power, Anywhere",
                "What if your backpack could charge your phone while you walk?",
                "backpack battery sun",
                short="Power, anywhere.",
            ),
            L(
                "Carry the Sun",
                "Your next adventure just found its power source: the sun.",
                "sun backpack",
                short="Carry the sun.",
            ),
        ),
        body=(
            L(
                "Solar-Powered",
                "Built-in solar panels turn daylight into power, wherever the trail takes you.",
                "sun electricity",
                "No outlets, no hunting for sockets. Just sunlight.",
                short="Powered by the sun.",
                on="solar sun panel panels power energy",
            ),
            L(
                "Charge on the Go",
                "Plug in your phone, earbuds or camera, and keep moving.",
                "mobile phone battery",
                "A full day of charge, stored in the bag itself.",
                short="Charge on the go.",
                on="charge charging phone battery usb",
            ),
            L(
                "Light and Tough",
                "It's light on your shoulders, tough on the outside, and ready for rain.",
                "feather umbrella rain",
                "Water-resistant fabric and zips that don't quit.",
                short="Light and tough.",
                on="light lightweight tough waterproof durable rain",
            ),
            L(
                "Room for Everything",
                "Smart pockets keep your laptop, water and snacks exactly where you need them.",
                "laptop water bottle",
                "Everything in its place, nothing in your way.",
                short="Room for everything.",
                on="pockets pocket laptop storage space",
            ),
            L(
                "Built for Adventure",
                "From city commutes to weekend hikes, it's the only bag you'll need.",
                "mountain city hiking",
                "Go further, stay charged.",
                short="Built for adventure.",
                on="travel hike hiking commute adventure outdoor",
            ),
        ),
        ctas=(
            L(
                "Shop Now",
                "Get yours today, and let the sun do the charging.",
                "sun backpack",
                short="Get yours today.",
            ),
        ),
        teaser_ctas=(
            L(
                "Coming Soon",
                "Launching soon. Sign up now and be the first to carry the sun.",
                "rocket sun",
                short="Coming soon.",
            ),
            L(
                "Pre-order Now",
                "The wait is almost over. Pre-order today and be first in line.",
                "rocket",
                short="Pre-order today.",
            ),
        ),
        titles=(("Carry the Sun", "The solar-powered backpack"), ("Power, Anywhere", "Coming soon")),
    ),
    _Pack(
        keys=(
            "sneaker",
            "sneakers",
            "trainer",
            "trainers",
            "running shoe",
            "running shoes",
            "shoe",
            "shoes",
            "footwear",
        ),
        hooks=(
            L(
                "Ready to Run?",
                "Ready? Our new sneakers are here, and they're made to move.",
                "running shoe",
                short="Our new sneakers are here.",
            ),
            L(
                "Lighter Than Ever",
                "This step feels lighter than any step before it.",
                "running shoe feather",
                short="Lighter than ever.",
            ),
        ),
        body=(
            L(
                "Feather Light",
                "So light, you'll forget you're wearing them.",
                "feather running shoe",
                "Every gram counts, so we cut the ones you don't need.",
                short="Feather light.",
                on="light lightweight weight",
            ),
            L(
                "Bounce Back",
                "A springy new midsole catches every step and gives the energy back.",
                "cloud spring",
                "Land soft, push off fast.",
                short="Soft landings.",
                on="cushion cushioning midsole comfort bounce",
            ),
            L(
                "Breathe Easy",
                "A breathable knit upper keeps your feet cool, mile after mile.",
                "wind face",
                short="Cool and breathable.",
                on="breathable breathe knit mesh cool",
            ),
            L(
                "Grip Every Street",
                "A grippy outsole holds the road, even when it rains.",
                "umbrella rain",
                short="Grip in any weather.",
                on="grip outsole rain wet",
            ),
            L(
                "Street Ready",
                "From the track to the street, they look as good as they feel.",
                "city sparkles",
                short="Track to street.",
                on="style street design look colour color colors",
            ),
        ),
        ctas=(
            L("Get Yours", "Get your pair today, and let's run.", "running shoe", short="Get yours today."),
            L("Shop Now", "In stores and online now. Lace up and go.", "shopping bags", short="Shop now."),
        ),
        titles=(("Made to Move", "Our new sneakers"), ("Lighter Than Ever", "The new sneaker")),
    ),
    _Pack(
        keys=("vaccine", "vaccines", "vaccination", "immune", "immunity", "antibodies", "antibody"),
        hooks=(
            L(
                "Training Your Defences",
                "Your immune system is always learning, and vaccines give it a head start.",
                "shield syringe",
                short="Vaccines give your body a head start.",
            ),
            L(
                "How Vaccines Work",
                "How can one small shot teach your body to fight a germ it has never met?",
                "syringe microbe",
                short="How do vaccines work?",
            ),
        ),
        body=(
            L(
                "A Harmless Preview",
                "A vaccine shows your body a harmless preview of a germ: a weakened or inactive version, or one piece of it.",
                "syringe microbe",
                "It can't make you sick, but it looks enough like the real thing.",
                short="A harmless preview.",
                on="preview germ germs virus",
            ),
            L(
                "Learning the Shape",
                "Your immune cells study that preview and learn its shape, like memorising a face.",
                "magnifying glass microbe",
                "They notice the markers on its surface, called antigens.",
                short="Learning the shape.",
                on="learn cells shape",
            ),
            L(
                "Building Antibodies",
                "Then they build antibodies, proteins that lock onto that exact germ and mark it for removal.",
                "shield dna",
                "Like a key cut for one lock.",
                short="Building antibodies.",
                on="antibodies antibody",
            ),
            L(
                "Memory Cells",
                "Memory cells then keep the pattern on file, sometimes for many years.",
                "brain card index",
                "Some vaccines need a booster to refresh that memory.",
                short="Memory cells remember.",
                on="memory remember",
            ),
            L(
                "Ready to Respond",
                "So if the real germ shows up, your body recognises it and fights back fast, often before you feel ill.",
                "shield flexed biceps",
                "Faster defence means milder illness, or none at all.",
                short="Ready to respond.",
                on="fast respond protection",
            ),
            L(
                "Protecting Each Other",
                "And when enough people are protected, germs struggle to spread, shielding those who can't be vaccinated.",
                "people hugging shield",
                short="Protecting each other.",
                on="community herd people",
            ),
        ),
        ctas=(
            L(
                "Stay Protected",
                "That's how vaccines train your immune system. Ask your doctor about staying up to date.",
                "stethoscope shield",
                short="Stay protected, and stay up to date.",
            ),
        ),
        titles=(("How Vaccines Train Your Immune System", "Explained simply"),),
        genres=("explainer", "story", "promo"),
    ),
    _Pack(
        keys=("travel", "trip", "holiday", "vacation", "getaway", "journey", "tourism", "destination"),
        hooks=(
            L(
                "Next Stop: {S_T}",
                "Pack your bags: next stop, {S}.",
                "airplane luggage",
                short="Next stop: {S}.",
            ),
            L(
                "Wanderlust",
                "Some places stay with you long after you leave. {S_cap} is one of them.",
                "world map",
                short="{S_cap}, unforgettable.",
            ),
        ),
        body=(
            L(
                "Golden Streets",
                "Golden light on old streets, and a surprise around every corner.",
                "sunrise city",
                "Wander without a plan; that's half the fun.",
                short="Golden streets.",
                on="streets street city old town architecture",
            ),
            L(
                "Local Flavours",
                "Long lunches, local flavours, and food worth the trip on its own.",
                "fork knife",
                "Ask the locals where they eat, and follow them.",
                short="Local flavours.",
                on="food eat restaurant restaurants cuisine lunch dinner",
            ),
            L(
                "Views for Days",
                "Views that stop you in your tracks, from the hills to the water.",
                "mountain ocean",
                "Bring a camera, then put it down for a while.",
                short="Views for days.",
                on="view views sea ocean beach beaches mountain mountains hills sunset",
            ),
            L(
                "Meet the Locals",
                "Friendly faces, music in the air, and a story in every neighbourhood.",
                "people music",
                short="Friendly faces.",
                on="people music culture locals",
            ),
            L(
                "Moments to Keep",
                "And the moments you'll want to keep forever.",
                "camera",
                short="Moments to keep.",
                on="memories photos moments",
            ),
        ),
        ctas=(
            L(
                "Your Turn",
                "{S_cap} is waiting. Where will you go next?",
                "airplane",
                short="{S_cap} is waiting.",
            ),
        ),
        titles=(("{S_T}", "A journey to remember"), ("Next Stop: {S_T}", "")),
        default_subject="the world",
    ),
    _Pack(
        keys=(
            "game",
            "video game",
            "film",
            "movie",
            "short film",
            "series",
            "album",
            "novel",
            "podcast",
            "documentary",
        ),
        hooks=(
            L(
                "A New Story Begins",
                "Every legend starts somewhere. This one starts now.",
                "sparkles star",
                short="A new story begins.",
            ),
            L("{S_T}", "Get ready for {S}.", "clapper board", short="{S_T}."),
        ),
        body=(
            L(
                "A World Apart",
                "Step into a world unlike anything you've seen before.",
                "globe",
                "Every corner hides something new.",
                short="A world apart.",
                on="world worlds universe setting",
            ),
            L(
                "Choices That Matter",
                "Meet characters you'll care about, and face choices that matter.",
                "people",
                short="Choices that matter.",
                on="characters character story choices heroes hero",
            ),
            L(
                "Made with Heart",
                "Made by a small team with a very big dream.",
                "red heart",
                "Years of work, poured into every detail.",
                short="Made with heart.",
                on="indie team studio",
            ),
            L(
                "Sights and Sounds",
                "Every frame and every note, crafted with care.",
                "musical notes",
                short="Crafted with care.",
                on="music soundtrack art visuals graphics",
            ),
            L("Only the Beginning", "And this is only the beginning.", "rocket", short="Only the beginning."),
        ),
        ctas=(
            L("Coming Soon", "{S_T}. Coming soon.", "calendar", short="Coming soon."),
            L("Join Us", "Mark the date, and join the adventure.", "calendar", short="Join the adventure."),
        ),
        titles=(("{S_T}", "Coming soon"),),
    ),
)

_ZH_PACKS: tuple[_Pack, ...] = (
    _Pack(
        keys=("咖啡", "拿铁", "咖啡馆", "咖啡店", "咖啡豆"),
        hooks=(
            L(
                "美好从一杯开始",
                "美好的一天，从一杯好咖啡开始。",
                "coffee morning sunrise",
                short="一杯好咖啡。",
            ),
            L(
                "慢下来",
                "第一口咖啡入口的那一刻，整个早晨都温柔了起来。",
                "coffee cup steam",
                short="慢下来，喝一口。",
            ),
        ),
        body=(
            L(
                "甄选好豆",
                "我们走进产地，亲手挑选每一批咖啡豆，也给农户公平的回报。",
                "coffee beans farm",
                "每一季的收成，都经过反复品尝。",
                short="甄选好豆。",
                on="豆 产地 农场",
            ),
            L(
                "新鲜烘焙",
                "每周小批量新鲜烘焙，让每一袋咖啡都在风味最好的时候到你手中。",
                "fire roast coffee",
                "满屋都是焦糖和可可的香气。",
                short="每周新鲜烘焙。",
                on="烘焙 新鲜",
            ),
            L(
                "用心萃取",
                "咖啡师认真对待每一杯：浓郁的意式，细腻的奶泡，恰到好处。",
                "coffee espresso barista",
                short="每一杯都用心。",
                on="萃取 咖啡师 拿铁 意式 奶泡",
            ),
            L(
                "属于你的时刻",
                "无论是在家的悠闲早晨，还是上班路上的匆匆一杯，这份温暖都属于你。",
                "coffee house clock",
                short="属于你的时刻。",
                on="早晨 上班 时刻",
            ),
            L(
                "温暖的空间",
                "来店里坐坐吧：温暖的灯光，舒服的音乐，还有记得你口味的人。",
                "house music people",
                "一杯咖啡，一个下午。",
                short="来店里坐坐。",
                on="店 空间 音乐 朋友",
            ),
        ),
        ctas=(
            L("来尝一杯", "今天就来尝一杯，找到属于你的那份味道。", "coffee heart", short="今天就来尝一杯。"),
            L("等你来", "一杯好咖啡，正在等你。", "coffee waving hand", short="等你来。"),
        ),
        titles=(("一杯好咖啡", "温暖每一天"), ("咖啡的温度", "从一颗豆到一杯咖啡")),
    ),
    _Pack(
        keys=("面包", "烘焙坊", "面包店", "可颂", "蛋糕店"),
        hooks=(
            L("天亮之前", "天还没亮，我们的烤箱已经热了起来。", "bread sunrise oven", short="天亮前出炉。"),
        ),
        body=(
            L(
                "新鲜出炉",
                "每一个面包都在清晨手工整形、新鲜出炉，开门时还带着温度。",
                "bread sunrise",
                short="清晨新鲜出炉。",
                on="面包 清晨 出炉",
            ),
            L(
                "酥脆可颂",
                "可颂一层层折叠，黄油香气十足，一口咬下酥到掉渣。",
                "croissant butter",
                short="酥脆可颂。",
                on="可颂 酥 黄油",
            ),
            L(
                "现磨咖啡",
                "再配上一杯现磨咖啡，这个早晨就完美了。",
                "coffee cup",
                short="配一杯咖啡。",
                on="咖啡",
            ),
            L(
                "甜点蛋糕",
                "还有蛋糕和小甜点，生日、周末，或者只是想犒劳自己。",
                "cake cookie",
                short="蛋糕和甜点。",
                on="蛋糕 甜点 饼干",
            ),
            L(
                "街坊的面包店",
                "我们是一家小小的社区面包店，熟客的名字我们都记得。",
                "house people heart",
                short="街坊的面包店。",
                on="社区 街坊 邻居",
            ),
        ),
        ctas=(L("明早见", "明天早上来坐坐吧，带一份温暖回家。", "bread waving hand", short="明早见。"),),
        titles=(("新鲜出炉", "每天清晨，为你烘焙"),),
    ),
    _Pack(
        keys=("运动鞋", "跑鞋", "球鞋", "鞋"),
        hooks=(
            L("新款来袭", "准备好了吗？新款运动鞋，来了！", "running shoe sparkles", short="新款来了！"),
            L("更轻一步", "这一步，比以往任何时候都更轻。", "running shoe feather", short="更轻一步。"),
        ),
        body=(
            L(
                "轻到忘记",
                "超轻鞋身，穿上就像没穿一样。",
                "feather running shoe",
                "每一克都精打细算。",
                short="超轻鞋身。",
                on="轻 轻盈 重量",
            ),
            L(
                "回弹缓震",
                "全新回弹中底，每一步都稳稳接住你。",
                "cloud spring",
                "落地更软，起步更快。",
                short="全新回弹中底。",
                on="缓震 回弹 中底 舒适",
            ),
            L("透气清爽", "透气网面，跑再久脚下也清爽。", "wind face", short="透气又清爽。", on="透气 网面"),
            L(
                "抓地稳",
                "防滑大底，雨天路面也抓得牢。",
                "umbrella rain",
                short="防滑更稳。",
                on="防滑 抓地 雨",
            ),
            L(
                "街头有型",
                "从跑道到街头，怎么穿都有型。",
                "city sparkles",
                short="怎么穿都有型。",
                on="设计 颜值 街头 配色",
            ),
        ),
        ctas=(
            L("立即入手", "现在就入手，和我们一起跑起来！", "running shoe", short="现在就入手！"),
            L("马上抢购", "新品上市，马上抢购！", "shopping bags", short="马上抢购！"),
        ),
        titles=(("为奔跑而生", "新款运动鞋"), ("轻，快，稳", "新款运动鞋")),
    ),
    _Pack(
        keys=("背包", "双肩包", "太阳能"),
        hooks=(
            L("随处充电", "如果你的背包，能边走边给手机充电呢？", "backpack battery sun", short="随处充电。"),
        ),
        body=(
            L(
                "太阳能供电",
                "内置太阳能板，把阳光变成电力，走到哪里充到哪里。",
                "sun electricity",
                short="阳光就是电。",
                on="太阳能 阳光 电",
            ),
            L(
                "随时充电",
                "手机、耳机、相机，插上就能充，脚步不用停。",
                "mobile phone battery",
                short="随时充电。",
                on="充电 手机 电池",
            ),
            L(
                "轻便耐用",
                "背着轻，用得久，下雨也不怕。",
                "feather umbrella",
                short="轻便耐用。",
                on="轻 耐用 防水",
            ),
            L(
                "装得下一切",
                "贴心的分区口袋，电脑、水杯、零食都各得其所。",
                "laptop water",
                short="装得下一切。",
                on="口袋 电脑 收纳",
            ),
        ),
        ctas=(L("即将上市", "即将上市，现在预约，抢先拥有！", "rocket sun", short="即将上市！"),),
        titles=(("把阳光背在身上", "太阳能背包"),),
    ),
    _Pack(
        keys=("疫苗", "免疫", "抗体"),
        hooks=(
            L(
                "疫苗如何起作用",
                "一针小小的疫苗，怎么就能教会身体对抗病菌？",
                "syringe microbe",
                short="疫苗如何起作用？",
            ),
        ),
        body=(
            L(
                "无害的预演",
                "疫苗让身体先见到病菌的无害版本：减毒的、灭活的，或者只是其中一小部分。",
                "syringe microbe",
                short="一次无害的预演。",
                on="病菌 病毒",
            ),
            L(
                "认清样子",
                "免疫细胞会仔细研究它，记住它的样子。",
                "magnifying glass microbe",
                short="认清样子。",
            ),
            L(
                "制造抗体",
                "然后制造出专门的抗体，牢牢锁定这种病菌。",
                "shield dna",
                short="制造抗体。",
                on="抗体",
            ),
            L("长期记忆", "记忆细胞会把它记下来，有时能记很多年。", "brain", short="长期记忆。", on="记忆"),
            L(
                "快速反击",
                "真正的病菌来了，身体一眼认出，迅速反击。",
                "shield flexed biceps",
                short="快速反击。",
            ),
            L(
                "彼此守护",
                "接种的人越多，病菌越难传播，也保护了无法接种的人。",
                "people hugging shield",
                short="彼此守护。",
                on="群体 社区",
            ),
        ),
        ctas=(
            L(
                "按时接种",
                "这就是疫苗训练免疫系统的方式。记得咨询医生，按时接种。",
                "stethoscope shield",
                short="记得按时接种。",
            ),
        ),
        titles=(("疫苗如何训练免疫系统", "一分钟看懂"),),
        genres=("explainer", "story", "promo"),
    ),
    _Pack(
        keys=("旅行", "旅游", "游记", "度假", "出游"),
        hooks=(L("下一站", "收拾行李，下一站：{S}！", "airplane luggage", short="下一站：{S}！"),),
        body=(
            L(
                "老街漫步",
                "阳光洒在老街上，每个转角都有惊喜。",
                "sunrise city",
                short="老街漫步。",
                on="老街 街道 城市 建筑",
            ),
            L(
                "地道美食",
                "地道美食，值得专程跑一趟。",
                "fork knife",
                short="地道美食。",
                on="美食 小吃 餐厅",
            ),
            L(
                "风景如画",
                "风景美得让人停下脚步。",
                "mountain ocean",
                short="风景如画。",
                on="风景 海 山 日落",
            ),
            L(
                "人情味",
                "热情的人们，街头的音乐，处处都是故事。",
                "people music",
                short="处处是故事。",
                on="人 音乐 文化",
            ),
        ),
        ctas=(L("出发吧", "{S}在等你，下一次，去哪儿？", "airplane", short="出发吧！"),),
        titles=(("{S}", "一段难忘的旅程"),),
        default_subject="远方",
    ),
)

# ── genre lines for any subject ────────────────────────────────────────────────────────────

_EN_GENRE: dict[str, dict[str, tuple[Line, ...]]] = {
    "promo": {
        "hooks": (
            L("Meet {S_T}", "Some things are worth doing properly. Meet {our_S}.", short="Meet {our_S}."),
            L(
                "Something Special",
                "Looking for something a little more special? Say hello to {our_S}.",
                short="Say hello to {our_S}.",
            ),
            L(
                "Welcome",
                "Welcome to {our_S}, where the little things get the care they deserve.",
                short="Welcome to {our_S}.",
            ),
        ),
        "body": (
            L(
                "Made with Care",
                "Everything starts with care: good materials, skilled hands, and no shortcuts.",
                "hands",
                "It takes a little longer. We think it's worth it.",
                short="Made with care.",
            ),
            L(
                "Quality First",
                "You can feel the quality from the very first moment.",
                "gem",
                "That's what happens when every detail gets attention.",
                short="Quality first.",
            ),
            L(
                "Made for Real Life",
                "And it's designed around real life: your days, your plans, your people.",
                "people house",
                "Simple when you need simple, special when it counts.",
                short="Made for you.",
            ),
            L(
                "Loved by Locals",
                "It's why people keep coming back, and why they bring their friends.",
                "people heart",
                "Word of mouth is still our favourite kind of marketing.",
                short="Loved by many.",
            ),
            L(
                "The Little Things",
                "It's the little things that make the difference, and we sweat every one.",
                "sparkles",
                short="Little things matter.",
            ),
            L(
                "Here for You",
                "And whenever you need us, we're here, with a friendly face and real help.",
                "waving hand",
                short="Always here for you.",
            ),
        ),
        "ctas": (
            L(
                "Discover More",
                "Come and see for yourself. Discover {our_S} today.",
                "sparkles",
                short="Discover it today.",
            ),
            L(
                "Your Turn",
                "Your turn: find out what the fuss is about, starting today.",
                "star",
                short="Start today.",
            ),
        ),
    },
    "teaser": {
        "hooks": (
            L(
                "Something New",
                "Something new is coming, and it changes what you expect from {a_S}.",
                "sparkles gift",
                short="Something new is coming.",
            ),
            L(
                "Almost Here",
                "The wait is almost over. Get ready for {our_S}.",
                "hourglass",
                short="Get ready.",
            ),
        ),
        "body": (
            L(
                "Rethought from Scratch",
                "We started from a blank page and kept only what matters.",
                "pencil",
                short="Rethought from scratch.",
            ),
            L(
                "Built to Last",
                "Every seam and every detail is tested hard and built to last.",
                "hammer wrench",
                short="Built to last.",
            ),
            L(
                "Smart by Design",
                "Small, smart touches make every day a little easier.",
                "light bulb",
                short="Smart by design.",
            ),
            L(
                "Made to Move",
                "It goes where you go, from the morning commute to the weekend away.",
                "globe",
                short="Made to move.",
            ),
            L(
                "Looks Good, Works Better",
                "And it looks every bit as good as it works.",
                "sparkles",
                short="Looks great, works better.",
            ),
        ),
        "ctas": (
            L(
                "Coming Soon",
                "Coming soon. Sign up now and be the first to know.",
                "rocket",
                short="Coming soon.",
            ),
            L("Be First", "Launching soon. Be the first in line.", "rocket", short="Launching soon."),
        ),
    },
    "explainer": {
        "hooks": (
            L(
                "{T_head}",
                "Ever wondered {how_T}? Here's the short version.",
                "thinking face",
                short="{How_T}?",
            ),
            L(
                "Let's Break It Down",
                "{How_q}",
                "magnifying glass",
                short="Let's break it down.",
            ),
        ),
        "body": (
            L(
                "The Big Picture",
                "Start with the big picture: a few simple ideas do most of the work.",
                "globe",
                "Get those right, and the rest follows.",
                short="The big picture.",
            ),
            L(
                "Step by Step",
                "Then take it one step at a time; each piece leads to the next.",
                "footprints",
                short="Step by step.",
            ),
            L(
                "A Simple Way to See It",
                "Picture a team where every player has one job, and does it well.",
                "people",
                short="Think of a team.",
            ),
            L(
                "Why It Matters",
                "Why does it matter? Because it shapes more of daily life than most of us realise.",
                "light bulb",
                short="Why it matters.",
            ),
            L(
                "Myths vs Facts",
                "Along the way, a few common myths fall apart once you look at the evidence.",
                "check mark",
                short="Myths, meet facts.",
            ),
            L(
                "Putting It Together",
                "Put those pieces together, and the whole picture finally clicks.",
                "puzzle piece",
                short="It all clicks.",
            ),
        ),
        "ctas": (
            L(
                "Keep Exploring",
                "Now you know the basics. Share this with someone who's curious too.",
                "books",
                short="Now you know.",
            ),
            L(
                "Stay Curious",
                "That's the short version. Stay curious, and keep asking how things work.",
                "light bulb",
                short="Stay curious.",
            ),
        ),
    },
    "greeting": {
        "hooks": (
            L(
                "{phrase}{comma_name}!",
                "{phrase}{comma_name}! Today is all about you.",
                "party popper",
                short="{phrase}{comma_name}!",
            ),
            L(
                "{phrase}{comma_name}!",
                "{phrase}{comma_name}! This little video is just for you.",
                "gift",
                short="{phrase}{comma_name}!",
            ),
        ),
        "body": (
            L(
                "Best {relation} Ever",
                "To the best {relation} anyone could ask for: thank you for every laugh and every late-night talk.",
                "heart",
                short="Best {relation} ever.",
            ),
            L(
                "Here's to You",
                "Here's to another year of adventures, big dreams, and even bigger slices of cake.",
                "birthday cake",
                short="Here's to you.",
                on="cake",
            ),
            L(
                "Make a Wish",
                "May this year bring you everything you've wished for, and a few happy surprises.",
                "sparkles star",
                short="Make a wish.",
            ),
            L(
                "Confetti Time",
                "So cue the confetti, turn up the music, and celebrate like you mean it.",
                "confetti ball party popper",
                short="Cue the confetti!",
                on="confetti party balloons balloon",
            ),
            L(
                "Always in Your Corner",
                "Wherever this year takes you, we'll always be in your corner.",
                "hugging",
                short="Always with you.",
            ),
        ),
        "ctas": (
            L(
                "We Love You",
                "We love you{comma_name}. Now go make a wish!",
                "red heart",
                short="We love you!",
            ),
            L(
                "Enjoy Your Day",
                "Have the happiest day{comma_name}. You deserve every bit of it.",
                "star",
                short="Enjoy your day!",
            ),
        ),
    },
    "greeting_other": {
        "body": (
            L(
                "So Proud of You",
                "We're so proud of you, and of everything this moment stands for.",
                "star",
                short="So proud of you.",
            ),
            L(
                "Thank You",
                "Thank you for the kindness, the laughter, and the memories along the way.",
                "heart",
                short="Thank you.",
            ),
            L(
                "Here's to You",
                "Here's to the next chapter, and all the good things waiting in it.",
                "sparkles",
                short="Here's to you.",
            ),
            L(
                "Celebrate",
                "So let's celebrate, today and every day after.",
                "party popper",
                short="Let's celebrate!",
                on="confetti party",
            ),
        ),
        "ctas": (L("With Love", "With all our love{comma_name}.", "red heart", short="With love."),),
    },
    "greeting_anniversary": {
        "body": (
            L(
                "Another Year of Us",
                "Another year of us: the laughs, the adventures, and the quiet evenings in.",
                "heart",
                short="Another year of us.",
            ),
            L(
                "Still My Favourite",
                "You still make my heart skip a beat, every single day.",
                "heart",
                short="Still my favourite.",
            ),
            L(
                "Here's to Us",
                "Here's to the life we're building together, one day at a time.",
                "house",
                short="Here's to us.",
            ),
            L(
                "Thank You",
                "Thank you for the patience, the kindness, and all the little things.",
                "sparkles",
                short="Thank you.",
            ),
        ),
        "ctas": (
            L("I Love You", "I love you{comma_name}. Happy anniversary.", "red heart", short="I love you."),
        ),
    },
    "greeting_wedding": {
        "body": (
            L(
                "Two Hearts, One Adventure",
                "Two hearts, one adventure, and a whole lifetime ahead.",
                "heart",
                short="Two hearts, one adventure.",
            ),
            L(
                "Here's to Love",
                "Here's to love, to laughter, and to happily ever after.",
                "champagne",
                short="Here's to love.",
            ),
            L(
                "A Home Full of Joy",
                "May your home be full of joy, and your days full of each other.",
                "house",
                short="A home full of joy.",
            ),
            L(
                "Dance the Night Away",
                "So raise a glass, and dance the night away.",
                "dancer",
                short="Raise a glass!",
                on="dance party music",
            ),
        ),
        "ctas": (
            L(
                "With All Our Love",
                "Congratulations{comma_name}. With all our love.",
                "red heart",
                short="With all our love.",
            ),
        ),
    },
    "greeting_thanks": {
        "body": (
            L(
                "You Made It Happen",
                "None of this would have happened without you.",
                "star",
                short="You made it happen.",
            ),
            L(
                "Every Hour Counts",
                "Every hour you gave, every idea you shared, made a real difference.",
                "clock",
                short="Every hour counts.",
            ),
            L(
                "Kindness Matters",
                "Your kindness reached more people than you'll ever know.",
                "heart",
                short="Kindness matters.",
            ),
            L(
                "Proud to Work Together",
                "We're proud to work alongside you, and grateful every single day.",
                "handshake",
                short="Proud of you.",
            ),
        ),
        "ctas": (L("Thank You", "From all of us: thank you{comma_name}.", "red heart", short="Thank you!"),),
    },
    "howto": {
        "hooks": (
            L(
                "{T_head}",
                "Want to learn {how_T}? Here's how, step by step.",
                "light bulb",
                short="{How_T}, step by step.",
            ),
        ),
        "body": (
            L(
                "Get Ready",
                "First, gather what you need, and set yourself up before you start.",
                "toolbox",
                "A little preparation saves a lot of time later.",
                short="First, get ready.",
            ),
            L(
                "Start Simple",
                "Next, start simple: get the basics right before anything fancy.",
                "footprints",
                "Slow and steady beats fast and messy.",
                short="Start simple.",
            ),
            L(
                "Mind the Details",
                "Then pay attention to the small details; they make the biggest difference.",
                "magnifying glass",
                short="Mind the details.",
            ),
            L(
                "Learn from Mistakes",
                "Don't worry about mistakes: each one teaches you something.",
                "check mark",
                short="Mistakes help.",
            ),
            L(
                "Practise",
                "Finally, practise, and it soon becomes second nature.",
                "repeat",
                short="Then practise.",
            ),
        ),
        "ctas": (
            L(
                "Your Turn",
                "Now it's your turn. Give it a try today!",
                "flexed biceps",
                short="Give it a try!",
            ),
        ),
    },
    "update": {
        "hooks": (
            L(
                "{Update_T}",
                "Here's your {update_s}: the highlights, quick and clear.",
                "clipboard",
                short="Your {update_s}.",
            ),
            L(
                "{Update_T}",
                "Time for the {update_s}, and there's good news to share.",
                "megaphone",
                short="Time for the {update_s}.",
            ),
        ),
        "body": (
            L(
                "Thank You, Team",
                "None of this happens without you. Thanks for the effort, the ideas and the teamwork.",
                "handshake people",
                short="Thank you, team.",
            ),
            L(
                "Wins of the Week",
                "Beyond the numbers, there were plenty of wins worth celebrating this time.",
                "trophy",
                short="Plenty of wins.",
            ),
            L(
                "What's Next",
                "Next up, we keep our focus on what matters most, and keep the momentum going.",
                "direct hit",
                short="Keep the momentum.",
            ),
        ),
        "ctas": (
            L(
                "Keep It Up",
                "That's the update. Keep up the great work, and see you {next_time}.",
                "thumbs up",
                short="Keep it up!",
            ),
            L(
                "Questions?",
                "Questions or ideas? Drop them in the team channel. See you {next_time}.",
                "speech balloon",
                short="See you {next_time}.",
            ),
        ),
    },
    "story": {
        "hooks": (
            L("{S_T}", "Let's take a closer look at {S}.", short="{S_cap}."),
            L("{S_T}", "This is a short story about {S}.", short="{S_cap}."),
        ),
        "body": (
            L(
                "Where It Starts",
                "Every story about {S} starts with a simple moment, easy to miss.",
                "sunrise",
                short="Where it starts.",
            ),
            L(
                "Look Closer",
                "Look a little closer, and you'll notice something new every time.",
                "magnifying glass",
                short="Look closer.",
            ),
            L(
                "The Details",
                "It's the small details that make {S} what it is.",
                "sparkles",
                short="It's in the details.",
            ),
            L(
                "The People",
                "And behind it all are people who care, more than you might think.",
                "people",
                short="The people behind it.",
            ),
            L(
                "Why It Matters",
                "That's why {S} matters, today more than ever.",
                "heart",
                short="Why it matters.",
            ),
            L(
                "What Comes Next",
                "And the best part? This story is still being written.",
                "open book",
                short="To be continued.",
            ),
        ),
        "ctas": (
            L(
                "See for Yourself",
                "Take a moment today to look at {S} with fresh eyes.",
                "eyes",
                short="See for yourself.",
            ),
        ),
    },
}

_ZH_GENRE: dict[str, dict[str, tuple[Line, ...]]] = {
    "promo": {
        "hooks": (
            L("认识{S}", "有些事情，值得用心去做。这就是{our_S}。", short="这就是{our_S}。"),
            L("欢迎", "欢迎来到{our_S}，每一个细节都被认真对待。", short="欢迎来到{our_S}。"),
        ),
        "body": (
            L("用心打造", "从选材到工艺，每一步都不将就。", "hands", short="用心打造。"),
            L("品质看得见", "好品质，第一眼就能感受到。", "gem", short="品质看得见。"),
            L("为你而来", "一切设计，都围绕你的生活。", "people house", short="为你而来。"),
            L("口碑相传", "所以老顾客一来再来，还会带上朋友。", "people heart", short="口碑相传。"),
            L("细节见真章", "细节之处，才见真功夫。", "sparkles", short="细节见真章。"),
            L("一直都在", "无论何时需要，我们都在你身边。", "waving hand", short="一直都在。"),
        ),
        "ctas": (
            L("立即体验", "现在就来，亲自感受{S}的不同。", "sparkles", short="现在就来体验！"),
            L("等你来", "心动不如行动，今天就来试试吧！", "star", short="今天就来试试！"),
        ),
    },
    "teaser": {
        "hooks": (
            L("全新登场", "准备好了吗？{S_new}，即将登场！", "sparkles gift", short="全新登场！"),
            L("敬请期待", "等待，即将结束。", "hourglass", short="敬请期待。"),
        ),
        "body": (
            L("全新设计", "从零开始重新设计，只留下真正重要的。", "pencil", short="全新设计。"),
            L("经久耐用", "每一处细节，都经过反复打磨。", "hammer wrench", short="经久耐用。"),
            L("聪明好用", "贴心的小设计，让每一天更轻松。", "light bulb", short="聪明好用。"),
            L("随你出发", "通勤、旅行、周末出游，随时出发。", "globe", short="随你出发。"),
            L("颜值在线", "好看，更好用。", "sparkles", short="好看更好用。"),
        ),
        "ctas": (
            L("即将上市", "即将上市，敬请期待！", "rocket", short="敬请期待！"),
            L("抢先预约", "现在预约，抢先拥有！", "rocket", short="抢先预约！"),
        ),
    },
    "explainer": {
        "hooks": (L("{S}", "{S_q}今天简单讲清楚。", "thinking face", short="{S}？"),),
        "body": (
            L("先看全局", "先看全局：其实核心只有几个简单的道理。", "globe", short="先看全局。"),
            L("一步一步", "然后一步一步来，每一步都顺理成章。", "footprints", short="一步一步。"),
            L("打个比方", "打个比方，它就像一支团队，每个成员各司其职。", "people", short="打个比方。"),
            L(
                "为什么重要",
                "为什么重要？因为它和我们的日常生活息息相关。",
                "light bulb",
                short="为什么重要。",
            ),
            L("拼在一起", "把这些拼在一起，一切就豁然开朗了。", "puzzle piece", short="豁然开朗。"),
        ),
        "ctas": (
            L(
                "继续探索",
                "现在你已经了解了基本原理，分享给同样好奇的朋友吧！",
                "books",
                short="分享给朋友吧！",
            ),
        ),
    },
    "greeting": {
        "hooks": (
            L("{phrase}！", "{name_comma}{phrase}！今天是属于你的日子。", "party popper", short="{phrase}！"),
        ),
        "body": (
            L(
                "最好的{relation}",
                "谢谢你做我最好的{relation}，陪我笑，也陪我走过每一段路。",
                "heart",
                short="最好的{relation}。",
            ),
            L("新的一岁", "新的一岁，愿你眼里有光，心中有梦。", "sparkles star", short="新的一岁。"),
            L("许个愿吧", "愿你所有的愿望，都一一实现。", "birthday cake", short="许个愿吧。", on="蛋糕"),
            L(
                "一起庆祝",
                "打开音乐，撒上彩带，一起好好庆祝！",
                "confetti ball",
                short="一起庆祝！",
                on="彩带 派对",
            ),
            L("永远支持你", "无论走到哪里，我们永远在你身边。", "hugging", short="永远支持你。"),
        ),
        "ctas": (L("爱你哟", "爱你哟！快去许个愿吧！", "red heart", short="爱你哟！"),),
    },
    "update": {
        "hooks": (L("{S}", "大家好，这是{week}的{S}，一起来看看亮点。", "clipboard", short="{week}{S}。"),),
        "body": (
            L("感谢团队", "这一切离不开每一位伙伴，谢谢大家的付出。", "handshake people", short="感谢团队。"),
            L("下一步", "接下来，我们继续聚焦重点，保持节奏。", "direct hit", short="继续保持。"),
        ),
        "ctas": (L("继续加油", "以上就是本次更新，大家继续加油！", "thumbs up", short="继续加油！"),),
    },
    "story": {
        "hooks": (L("{S}", "让我们一起走近{S}。", short="走近{S}。"),),
        "body": (
            L("故事的开始", "关于{S}的故事，往往从一个不起眼的瞬间开始。", "sunrise", short="故事的开始。"),
            L("再近一点", "再靠近一点看，每次都会有新的发现。", "magnifying glass", short="再近一点。"),
            L("细节", "正是这些细节，成就了{S}。", "sparkles", short="细节成就一切。"),
            L("背后的人", "而在这一切背后，是一群用心的人。", "people", short="背后的人。"),
            L("未完待续", "这个故事，还在继续。", "open book", short="未完待续。"),
        ),
        "ctas": (L("亲自感受", "今天，就换个角度看看{S}吧。", "eyes", short="亲自感受吧。"),),
    },
}


#: further sentences, by headline, that longer videos add after a line (in this order)
_MORE: dict[str, tuple[str, ...]] = {
    # coffee
    "Ethically Sourced Beans": ("Good coffee begins with people who care, a long way from your cup.",),
    "Roasted in Small Batches": ("Our roasters taste every batch before it leaves the building.",),
    "Brewed with Care": ("Every shot is timed, every cup is tasted.",),
    "Your Moment": ("Because a good cup of coffee is never just a drink.",),
    "A Place to Stay": ("Bring a book, bring a friend, or just bring yourself.",),
    # bakery
    "Fresh Bread at Dawn": ("Simple ingredients: flour, water, salt, and a lot of patience.",),
    "Buttery Croissants": ("Real butter, real time, and not a single shortcut.",),
    "Coffee, Freshly Brewed": ("Take it to go, or grab a seat by the window.",),
    "Cakes and Treats": ("Order ahead for birthdays, and we'll write the message too.",),
    "Your Local Bakery": ("We've been part of this street for years, and we're not going anywhere.",),
    # backpack
    "Solar-Powered": ("Clip it to the outside, and let the sun do the work.",),
    "Charge on the Go": ("A built-in power bank keeps the charge for when the sun goes down.",),
    "Light and Tough": ("Reinforced straps carry heavy days without complaint.",),
    "Room for Everything": ("A hidden pocket keeps your passport and wallet safe.",),
    "Built for Adventure": ("Wherever you're headed, your power comes with you.",),
    # sneakers
    "Feather Light": ("Light enough for race day, tough enough for every day.",),
    "Breathe Easy": ("Fresh on the first mile, still fresh on the last.",),
    "Grip Every Street": ("Wet streets, dusty trails, slippery stairs: covered.",),
    "Street Ready": ("Pick your colour, and make every step your own.",),
    # vaccines
    "A Harmless Preview": ("Think of it as a wanted poster, not the criminal itself.",),
    "Protecting Each Other": ("That includes newborns, and people with weaker immune systems.",),
    # generic promo
    "Made with Care": ("From the first idea to the final detail, real people are behind it.",),
    "Quality First": ("We test, we tweak, and we only stop when it's right.",),
    "Made for Real Life": ("No fuss, no jargon, just something that works for you.",),
    "Loved by Locals": ("And every bit of feedback helps us get better.",),
    "The Little Things": ("Those are the things you notice, even when you don't notice them.",),
    "Here for You": ("Questions, ideas, or just a chat: we're listening.",),
    # generic teaser
    "Rethought from Scratch": ("Every choice had to earn its place.",),
    "Built to Last": ("Because the best things are the ones you keep.",),
    "Smart by Design": ("You won't notice them at first. Then you won't live without them.",),
    "Made to Move": ("Light enough to forget, strong enough to rely on.",),
    "Looks Good, Works Better": ("Clean lines, honest materials, nothing you don't need.",),
    # generic explainer
    "Step by Step": ("No jargon needed: just follow the chain of cause and effect.",),
    "A Simple Way to See It": ("When each part does its job, the whole system just works.",),
    "Why It Matters": ("Understanding it helps you make better everyday decisions.",),
    "Myths vs Facts": ("The real story is usually simpler, and more interesting.",),
    "Putting It Together": ("And once it clicks, you'll start noticing it everywhere.",),
    # generic story
    "Where It Starts": ("A small beginning, with a long story behind it.",),
    "Look Closer": ("The more you look, the more there is to see.",),
    "The Details": ("Colours, textures, sounds: each one adds something.",),
    "The People": ("Their stories are part of this one.",),
    "What Comes Next": ("And you can be part of what comes next.",),
    # updates
    "Thank You, Team": ("Every one of these wins has a name behind it.",),
    "What's Next": ("We'll share the details in the next planning session.",),
    "Wins of the Week": ("Small wins add up, and this week they really did.",),
    # greetings
    "Make a Wish": ("Big wishes, small wishes, and everything in between.",),
    "Always in Your Corner": ("Cheering the loudest, as always.",),
    "Here's to You": ("You make every celebration better just by being there.",),
    # Chinese
    "用心打造": ("多花一点时间，是为了让你少一点将就。",),
    "品质看得见": ("我们反复打磨，直到满意为止。",),
    "为你而来": ("简单好用，恰到好处。",),
    "口碑相传": ("每一条反馈，都让我们变得更好。",),
    "全新设计": ("每一个选择，都有它的理由。",),
    "聪明好用": ("用过之后，就再也离不开。",),
    "一步一步": ("不需要专业术语，只要顺着因果往下看。",),
    "为什么重要": ("理解它，能帮我们做出更好的选择。",),
    "故事的开始": ("小小的开始，背后却有很长的故事。",),
    "再近一点": ("看得越多，发现越多。",),
    "感谢团队": ("每一项成绩背后，都有一个名字。",),
    "下一步": ("具体安排，我们会在下次会议上同步。",),
    "甄选好豆": ("好咖啡，从一群用心的人开始。",),
    "用心萃取": ("每一杯都经过计时和品尝。",),
    "属于你的时刻": ("一杯好咖啡，从来不只是一杯饮料。",),
    "温暖的空间": ("带一本书，约一个朋友，或者只是给自己一点时间。",),
}


def _with_more(line: Line) -> Line:
    extra = _MORE.get(line.headline, ())
    return replace(line, extras=(*line.extras, *extra)) if extra else line


# ── building the lines for a brief ─────────────────────────────────────────────────────────


def _fill(line: Line, f: Mapping[str, str]) -> Line:
    def fmt(s: str) -> str:
        return re.sub(r"\s{2,}", " ", s.format_map(f)).strip() if s else s

    return replace(
        line,
        text=fmt(line.text),
        headline=fmt(line.headline),
        short=fmt(line.short),
        extras=tuple(fmt(e) for e in line.extras),
    )


def _pack_for(brief: Brief) -> _Pack | None:
    packs = _ZH_PACKS if brief.lang == "zh" else _EN_PACKS
    subject = brief.subject.lower()
    prompt = brief.prompt.lower()
    for where in (subject, prompt):
        if not where:
            continue
        for pack in packs:
            for key in pack.keys:
                if (
                    (key in where)
                    if brief.lang == "zh"
                    else re.search(r"(?<![a-z])" + re.escape(key) + r"(?![a-z])", where)
                ):
                    return pack
    return None


def _pick(rng: random.Random, options: Sequence[Line]) -> Line:
    return options[rng.randrange(len(options))]


def _detail_words(detail: str, lang: str) -> set[str]:
    if lang == "zh":
        return {detail}
    return {w for w in re.findall(r"[a-z]+(?:-[a-z]+)?", detail.lower()) if w not in lx.STOPWORDS}


def _match_line(detail: str, lines: Sequence[Line], lang: str, used: set[int]) -> int | None:
    words = _detail_words(detail, lang)
    best: tuple[int, int] | None = None
    for i, line in enumerate(lines):
        if i in used:
            continue
        if lang == "zh":
            score = sum(1 for t in line.triggers if t in detail)
        else:
            score = len(words & set(line.triggers))
        if score and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else None


_EN_DETAIL_TEMPLATES = (
    ("First up: {d}.", "{D}."),
    ("Next: {d}, done just right.", "Plus {d}."),
    ("Plus {d}, right when you need it.", "Plus {d}."),
    ("And don't forget {d}.", "And {d}."),
)
_ZH_DETAIL_TEMPLATES = (("还有{d}，每一天都用心准备。", "还有{d}。"), ("当然，少不了{d}。", "少不了{d}。"))


def _detail_line(detail: str, i: int, lang: str) -> Line:
    if lang == "zh":
        text, short = _ZH_DETAIL_TEMPLATES[i % len(_ZH_DETAIL_TEMPLATES)]
        return Line(text.format(d=detail), _zh_headline(detail), (), (), short.format(d=detail))
    text, short = _EN_DETAIL_TEMPLATES[min(i, len(_EN_DETAIL_TEMPLATES) - 1)]
    kws = tuple(_detail_words(detail, lang))
    d = detail if re.match(r"^[A-Z]{2}|^[A-Z][a-z]+[A-Z]", detail) else detail[:1].lower() + detail[1:]
    return Line(
        text.format(d=d, D=_cap(d)), _headline_words(detail, 5), kws, (), short.format(d=d, D=_cap(d))
    )


_EVENT = re.compile(
    r"^(?P<event>launch|release|demo|deadline|offsite|review|meeting|party|kickoff|kick-off|go-live|all-hands|"
    r"hackathon|retro|planning|ship date|shipping)\b\s*(?:is\s+|on\s+|set\s+for\s+)?(?P<when>.*)$",
    re.I,
)


def _spoken_value(v: float, unit: str) -> str:
    n = str(int(v)) if float(v).is_integer() else f"{v:g}"
    return f"{n} percent" if unit == "%" else f"{n}{unit}"


_COUNT_WORD = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
               10: "ten", 11: "eleven", 12: "twelve"}  # fmt: skip


def _fact_line(fact: Fact, i: int, lang: str) -> Line:
    chart = fact.chart
    if lang == "zh":
        if fact.value is not None and fact.direction:
            zn = _spoken_value(fact.value, fact.unit).replace(" percent", "%")
            label = fact.label or "业绩"
            if fact.direction == "up":
                text = f"{label}增长了{zn}，感谢每一位伙伴的努力！"
                head = f"{label}增长{zn}"
            else:
                text = f"{label}下降了{zn}，我们已经找到原因，正在调整。"
                head = f"{label}下降{zn}"
            return Line(text, _zh_headline(head), ("chart",), (), f"{label}增长{zn}。" if fact.direction == "up"
                        else f"{label}下降{zn}。", chart)  # fmt: skip
        return Line(
            f"{fact.text}。",
            _zh_headline(fact.text),
            ("chart",) if chart else (),
            (),
            f"{fact.text}。",
            chart,
        )
    label = fact.label.strip()
    if fact.value is not None and fact.direction:
        spoken = _spoken_value(fact.value, fact.unit)
        shown = (str(int(fact.value)) if float(fact.value).is_integer() else f"{fact.value:g}") + fact.unit
        lead = "First up: " if i == 0 else ""
        verb = "are" if label and _plural(label) else "is"
        if fact.direction == "up":
            text = f"{lead}{label or 'growth'} {verb} up {spoken}. That's real momentum, and it's thanks to all of you."
            extras: tuple[str, ...] = ("Great work, everyone.",)
            short = f"{_cap(label or 'growth')} {verb} up {spoken}."
        else:
            text = f"{lead}{label or 'growth'} {verb} down {spoken}. We know why, and we have a plan to turn it around."
            extras = ()
            short = f"{_cap(label or 'growth')} {verb} down {spoken}."
        head = f"{title_case(label or 'Growth')} {'up' if fact.direction == 'up' else 'down'} {shown}"
        return Line(_cap(text), head, ("chart", "increasing", *label.lower().split()), extras, short, chart)
    if fact.value is not None:
        n: int | float = int(fact.value) if float(fact.value).is_integer() else fact.value
        if isinstance(n, int) and fact.unit == "":
            spoken = _COUNT_WORD.get(n, str(n))
        else:
            spoken = _spoken_value(fact.value, fact.unit)
        low = label.lower()
        if re.search(r"\bhires?\b|\bjoiners?\b|\bteammates?\b|\bcolleagues?\b|\bpeople\b|\bmembers?\b", low):
            text = f"The team is growing, too: please welcome our {spoken} {label}!"
            return Line(
                text,
                title_case(f"{n} {label}"),
                ("people", "waving hand", "team"),
                ("Say hi, and help them feel at home.",),
                f"Welcome, {spoken} {label}!",
                chart,
            )
        text = f"On the scoreboard: {spoken} {label}."
        return Line(text, title_case(f"{n} {label}")[:40], ("chart", *low.split()[:2]), (), text, chart)
    m = _EVENT.match(fact.text.strip())
    if m:
        event = m.group("event").lower()
        when = m.group("when").strip().rstrip(".")
        if when:
            text = f"And mark your calendars: the {event} is {when}."
            head = f"{_cap(event)}: {when}"
        else:
            text = f"And the {event} is coming up soon."
            head = _cap(event)
        return Line(text, title_case(head) if len(head.split()) <= 5 else _headline_words(head, 5),
                    ("calendar", "rocket" if event == "launch" else event), ("Let's make it a great one.",), text)  # fmt: skip
    text = _cap(fact.text.rstrip(".")) + "."
    return Line(text, _headline_words(fact.text, 5), tuple(_detail_words(fact.text, "en")), (), text)


def _keywords(line: Line, brief: Brief) -> tuple[str, ...]:
    out: list[str] = list(line.keywords)
    text = f"{line.text} {brief.subject}"
    if brief.lang == "zh":
        for zh, en in lx.ZH_GLOSS.items():
            if zh in text:
                out.extend(en.split())
    else:
        subject_words = [
            w for w in re.findall(r"[a-z]+(?:-[a-z]+)?", brief.subject.lower()) if w not in lx.STOPWORDS
        ]
        content = [
            w for w in re.findall(r"[a-z]+", line.text.lower()) if w not in lx.STOPWORDS and len(w) > 3
        ]
        out.extend(subject_words)
        out.extend(sorted(set(content), key=lambda w: (-len(w), w))[:3])
    seen: list[str] = []
    for w in (p for x in out for p in x.split()):
        if w and w not in seen:
            seen.append(w)
    return tuple(seen[:8])


def _greeting_pool(brief: Brief, table: Mapping[str, Mapping[str, tuple[Line, ...]]]) -> tuple[Line, ...]:
    if brief.occasion in ("birthday", "") or brief.lang == "zh":
        body = list(table["greeting"]["body"])
        if not brief.relation and brief.lang == "en":
            body[0] = L("One of a Kind", "To one of the most wonderful people we know: thank you for every laugh.",
                        "heart", short="One of a kind.")  # fmt: skip
        return tuple(body)
    special = {
        "anniversary": "greeting_anniversary",
        "thanks": "greeting_thanks",
        "wedding": "greeting_wedding",
    }.get(brief.occasion)
    return table[special or "greeting_other"]["body"]


def _user_script_lines(brief: Brief) -> list[Line]:
    sentences = split_sentences(brief.user_script, brief.lang)
    if not sentences:
        return []

    def headline(s: str) -> str:
        return _zh_headline(s) if brief.lang == "zh" else _headline_words(s, 4)

    if len(sentences) <= 2:
        return [Line(s, headline(s), beat="hook" if i == 0 else "cta") for i, s in enumerate(sentences)]
    hook, *middle, cta = sentences
    groups = min(6, len(middle))
    per = [
        middle[round(i * len(middle) / groups) : round((i + 1) * len(middle) / groups)] for i in range(groups)
    ]
    lines = [Line(hook, headline(hook), beat="hook")]
    lines += [Line(" ".join(g) if brief.lang == "en" else "".join(g), headline(g[0])) for g in per if g]
    lines.append(Line(cta, headline(cta), beat="cta"))
    return lines


def _title(brief: Brief, pack: _Pack | None, f: Mapping[str, str], rng: random.Random) -> tuple[str, str]:
    zh = brief.lang == "zh"
    if brief.genre == "greeting":
        if zh:
            return f"{f['name_comma']}{f['phrase']}！" if f[
                "name_comma"
            ] else f"{f['phrase']}！", "送给你的祝福"
        return title_case(f"{f['phrase']}{f['comma_name']}!"), "With love"
    if brief.genre == "update":
        labels = [title_case(x.label) if not zh else x.label for x in brief.facts if x.label][:3]
        sub = " · ".join(labels) if labels else ("本期亮点" if zh else "The highlights")
        return (brief.subject or "团队周报") if zh else f["Update_T"], sub
    if pack is not None and brief.genre in pack.genres:
        title, sub = (x.format_map(f) for x in pack.titles[rng.randrange(len(pack.titles))])
        if _brand(brief) and _brand(brief).rstrip(".") != title:
            title, sub = _brand(brief), title
        if brief.details:
            sub = " · ".join(_zh_headline(d) if zh else _cap(d) for d in brief.details[:3])
        return title, sub
    if zh:
        return (brief.subject or "我们的故事")[:16], {"teaser": "即将登场", "explainer": "一看就懂"}.get(
            brief.genre, ""
        )
    title = title_case(brief.subject) if brief.subject else "Our Story"
    if brief.details:
        sub = " · ".join(_cap(d) for d in brief.details[:3])
    else:
        sub = {"teaser": "Coming soon", "explainer": "Explained simply", "promo": "Made with care"}.get(
            brief.genre, ""
        )
    return title, sub


def _fit(hook: Line, body: list[Line], cta: Line, brief: Brief) -> list[Line]:
    """Choose core, short or extended forms so the narration fits the length at a natural pace."""
    lang = brief.lang

    def size(lines: Sequence[Line]) -> int:
        return sum(units(x.text, lang) for x in lines)

    def budget(n: int) -> float:
        return speaking_budget(brief.target_ms, n, lang, brief.speed)

    def shortest(x: Line) -> Line:
        if x.short and units(x.short, lang) < units(x.text, lang):
            return replace(x, text=x.short)
        return x

    full = [hook, *body, cta]
    scenes = [shortest(x) for x in full]
    # too many beats even in their shortest form: drop body beats from the end
    while size(scenes) > budget(len(scenes)) and len(scenes) > 3:
        del scenes[-2], full[-2]
    if size(scenes) > budget(len(scenes)) and len(scenes) == 3:
        del scenes[1], full[1]
    # then give lines back their full wording where it fits: hook, body beats, call to action
    order = (
        [0, 1, len(scenes) - 1, *range(2, len(scenes) - 1)] if len(scenes) > 2 else list(range(len(scenes)))
    )
    for i in dict.fromkeys(order):
        if scenes[i].text != full[i].text:
            grown = size(scenes) - units(scenes[i].text, lang) + units(full[i].text, lang)
            if grown <= budget(len(scenes)):
                scenes[i] = full[i]
    # room left: add extra sentences, body beats first, round-robin
    joiner = "" if lang == "zh" else " "
    added = True
    while added:
        added = False
        for i in [*range(1, len(scenes) - 1), 0, len(scenes) - 1]:
            s = scenes[i]
            if not s.extras:
                continue
            extra = s.extras[0]
            if size(scenes) + units(extra, lang) <= budget(len(scenes)):
                scenes[i] = replace(s, text=s.text + joiner + extra, extras=s.extras[1:])
                added = True
    return scenes


_PLACES = ("shop", "store", "café", "cafe", "bakery", "studio", "salon", "gym", "restaurant", "bar", "hotel",
           "clinic", "boutique", "spa", "garage", "school", "academy", "club", "farm", "winery", "brewery",
           "roastery", "店", "馆", "工作室", "餐厅", "健身房")  # fmt: skip


def _is_place(brief: Brief) -> bool:
    s = brief.subject.lower()
    if brief.lang == "zh":
        return any(p in s for p in _PLACES if lx.has_cjk(p))
    return any(re.search(r"(?<![a-z])" + re.escape(p) + r"s?$", s) for p in _PLACES)


def _brand(brief: Brief) -> str:
    """A proper name the prompt gives its subject ("Brew & Co.", "Starfall"), for titles and sign-offs."""
    s = brief.subject.strip().rstrip(".")
    if brief.lang != "en" or brief.genre not in ("promo", "teaser") or not s or not s[0].isupper():
        return ""
    if len(s.split()) > 4 or s.lower() in brief.prompt[:1].lower() + brief.prompt[1:2]:
        return ""
    return s + ("." if re.search(r"\b(?:Co|Inc|Ltd)$", s) else "")


def _subject_terms(brief: Brief, pack: _Pack | None) -> tuple[str, ...]:
    """Words whose presence shows the narration is about the subject (any one is enough)."""
    if brief.genre == "greeting":
        return (brief.recipient,) if brief.recipient else ()
    if brief.lang == "zh":
        terms = [brief.subject] if brief.subject else []
        terms += [
            k for k in (pack.keys if pack else ()) if len(k) > 1 and (k in brief.subject or k in brief.prompt)
        ]
        return tuple(t for t in terms if t)
    words = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)?", brief.subject.lower()) if w not in lx.STOPWORDS]
    if brief.genre == "explainer" or not words:
        words = [w for w in words if w not in ("how", "why", "what", "train", "work", "works")]
        return tuple(words[:1])  # "how vaccines train the immune system" → "vaccines"
    if brief.genre == "update":
        return ()  # its facts carry it
    heads = [w for w in words if w not in _GENERIC_HEADS]
    return (heads[-1],) if heads else tuple(words[-1:])


def _mentions(lines: Sequence[Line], terms: Sequence[str], f: Mapping[str, str]) -> bool:
    text = " ".join(x.text for x in lines).format_map(f).lower() if f else ""
    for t in terms:
        t = t.lower()
        stem = t[:-1] if t.endswith("s") and len(t) > 4 else t
        if lx.has_cjk(t):
            if t in text:
                return True
        elif re.search(r"(?<![a-z])" + re.escape(stem), text):
            return True
    return False


def write_script(brief: Brief, *, seed: int) -> Script:
    """Narration for ``brief``: hook, body beats and call to action, in the brief's language."""
    rng = random.Random(seed ^ 0x5EED)
    zh = brief.lang == "zh"
    f = _fields(brief)
    pack = _pack_for(brief)
    title, subtitle = _title(brief, pack, f, rng)
    if brief.user_script:
        lines = _user_script_lines(brief)
        if lines:
            out = [replace(x, keywords=_keywords(x, brief)) for x in lines]
            return Script(title, subtitle, tuple(out))

    table = _ZH_GENRE if zh else _EN_GENRE
    genre = brief.genre if brief.genre in table else "story"
    base = table[genre]
    if pack is not None and genre in pack.genres:
        hooks, pool = pack.hooks, pack.body
        ctas = pack.teaser_ctas if genre == "teaser" and pack.teaser_ctas else pack.ctas
    else:
        pack = None
        hooks, pool, ctas = base["hooks"], base["body"], base["ctas"]
        if genre == "explainer" and not zh and re.match(r"^how to\b", brief.subject.lower()):
            hooks, pool, ctas = table["howto"]["hooks"], table["howto"]["body"], table["howto"]["ctas"]
        if genre == "greeting":
            pool = _greeting_pool(brief, table)
            special = {
                "anniversary": "greeting_anniversary",
                "thanks": "greeting_thanks",
                "wedding": "greeting_wedding",
            }.get(brief.occasion)
            if not zh and special:
                ctas = table[special]["ctas"]
            elif brief.occasion not in ("birthday", "") and not zh:
                ctas = table["greeting_other"]["ctas"]

    n_body = body_count(brief.target_ms)
    wanted = len(brief.details) + len(brief.facts)
    n_body = max(n_body, min(6, wanted))
    body: list[Line] = []
    used: set[int] = set()
    for i, fact in enumerate(brief.facts):
        body.append(_fact_line(fact, i, brief.lang))
    for i, detail in enumerate(brief.details):
        j = _match_line(detail, pool, brief.lang, used)
        if j is not None:
            used.add(j)
            body.append(pool[j])
        else:
            body.append(_detail_line(detail, i, brief.lang))
    if genre == "greeting" and brief.relation and 0 not in used and pool:
        used.add(0)  # the line about the person ("best sister ever") always makes the cut
        body.insert(0, pool[0])
    remaining = [line for j, line in enumerate(pool) if j not in used]
    need = max(0, n_body - len(body))
    if need and remaining:
        if len(remaining) > need and genre != "explainer":
            keep = sorted(rng.sample(range(len(remaining)), need))  # variety, in the story's order
            remaining = [remaining[k] for k in keep]
        body.extend(remaining[:need])  # explainers build step by step: the first lines, in order
    body = body[: max(n_body, 1)]

    if genre == "promo" and pack is None and not _is_place(brief):
        hooks = tuple(h for h in hooks if h.headline not in ("Welcome", "欢迎")) or hooks
    hook = _pick(rng, hooks)
    cta = _pick(rng, ctas)
    terms = _subject_terms(brief, pack)
    if terms and not _mentions([hook, *body, cta], terms, f):
        hook = next((h for h in hooks if _mentions([h], terms, f)), hook)
        if not _mentions([hook, *body, cta], terms, f):
            cta = next((c for c in ctas if _mentions([c], terms, f)), cta)
    filled = [_fill(_with_more(x), f) for x in (replace(hook, beat="hook"), *body, replace(cta, beat="cta"))]
    scenes = _fit(filled[0], filled[1:-1], filled[-1], brief)
    if terms and not _mentions(scenes, terms, f):
        # the short forms lost the subject: give the shortest mentioning line its full wording back
        full = {x.headline: x for x in filled}
        cands = [
            i for i, x in enumerate(scenes) if x.headline in full and _mentions([full[x.headline]], terms, f)
        ]
        if cands:
            i = min(cands, key=lambda k: units(full[scenes[k].headline].text, brief.lang))
            scenes[i] = replace(full[scenes[i].headline], extras=())
    brand = _brand(brief)
    if (
        brand
        and genre in ("promo", "teaser")
        and brand.lower() not in " ".join(x.text for x in scenes).lower()
    ):
        tag = brand if brand.endswith((".", "!")) else f"{brand}."
        scenes[-1] = replace(scenes[-1], text=f"{scenes[-1].text} {tag}")  # sign off with the name
    out = []
    for line in scenes:
        head = _zh_headline(line.headline) if zh else _limit_headline(line.headline)
        out.append(replace(line, headline=head or line.headline, keywords=_keywords(line, brief)))
    return Script(title, subtitle, tuple(out))
