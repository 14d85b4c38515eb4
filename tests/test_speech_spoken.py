"""Narration says shorthand the way a presenter would: "$35" is "35 dollars", "8-12" is
"8 to 12", "Mon–Fri" is "Monday to Friday"; captions keep the written words, timed by where
their spoken forms are heard."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from promptreel.generators.espeak_lib import espeak_library
from promptreel.generators.spoken import say, spoken_forms, spoken_offsets
from promptreel.generators.words import written_tokens

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or espeak_library() is None, reason="espeak-ng is not installed"
)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Tune-ups from $35, open daily.", "Tune-ups from 35 dollars, open daily."),
        ("Only $1 a cup!", "Only 1 dollar a cup!"),
        ("Bagels are $2.75 each.", "Bagels are 2 dollars 75 each."),
        ("Stickers for $0.50.", "Stickers for 50 cents."),
        ("We raised $12,400 this year.", "We raised 12,400 dollars this year."),
        ("A $3M fund and a $40k prize", "A 3 million dollars fund and a 40 thousand dollars prize"),
        ("She gave $2 million to the library", "She gave 2 million dollars to the library"),
        ("Seats from £8 or €9.", "Seats from 8 pounds or 9 euros."),
        ("Tickets $15–$25 at the door", "Tickets 15 to 25 dollars at the door"),
        ("For ages 6-10, in 2025-2026.", "For ages 6 to 10, in 2025 to 2026."),
        ("Open Tue–Sat and Mon-Fri.", "Open Tuesday to Saturday and Monday to Friday."),
        ("Open 9am-5pm", "Open 9am to 5pm"),
        ("Doors 19:30, show 21:00.", "Doors 7:30 PM, show 9 PM."),
        ("From 08:00 to 12:00", "From 8 o'clock to 12 noon"),
        ("It loads 4x faster with 2M users", "It loads 4 times faster with 2 million users"),
        (
            "A 10km walk, then 250ml of juice at 18°C",
            "A 10 kilometer walk, then 250 milliliters of juice at 18 degrees Celsius",
        ),
        ("Bake for 25 mins at 180 °C", "Bake for 25 minutes at 180 degrees Celsius"),
        ("Join us Nov 3rd, table No. 7.", "Join us November 3rd, table number 7."),
        ("We are #1 in town #local", "We are number 1 in town hashtag local"),
        ("Tea vs coffee, e.g. oolong", "Tea versus coffee, for example oolong"),
        ("Help 24/7 and 1/2 price", "Help 24 7 and half price"),
        ("Party on Saturday, June 21; RSVP by June 15.", "Party on Saturday, June 21st; RSVP by June 15th."),
        ("Closed Dec 24, 2026 and on 3 March", "Closed December 24th, 2026 and on 3rd March"),
    ],
)
def test_shorthand_is_said_in_full(written: str, said: str) -> None:
    assert say(written) == said


@pytest.mark.parametrize(
    "text",
    [
        "Call 555-0123 today.",  # a phone number is not a range
        "Jan and Mar walked in the Sun.",  # names and words, not months or days
        "Meet at 10:30, see you soon.",  # read right by the voice as it is
        "Plain words stay as they are.",
        "A 4K video with 5k steps",  # said as people say them
    ],
)
def test_what_the_voice_reads_right_is_left_alone(text: str) -> None:
    assert say(text) == text


def test_each_written_token_keeps_its_own_spoken_form() -> None:
    text = "Open Mon–Fri, 9-5: lattes $4.50 — come by."
    toks = written_tokens(text, "en")
    forms = spoken_forms(toks)
    assert len(forms) == len(toks)
    spoken, offsets = spoken_offsets(text)
    assert spoken == say(text)
    assert [spoken[o : o + len(f)] for o, f in zip(offsets, forms, strict=True)] == forms


@needs_espeak
def test_the_voice_is_given_the_spoken_form_and_captions_keep_the_written_words() -> None:
    """The real English voice (Piper where installed, else espeak-ng) hears "35 dollars" and
    "Monday to Friday", and every written word still gets a start time, in order."""
    from promptreel.generators.speech import SpeechRouter

    router = SpeechRouter()
    text = "Tune-ups from $35, open Mon–Fri, 10:00 to 18:00."
    heard: list[str] = []
    engine = router.engine(router.resolve("en"))
    voice = getattr(engine, "_load", None)
    if voice is not None:  # Piper: watch the text handed to the voice
        pv = voice()
        real = pv.synthesize

        def synthesize(t: str, *args: object, **kwargs: object) -> object:
            heard.append(t)
            return real(t, *args, **kwargs)

        pv.synthesize = synthesize
    try:
        clip, words = router.synthesize_timed(text, lang="en")
    finally:
        if voice is not None:
            del pv.synthesize
    if voice is not None:
        assert heard == ["Tune-ups from 35 dollars, open Monday to Friday, 10 o'clock to 6 PM."]
    assert [w[0] for w in words] == written_tokens(text, "en")
    starts = [w[1] for w in words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    seconds = clip.frames / clip.rate
    # "35 dollars … Monday to Friday … 6 PM" takes longer to say than the shorthand would
    assert seconds > 3.0
    assert float(np.abs(clip.samples).max()) > 0.05


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("营业时间9:00-18:00", "营业时间九点到十八点"),
        ("晚上7:30开始，早上8:05集合", "晚上七点半开始，早上八点零五分集合"),
        ("适合6-10岁的孩子", "适合六到十岁的孩子"),
        ("每桌2-4人", "每桌两到四人"),
        ("2023-2024年的成绩", "二零二三到二零二四年的成绩"),
        ("第二件1/2价", "第二件二分之一价"),
        ("咨询电话：021-6288-1234", "咨询电话：零二一 六二八八 一二三四"),
        ("¥680/晚", "六百八十元/晚"),
    ],
)
def test_chinese_times_ranges_and_fractions_are_read_aloud(written: str, said: str) -> None:
    """A Chinese narrator reads 9:00-18:00 as 九点到十八点 and 6-10岁 as 六到十岁 (the voice had
    read 九:零零 一八:零 and 六 一零岁, digit by digit like a phone number)."""
    from promptreel.generators.words import pinyin_map, zh_numbers

    assert zh_numbers(written) == said
    spoken, starts = pinyin_map(written)
    assert not any(c.isdigit() and syllable[-1] != c for syllable in spoken.split() for c in syllable)
    assert starts[0] == 0
