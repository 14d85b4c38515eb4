"""Content-addressed disk cache for generated assets (audio clips, SVG, embeddings, …).

Keys are the sha256 of the canonical JSON of everything that determines the output, engine
and voice versions included, so an edit only regenerates what actually changed. Entries live in
:class:`promptreel.cas.ContentStore` (atomic writes); a corrupt entry reads as a miss and is
regenerated.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from promptreel.cas import ContentStore
from promptreel.clip import AudioClip, AudioStream, ClipStream
from promptreel.generators.base import Music, MusicBeds, Speech, Word, WordTimings

__all__ = ["DiskCache", "CachedSpeech", "CachedMusic", "content_key"]

log = logging.getLogger(__name__)


def content_key(*parts: Any) -> str:
    """sha256 hex of the canonical JSON of ``parts`` (dict order does not matter)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class DiskCache:
    """Files under ``root/<kind>/<key[:2]>/<key>.<ext>``: one :class:`~promptreel.cas.ContentStore`
    per kind of asset."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._stores: dict[str, ContentStore] = {}

    def store(self, kind: str) -> ContentStore:
        found = self._stores.get(kind)
        if found is None:
            if not kind or "/" in kind or kind.startswith("."):
                raise ValueError("not a cache kind")
            found = self._stores.setdefault(kind, ContentStore(self.root / kind))
        return found

    def path(self, kind: str, key: str, ext: str) -> Path:
        return self.store(kind).path(key, ext)

    # bytes ----------------------------------------------------------------
    def get_bytes(self, kind: str, key: str, ext: str = "bin") -> bytes | None:
        return self.store(kind).read(key, ext)

    def put_bytes(self, kind: str, key: str, data: bytes, ext: str = "bin") -> Path:
        return self.store(kind).write(key, data, ext)

    # text / json -------------------------------------------------------------
    def get_text(self, kind: str, key: str, ext: str = "txt") -> str | None:
        data = self.get_bytes(kind, key, ext)
        return None if data is None else data.decode("utf-8")

    def put_text(self, kind: str, key: str, text: str, ext: str = "txt") -> Path:
        return self.put_bytes(kind, key, text.encode("utf-8"), ext)

    def get_json(self, kind: str, key: str) -> Any:
        text = self.get_text(kind, key, "json")
        try:
            return None if text is None else json.loads(text)
        except ValueError:
            return None

    def put_json(self, kind: str, key: str, value: Any) -> Path:
        return self.put_text(kind, key, json.dumps(value, ensure_ascii=False), "json")

    # arrays / audio -----------------------------------------------------------
    def get_array(self, kind: str, key: str) -> np.ndarray | None:
        data = self.get_bytes(kind, key, "npy")
        if data is None:
            return None
        try:
            arr: np.ndarray = np.load(io.BytesIO(data), allow_pickle=False)
            return arr
        except (ValueError, OSError, EOFError):
            log.warning("corrupt cache entry %s/%s; regenerating", kind, key)
            return None

    def put_array(self, kind: str, key: str, array: np.ndarray) -> Path:
        buf = io.BytesIO()
        np.save(buf, array, allow_pickle=False)
        return self.put_bytes(kind, key, buf.getvalue(), "npy")

    def get_audio(self, key: str) -> AudioClip | None:
        data = self.get_bytes("audio", key, "npz")
        if data is None:
            return None
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                samples = np.ascontiguousarray(z["samples"], dtype=np.float32)
                rate = int(z["rate"])
        except (ValueError, OSError, KeyError, EOFError):
            log.warning("corrupt cached audio %s; regenerating", key)
            return None
        if samples.ndim != 2 or rate <= 0:
            return None
        return AudioClip(samples, rate)

    def put_audio(self, key: str, clip: AudioClip) -> Path:
        buf = io.BytesIO()
        np.savez(buf, samples=np.asarray(clip.samples, dtype=np.float32), rate=np.int64(clip.rate))
        return self.put_bytes("audio", key, buf.getvalue(), "npz")


class _KeyLocks:
    """One lock per key, so two threads asking for the same asset synthesise it once."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


