"""Editor-project exports over HTTP with hostile ids: a draft's id and its segments' ids name files
inside the project, and never a path outside it (the server's own disk)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer, server_env
from serverkit import Api


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    d = tmp_path_factory.mktemp("probe_exports")
    srv = LiveServer(d, server_env(d, fake_engines=1)).start()
    yield srv
    srv.stop()


def _draft(draft_id: str, seg_id: str) -> dict[str, object]:
    return {
        "id": draft_id,
        "w": 320,
        "h": 180,
        "t": [
            {"tt": 0, "sg": [{"id": seg_id, "d": 1000, "k": "scene", "m": {"text": "one"}}]},
            {"tt": 0, "sg": [{"id": "seg.two", "d": 1000, "k": "scene", "m": {"text": "two"}}]},
        ],
    }


@pytest.mark.parametrize("fmt", ["otio", "fcp7", "edl", "jianying"])
def test_ids_that_are_paths_stay_inside_the_project(server: LiveServer, tmp_path: Path, fmt: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    up = "../" * 24  # past the server's work folder, whatever its depth
    hostile = [
        (str(outside / "abs_draft"), str(outside / "abs_seg")),
        (up + str(outside / "rel_draft").lstrip("/"), up + str(outside / "rel_seg").lstrip("/")),
        ("..", "."),
    ]
    api = Api(server.url)
    api.anonymous()
    sid = api.session()["session_id"]
    for i, (draft_id, seg_id) in enumerate(hostile):
        pid = f"proj_{fmt}_{i}"
        body = {
            "sessionId": sid,
            "format": fmt,
            "quality": "preview",
            "id": pid,
            "draft": _draft(draft_id, seg_id),
        }
        r = api.post("/api/project/export", json=body)
        assert r.status_code == 200, r.text
        done = api.poll(pid)
        assert done["status"] == "completed", done
        got = httpx.get(done["output"]["url"], timeout=30)
        assert got.status_code == 200
        names = zipfile.ZipFile(io.BytesIO(got.content)).namelist()
        assert names and all(not n.startswith("/") and ".." not in n.split("/") for n in names), names
        # both clips are in the zip, each its own file
        assert len([n for n in names if n.endswith(".mp4")]) >= (0 if fmt == "jianying" else 2), names
    assert list(outside.iterdir()) == [], "the export wrote outside its project folder"
    assert api.get("/api/health").status_code == 200
