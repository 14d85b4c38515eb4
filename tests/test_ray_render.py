"""The Ray backend on a real local Ray cluster: same video as the single-process render."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from promptreel.draft import Meta, Segment, Track, TrackType
from promptreel.errors import RenderFailed
from promptreel.render import RenderOptions, ray_backend, render_draft
from promptreel.render.painter import default_painter
from promptreel.timecode import ms_to_frame
from test_render_engine_chunks import decoded, psnr
from test_render_engine_fakes import ToneAssets, make_draft

pytestmark = [pytest.mark.ray, pytest.mark.slow]

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<circle cx="16" cy="16" r="14" fill="#F5A623"/><rect x="9" y="9" width="14" height="14" fill="#4A90E2"/></svg>'
)


class IconAssets(ToneAssets):
    """Tones for the soundtrack; one SVG for every illustration; counts illustration look-ups."""

    def __init__(self) -> None:
        super().__init__()
        self.illustration_calls = 0

    def illustration(self, name: str) -> str | None:
        self.illustration_calls += 1
        return SVG


def icon_draft(duration: int = 4000):  # type: ignore[no-untyped-def]
    draft = make_draft(duration=duration, voice=(500, 2500))
    scenes = draft.tracks[0]
    segs = tuple(
        s.replace(meta=s.meta.set(icon="test:badge", motion="shapes", text="Coffee beans"))
        for s in scenes.segments
    )
    title = Track(
        "t_title",
        TrackType.TEXT,
        "title",
        segments=(Segment("ti", 0, 1500, "title", meta=Meta({"text": "Bean There"})),),
    )
    return draft.replace(tracks=(scenes.replace(segments=segs), *draft.tracks[1:], title))


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    if not ray_backend.available():
        pytest.skip("ray is not installed (pip install 'ray>=2.9'; scripts/setup.sh installs it)")
    import ray

    if ray.is_initialized():
        pytest.skip("a Ray connection already exists in this process")
    ray_backend.connect(num_cpus=2)
    assert ray.is_initialized()
    yield
    ray_backend.shutdown()
    assert not ray.is_initialized()


def test_ray_render_equals_the_single_process_render(ray_cluster: None, tmp_path: Path) -> None:
    draft = icon_draft()
    assets = IconAssets()
    painter = default_painter()
    single = RenderOptions(chunk_s=1, gop_s=1)
    on_ray = RenderOptions(chunk_s=1, gop_s=1, backend="ray", workers=2)
    one, two = tmp_path / "one.mp4", tmp_path / "ray.mp4"
    seen: list[tuple[float, str]] = []
    r1 = render_draft(draft, assets, one, options=single, painter=painter)
    calls_before = assets.illustration_calls
    r2 = render_draft(
        draft, assets, two, options=on_ray, painter=painter, progress=lambda f, s: seen.append((f, s))
    )
    # the driver resolved the one illustration once for all four chunks; no task asked it again
    assert assets.illustration_calls - calls_before == 1
    assert (r1.frames, r1.width, r1.height) == (r2.frames, r2.width, r2.height) == (120, 320, 180)
    f1, a1 = decoded(one)
    f2, a2 = decoded(two)
    assert len(f1) == len(f2) == ms_to_frame(4000, 30)
    assert min(psnr(x, y) for x, y in zip(f1, f2, strict=True)) >= 50.0
    assert float(np.mean(f2[15])) > 5  # something was drawn
    assert a1.shape == a2.shape and np.abs(a1 - a2).max() < 1e-4
    with av.open(str(two)) as c:
        v = c.streams.video[0]
        assert abs(float(v.duration * v.time_base) - 4.0) <= 1 / 30
        keyframes = [float(p.pts * p.time_base) for p in c.demux(v) if p.is_keyframe]
    assert keyframes[:4] == [0.0, 1.0, 2.0, 3.0]
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.mp4", "ray.mp4"]


def test_ray_tasks_read_media_from_the_object_store(ray_cluster: None, tmp_path: Path) -> None:
    """Files the workers cannot see travel as bytes; chunk tasks never ask for speech or music."""
    import ray

    photo = tmp_path / "photo.bin"
    photo.write_bytes(os.urandom(2048))
    assets = ToneAssets(media={"m_photo": photo})
    draft = make_draft().replace(
        tracks=(
            Track(
                "t_media",
                TrackType.VIDEO,
                "media",
                segments=(Segment("p", 0, 1000, "media", meta=Meta({"media_id": "m_photo"})),),
            ),
        )
    )
    shared = ray_backend.SharedAssets.snapshot(draft, assets, ship_files=True)
    path_s, size, ref = shared.media["m_photo"]
    assert (path_s, size) == (str(photo), 2048) and ref is not None
    photo.rename(tmp_path / "gone.bin")  # as on another node: the driver's path does not exist
    local = ray.get(ray.remote(lambda s: s.media_path("m_photo")).remote(shared))
    assert local is not None and Path(local).read_bytes() == (tmp_path / "gone.bin").read_bytes()
    assert shared.media_path("unknown") is None
    with pytest.raises(RenderFailed):
        shared.voice(draft.tracks[0].segments[0])


def test_a_failing_task_fails_the_render_and_leaves_nothing(ray_cluster: None, tmp_path: Path) -> None:
    out = tmp_path / "bad.mp4"
    with pytest.raises(RenderFailed):
        render_draft(
            make_draft(duration=2000),
            ToneAssets(),
            out,
            options=RenderOptions(chunk_s=1, gop_s=1, backend="ray"),
            painter=_Broken,
        )
    assert list(tmp_path.iterdir()) == []


class _Broken:
    def __init__(self, draft: object, assets: object, width: int, height: int) -> None:
        pass

    def draw(self, canvas: object, frame: int) -> None:
        if frame >= 30:
            raise RuntimeError("the painter broke")

    def close(self) -> None:
        pass


def test_settings_choose_the_ray_backend_and_the_chunk_cache(tmp_path: Path) -> None:
    from promptreel.service.studio import render_options
    from promptreel.settings import Settings

    s = Settings(data_dir=tmp_path, render_backend="ray", ray_address="ray://head:10001")
    options = render_options(workers=2, settings=s)
    assert (options.backend, options.ray_address, options.workers) == ("ray", "ray://head:10001", 2)
    assert options.chunk_cache == str(tmp_path / "cache" / "chunks") and options.chunk_s == s.render_chunk_s
    assert render_options(preview=True, settings=s).backend == "ray"
    off = render_options(settings=Settings(data_dir=tmp_path, render_chunk_cache=False))
    assert (off.backend, off.chunk_cache) == ("local", "")
    with pytest.raises(ValueError):
        RenderOptions(backend="spark")
