"""Storyboards read as a user would: filler that fits who the video is for, a greeting's facts said
in sentences, the user's quoted lines never echoed by a stock line, a class as an ad's subject, and
a launch with a price said as available now."""

from __future__ import annotations

import pytest

from promptreel.agent.board import scenes_for
from promptreel.agent.brief import Brief, read_brief
from promptreel.agent.wording import echoes


def narration(b: Brief) -> list[str]:
    return [s.text for s in scenes_for(b) if s.text]


def spoken(prompt: str) -> str:
    return " / ".join(narration(read_brief(prompt)))


# ── topic lines fit the audience's age ──────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "prompt",
    [
        "An ad for our summer coding camp for kids aged 8-12",
        "An ad for our summer coding camp for 8–12-year-olds",
        "An ad for our art classes for kids aged 9 to 14, Saturdays",
        "A 30-second ad for our after-school club for 10-year-olds",
    ],
)
def test_an_ad_for_older_children_never_calls_them_little_ones(prompt: str) -> None:
    assert "Little ones" not in spoken(prompt)


def test_little_ones_lines_still_fit_a_daycare() -> None:
    assert "Little ones grow up so fast." in narration(
        read_brief("An ad for our daycare for toddlers, open 7am to 6pm")
    )


def test_ages_read_as_words_of_the_audience() -> None:
    said = narration(read_brief("An ad for our summer coding camp for 8–12-year-olds"))
    assert "For ages 8 to 12." in said


# ── the user's quoted line is never echoed by a stock line ─────────────────────────────────


@pytest.mark.parametrize(
    ("line", "quote"),
    [
        ("We'll miss you around here.", "We will miss you"),
        ("Thank you for everything you do.", "Thanks so much for everything"),
        ("It's never too late to learn something new.", "It is never too late to learn"),
    ],
)
def test_echoes_see_through_short_forms(line: str, quote: str) -> None:
    assert echoes(line, [quote])


def test_different_lines_are_no_echo() -> None:
    assert not echoes("Have a wonderful day, and take good care.", ["We will miss you"])
    assert not echoes("Sending you all my love.", ["love you"])


@pytest.mark.parametrize(
    ("prompt", "stock"),
    [
        (
            'A farewell for Maria, who is retiring after 30 years. Include the line "We will miss you"',
            "miss you",
        ),
        (
            'A farewell video for Tom, his last day is Friday, end with "We\'re going to miss you, Tom"',
            "miss you",
        ),
    ],
)
def test_a_quoted_farewell_line_is_said_once(prompt: str, stock: str) -> None:
    said = narration(read_brief(prompt))
    assert sum(stock in s.lower() for s in said) == 1
