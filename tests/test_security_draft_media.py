"""Drafts name media only by the id of one of the owner's uploads: a render request whose draft
names a local path (or a URL, or another user's media id) in any ``media_id``/``src`` is a clear
4003 naming the field, and no file outside the owner's uploads is ever read into a video.

The server runs the real studio (fake speech and music engines), so an accepted draft is really
rendered and the picture in the MP4 is checked.
"""

from __future__ import annotations

import io
import struct
import time
import wave
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from conftest import LiveServer, server_env
from securitykit import rows
from serverkit import Api

RED, GREEN = (230, 20, 20), (20, 200, 40)


def solid_png(rgb: tuple[int, int, int], w: int = 64, h: int = 36) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def tone_wav(seconds: float = 1.0, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    x = (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(x.tobytes())
    return buf.getvalue()


def draft(picture: dict[str, Any] | None = None, sound: dict[str, Any] | None = None) -> dict[str, Any]:
    tracks: list[dict[str, Any]] = [
        {
            "tt": 0,
            "sg": [
                {
                    "id": "seg_pic",
                    "s": 0,
                    "d": 1000,
                    "k": "media",
                    "m": {"fit": "cover", "kenburns": False, "media_kind": "image", **(picture or {})},
                }
            ],
        }
    ]
    if sound is not None:
        tracks.append({"tt": 1, "sg": [{"id": "seg_snd", "s": 0, "d": 1000, **sound}]})
    return {"w": 320, "h": 180, "fps": 10, "t": tracks}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    outside = tmp_path_factory.mktemp("outside")  # files on the server's disk, never uploaded
    (outside / "secret.png").write_bytes(solid_png(RED))
    (outside / "secret.wav").write_bytes(tone_wav())
    d = tmp_path_factory.mktemp("draft-media")
    srv = LiveServer(d, server_env(d, studio="", fake_engines="1", cost_generate=0, cost_edit=0)).start()
    owner, other = Api(srv.url), Api(srv.url)
    owner.anonymous()
    other.anonymous()
    sid, other_sid = owner.session()["session_id"], other.session()["session_id"]
    up = owner.post(
        f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("mine.png", solid_png(GREEN)))]
    )
    assert up.status_code == 200, up.text
    theirs = other.post(
        f"/api/upload-video/nemo_agent/me/{other_sid}", files=[("files", ("theirs.png", solid_png(RED)))]
    )
    assert theirs.status_code == 200, theirs.text
    yield {
        "srv": srv,
        "api": owner,
        "sid": sid,
        "outside": outside,
        "mine": up.json()["data"]["files"][0]["media_id"],
        "theirs": theirs.json()["data"]["files"][0]["media_id"],
    }
    srv.stop()


def _hostile(w: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str]]:
    png, wav = str(w["outside"] / "secret.png"), str(w["outside"] / "secret.wav")
    return {
        "picture media_id is a path": (draft({"media_id": png}), "t[0].sg[0].m.media_id"),
        "picture src is a path": (draft({"src": png}), "t[0].sg[0].m.src"),
        "own id, src a path": (draft({"media_id": w["mine"], "src": png}), "t[0].sg[0].m.src"),
        "home-relative path": (draft({"src": "~/../../" + png}), "t[0].sg[0].m.src"),
        "file URL": (draft({"media_id": "file://" + png}), "t[0].sg[0].m.media_id"),
        "system file": (draft({"src": "/etc/passwd"}), "t[0].sg[0].m.src"),
        "another user's media id": (draft({"media_id": w["theirs"]}), "t[0].sg[0].m.media_id"),
        "audio src is a path": (
            draft({"media_id": w["mine"]}, {"k": "audio", "m": {"src": wav}}),
            "t[1].sg[0].m.src",
        ),
        "voice src is a path": (
            draft({"media_id": w["mine"]}, {"k": "voice", "m": {"src": wav}}),
            "t[1].sg[0].m.src",
        ),
        "music media_id is a path": (
            draft({"media_id": w["mine"]}, {"k": "music", "m": {"media_id": wav}}),
            "t[1].sg[0].m.media_id",
        ),
    }


CASES = [
    "picture media_id is a path",
    "picture src is a path",
    "own id, src a path",
    "home-relative path",
    "file URL",
    "system file",
    "another user's media id",
    "audio src is a path",
    "voice src is a path",
    "music media_id is a path",
]


@pytest.mark.parametrize("case", CASES)
def test_a_draft_naming_a_file_that_is_not_an_own_upload_is_4003(world: dict[str, Any], case: str) -> None:
    api, srv = world["api"], world["srv"]
    body, path = _hostile(world)[case]
    rid = f"render_hostile_{CASES.index(case)}"
    r = api.render(world["sid"], body, render_id=rid)
    assert (r.status_code, r.json()["code"]) == (422, 4003), (case, r.text[:300])
    got = r.json()
    assert got["data"]["path"] == path and got["message"].startswith(path), got
    assert "not one of your uploads" in got["message"]
    assert str(srv.data_dir) not in r.text and "blobs" not in r.text  # no internal path in the answer
    assert rows(srv.data_dir, "SELECT id FROM renders WHERE render_id = ?", rid) == []


def _middle_rgb(api: Api, output: dict[str, Any]) -> tuple[float, float, float]:
    r = api.http.get(output["url"])
    assert r.status_code == 200, r.text[:200]
    with av.open(io.BytesIO(r.content), "r") as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    mean = frames[len(frames) // 2].reshape(-1, 3).mean(axis=0)
    return float(mean[0]), float(mean[1]), float(mean[2])


def test_own_upload_by_id_renders_that_picture(world: dict[str, Any]) -> None:
    api = world["api"]
    rid = f"render_own_{time.time_ns()}"
    body = draft({"media_id": world["mine"]}, {"k": "audio", "m": {"media_id": world["mine"]}})
    body["t"].pop()  # the picture alone
    r = api.render(world["sid"], body, render_id=rid)
    assert r.status_code == 200, r.text
    done = api.poll(rid)
    assert done["status"] == "completed", done
    red, green, _ = _middle_rgb(api, done["output"])
    assert green > 150 and red < 80, (red, green)  # the owner's green upload, not a placeholder


def test_the_renderer_opens_only_what_the_resolver_hands_it(world: dict[str, Any]) -> None:
    """Below the API: with the server's kind of resolver (ids only) a path in a draft resolves to
    nothing in the picture, audio and voice code, so it could not be read even past the check."""
    from promptreel.draft import Meta, Segment
    from promptreel.errors import NotFound
    from promptreel.media_refs import LocalFiles
    from promptreel.render.audio import _media_file
    from promptreel.render.picture import resolve_path
    from promptreel.service.studio import Engines

    secret = str(world["outside"] / "secret.png")
    wav = str(world["outside"] / "secret.wav")
    own = world["srv"].data_dir / "promptreel.db"  # any existing file stands in for a stored upload
    assets = Engines.fake().assets({world["mine"]: own}.get)
    for meta in ({"src": secret}, {"media_id": secret}, {"media_id": "nope", "src": secret}):
        assert resolve_path(meta, assets) is None
    assert resolve_path({"media_id": world["mine"], "src": secret}, assets) == own
    assert _media_file(Segment("a", 0, 10, "audio", meta=Meta({"src": wav})), assets) is None
    with pytest.raises(NotFound):
        assets.voice(Segment("v", 0, 10, "voice", meta=Meta({"src": wav})))
    assert Engines.fake().assets().media_path(secret) is None  # no resolver: nothing at all
    cli = Engines.fake().assets(LocalFiles())  # the command line may name local files
    assert resolve_path({"src": secret}, cli) == Path(secret)
