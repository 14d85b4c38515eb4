"""The timeline model: pure, immutable, integer milliseconds."""

from promptreel.draft.codec import Limits, decode, dumps, encode, loads, validate
from promptreel.draft.meta import Meta
from promptreel.draft.model import SCHEMA_VERSION, Canvas, Draft, Segment, Track, TrackType
from promptreel.draft.query import summary

__all__ = [
    "SCHEMA_VERSION",
    "Canvas",
    "Draft",
    "Limits",
    "Meta",
    "Segment",
    "Track",
    "TrackType",
    "decode",
    "dumps",
    "encode",
    "loads",
    "summary",
    "validate",
]
