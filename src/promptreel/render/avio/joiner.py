"""Joining separately encoded chunk files into one MP4 without re-encoding (:class:`ChunkJoiner`)."""

from __future__ import annotations

import contextlib
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from promptreel.errors import RenderFailed
from promptreel.render.avio.encoding import mp4_options
from promptreel.render.avio.soundtrack import EncodedAudio
from promptreel.render.options import RenderOptions

__all__ = ["ChunkJoiner"]


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
        output = av.open(str(self.out), "w", format="mp4", options=mp4_options(self.options))
        self._output = output
        self._vstream = output.add_stream_from_template(template)
        self._vstream.time_base = self.frame_tb
        self._extradata = template.codec_context.extradata
        if self.audio is not None:
            self._astream = self.audio.add_stream(output)

    def add(self, start: int, path: Path) -> None:
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
                packet.pts = round(packet.pts * tb / self.frame_tb) + start
                packet.dts = round(dts * tb / self.frame_tb) + start
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
