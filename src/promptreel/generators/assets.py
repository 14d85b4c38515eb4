"""``LocalAssets``: the renderer's :class:`~promptreel.render.assets.Assets`, built from the
generators and a content-addressed disk cache, so re-rendering after an edit only synthesises
what changed.
"""

from __future__ import annotations

import logging
import threading
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from promptreel.clip import AudioClip, AudioStream, ClipStream, RampedStream, Ramps
from promptreel.draft import Segment
from promptreel.errors import GenerationFailed, NotFound, UnsupportedFile
from promptreel.generators.base import Illustrations, Music, Speech, Word, WordTimings
from promptreel.generators.cache import CachedMusic, CachedSpeech, DiskCache
from promptreel.generators.music import style_name
from promptreel.language import has_cjk
from promptreel.media_refs import MediaResolver, no_media

__all__ = ["LocalAssets", "read_wav"]

AudioLoader = Callable[[Path], AudioClip]

log = logging.getLogger(__name__)


def read_wav(path: Path) -> AudioClip:
    """PCM WAV (8/16/24/32-bit) → float32 :class:`AudioClip`. Other formats need a loader."""
    try:
        with wave.open(str(path), "rb") as w:
            rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise UnsupportedFile(f"Cannot read {path.name} as WAV audio: {exc}") from exc
    if width == 1:
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    elif width == 2:
        x = np.frombuffer(raw, "<i2").astype(np.float32) / 32768
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3)
        v = (
            b[:, 0].astype(np.int32) | (b[:, 1].astype(np.int32) << 8) | (b[:, 2].astype(np.int32) << 16)
        ) << 8
        x = (v >> 8).astype(np.float32) / 8388608
    else:
        x = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648
    return AudioClip(np.ascontiguousarray(x.reshape(-1, channels)), rate)


def _load_audio(path: Path) -> AudioClip:
    if path.suffix.lower() in (".wav", ".wave"):
        return read_wav(path)
    raise UnsupportedFile(f"{path.name}: only WAV can be read without an audio loader.")


