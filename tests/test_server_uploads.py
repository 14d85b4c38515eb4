"""Uploads over HTTP: multipart streamed to disk, URL fetches with SSRF protection, judged by content."""

from __future__ import annotations

import http.server
import io
import threading
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import securitykit
from conftest import LiveServer
from promptreel.errors import InvalidRequest
from promptreel.service.uploads import check_url_host, clean_name, sniff
from serverkit import Api


def png(w: int = 64, h: int = 48) -> bytes:
    return securitykit.png(w, h)


def mp4(seconds: int = 2, w: int = 64, h: int = 48) -> bytes:
    return securitykit.mp4(seconds, w, h)


def wav(ms: int = 1500) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * (16 * ms))
    return buf.getvalue()


@pytest.fixture(scope="module")
def media_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A loopback HTTP server with a PNG and a redirect to it."""
    root = tmp_path_factory.mktemp("www")
    (root / "pic.png").write_bytes(png())

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: object, **kw: object) -> None:
            super().__init__(*a, directory=str(root), **kw)  # type: ignore[arg-type]

        def do_GET(self) -> None:
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/pic.png")
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *a: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _blobs(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "files" / "blobs").rglob("*") if p.is_file()]


def test_multipart_files_are_probed_stored_once_and_listed(live_server: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    files = [
        ("files", ("../../etc/photo.png", png(), "image/png")),
        ("files", ("clip.bin", mp4(), "application/octet-stream")),  # name says nothing: content decides
        ("files", ("voice\x00.wav", wav(), "audio/wav")),
    ]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", files=files)
    assert r.status_code == 200, r.text
    got = r.json()["data"]["files"]
    assert [(f["kind"], f["format"]) for f in got] == [("image", "png"), ("video", "mp4"), ("audio", "wav")]
    assert got[0]["name"] == "photo.png" and (got[0]["width"], got[0]["height"]) == (64, 48)
    assert got[1]["duration_ms"] == 2000 and (got[1]["width"], got[1]["height"]) == (64, 48)
    assert abs(got[2]["duration_ms"] - 1500) <= 10 and got[2]["name"] == "voice.wav"
    assert all(f["media_id"].startswith("med_") for f in got)
    infos = api.state(sid)["state"]["video_infos"]
    assert [i["media_id"] for i in infos] == [f["media_id"] for f in got]


def test_one_bad_file_stores_nothing_and_same_content_is_one_blob(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory()
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    r = api.post(url, files=[("files", ("a.png", png())), ("files", ("b.png", b"GIF89a but not really"))])
    assert r.status_code == 415 and r.json()["code"] == 4001
    r = api.post(url, files=[("files", ("c.png", png()[:60]))])  # truncated PNG: right magic, corrupt body
    assert r.status_code == 415 and r.json()["code"] == 4001
    assert _blobs(srv.data_dir) == [] and api.state(sid)["state"]["video_infos"] == []
    for name in ("one.png", "two.png"):
        assert api.post(url, files={"files": (name, png())}).status_code == 200
    assert len(_blobs(srv.data_dir)) == 1 and len(api.state(sid)["state"]["video_infos"]) == 2
    assert not list((srv.data_dir / "files" / "tmp").iterdir())


def test_url_uploads_refuse_private_addresses(live_server: str, media_host: str) -> None:
    api = Api(live_server)
    api.anonymous()
    sid = api.session()["session_id"]
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    for target in (
        f"{media_host}/pic.png",
        f"{media_host}/redirect",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.png",
        "gopher://example.com/",
    ):
        r = api.post(url, json={"urls": [target], "source_type": "url"})
        assert r.status_code == 422 and r.json()["code"] == 4000, (target, r.text)
        assert "refused" in r.json()["message"]
    r = api.post(url, json={"urls": [], "source_type": "url"})
    assert r.json()["code"] == 4000


def test_url_uploads_fetch_follow_redirects_and_limit_size(
    server_factory: Callable[..., LiveServer], media_host: str
) -> None:
    srv = server_factory(allow_private_urls=True, max_upload_bytes=20_000)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    r = api.post(url, json={"urls": [f"{media_host}/redirect"], "source_type": "url"})
    assert r.status_code == 200, r.text
    f = r.json()["data"]["files"][0]
    assert f["kind"] == "image" and f["source_url"] == f"{media_host}/redirect" and f["name"] == "pic.png"
    r = api.post(url, json={"urls": [f"{media_host}/missing.png"], "source_type": "url"})
    assert r.status_code == 502 and r.json()["code"] == 5020
    srv2 = server_factory(allow_private_urls=True, max_upload_bytes=100)
    api2 = Api(srv2.url)
    api2.anonymous()
    sid2 = api2.session()["session_id"]
    r = api2.post(f"/api/upload-video/nemo_agent/me/{sid2}", json={"urls": [f"{media_host}/pic.png"]})
    assert r.status_code == 413 and r.json()["code"] == 4002
    assert not list((srv2.data_dir / "files" / "tmp").iterdir())


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "fc00::1",
        "224.0.0.1",
        "localhost",
    ],
)
def test_check_url_host_refuses_non_public(host: str) -> None:
    with pytest.raises(InvalidRequest):
        check_url_host(host, 80, allow_private=False)


def test_check_url_host_accepts_public_literal() -> None:
    assert check_url_host("93.184.216.34", 443, allow_private=False) == ["93.184.216.34"]


def test_sniff_and_clean_name() -> None:
    assert sniff(png()) == "png" and sniff(mp4()[:64]) == "mp4" and sniff(wav()[:16]) == "wav"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpg" and sniff(b"GIF89a") == "gif" and sniff(b"ID3\x04") == "mp3"
    assert sniff(b"\x1a\x45\xdf\xa3....webm") == "webm" and sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"
    assert sniff(b"hello") is None and sniff(b"") is None
    assert clean_name("../../a\x00b.png") == "ab.png" and clean_name("C:\\x\\y.mp4") == "y.mp4"
    assert clean_name("") == "upload" and len(clean_name("x" * 1000)) == 200
