"""Hostile uploads: every one is refused with the right code, nothing is stored, the server stays up."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conftest import LiveServer, server_env
from securitykit import blob_files, jpeg, mp4, png, rows, tmp_files, webp_bomb
from serverkit import Api

LIMIT = 200_000
CLIP = mp4(1)
PIC = png()


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("uploads")
    s = LiveServer(d, server_env(d, max_upload_bytes=LIMIT)).start()
    yield s
    s.stop()


def _nothing_stored(srv: LiveServer) -> None:
    assert blob_files(srv.data_dir) == []
    assert tmp_files(srv.data_dir) == []
    assert rows(srv.data_dir, "SELECT id FROM media") == []


BAD_CONTENT = {
    "text named png": ("photo.png", b"just some text, not a picture" * 4),
    "html named mp4": ("clip.mp4", b"<html><script>alert(1)</script></html>"),
    "elf named jpg": ("a.jpg", b"\x7fELF\x02\x01\x01" + b"\0" * 100),
    "png magic then garbage": ("x.png", b"\x89PNG\r\n\x1a\n" + b"\xab" * 500),
    "truncated png": ("cut.png", PIC[: len(PIC) // 2]),
    "png with corrupt pixels": ("bad.png", PIC[:41] + b"\0" * (len(PIC) - 53) + PIC[-12:]),
    "truncated mp4": ("cut.mp4", CLIP[: len(CLIP) // 3]),
    "mp4 header then garbage": ("fake.mp4", CLIP[:32] + b"\x00\x11" * 400),
    "png bomb (huge declared size)": ("bomb.png", png(declared=(60000, 60000))),
    "png bomb (wide)": ("wide.png", png(declared=(1_000_000, 100))),
    "gif bomb": ("bomb.gif", b"GIF89a" + (65535).to_bytes(2, "little") * 2 + b"\xf7\0\0" + b"\0" * 64),
    "jpeg bomb (huge declared size)": ("bomb.jpg", jpeg(declared=(20000, 20000))),
    "webp bomb": ("bomb.webp", webp_bomb()),
    "empty file": ("empty.png", b""),
}


@pytest.mark.parametrize("case", list(BAD_CONTENT))
def test_bad_content_is_4001_and_nothing_is_stored(srv: LiveServer, case: str) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    name, data = BAD_CONTENT[case]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (name, data))])
    assert (r.status_code, r.json()["code"]) == (415, 4001), r.text
    assert "Traceback" not in r.text
    if "bomb" in case:  # refused from the header, before any decoding
        assert "too large in pixels" in r.json()["message"], r.text
    # a good file in the same request is not stored either (all or nothing)
    r = api.post(
        f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("ok.png", PIC)), ("files", (name, data))]
    )
    assert r.json()["code"] == 4001
    _nothing_stored(srv)
    assert api.get("/api/health").status_code == 200


def test_over_the_limit_is_refused_while_streaming_and_the_partial_removed(srv: LiveServer) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    sent = [0]

    def body() -> Iterator[bytes]:
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="files"; filename="big.mp4"\r\n\r\n'
        yield CLIP[:64]
        for _ in range(400):  # 400 x 64 KB = 25 MB, far past the 200 KB limit
            sent[0] += 1
            yield b"\0" * 65536
        yield b"\r\n--xyz--\r\n"

    headers = {**api.headers(), "Content-Type": "multipart/form-data; boundary=xyz"}
    r = httpx.post(
        f"{srv.url}/api/upload-video/nemo_agent/me/{sid}", content=body(), headers=headers, timeout=60
    )
    assert (r.status_code, r.json()["code"]) == (413, 4002), r.text
    assert r.json()["data"]["max_bytes"] == LIMIT
    _nothing_stored(srv)
    # just under the limit is fine
    ok = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("ok.mp4", CLIP))])
    assert ok.status_code == 200 and len(CLIP) < LIMIT


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.png",
        "..\\..\\windows\\system32\\a.png",
        "/etc/cron.d/evil.png",
        "C:\\Users\\x\\evil.png",
        "%2e%2e%2f%2e%2e%2fescape.png",
        "nul\x00byte.png",
        "a" * 5000 + ".png",
        "\u202egnp.exe",
        "..",
        "",
    ],
)
def test_hostile_names_never_become_paths(srv: LiveServer, name: str) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", (name, PIC))])
    if r.status_code != 200:  # too long for the multipart parser, or no filename: refused, 4000
        assert (r.status_code, r.json()["code"]) == (422, 4000) and (len(name) > 1000 or not name), r.text
        assert api.state(sid)["state"]["video_infos"] == []
        return
    stored = r.json()["data"]["files"][0]
    shown = stored["name"]
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown and shown != ".."
    assert 0 < len(shown) <= 200 and not any(ord(c) < 32 for c in shown)
    # the file lives only in the content-addressed store, named by its hash
    blobs = blob_files(srv.data_dir)
    assert all(len(p.name) == 64 and p.parent.parent == srv.data_dir / "files" / "blobs" for p in blobs)
    assert not (srv.data_dir / "etc").exists() and not list(srv.data_dir.rglob("*evil*"))


def test_odd_multipart_bodies_are_4000(srv: LiveServer) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    url = f"{srv.url}/api/upload-video/nemo_agent/me/{sid}"
    h = api.headers()
    blobs_before = blob_files(srv.data_dir)
    cases = [
        ({"Content-Type": "multipart/form-data"}, b"no boundary"),
        ({"Content-Type": "multipart/form-data; boundary=b"}, b"--b\r\nbroken"),
        ({"Content-Type": "multipart/form-data; boundary=b"}, b"--b--\r\n"),  # no file at all
        ({"Content-Type": "text/plain"}, b"hello"),
        ({"Content-Type": "application/json"}, b"{not json"),
        ({"Content-Type": "application/json"}, b'{"urls": []}'),
        ({"Content-Type": "application/json"}, b'{"urls": ["x"' + b', "x"' * 40000 + b"]}"),
    ]
    for extra, body in cases:
        r = httpx.post(url, content=body, headers={**h, **extra}, timeout=30)
        assert r.status_code in (413, 415, 422) and r.json()["code"] in (4000, 4001, 4002), (
            extra,
            body[:40],
            r.text,
        )
    assert blob_files(srv.data_dir) == blobs_before and tmp_files(srv.data_dir) == []
    assert api.state(sid)["state"]["video_infos"] == []


def test_ordinary_jpeg_is_accepted_with_its_size(srv: LiveServer) -> None:
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("p.jpg", jpeg(48, 32)))])
    assert r.status_code == 200, r.text
    got = r.json()["data"]["files"][0]
    assert (got["format"], got["kind"], got["width"], got["height"]) == ("jpg", "image", 48, 32)
