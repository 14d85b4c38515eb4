"""Small files that decode to huge pictures: the server's memory stays bounded.

The red team's files are built here: a 16-bit RGBA PNG of zeros compresses to a few hundred KB
whatever its size. The server's peak resident memory (``VmHWM``) is read from ``/proc`` before
and after; a picture over ``max_image_pixels`` (40 MP) is refused from its header, and one under
it is checked without ever being decoded at full size.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer, server_env
from securitykit import blob_files, png, rows, tmp_files
from serverkit import Api

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")

MB = 1024 * 1024
BUDGET = 64 * MB  # peak memory an upload may add, far below one full-size decode of these files


@cache
def png16(w: int, h: int) -> bytes:
    """A ``w`` × ``h`` 16-bit RGBA PNG of zeros (8 bytes a pixel when decoded), compressed row by row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    z = zlib.compressobj(9)
    row = bytes(1 + w * 8)
    idat = b"".join([*(z.compress(row) for _ in range(h)), z.flush()])
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh server per test (peak memory only grows), warmed up by one ordinary upload; as
    served, the studio loads in worker processes, not while the serving process is measured."""
    s = LiveServer(tmp_path, server_env(tmp_path, max_upload_bytes=8 * MB, job_processes=True)).start()
    api = Api(s.url)
    api.anonymous()
    sid = api.session()["session_id"]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("warm.png", png()))])
    assert r.status_code == 200, r.text
    yield s
    s.stop()


def _upload(srv: LiveServer, name: str, data: bytes) -> httpx.Response:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    return api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (name, data))])


def _stored_pictures(srv: LiveServer) -> int:
    return len(rows(srv.data_dir, "SELECT id FROM media WHERE name != 'warm.png'"))


def test_the_red_team_png_is_refused_from_its_header(srv: LiveServer) -> None:
    data = png16(8944, 8944)  # 80 MP, 640 MB decoded, ~620 KB on the wire
    assert len(data) < 1 * MB
    assert srv.proc is not None
    before = peak_rss(srv.proc.pid)
    r = _upload(srv, "bomb.png", data)
    grew = peak_rss(srv.proc.pid) - before
    assert (r.status_code, r.json()["code"]) == (415, 4001), r.text
    assert "too large in pixels" in r.json()["message"] and "8944" in r.json()["message"]
    assert grew < BUDGET, f"peak memory grew {grew / MB:.0f} MB"
    assert _stored_pictures(srv) == 0 and tmp_files(srv.data_dir) == []


def test_eight_huge_pngs_at_once_stay_bounded(srv: LiveServer) -> None:
    data = png16(8000, 8000)  # 64 MP each, 512 MB decoded
    assert srv.proc is not None
    before = peak_rss(srv.proc.pid)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: _upload(srv, f"big{i}.png", data), range(8)))
    grew = peak_rss(srv.proc.pid) - before
    assert all((r.status_code, r.json()["code"]) == (415, 4001) for r in answers), answers[0].text
    assert grew < BUDGET, f"peak memory grew {grew / MB:.0f} MB"
    assert _stored_pictures(srv) == 0


def test_pictures_under_the_limit_are_checked_without_a_full_decode(srv: LiveServer) -> None:
    data = png16(6000, 6000)  # 36 MP: accepted; 288 MB if decoded at full size, each
    assert srv.proc is not None
    before = peak_rss(srv.proc.pid)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: _upload(srv, f"ok{i}.png", data), range(8)))
    grew = peak_rss(srv.proc.pid) - before
    for r in answers:
        assert r.status_code == 200, r.text
        got = r.json()["data"]["files"][0]
        assert (got["kind"], got["width"], got["height"]) == ("image", 6000, 6000)
    assert grew < BUDGET, f"peak memory grew {grew / MB:.0f} MB"
    assert _stored_pictures(srv) == 8 and len(blob_files(srv.data_dir)) == 2  # same bytes, one blob


def test_the_pixel_limit_is_a_setting(tmp_path: Path) -> None:
    s = LiveServer(tmp_path, server_env(tmp_path, max_image_pixels=1000)).start()
    try:
        r = _upload(s, "small.png", png(40, 30))  # 1200 pixels
        assert (r.status_code, r.json()["code"]) == (415, 4001), r.text
        assert "at most 1000" in r.json()["message"]
        assert _upload(s, "tiny.png", png(40, 20)).status_code == 200
    finally:
        s.stop()
