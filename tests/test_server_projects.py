"""Projects over HTTP: list, open, rename, duplicate, delete (owner-only: another user's project
answers 1002/404 like a missing one), stills (poster, timeline frames, upload pictures) and a
photo's fit or fill on the timeline."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import pytest
import skia

from conftest import LiveServer, server_env
from serverkit import Api

STUDIO = "fake_studio_media:MediaStudio"


def _png(width: int = 64, height: int = 32) -> bytes:
    raw = b"".join(b"\x00" + bytes([200, 120, 40]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def _jpeg_size(data: bytes) -> tuple[int, int]:
    assert data[:3] == b"\xff\xd8\xff", "a JPEG"
    image = skia.Image.MakeFromEncoded(skia.Data.MakeWithCopy(data))
    assert image is not None
    return image.width(), image.height()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("projects")
    srv = LiveServer(d, server_env(d, STUDIO, fake_engines=1, anonymous_credits=5000)).start()
    yield srv
    srv.stop()


def _user(server: LiveServer) -> Api:
    api = Api(server.url)
    api.anonymous()
    return api


def _generate(api: Api, sid: str, text: str = "a 10 second video about bees") -> None:
    out = api.run(sid, text)
    assert out.complete, out.body


def test_list_rename_duplicate_delete_owner_only(server: LiveServer) -> None:
    api, other = _user(server), _user(server)
    first = api.session()["session_id"]
    second = api.session()["session_id"]
    _generate(api, second)

    r = api.get("/api/projects/me")
    assert r.status_code == 200 and r.json()["code"] == 0
    listed = r.json()["data"]["projects"]
    assert [p["session_id"] for p in listed] == [second, first], "the most recently changed first"
    made = listed[0]
    assert made["ready"] and made["title"] == "Fake" and made["duration_ms"] == 10_000
    assert made["width"] == 1920 and made["height"] == 1080 and made["scenes"] == 2
    assert made["poster_ms"] == 7500, "the middle of the first scene after the title card, not frame 0"
    assert made["created_at"].endswith("Z") and made["updated_at"].endswith("Z")
    assert listed[1]["ready"] is False and listed[1]["version"] == 0

    # rename: spaces collapsed; the title stays the video's own, the name is the project's
    r = api.http.patch(
        f"/api/projects/me/{second}", json={"task_name": "  Bees   draft "}, headers=api.headers()
    )
    assert r.status_code == 200 and r.json()["data"]["task_name"] == "Bees draft"
    r = api.http.patch(f"/api/projects/me/{first}", json={"task_name": "   "}, headers=api.headers())
    assert r.status_code == 422 and r.json()["code"] == 4000

    # another user's project is "not found" (1002/404) on every route, and nothing changes
    for method, path, body in (
        ("GET", f"/api/projects/me/{second}", None),
        ("PATCH", f"/api/projects/me/{second}", {"task_name": "mine"}),
        ("POST", f"/api/projects/me/{second}/duplicate", {}),
        ("DELETE", f"/api/projects/me/{second}", None),
        ("POST", f"/api/projects/me/{second}/media-fit", {"media_id": "med_x", "fit": "contain"}),
        ("GET", f"/api/projects/me/{second}/frames?at=poster", None),
        ("GET", f"/api/projects/me/{second}/uploads/med_x/thumbnail", None),
    ):
        r = other.http.request(method, path, json=body, headers=other.headers())
        assert (r.status_code, r.json()["code"]) == (404, 1002), (method, path, r.text)
    assert other.get("/api/projects/me").json()["data"]["projects"] == []
    assert api.get(f"/api/projects/me/{second}").json()["data"]["task_name"] == "Bees draft"
    # no token at all: 1001
    assert api.http.get("/api/projects/me").json()["code"] == 1001

    # duplicate: a new project with the same draft, none of the conversation
    r = api.post(f"/api/projects/me/{second}/duplicate", json={})
    assert r.status_code == 200, r.text
    copy = r.json()["data"]
    assert copy["session_id"] != second and copy["task_name"] == "Bees draft (copy)"
    assert copy["project"]["ready"] and copy["project"]["duration_ms"] == 10_000
    st = api.state(copy["session_id"])
    assert st["state"]["draft"] == api.state(second)["state"]["draft"]
    assert st["messages"] == [] and st["can_undo"] is False
    # editing the copy leaves the original alone
    assert api.state(second)["version"] != 0

    # delete: gone from the list, the state, the stills and its claim link
    claim = api.post("/api/auth/claim-token", json={"task_id": made["task_id"], "session_id": second})
    ct = claim.json()["data"]["claim_token"]
    assert api.http.get(f"/api/claim/{ct}").status_code == 200
    r = api.http.delete(f"/api/projects/me/{second}", headers=api.headers())
    assert r.status_code == 200 and r.json()["data"]["deleted"] is True
    ids = [p["session_id"] for p in api.get("/api/projects/me").json()["data"]["projects"]]
    assert second not in ids and copy["session_id"] in ids and first in ids
    for path in (f"/api/state/nemo_agent/me/{second}/latest", f"/api/projects/me/{second}/frames"):
        r = api.get(path)
        assert (r.status_code, r.json()["code"]) == (404, 1002)
    assert api.http.get(f"/api/claim/{ct}").status_code == 404
    assert api.http.delete(f"/api/projects/me/{second}", headers=api.headers()).status_code == 404
    out = api.run(second, "make it vertical")
    assert out.body and out.body["code"] == 1002


def test_delete_waits_for_a_running_turn(server: LiveServer) -> None:
    api = _user(server)
    sid = api.session()["session_id"]
    first = api.run(sid, "a SLOW 10 second video", stop_after=1)
    assert first.events and not first.complete
    r = api.http.delete(f"/api/projects/me/{sid}", headers=api.headers())
    assert (r.status_code, r.json()["code"]) == (409, 4090)
    done = api.run(sid, "a SLOW 10 second video", last_event_id=first.ids[-1])
    assert done.complete
    assert api.http.delete(f"/api/projects/me/{sid}", headers=api.headers()).status_code == 200


def test_poster_and_timeline_frames_are_drawn_from_the_draft(server: LiveServer) -> None:
    api = _user(server)
    sid = api.session()["session_id"]
    r = api.get(f"/api/projects/me/{sid}/frames")
    assert (r.status_code, r.json()["code"]) == (422, 4000), "nothing to draw yet"
    _generate(api, sid)
    r = api.get(f"/api/projects/me/{sid}/frames", params={"at": "poster", "w": 320})
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert _jpeg_size(r.content) == (320, 180)
    r = api.get(f"/api/projects/me/{sid}/frames", params={"at": "2500,7500", "w": 160})
    assert _jpeg_size(r.content) == (320, 90), "two frames side by side"
    again = api.get(f"/api/projects/me/{sid}/frames", params={"at": "2500,7500", "w": 160})
    assert again.content == r.content
    for bad in ({"at": "soon"}, {"at": ",".join(["1"] * 49)}, {"w": 4000}):
        r = api.get(f"/api/projects/me/{sid}/frames", params=bad)
        assert (r.status_code, r.json()["code"]) == (422, 4000), bad


def test_uploads_have_pictures_and_a_photo_fits_or_fills(server: LiveServer) -> None:
    api = _user(server)
    sid = api.session()["session_id"]
    up = api.post(
        f"/api/upload-video/nemo_agent/me/{sid}", files=[("files", ("wide.png", _png(), "image/png"))]
    )
    assert up.status_code == 200, up.text
    media_id = up.json()["data"]["files"][0]["media_id"]

    r = api.get(f"/api/projects/me/{sid}/uploads/{media_id}/thumbnail", params={"w": 64})
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert _jpeg_size(r.content) == (64, 32), "the photo's own shape"
    r = api.get(f"/api/projects/me/{sid}/uploads/med_nope/thumbnail")
    assert (r.status_code, r.json()["code"]) == (404, 4040)
    # the uploads stay listed with the project (a reload reads them from the server)
    assert [m["media_id"] for m in api.state(sid)["state"]["video_infos"]] == [media_id]

    _generate(api, sid, "a 10 second video with my photo")
    st = api.state(sid)
    media = [
        s for t in st["state"]["draft"]["t"] for s in t["sg"] if s.get("m", {}).get("media_id") == media_id
    ]
    assert media and media[0]["m"]["fit"] == "cover"
    version = st["version"]

    url = f"/api/projects/me/{sid}/media-fit"
    r = api.post(url, json={"media_id": media_id, "fit": "contain"})
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {
        "media_id": media_id,
        "fit": "contain",
        "segments": 1,
        "changed": 1,
        "version": version + 1,
    }
    st = api.state(sid)
    seg = next(
        s for t in st["state"]["draft"]["t"] for s in t["sg"] if s.get("m", {}).get("media_id") == media_id
    )
    assert seg["m"]["fit"] == "contain" and st["can_undo"]
    r = api.post(url, json={"media_id": media_id, "fit": "contain"})
    assert r.json()["data"]["changed"] == 0 and r.json()["data"]["version"] == version + 1
    r = api.post(url, json={"media_id": media_id, "fit": "stretch"})
    assert (r.status_code, r.json()["code"]) == (422, 4000)
    # undo takes the choice back
    assert api.run(sid, "undo").complete
    seg = next(
        s
        for t in api.state(sid)["state"]["draft"]["t"]
        for s in t["sg"]
        if s.get("m", {}).get("media_id") == media_id
    )
    assert seg["m"]["fit"] == "cover"

    # a duplicate keeps the uploads (new ids) and its draft points at its own copies
    copy = api.post(f"/api/projects/me/{sid}/duplicate", json={"task_name": "Copy"}).json()["data"]
    cst = api.state(copy["session_id"])
    copied = [m["media_id"] for m in cst["state"]["video_infos"]]
    assert len(copied) == 1 and copied[0] != media_id
    assert media_id not in str(cst["state"]["draft"]) and copied[0] in str(cst["state"]["draft"])
    r = api.get(f"/api/projects/me/{copy['session_id']}/uploads/{copied[0]}/thumbnail", params={"w": 64})
    assert r.status_code == 200