def _version(engine: object, *args: Any) -> str:
    fn = getattr(engine, "version", None)
    if callable(fn):
        return str(fn(*args))
    return str(fn) if fn else type(engine).__qualname__


class CachedSpeech:
    """A :class:`Speech` that remembers every clip on disk (and the last few in memory)."""

    def __init__(self, engine: Speech, cache: DiskCache, *, memory: int = 64) -> None:
        self.engine = engine
        self.cache = cache
        self._mem: dict[str, AudioClip] = {}
        self._memory = memory
        self._locks = _KeyLocks()

    def key(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> str:
        version = _version(self.engine, lang, voice)
        resolve = getattr(self.engine, "resolve", None)
        if callable(resolve):  # "" / "female" / the default's id are the same voice: one entry
            try:
                info = resolve(lang, voice)
                lang, voice = str(getattr(info, "lang", lang)), str(getattr(info, "id", voice))
            except Exception:  # an unresolvable voice is the engine's error to raise
                pass
        return content_key("speech", version, text.strip(), lang, voice, round(float(speed or 1.0), 3))

    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip:
        return self.synthesize_timed(text, lang=lang, voice=voice, speed=speed)[0]

    def synthesize_timed(
        self, text: str, *, lang: str, voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]:
        """The cached clip and its word timings (estimated when the engine gives none)."""
        key = self.key(text, lang=lang, voice=voice, speed=speed)
        words: list[Word] = []

        def make() -> AudioClip:
            nonlocal words
            if isinstance(self.engine, WordTimings):
                clip, words = self.engine.synthesize_timed(text, lang=lang, voice=voice, speed=speed)
                self.cache.put_json("words", key, [list(w) for w in words])
                return clip
            return self.engine.synthesize(text, lang=lang, voice=voice, speed=speed)

        clip = _cached(self, key, make)
        if not words:
            stored = self.cache.get_json("words", key)
            if isinstance(stored, list) and all(isinstance(w, list) and len(w) == 3 for w in stored):
                words = [(str(w[0]), int(w[1]), int(w[2])) for w in stored]
            else:
                from promptreel.generators.speech import estimate_words

                words = estimate_words(text, clip, lang)
        return clip, words


class CachedMusic:
    """A :class:`Music` cached on disk by (engine version, style, seed, tempo, duration)."""

    def __init__(self, engine: Music, cache: DiskCache, *, memory: int = 8) -> None:
        self.engine = engine
        self.cache = cache
        self._mem: dict[str, AudioClip] = {}
        self._memory = memory
        self._locks = _KeyLocks()

    def key(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> str:
        return content_key("music", _version(self.engine), style, int(duration_ms), int(seed), int(tempo))

    def compose(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        key = self.key(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo)
        return _cached(
            self,
            key,
            lambda: self.engine.compose(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo),
        )

    def compose_stream(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioStream:
        """:meth:`compose` read a piece at a time. With an engine that makes its music from a
        bed (:class:`MusicBeds`) the bed is what is cached, so neither memory nor the cache
        grows with the length; other engines' music is cached whole."""
        engine = self.engine
        if not isinstance(engine, MusicBeds):
            return ClipStream(self.compose(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo))
        ms = engine.bed_ms(duration_ms)
        key = content_key("music-bed", _version(engine), style, int(ms), int(seed), int(tempo))
        bed = _cached(
            self, key, lambda: engine.bed(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo)
        )
        return engine.stream(bed, duration_ms)


def _cached(owner: CachedSpeech | CachedMusic, key: str, make: Any) -> AudioClip:
    clip = owner._mem.get(key)
    if clip is not None:
        return clip
    with owner._locks(key):
        clip = owner._mem.get(key) or owner.cache.get_audio(key)
        if clip is None:
            clip = make()
            assert isinstance(clip, AudioClip)
            owner.cache.put_audio(key, clip)
        if len(owner._mem) >= owner._memory:
            owner._mem.pop(next(iter(owner._mem)))
        owner._mem[key] = clip
        return clip
