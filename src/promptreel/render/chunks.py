"""Parallel rendering: keyframe-aligned chunks drawn and encoded in processes, joined without
re-encoding, with the soundtrack mixed once in the parent.

Every chunk is an independent H.264 stream that starts with an IDR frame; chunk boundaries sit
on multiples of the GOP length (``options.gop_s`` seconds), where a single-process render puts
its keyframes too. All chunks use the same encoder settings, so they share one SPS/PPS and
their packets can be concatenated into one track with shifted timestamps. The same
:func:`render_chunk` runs in a local process pool or as a remote task (Ray).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from promptreel.draft import Draft
from promptreel.errors import RenderFailed
from promptreel.render.assets import Assets
from promptreel.render.encode import EncodedAudio, VideoWriter
from promptreel.render.options import RenderOptions
from promptreel.render.painter import PainterFactory
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
) -> Path:
    """Draw and encode frames ``[chunk.start, chunk.stop)`` to a video-only MP4 at ``path``."""
    from promptreel.render.engine import encode_frames

    fps = draft.canvas.fps
    with VideoWriter(path, width, height, fps, options, None, pixel_format=FRAME_FORMAT) as writer:
        encode_frames(draft, assets, width, height, range(chunk.start, chunk.stop), painter, writer, on_frame)
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

    def render(self, chunk: Chunk) -> Path:
        """Draw and encode ``chunk`` into its file in :attr:`folder`."""
        return render_chunk(
            self.draft,
            self.assets,
            chunk,
            self.path(chunk.index),
            self.width,
            self.height,
            self.options,
            self.painter,
        )


class ChunkJoiner:
    """Concatenates chunk files, in order, into one MP4 without re-encoding; adds AAC audio.

    The first chunk's stream is the template (same SPS/PPS for all); packet timestamps are
    shifted by the chunk's first frame. Audio is encoded and interleaved as the video advances.
    """

    def __init__(self, out: Path, fps: int, audio: EncodedAudio | None, options: RenderOptions) -> None:
        self.out, self.fps, self.audio, self.options = out, fps, audio, options
        self.frame_tb = Fraction(1, fps)
        self.packets = 0
        self._output: Any = None
        self._vstream: Any = None
        self._extradata: bytes | None = None
        self._astream: Any = None

    def _open(self, template: Any) -> None:
        output = av.open(str(self.out), "w", format="mp4", options={"movflags": "+faststart"})
        self._output = output
        self._vstream = output.add_stream_from_template(template)
        self._vstream.time_base = self.frame_tb
        self._extradata = template.codec_context.extradata
        if self.audio is not None:
            self._astream = self.audio.add_stream(output)

    def add(self, chunk: Chunk, path: Path) -> None:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            if self._output is None:
                self._open(stream)
            elif stream.codec_context.extradata != self._extradata:
                raise RenderFailed("Chunks were encoded with different settings and cannot be joined.")
            tb = stream.time_base
            assert tb is not None
            for packet in container.demux(stream):
                if packet.size == 0 or packet.pts is None:
                    continue
                dts = packet.dts if packet.dts is not None else packet.pts
                packet.pts = round(packet.pts * tb / self.frame_tb) + chunk.start
                packet.dts = round(dts * tb / self.frame_tb) + chunk.start
                packet.time_base = self.frame_tb
                packet.duration = 1
                packet.stream = self._vstream
                self._output.mux(packet)
                self.packets += 1
                if self.audio is not None:
                    self.audio.mux_until(
                        self._output, self._astream, Fraction(max(0, packet.dts + 1), self.fps)
                    )

    def close(self) -> None:
        """Write the rest of the audio and the index; nothing to do if no chunk was added."""
        if self._output is None:
            return
        try:
            if self.audio is not None:
                self.audio.mux_until(self._output, self._astream, None)
        finally:
            self._output.close()
            self._output = None

    def abort(self) -> None:
        if self._output is not None:
            with contextlib.suppress(Exception):
                self._output.close()
            self._output = None


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
            joiner.add(chunk, path)
    except BaseException:
        joiner.abort()
        raise
    joiner.close()
    return joiner.packets


# -- the local process pool ------------------------------------------------------------------
