"""Chunks as Ray tasks: the same keyframe-aligned chunks as the process pool, on a Ray cluster.

``connect()`` joins the cluster at ``address`` or starts a private local one (no dashboard, no
usage stats, bound to 127.0.0.1, temp files in a short folder of its own) and keeps it for the
life of the process; :func:`shutdown` stops only what it started. A render puts the draft and
a :class:`SharedAssets` snapshot in the object store once — the SVG of every illustration the
draft names and, when the cluster is remote, the bytes of every media file it uses — so no task
regenerates or re-reads an asset. Each task draws and encodes one chunk and returns the chunk's
MP4 bytes through the object store; the driver mixes the soundtrack once and joins the chunks
without re-encoding (:mod:`promptreel.render.distributed`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from promptreel.clip import AudioClip
from promptreel.draft import Draft, Segment
from promptreel.errors import RenderFailed
from promptreel.render.assets import Assets
from promptreel.render.chunks import Chunk, ChunkJob, render_chunk
from promptreel.render.options import RenderOptions
from promptreel.render.painter import PainterFactory

__all__ = ["SharedAssets", "available", "connect", "shutdown", "submit_chunks"]

_LOCK = threading.Lock()
_STARTED: dict[str, Any] = {}  # "temp_dir": the folder of the local cluster this process started
_REMOTE: dict[str, Any] = {}


def available() -> bool:
    """Whether the ``ray`` package can be imported here."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RenderFailed("The Ray render backend needs the ray package: pip install 'ray>=2.9'.") from exc
    return ray


def connect(address: str = "", num_cpus: int | None = None) -> None:
    """Join the Ray cluster at ``address``, or start a local one; a no-op when already connected."""
    ray = _ray()
    with _LOCK:
        if ray.is_initialized():
            return
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        if address:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
            return
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        temp_dir = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # sockets need a short path
        try:
            ray.init(
                address=None,
                num_cpus=num_cpus or os.cpu_count() or 1,
                include_dashboard=False,
                _temp_dir=temp_dir,
                _node_ip_address="127.0.0.1",
                object_store_memory=256 * 2**20,
                log_to_driver=False,
                configure_logging=False,
            )
        except BaseException:
            shutil.rmtree(temp_dir, ignore_errors=True)
            raise
        _STARTED["temp_dir"] = temp_dir


def shutdown() -> None:
    """Disconnect; a local cluster this process started is stopped and its folder removed."""
    if not available():
        return
    ray = _ray()
    with _LOCK:
        if ray.is_initialized():
            ray.shutdown()
        _REMOTE.clear()
        temp_dir = _STARTED.pop("temp_dir", None)
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)


def _is_local() -> bool:
    return "temp_dir" in _STARTED


# -- assets shared through the object store ------------------------------------------------------


class SharedAssets:
    """What drawing needs from :class:`Assets`, resolved once by the driver and picklable.

    ``media`` maps a reference (``media_id`` or ``src``) to its driver path, size and, for a
    remote cluster, an object ref of the file's bytes; a worker that cannot see the driver's file
    writes the bytes once into a node-local folder keyed by their hash. Speech and music are
    never needed by a chunk (the driver mixes the soundtrack), so asking for them is an error.
    """

    def __init__(self, svgs: dict[str, str | None], media: dict[str, tuple[str, int, Any]]) -> None:
        self.svgs = svgs
        self.media = media

    def voice(self, segment: Segment) -> AudioClip:
        raise RenderFailed("Chunk tasks draw frames only; the soundtrack is mixed by the driver.")

    def music(self, segment: Segment) -> AudioClip:
        raise RenderFailed("Chunk tasks draw frames only; the soundtrack is mixed by the driver.")

    def illustration(self, name: str) -> str | None:
        return self.svgs.get(name)

    def media_path(self, media_id: str) -> Path | None:
        entry = self.media.get(media_id)
        if entry is None:
            return None
        path_s, size, ref = entry
        path = Path(path_s)
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_size == size:
                return path
        if ref is None:
            return None
        data: bytes = _ray().get(ref)
        digest = hashlib.sha256(data).hexdigest()
        local = Path(tempfile.gettempdir()) / "promptreel-ray-media" / f"{digest}{path.suffix}"
        if not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=local.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, local)
        return local

    @classmethod
    def snapshot(cls, draft: Draft, assets: Assets, *, ship_files: bool) -> SharedAssets:
        """Resolve every illustration and media file ``draft`` names (files as bytes if ``ship_files``)."""
        svgs: dict[str, str | None] = {}
        media: dict[str, tuple[str, int, Any]] = {}
        for _track, seg in draft.segments():
            icon = seg.meta.get("icon")
            if isinstance(icon, str) and icon and icon not in svgs:
                try:
                    svgs[icon] = assets.illustration(icon)
                except Exception:
                    svgs[icon] = None
            for field in ("media_id", "src"):
                ref = seg.meta.get(field)
                if not isinstance(ref, str) or not ref or ref in media:
                    continue
                try:
                    path = assets.media_path(ref)
                except Exception:
                    path = None
                if path is None or not Path(path).is_file():
                    continue
                size = Path(path).stat().st_size
                obj = _ray().put(Path(path).read_bytes()) if ship_files else None
                media[ref] = (str(path), size, obj)
        return cls(svgs, media)


# -- tasks --------------------------------------------------------------------------------------


def _chunk_task(
    draft: Draft,
    assets: Assets,
    chunk: Chunk,
    width: int,
    height: int,
    options: RenderOptions,
    painter: PainterFactory,
) -> bytes:
    """Runs on a Ray worker: draw and encode one chunk, return its MP4 bytes."""
    with tempfile.TemporaryDirectory(prefix="promptreel-chunk-") as folder:
        path = Path(folder) / f"chunk-{chunk.index:05d}.mp4"
        render_chunk(draft, assets, chunk, path, width, height, options, painter)
        return path.read_bytes()


def _remote() -> Any:
    if "chunk" not in _REMOTE:
        _REMOTE["chunk"] = _ray().remote(num_cpus=1, max_retries=1)(_chunk_task)
    return _REMOTE["chunk"]


@contextlib.contextmanager
def submit_chunks(job: ChunkJob, chunks: list[Chunk]) -> Iterator[dict[int, Callable[[], Path]]]:
    """Start one task per chunk; yields, per chunk index, a function that waits for its file.

    Tasks still running when the block exits (a failure, an abandoned render) are cancelled.
    """
    ray = _ray()
    options = job.options
    connect(options.ray_address, options.workers if options.workers > 1 else None)
    shared = SharedAssets.snapshot(job.draft, job.assets, ship_files=not _is_local())
    draft_ref, assets_ref = ray.put(job.draft), ray.put(shared)
    task = _remote()
    refs = {
        c.index: task.remote(draft_ref, assets_ref, c, job.width, job.height, options, job.painter)
        for c in chunks
    }

    def waiter(index: int) -> Callable[[], Path]:
        def wait() -> Path:
            try:
                data: bytes = ray.get(refs[index])
            except Exception as exc:
                raise RenderFailed(f"A render task failed on the Ray cluster: {exc}") from exc
            path = job.path(index)
            path.write_bytes(data)
            return path

        return wait

    try:
        yield {index: waiter(index) for index in refs}
    finally:
        for ref in refs.values():
            with contextlib.suppress(Exception):
                ray.cancel(ref)
