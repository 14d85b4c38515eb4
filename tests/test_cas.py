"""The one content-addressed store (promptreel.cas) that uploads, the generator cache and the
chunk cache keep their files in: layout, atomic writes, corrupt entries as misses, LRU trim."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from promptreel.cas import ContentStore, sha256_file


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_entries_live_at_root_shard_key_ext(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "s", ext="mp4")
    key = _sha(b"x")
    assert store.path(key) == tmp_path / "s" / key[:2] / f"{key}.mp4"
    assert store.path(key, "") == tmp_path / "s" / key[:2] / key
    assert store.get(key) is None and store.read(key) is None
    assert store.write(key, b"x") == store.path(key)
    assert store.read(key) == b"x" and store.get(key) == store.path(key)
    assert store.exists(key) and not store.exists(key, "npz")


@pytest.mark.parametrize("bad", ["", "../etc", "a/b", "a.b", "x" * 200, "é"])
def test_a_key_is_one_safe_path_component(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        ContentStore(tmp_path).path(bad)


def test_a_failed_write_leaves_neither_entry_nor_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ContentStore(tmp_path)
    key = _sha(b"old")
    store.write(key, b"old")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        store.write(key, b"new")
    src = tmp_path / "src"
    src.write_bytes(b"new")
    with pytest.raises(OSError):
        store.put(key, src)
    monkeypatch.undo()
    assert store.read(key) == b"old"  # the old entry is intact, never half-replaced
    assert [p.name for p in store.path(key).parent.iterdir()] == [key]


def test_readers_never_see_a_torn_entry(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    big_a, big_b = b"a" * 3_000_000, b"b" * 3_000_000
    key = "k1"
    store.write(key, big_a)
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            data = store.read(key)
            assert data is not None
            seen.add(len(set(data)))

    t = threading.Thread(target=read)
    t.start()
    for i in range(20):
        store.write(key, big_b if i % 2 else big_a)
    stop.set()
    t.join()
    assert seen == {1}  # always all a's or all b's


def test_empty_unreadable_or_mismatched_entries_are_misses(tmp_path: Path) -> None:
    store = ContentStore(tmp_path, verify=True)
    key = _sha(b"content")
    store.path(key).parent.mkdir(parents=True)
    store.path(key).write_bytes(b"")  # a crash before any byte landed
    assert store.get(key) is None and store.read(key) is None
    store.path(key).write_bytes(b"bit rot")
    assert store.read(key) is None and not store.path(key).exists()  # dropped, to be made again
    store.write(key, b"content")
    assert store.read(key) == b"content"
    store.path(key).unlink()
    store.path(key).mkdir()  # something unreadable as a file
    assert store.read(key) is None


def test_put_moves_or_copies_and_keep_drops_a_duplicate(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "s")
    src = tmp_path / "a.bin"
    src.write_bytes(b"body")
    key, size = sha256_file(src)
    assert (key, size) == (_sha(b"body"), 4)
    store.put(key, src)  # copy
    assert src.exists() and store.read(key) == b"body"
    first = store.path(key).stat().st_ino
    src.write_bytes(b"body")
    store.put(key, src, move=True, keep=True)
    assert not src.exists() and store.path(key).stat().st_ino == first
    other = tmp_path / "b.bin"
    other.write_bytes(b"new")
    store.put("k2", other, move=True)
    assert not other.exists() and store.read("k2") == b"new"
    with pytest.raises(FileNotFoundError):
        store.put("k3", tmp_path / "gone", move=True)


def test_trim_removes_least_recently_used_until_it_fits(tmp_path: Path) -> None:
    store = ContentStore(tmp_path, ext="bin", max_bytes=2500)
    for i, key in enumerate(("aa1", "bb2", "cc3")):
        store.write(key, b"\0" * 1000)
        os.utime(store.path(key), ns=(10**18 + i, 10**18 + i))  # written in this order
    assert store.get("aa1") is not None  # a hit marks it used: now the most recent
    (tmp_path / "bb" / ".tmp-leftover.bin").write_bytes(b"\0" * 5000)  # never counted as an entry
    assert sorted(p.name for p in store.entries()) == ["aa1.bin", "bb2.bin", "cc3.bin"]
    assert store.trim() == 1000
    assert store.get("bb2") is None and store.get("aa1") and store.get("cc3")
    assert store.trim(0) == 2000 and list(store.entries()) == []
    stale = tmp_path / "cc" / ".tmp-crashed.bin"
    stale.write_bytes(b"x")
    os.utime(stale, (1, 1))
    assert store.clean_tmp(older_than_s=3600) == 1 and not stale.exists()  # a writer at work keeps its file
    assert store.clean_tmp() == 1
    assert ContentStore(tmp_path / "none").trim(0) == 0


def test_without_max_bytes_a_hit_does_not_touch_the_entry(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    store.write("k1", b"x")
    os.utime(store.path("k1"), ns=(10**18, 10**18))
    assert store.get("k1") is not None
    assert store.path("k1").stat().st_mtime_ns == 10**18
    assert store.trim() == 0  # not a cache: never trimmed


def test_the_three_users_keep_their_layouts_so_existing_caches_still_hit(tmp_path: Path) -> None:
    from promptreel.generators.cache import DiskCache
    from promptreel.render.chunk_cache import ChunkCache
    from promptreel.storage.files import BlobStore

    key = _sha(b"made before the store was shared")
    old = tmp_path / "gen" / "svg" / key[:2] / f"{key}.svg"  # written by an older release
    old.parent.mkdir(parents=True)
    old.write_text("<svg/>")
    assert DiskCache(tmp_path / "gen").get_text("svg", key, "svg") == "<svg/>"
    chunk = tmp_path / "chunks" / key[:2] / f"{key}.mp4"
    chunk.parent.mkdir(parents=True)
    chunk.write_bytes(b"mp4")
    assert ChunkCache(tmp_path / "chunks").get(key) == chunk
    blob = tmp_path / "files" / "blobs" / key[:2] / key
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"blob")
    store = BlobStore(tmp_path / "files")
    assert store.exists(key) and store.path(key) == blob