def _fade(clip: AudioClip, fade_in_ms: int, fade_out_ms: int) -> AudioClip:
    if fade_in_ms <= 0 and fade_out_ms <= 0:
        return clip
    x = np.array(clip.samples, dtype=np.float32, copy=True)
    n = x.shape[0]
    fi = min(n, clip.rate * max(0, fade_in_ms) // 1000)
    fo = min(n, clip.rate * max(0, fade_out_ms) // 1000)
    if fi:
        x[:fi] *= np.linspace(0.0, 1.0, fi, dtype=np.float32)[:, None]
    if fo:
        x[n - fo :] *= np.linspace(1.0, 0.0, fo, dtype=np.float32)[:, None]
    return AudioClip(x, clip.rate)


def _fade_ramps(n: int, rate: int, fade_in_ms: int, fade_out_ms: int) -> Ramps:
    """The gains :func:`_fade` multiplies a clip of ``n`` samples by, as ramps."""
    fi = min(n, rate * max(0, fade_in_ms) // 1000)
    fo = min(n, rate * max(0, fade_out_ms) // 1000)
    ramps = []
    if fi:
        ramps.append((0, np.linspace(0.0, 1.0, fi, dtype=np.float32)))
    if fo:
        ramps.append((n - fo, np.linspace(1.0, 0.0, fo, dtype=np.float32)))
    return tuple(ramps)


def _music_style(segment: Segment) -> str:
    """The segment's music style; a render never fails on an unknown mood word (calm then)."""
    style = str(segment.meta.get("style") or segment.meta.get("mood") or "calm")
    if style_name(style) is None:
        log.warning("unknown music style %r; using calm", style)
        style = "calm"
    return style


class LocalAssets:
    """Resolves a draft's references into media using injected engines.

    * ``voice(segment)``: ``meta.text`` spoken with ``meta.voice``/``speed``/``lang`` (cached),
      or the uploaded audio at ``meta.src``/``media_id``.
    * ``music(segment)``: ``meta.style`` (or ``mood``), ``seed``, ``tempo``, for the segment's
      duration (cached); ``meta.fade_in``/``fade_out`` (ms) are applied here.
    * ``illustration(name)``: SVG text of an illustration id.
    * ``media_path(ref)``: ``media_resolver(ref)`` and nothing else: the resolver the service
      layer injects decides which files a draft may name (none without one; see
      :mod:`promptreel.media_refs`).

    ``audio_loader`` decodes uploaded audio files (the renderer can pass its PyAV decoder);
    the default reads WAV. ``cache=None`` disables the disk cache (fakes in tests).
    """

    def __init__(
        self,
        *,
        speech: Speech,
        music: Music,
        illustrations: Illustrations,
        cache: DiskCache | None = None,
        media_resolver: MediaResolver | None = None,
        audio_loader: AudioLoader | None = None,
        speech_rate: float = 1.0,
    ) -> None:
        self.speech: Speech = speech
        self.music_engine: Music = music
        if cache is not None:  # wrap once, even if the caller already did
            if not isinstance(speech, CachedSpeech):
                self.speech = CachedSpeech(speech, cache)
            if not isinstance(music, CachedMusic):
                self.music_engine = CachedMusic(music, cache)
        self.illustrations = illustrations
        self.cache = cache
        self.media_resolver: MediaResolver = media_resolver or no_media
        self.audio_loader = audio_loader or _load_audio
        self.speech_rate = speech_rate
        self._svg: dict[str, str | None] = {}
        self._svg_lock = threading.Lock()

    # speech ------------------------------------------------------------------
    def speak(self, text: str, *, lang: str = "", voice: str = "", speed: float = 0.0) -> AudioClip:
        """Cached narration for ``text`` (``lang`` guessed from the script when empty)."""
        lang = lang or ("zh" if has_cjk(text) else "en")
        return self.speech.synthesize(text, lang=lang, voice=voice, speed=float(speed or self.speech_rate))

    def speak_timed(
        self, text: str, *, lang: str = "", voice: str = "", speed: float = 0.0
    ) -> tuple[AudioClip, list[Word]]:
        """:meth:`speak` plus ``[(word, start_ms, end_ms), …]`` in the clip, for captions."""
        lang = lang or ("zh" if has_cjk(text) else "en")
        rate = float(speed or self.speech_rate)
        if isinstance(self.speech, WordTimings):
            return self.speech.synthesize_timed(text, lang=lang, voice=voice, speed=rate)
        from promptreel.generators.speech import estimate_words

        clip = self.speech.synthesize(text, lang=lang, voice=voice, speed=rate)
        return clip, estimate_words(text, clip, lang)

    def voice(self, segment: Segment) -> AudioClip:
        m = segment.meta
        text = str(m.get("text", "") or "")
        if text.strip():
            return self.speak(
                text,
                lang=str(m.get("lang", "") or ""),
                voice=str(m.get("voice", "") or ""),
                speed=float(m.get("speed", 0) or 0),
            )
        return self._uploaded_audio(segment)

    # music -------------------------------------------------------------------
    def music(self, segment: Segment) -> AudioClip:
        m = segment.meta
        if (m.get("src") or m.get("media_id")) and not m.get("style"):
            clip = self._uploaded_audio(segment)
        else:
            clip = self.music_engine.compose(
                style=_music_style(segment),
                duration_ms=int(segment.duration),
                seed=int(m.get("seed", 0) or 0),
                tempo=int(m.get("tempo", 0) or 0),
            )
        return _fade(clip, int(m.get("fade_in", 0) or 0), int(m.get("fade_out", 0) or 0))

    def music_stream(self, segment: Segment) -> AudioStream:
        """:meth:`music` read a piece at a time: the same samples, but generated music is read
        from its (cached) bed as it is needed, never held whole however long the segment."""
        m = segment.meta
        compose_stream = getattr(self.music_engine, "compose_stream", None)
        if ((m.get("src") or m.get("media_id")) and not m.get("style")) or compose_stream is None:
            return ClipStream(self.music(segment))
        stream: AudioStream = compose_stream(
            style=_music_style(segment),
            duration_ms=int(segment.duration),
            seed=int(m.get("seed", 0) or 0),
            tempo=int(m.get("tempo", 0) or 0),
        )
        fades = int(m.get("fade_in", 0) or 0), int(m.get("fade_out", 0) or 0)
        return RampedStream(stream, _fade_ramps(stream.frames, stream.rate, *fades)) if any(fades) else stream

    def _uploaded_audio(self, segment: Segment) -> AudioClip:
        return self.audio_loader(self._uploaded_path(segment))

    def _uploaded_path(self, segment: Segment) -> Path:
        ref = str(segment.meta.get("media_id") or segment.meta.get("src") or "")
        if not ref:
            raise GenerationFailed(f"Segment {segment.id} has neither text nor an audio source.")
        path = self.media_path(ref)
        if path is None and segment.meta.get("src"):
            path = self.media_path(str(segment.meta["src"]))
        if path is None:
            raise NotFound(f"Audio {ref[:100]!r} for segment {segment.id} is not one of the available media.")
        return path

    # the soundtrack cache ------------------------------------------------------
    def sound_key(self, segment: Segment) -> str | None:
        """What ``segment``'s audio is made from, as a key (see :class:`~promptreel.render.assets.SoundKeys`):
        the speech or music cache key (engine version, voice, text, style, seed, length) or the
        uploaded file's path, size and time; ``None`` without a cache (engines' output unknown)."""
        m = segment.meta
        text = str(m.get("text", "") or "")
        if segment.kind == "voice" and text.strip() and isinstance(self.speech, CachedSpeech):
            lang = str(m.get("lang", "") or "") or ("zh" if has_cjk(text) else "en")
            rate = float(m.get("speed", 0) or 0) or self.speech_rate
            return self.speech.key(text, lang=lang, voice=str(m.get("voice", "") or ""), speed=rate)
        uploaded = bool(m.get("src") or m.get("media_id"))
        if segment.kind == "music" and not (uploaded and not m.get("style")):
            if not isinstance(self.music_engine, CachedMusic):
                return None
            return self.music_engine.key(
                style=_music_style(segment),
                duration_ms=int(segment.duration),
                seed=int(m.get("seed", 0) or 0),
                tempo=int(m.get("tempo", 0) or 0),
            )
        if not uploaded:
            return None
        try:
            path = self._uploaded_path(segment)
            st = path.stat()
        except (GenerationFailed, NotFound, OSError):
            return None
        return f"file:{path}:{st.st_size}:{st.st_mtime_ns}"

    # illustrations and media ----------------------------------------------------
    def illustration(self, name: str) -> str | None:
        if not name:
            return None
        with self._svg_lock:
            if name in self._svg:
                return self._svg[name]
        svg = self.illustrations.svg(name)
        with self._svg_lock:
            self._svg[name] = svg
        return svg

    def media_path(self, media_id: str) -> Path | None:
        if not media_id:
            return None
        found = self.media_resolver(str(media_id))
        return Path(found) if found is not None else None
