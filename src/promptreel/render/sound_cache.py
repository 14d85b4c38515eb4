"""Finished soundtracks kept by content key, so a re-render after an edit that leaves the sound
alone (a title, a caption colour, a scene's picture) neither mixes nor masters nor encodes again.

A soundtrack's key is the sha256 of everything that decides its samples: the sound code's own
source, the audio settings (rate, bitrate, loudness target, peak ceiling and its oversampling),
the draft's length, and every audio track (its role, flags and meta) with every segment's kind,
timing and meta and the key of the audio it resolves to (:class:`SoundKeys`: the speech or music
engine's cache key, or an uploaded file's size and time). Visual tracks are left out, and so is
anything an asset cannot key: then nothing is cached.

Entries are the encoded AAC packets (``EncodedAudio.from_bytes``) in a
:class:`promptreel.cas.ContentStore`, written atomically once the encode has finished, trimmed
by least recent use; an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from promptreel.cas import ContentStore
from promptreel.draft import Draft, TrackType
from promptreel.render.assets import Assets, SoundKeys
from promptreel.render.audio import soundtrack
from promptreel.render.avio import EncodedAudio
from promptreel.render.chunk_cache import json_value
from promptreel.render.options import RenderOptions

__all__ = ["encoded_soundtrack", "sound_key"]

log = logging.getLogger(__name__)

#: the sources that decide a soundtrack's samples and packets
_SOURCES = ("audio.py", "master.py", "avio/reading.py", "avio/soundtrack.py", "sound_cache.py")
MAX_BYTES = 512 * 2**20


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        h.update(name.encode())
        h.update((here / name).read_bytes())
    return h.hexdigest()


def sound_key(draft: Draft, assets: Assets, options: RenderOptions) -> str | None:
    """The content key of ``draft``'s soundtrack, or ``None`` when an asset cannot be keyed."""
    if not isinstance(assets, SoundKeys):
        return None
    tracks: list[Any] = []
    for track in draft.tracks:
        if track.type != TrackType.AUDIO:
            continue
        segments: list[Any] = []
        for seg in track.segments:
            key = assets.sound_key(seg)
            if key is None:
                return None
            segments.append([seg.kind, seg.start, seg.duration, json_value(seg.meta), key])
        tracks.append([track.role, track.hidden, json_value(track.meta), segments])
    settings = [
        options.audio_rate,
        options.audio_bitrate,
        options.loudness_lufs,
        options.true_peak_db,
        options.true_peak_oversample,
        options.loudness_tolerance_lu,
    ]
    blob = json.dumps(
        [_fingerprint(), settings, draft.duration, tracks], sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def encoded_soundtrack(draft: Draft, assets: Assets, options: RenderOptions) -> EncodedAudio:
    """``draft``'s soundtrack encoded (see :func:`promptreel.render.audio.soundtrack`): read back
    from ``options.sound_cache`` when it holds it, else mixed and encoded on a thread (while the
    frames are drawn) and kept there for the next render."""
    key = sound_key(draft, assets, options) if options.sound_cache else None
    store = ContentStore(options.sound_cache, ext="aac", max_bytes=MAX_BYTES) if key else None
    if store is not None and key is not None:
        data = store.read(key)
        if data is not None:
            try:
                return EncodedAudio.from_bytes(data)
            except ValueError:
                log.warning("cached soundtrack %s is unreadable; mixing it again", key[:12])
                store.delete(key)

    def keep(data: bytes) -> None:
        if store is None or key is None:
            return
        try:
            store.write(key, data)
            store.trim()
        except OSError as exc:  # a full disk never fails the render
            log.warning("could not keep the soundtrack: %s", exc)

    return EncodedAudio.in_background(
        lambda: soundtrack(draft, assets, options.audio_rate, options),
        options.audio_rate,
        options.audio_bitrate,
        keep=keep if store is not None else None,
    )
