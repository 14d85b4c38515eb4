"""A clock time is when something happens only in a video about an event; in an ad it is a
detail of what is offered ("sourdough baked at 5am") and stays there. Invitations are read as
invitations however they are worded, and a time is said with its preposition."""

from __future__ import annotations

import re

import pytest

from promptreel.agent.brief import read_brief
from promptreel.agent.planner import plan


def test_a_clock_time_in_an_ad_is_a_detail_not_the_date() -> None:
    brief = read_brief("A 30 second ad for our bakery: sourdough baked at 5am, croissants, 14 Mill Lane")
    assert brief.when == ()
    assert any("5am" in i.text for i in brief.items)
    board = plan("A 30 second ad for our bakery: sourdough baked at 5am, croissants, 14 Mill Lane")
    assert "5am" not in board.subtitle
    place = [s for s in board.scenes if s.layout == "place"]
    assert all("5am" not in t for s in place for t, _v in s.items)


@pytest.mark.parametrize(
    ("prompt", "key"),
    [
        ("You're invited to our gallery opening at 7pm, 22 Queen Street", "gallery opening"),
        ("Join us for the grand opening of our bakery at 8am, 3 Mill Lane", "bakery"),
        ("We invite you to our open day on Saturday", "open day"),
        ("a video inviting people to our charity run, Sunday 9am", "charity run"),
    ],
)
def test_an_invitation_is_read_as_one_and_its_time_is_when(prompt: str, key: str) -> None:
    brief = read_brief(prompt)
    assert brief.purpose == "invitation"
    assert key in brief.subject.lower() and not re.search(r"\d|you|invit|join", brief.subject, re.I)
    assert brief.when, "the time is when it happens"
    said = " ".join(s.text for s in plan(prompt).scenes)
    assert not re.search(r"\b(?:us|you)\s+\d", said), said  # "Join us at 7pm", never "Join us 7pm"
