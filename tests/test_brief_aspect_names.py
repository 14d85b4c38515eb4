"""An aspect word is an instruction only where it asks for an aspect; inside a name or a phrase
of the content ("Union Square", "square meals") it stays, and sets no aspect."""

from __future__ import annotations

import pytest

from promptreel.agent.brief import read_brief


def _said(prompt: str) -> str:
    b = read_brief(prompt)
    return " ".join((b.subject, b.place, b.address, *b.content_texts()))


@pytest.mark.parametrize(
    ("prompt", "size", "kept"),
    [
        ("Our bakery on Market Square: fresh bread daily", (1920, 1080), "Market Square"),
        (
            "A 20-second vertical reel for our cafe at 4 Union Square, open daily",
            (1080, 1920),
            "Union Square",
        ),
        ("a square video about our square meals", (1080, 1080), "square meals"),
        ("Times Square New Year countdown, vertical", (1080, 1920), "Times Square"),
    ],
)
def test_an_aspect_word_in_a_name_stays_and_sets_no_aspect(
    prompt: str, size: tuple[int, int], kept: str
) -> None:
    b = read_brief(prompt)
    assert (b.width, b.height) == size
    assert kept in _said(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "make it vertical: our gym on Main Street",
        "our gym on Main Street, vertical",
        "a vertical reel about our gym",
    ],
)
def test_an_aspect_asked_for_is_never_content(prompt: str) -> None:
    b = read_brief(prompt)
    assert b.height > b.width
    assert "vertical" not in _said(prompt).lower()


@pytest.mark.parametrize(
    ("prompt", "subject", "place"),
    [
        ("Our bakery on Market Square: fresh bread daily", "bakery", "Market Square"),
        ("A 30 second ad for our cafe on Baker Street: flat whites, cakes", "cafe", "Baker Street"),
        ("our shop on Portobello Road, open Saturdays", "shop", "Portobello Road"),
        ("a video about Union Square", "Union Square", ""),
        ("a video on climate change", "climate change", ""),
    ],
)
def test_a_named_street_closing_the_request_is_where_not_what(prompt: str, subject: str, place: str) -> None:
    b = read_brief(prompt)
    assert b.subject == subject
    assert b.place == place or (place and place in b.address)
