"""Parallel rendering: keyframe-aligned chunks drawn and encoded in processes, joined without
re-encoding, with the soundtrack mixed once in the parent.

Every chunk is an independent H.264 stream that starts with an IDR frame; chunk boundaries sit
on multiples of the GOP length (``options.gop_s`` seconds), where a single-process render puts
its keyframes too. All chunks use the same encoder settings, so they share one SPS/PPS and
their packets can be concatenated into one track with shifted timestamps. The same
:func:`render_chunk` runs in a local process pool or as a remote task (Ray).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from promptreel.draft import Draft
from promptreel.render.assets import Assets
from promptreel.render.avio import ChunkJoiner, EncodedAudio, VideoWriter
from promptreel.render.frames import encode_frames
from promptreel.render.options import RenderOptions
from promptreel.render.painter import Painter, PainterFactory
from promptreel.render.raster import FRAME_FORMAT

__all__ = ["Chunk", "ChunkJob", "ChunkJoiner", "join_chunks", "plan_chunks", "render_chunk"]


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # first frame (inclusive)
    stop: int  # last frame (exclusive)

    @property
    def frames(self) -> int:
        return self.stop - self.start


def plan_chunks(frames: int, fps: int, options: RenderOptions) -> list[Chunk]:
    """Split ``[0, frames)`` into pieces of ``options.chunk_s`` seconds (the last may be shorter).

    The split does not depend on the number of workers: a single-process render restarts its
    encoder at the same frames, which is what makes both outputs identical.
    """
    size = max(1, options.chunk_s * fps)
    return [Chunk(i, start, min(frames, start + size)) for i, start in enumerate(range(0, frames, size))]


def render_chunk(
    draft: Draft,
    assets: Assets,
    chunk: Chunk,
    path: Path,
    width: int,
    height: int,
    options: RenderOptions,
    painter: PainterFactory,
    on_frame: Callable[[int], None] | None = None,
    *,
    reuse: Painter | None = None,
) -> Path:
    """Draw and encode frames ``[chunk.start, chunk.stop)`` to a video-only MP4 at ``path``
    (with ``reuse``, a painter already made for this draft, e.g. by an earlier chunk)."""
    fps = draft.canvas.fps
    options = replace(options, fragmented=False)  # a chunk is a plain file; only the joined output streams
    with VideoWriter(path, width, height, fps, options, None, pixel_format=FRAME_FORMAT) as writer:
        encode_frames(
            draft,
            assets,
            width,
            height,
            range(chunk.start, chunk.stop),
            painter,
            writer,
            on_frame,
            painter=reuse,
        )
        writer.finish()
    return path


@dataclass(frozen=True)
class ChunkJob:
    """What every chunk of one render shares: the draft and its assets, the output size and
    settings, the painter, and the folder the chunk files go to."""

    draft: Draft
    assets: Assets
    folder: Path
    width: int
    height: int
    options: RenderOptions
    painter: PainterFactory

    def path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:05d}.mp4"

    def make_painter(self) -> Painter:
        """A painter for this job's frames, to pass to :meth:`render` for several chunks."""
        return self.painter(self.draft, self.assets, self.width, self.height)

    def render(self, chunk: Chunk, reuse: Painter | None = None) -> Path:
        """Draw and encode ``chunk`` into its file in :attr:`folder` (with ``reuse``, a painter
        from :meth:`make_painter` that the caller closes)."""
        return render_chunk(
            self.draft,
            self.assets,
            chunk,
            self.path(chunk.index),
            self.width,
            self.height,
            self.options,
            self.painter,
            reuse=reuse,
        )


def join_chunks(
    parts: list[tuple[Chunk, Path]],
    out: Path,
    fps: int,
    audio: EncodedAudio | None,
    options: RenderOptions,
) -> int:
    """Concatenate chunk files (in order) into ``out``; returns the number of video packets."""
    joiner = ChunkJoiner(out, fps, audio, options)
    try:
        for chunk, path in parts:
            joiner.add(chunk.start, path)
    except BaseException:
        joiner.abort()
        raise
    joiner.close()
    return joiner.packets


# -- the local process pool ------------------------------------------------------------------
