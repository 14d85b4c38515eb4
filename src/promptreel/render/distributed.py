"""Chunked rendering with reuse and a choice of executor: in-process, a process pool, or Ray.

The frame range is split exactly as :func:`promptreel.render.chunks.plan_chunks` does (the
single-process encoder restarts at the same frames, so every path gives the same bitstream).
With ``options.chunk_cache`` set, chunks whose content key (:mod:`.chunk_cache`) is already
cached are reused as they are; only the others are drawn — in this process (``workers == 1``),
in forked processes (``workers > 1``) or as Ray tasks (``backend == "ray"``). Meanwhile a
thread of this process mixes and encodes the soundtrack once; then all chunks are joined in
order without re-encoding (:class:`promptreel.render.chunks.ChunkJoiner`).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from promptreel.draft import Draft
from promptreel.render.assets import Assets
from promptreel.render.chunk_cache import ChunkCache, chunk_keys
from promptreel.render.chunks import Chunk, ChunkJob, ChunkJoiner, plan_chunks
from promptreel.render.options import RenderOptions
from promptreel.render.painter import Painter, PainterFactory
from promptreel.render.sound_cache import encoded_soundtrack

__all__ = ["render_distributed"]

Waiters = dict[int, Callable[[], Path]]


def render_distributed(
    draft: Draft,
    assets: Assets,
    out: Path,
    width: int,
    height: int,
    frames: int,
    options: RenderOptions,
    painter: PainterFactory,
    report: Callable[[float, str], None],
) -> int:
    """Render ``draft`` into ``out``; returns how many chunks were reused from the cache."""
    fps = draft.canvas.fps
    chunks = plan_chunks(frames, fps, options)
    cache = ChunkCache(options.chunk_cache) if options.chunk_cache else None
    keys = chunk_keys(draft, assets, chunks, width, height, options, painter) if cache else []
    hits: dict[int, Path] = {}
    if cache is not None:
        for chunk, key in zip(chunks, keys, strict=True):
            found = cache.get(key)
            if found is not None:
                hits[chunk.index] = found
    missing = [c for c in chunks if c.index not in hits]
    folder = Path(tempfile.mkdtemp(prefix=".chunks-", dir=out.parent))
    try:
        job = ChunkJob(draft, assets, folder, width, height, options, painter)
        with _executor(job, missing) as waiters:
            report(0.0, "audio")
            audio = encoded_soundtrack(draft, assets, options)  # mixed while the chunks are drawn
            report(0.05, "frames")
            joiner = ChunkJoiner(out, fps, audio, options)
            try:
                done = 0
                for chunk in chunks:
                    path = hits.get(chunk.index)
                    if path is not None:
                        joiner.add(chunk.start, path)
                    elif cache is not None:
                        joiner.add(
                            chunk.start, cache.put(keys[chunk.index], waiters[chunk.index](), move=True)
                        )
                    else:
                        path = waiters[chunk.index]()
                        joiner.add(chunk.start, path)
                        path.unlink(missing_ok=True)
                    done += chunk.frames
                    report(0.05 + 0.9 * done / max(1, frames), "frames")
                report(0.97, "mux")
            except BaseException:
                joiner.abort()
                raise
            joiner.close()
        if cache is not None and missing:
            cache.trim()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return len(hits)


@contextlib.contextmanager
def _executor(job: ChunkJob, chunks: list[Chunk]) -> Iterator[Waiters]:
    if not chunks:
        yield {}
    elif job.options.backend == "ray":
        from promptreel.render.ray_backend import submit_chunks

        with submit_chunks(job, chunks) as waiters:
            yield waiters
    elif job.options.workers > 1 and len(chunks) > 1:
        with _pool(job, chunks) as waiters:
            yield waiters
    else:
        with _shared_painter(job) as painter:
            yield {c.index: functools.partial(_render_with, job, c, painter) for c in chunks}


class _Lazy:
    """One painter for every chunk drawn here, made on first use (a fully cached render
    makes none)."""

    def __init__(self, job: ChunkJob) -> None:
        self.job = job
        self.painter: Painter | None = None

    def get(self) -> Painter:
        if self.painter is None:
            self.painter = self.job.make_painter()
        return self.painter


@contextlib.contextmanager
def _shared_painter(job: ChunkJob) -> Iterator[_Lazy]:
    lazy = _Lazy(job)
    try:
        yield lazy
    finally:
        if lazy.painter is not None:
            lazy.painter.close()


def _render_with(job: ChunkJob, chunk: Chunk, lazy: _Lazy) -> Path:
    return job.render(chunk, lazy.get())


#: render jobs by id, inherited by forked workers (nothing is pickled but the id and chunk)
_JOBS: dict[str, ChunkJob] = {}
#: in a worker: the painter of the job it draws, kept from one chunk to the next
_WORKER_PAINTER: dict[str, Painter] = {}


def _run_chunk(job_id: str, chunk: Chunk) -> Path:
    job = _JOBS[job_id]
    painter = _WORKER_PAINTER.get(job_id)
    if painter is None:
        for old in _WORKER_PAINTER.values():
            old.close()
        _WORKER_PAINTER.clear()
        painter = _WORKER_PAINTER[job_id] = job.make_painter()
    return job.render(chunk, painter)


@contextlib.contextmanager
def _pool(job: ChunkJob, chunks: list[Chunk]) -> Iterator[Waiters]:
    job_id = uuid.uuid4().hex
    _JOBS[job_id] = job
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(
            max_workers=min(job.options.workers, len(chunks)), mp_context=context
        ) as pool:
            futures: dict[int, Future[Path]] = {c.index: pool.submit(_run_chunk, job_id, c) for c in chunks}
            try:
                yield {i: f.result for i, f in futures.items()}
            finally:
                for future in futures.values():
                    future.cancel()
    finally:
        _JOBS.pop(job_id, None)
