"""render_draft: a draft and its assets → one finished MP4, drawn once and encoded once."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from promptreel.draft import Draft
from promptreel.errors import InvalidDraft, PromptreelError, RenderFailed
from promptreel.render.assets import Assets
from promptreel.render.avio import VideoWriter
from promptreel.render.caption_words import with_word_times
from promptreel.render.distributed import render_distributed
from promptreel.render.frames import encode_frames
from promptreel.render.options import RenderOptions, scaled_size
from promptreel.render.painter import PainterFactory, default_painter
from promptreel.render.raster import FRAME_FORMAT
from promptreel.render.sound_cache import encoded_soundtrack
from promptreel.timecode import ms_to_frame

__all__ = ["Progress", "RenderResult", "render_draft", "temp_path"]

Progress = Callable[[float, str], None]

#: share of the progress bar per stage
_AUDIO_SHARE = 0.05
_MUX_SHARE = 0.02


@dataclass(frozen=True)
class RenderResult:
    path: Path
    duration_ms: int
    width: int
    height: int
    frames: int
    size_bytes: int
    wall_s: float = 0.0


def render_draft(
    draft: Draft,
    assets: Assets,
    out: Path | str,
    *,
    options: RenderOptions = RenderOptions(),
    progress: Progress | None = None,
    painter: PainterFactory | None = None,
) -> RenderResult:
    """Render ``draft`` to an H.264/AAC MP4 at ``out``.

    The soundtrack is mixed, mastered and encoded block by block (on a thread, while the frames
    are drawn; or read back from ``options.sound_cache``), every frame is drawn once into one
    reusable skia surface and encoded once. With ``options.workers > 1`` the frames are rendered
    as keyframe-aligned chunks in a process pool and joined without re-encoding. The file
    appears at ``out`` only when complete: it is written beside it under a temporary name and
    renamed (with ``options.fragmented``, written at ``out`` as it is made, for a reader to play
    while it grows); on any failure nothing is left behind. ``progress(fraction, stage)``
    reports ``"audio"``, ``"frames"`` and ``"mux"`` and ends with ``1.0``.
    """
    started = time.perf_counter()
    if draft.duration <= 0:
        raise InvalidDraft("The draft is empty: add a scene or a clip before rendering.", path="t")
    draft = with_word_times(draft, assets)  # captions follow the narration as spoken
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fps = draft.canvas.fps
    width, height = scaled_size(draft.canvas.width, draft.canvas.height, options.scale)
    frames = max(1, ms_to_frame(draft.duration, fps))
    factory = painter or default_painter()
    report = _Reporter(progress)
    with _atomic(out, in_place=options.fragmented) as tmp:
        try:
            parallel = options.workers > 1 and frames > options.chunk_s * fps
            if options.backend == "ray" or options.chunk_cache or parallel:
                render_distributed(draft, assets, tmp, width, height, frames, options, factory, report)
            else:
                report(0.0, "audio")
                audio = encoded_soundtrack(draft, assets, options)  # mixed while the frames are drawn
                report(_AUDIO_SHARE, "frames")
                with VideoWriter(
                    tmp,
                    width,
                    height,
                    fps,
                    options,
                    audio,
                    segment_frames=options.chunk_s * fps,
                    pixel_format=FRAME_FORMAT,
                ) as writer:
                    encode_frames(
                        draft,
                        assets,
                        width,
                        height,
                        range(frames),
                        factory,
                        writer,
                        lambda done: report.frame(done, frames),
                    )
                    report(1.0 - _MUX_SHARE, "mux")
                    writer.finish()
        except PromptreelError:
            raise
        except Exception as exc:
            raise RenderFailed(f"The render failed: {exc}") from exc
    report(1.0, "mux")
    return RenderResult(
        path=out,
        duration_ms=draft.duration,
        width=width,
        height=height,
        frames=frames,
        size_bytes=out.stat().st_size,
        wall_s=time.perf_counter() - started,
    )


def temp_path(out: Path) -> Path:
    """A unique hidden name beside ``out`` (same filesystem, so the final rename is atomic)."""
    return out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part{out.suffix or '.mp4'}")


@contextmanager
def _atomic(out: Path, *, in_place: bool = False) -> Iterator[Path]:
    """Write to a temporary name beside ``out`` and rename it when complete; ``in_place``: write
    ``out`` itself (a stream that readers follow as it grows). On failure nothing is left."""
    tmp = out if in_place else temp_path(out)
    try:
        yield tmp
        if tmp != out:
            os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class _Reporter:
    """Calls ``progress`` with a monotonic fraction, at most ~200 times for the frames stage."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._last = -1.0
        self._step = -1

    def __call__(self, fraction: float, stage: str) -> None:
        if self._progress is None:
            return
        fraction = min(1.0, max(self._last, fraction))
        self._last = fraction
        self._progress(fraction, stage)

    def frame(self, done: int, total: int) -> None:
        step = done * 200 // max(1, total)
        if step != self._step:
            self._step = step
            span = 1.0 - _AUDIO_SHARE - _MUX_SHARE
            self(_AUDIO_SHARE + span * done / max(1, total), "frames")
