"""A streamed preview: a fragmented MP4 written in place, playable from its first fragment on."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import pytest

from promptreel.render import RenderOptions, render_draft
from test_render_engine_fakes import ToneAssets, make_draft

pytestmark = pytest.mark.slow


def boxes(data: bytes) -> list[tuple[str, int, int]]:
    """The top-level MP4 boxes: (type, start, end)."""
    out, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        out.append((kind.decode("latin-1"), pos, pos + size))
        if size < 8:
            break
        pos += size
    return out


def frames_in(path: Path) -> tuple[int, int]:
    """(video frames, audio frames) that decode from ``path``."""
    with av.open(str(path)) as c:
        video = sum(1 for _ in c.decode(video=0))
    with av.open(str(path)) as c:
        audio = sum(1 for _ in c.decode(audio=0)) if c.streams.audio else 0
    return video, audio


@pytest.mark.parametrize("workers", [1, 2])
def test_a_streamed_render_plays_from_its_first_fragment(tmp_path: Path, workers: int) -> None:
    draft = make_draft(duration=12_000)
    out = tmp_path / "preview.mp4"
    options = RenderOptions(
        fragmented=True, chunk_s=4, gop_s=4, workers=workers, chunk_cache=str(tmp_path / "c")
    )
    render_draft(draft, ToneAssets(), out, options=options)
    data = out.read_bytes()
    kinds = [k for k, _, _ in boxes(data)]
    assert kinds[:2] == ["ftyp", "moov"] and kinds.count("moof") >= 3  # an empty index, then fragments
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # written in place, nothing beside
    # what a player has once the first fragment is written: it plays
    first_end = next(end for k, _, end in boxes(data) if k == "mdat")
    part = tmp_path / "part.mp4"
    part.write_bytes(data[:first_end])
    video, audio = frames_in(part)
    assert 30 <= video <= 4 * 30 and audio > 0
    # and the whole file is the whole video
    assert frames_in(out)[0] == 12 * 30


def test_a_final_render_keeps_its_index_first_and_appears_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "final.mp4"
    render_draft(make_draft(duration=3000), ToneAssets(), out, options=RenderOptions())
    kinds = [k for k, _, _ in boxes(out.read_bytes())]
    assert kinds[:2] == ["ftyp", "moov"] and "moof" not in kinds
