"""Choosing the engine and voice for a language and a wish (:class:`SpeechRouter`)."""

from __future__ import annotations

import logging
import threading

from promptreel.clip import AudioClip
from promptreel.errors import GenerationFailed, InvalidRequest
from promptreel.generators.base import Word
from promptreel.generators.kokoro_zh import KokoroMandarin
from promptreel.generators.speech.espeak import EspeakSpeech
from promptreel.generators.speech.piper import PiperSpeech
from promptreel.generators.speech.text import lang_of, speakable
from promptreel.generators.speech.voices import Engine, VoiceInfo, installed_piper_voices, list_voices

__all__ = ["SpeechRouter"]

log = logging.getLogger(__name__)

_GENDER_WORDS = {
    "female": "female",
    "woman": "female",
    "women": "female",
    "girl": "female",
    "女": "female",
    "女声": "female",
    "male": "male",
    "man": "male",
    "men": "male",
    "boy": "male",
    "男": "male",
    "男声": "male",
}


class SpeechRouter:
    """Chooses an engine by ``lang`` and ``voice``; engines are built lazily and shared.

    ``voice`` may be empty (the language's default), a voice id (``"en_US-joe-medium"``,
    ``"cmn+f3"``) or a wish such as ``"female"``/``"女声"``. An unknown voice falls back to the
    default with a warning; :meth:`resolve` with ``strict=True`` raises instead, with the
    available voices in the message (for the agent to report).
    """

    def __init__(self, *, default_en: str = "", default_zh: str = "") -> None:
        self._voices = list_voices()
        self._piper = {v.id: (m, c) for v, m, c in installed_piper_voices()}
        self.default_en = default_en if any(v.id == default_en for v in self._voices) else ""
        self.default_zh = default_zh if any(v.id == default_zh for v in self._voices) else ""
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()

    def voices(self, lang: str | None = None) -> list[VoiceInfo]:
        return [v for v in self._voices if lang is None or v.lang == lang]

    def list_voices(self) -> list[VoiceInfo]:
        """Every installed voice (what "use a female voice" can choose from)."""
        return list(self._voices)

    def resolve(self, lang: str, voice: str = "", *, strict: bool = False) -> VoiceInfo:
        lang = "zh" if (lang or "en").lower().startswith(("zh", "cmn")) else "en"
        options = self.voices(lang)
        if not options:
            raise GenerationFailed(f"No voice installed for language {lang!r}.")
        default_id = self.default_en if lang == "en" else self.default_zh
        default = next((v for v in options if v.id == default_id), options[0])
        wish = (voice or "").strip()
        if not wish:
            return default
        for v in self._voices:
            if v.id.lower() == wish.lower():
                if v.lang == lang:
                    return v
                if strict:
                    return self._mismatch(v, lang, options)
                # the script's language wins: an English voice cannot read Chinese; keep gender
                same = _by_engine([o for o in options if o.gender == v.gender], default)
                log.warning("voice %s does not speak %s; using %s", v.id, lang, (same or [default])[0].id)
                return (same or [default])[0]
        gender = _GENDER_WORDS.get(wish.lower())
        if gender:
            match = _by_engine([v for v in options if v.gender == gender], default)
            if match:
                return match[0]
            if strict:
                raise InvalidRequest(
                    f"No {gender} voice is installed for {lang}; available: {_describe(options)}."
                )
            log.warning("no %s voice for %s; using %s", gender, lang, default.id)
            return default
        if strict:
            raise InvalidRequest(f"Unknown voice {wish!r}; available for {lang}: {_describe(options)}.")
        log.warning("unknown voice %r; using %s", wish, default.id)
        return default

    @staticmethod
    def _mismatch(v: VoiceInfo, lang: str, options: list[VoiceInfo]) -> VoiceInfo:
        raise InvalidRequest(f"Voice {v.id} speaks {v.lang}, not {lang}; available: {_describe(options)}.")

    def engine(self, info: VoiceInfo) -> Engine:
        with self._lock:
            eng = self._engines.get(info.id)
            if eng is None:
                if info.engine == "piper":
                    model, config = self._piper[info.id]
                    eng = PiperSpeech(model, config, voice_id=info.id)
                elif info.engine == "kokoro":
                    eng = KokoroMandarin(info.id)
                else:
                    variant = info.id.partition("+")[2]
                    eng = EspeakSpeech(lang=info.lang, variant=variant, voice_id=info.id)
                self._engines[info.id] = eng
            return eng

    def version(self, lang: str, voice: str = "") -> str:
        """Identifies the output for ``(lang, voice)``: changes when the engine or voice does."""
        return self.engine(self.resolve(lang, voice)).version

    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip:
        return self.synthesize_timed(text, lang=lang, voice=voice, speed=speed)[0]

    def synthesize_timed(
        self, text: str, *, lang: str, voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]:
        """The clip and ``[(word, start_ms, end_ms), …]`` for captions (see ``WordTimings``)."""
        text = speakable(text)
        if lang_of(text) == "zh" and not (lang or "").lower().startswith(("zh", "cmn")):
            lang, voice = (
                "zh",
                voice if _GENDER_WORDS.get(voice.lower()) else "",
            )  # English voices can't read Chinese
        info = self.resolve(lang, voice)
        return self.engine(info).synthesize_timed(text, lang=info.lang, voice=info.id, speed=speed)


def _by_engine(options: list[VoiceInfo], default: VoiceInfo) -> list[VoiceInfo]:
    """``options`` with the default voice first, then those of the default's engine."""
    return sorted(options, key=lambda o: (o.id != default.id, o.engine != default.engine))


def _describe(options: list[VoiceInfo]) -> str:
    return ", ".join(f"{v.id} ({v.gender}, {v.quality})" for v in options)
