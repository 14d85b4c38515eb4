"""The blob store behind the ``ObjectStore`` Protocol: a local directory (the default), the
in-memory fake, and S3 against a real S3-compatible server (moto's, started on loopback).

The same contract runs on every implementation; then the content-addressed ``BlobStore`` runs
on top of a remote store: a second process (another store with an empty cache) reads what the
first one wrote, and a missing blob is reported as missing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import free_port
from promptreel.settings import Settings
from promptreel.storage import BlobStore
from promptreel.storage.objects import DirectoryObjects, MemoryObjects, ObjectStore, S3Objects


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3-compatible endpoint: ``moto_server`` (moto[server] from PyPI) on a loopback port."""
    pytest.importorskip("boto3", reason="boto3 is not installed (pip install 'promptreel[s3]')")
    exe = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(exe).exists():
        pytest.skip("moto_server not installed (pip install 'moto[server]')")
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "log", "wb")  # noqa: SIM115 - owned by the subprocess
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1.0)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _s3(endpoint: str) -> S3Objects:
    import boto3

    bucket = f"b-{uuid.uuid4().hex[:10]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=bucket)
    return S3Objects(
        bucket, endpoint_url=endpoint, access_key_id="test", secret_access_key="test", prefix="t/"
    )


@pytest.fixture(params=["directory", "memory", "s3"])
def objects(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "directory":
        return DirectoryObjects(tmp_path / "objects")
    if request.param == "memory":
        return MemoryObjects()
    return _s3(request.getfixturevalue("s3_endpoint"))


def _file(tmp_path: Path, body: bytes) -> tuple[Path, str]:
    p = tmp_path / uuid.uuid4().hex
    p.write_bytes(body)
    return p, hashlib.sha256(body).hexdigest()


def test_every_object_store_keeps_the_same_contract(objects: ObjectStore, tmp_path: Path) -> None:
    assert isinstance(objects, ObjectStore)
    src, key = _file(tmp_path, b"hello blobs" * 1000)
    assert not objects.exists(key)
    assert objects.get(key, tmp_path / "nothing") is False and not (tmp_path / "nothing").exists()
    objects.put(key, src)
    assert objects.exists(key)
    again, _ = _file(tmp_path, b"hello blobs" * 1000)
    objects.put(key, again)  # the same key twice: the same bytes, no error
    out = tmp_path / "out"
    assert objects.get(key, out) and out.read_bytes() == b"hello blobs" * 1000
    objects.delete(key)
    assert not objects.exists(key)


@pytest.mark.parametrize("remote", ["memory", "s3"])
def test_the_blob_store_on_a_remote_store_shares_blobs_between_processes(
    remote: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    shared: ObjectStore = (
        MemoryObjects() if remote == "memory" else _s3(request.getfixturevalue("s3_endpoint"))
    )
    api = BlobStore(tmp_path / "api", shared)  # two processes, each with its own disk
    worker = BlobStore(tmp_path / "worker", shared)
    with api.writer() as w:
        w.write(b"uploaded media")
        sha = w.commit()
    assert api.path(sha).read_bytes() == b"uploaded media"  # kept in the writer's cache
    assert not (tmp_path / "api" / "blobs").exists()  # nothing under the local blob dir
    assert worker.exists(sha)
    assert worker.path(sha).read_bytes() == b"uploaded media"  # fetched into the reader's cache
    src = worker.tmp_path(".mp4")
    src.write_bytes(b"rendered video")
    out, size = worker.put_file(src)
    assert size == 14 and not src.exists()
    assert api.path(out).read_bytes() == b"rendered video"
    missing = "f" * 64
    assert not api.exists(missing) and not api.path(missing).exists()
    assert list(api.tmp.iterdir()) == [] and list(worker.tmp.iterdir()) == []


def test_the_default_store_is_the_local_blob_directory(tmp_path: Path) -> None:
    from promptreel.service.core import object_store

    assert object_store(Settings(data_dir=tmp_path)) is None
    store = BlobStore(tmp_path / "files")
    src = store.tmp_path()
    src.write_bytes(b"x")
    sha, _ = store.put_file(src)
    assert store.path(sha) == tmp_path / "files" / "blobs" / sha[:2] / sha
    s3 = object_store(
        Settings(
            data_dir=tmp_path, blob_store="s3", s3_bucket="b", s3_access_key_id="k", s3_secret_access_key="s"
        )
    )
    assert isinstance(s3, S3Objects) and s3.bucket == "b"
    with pytest.raises(ValueError):
        object_store(Settings(data_dir=tmp_path, blob_store="ftp"))
