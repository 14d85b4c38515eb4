"""Speech by espeak-ng (:class:`EspeakSpeech`): Mandarin through pypinyin into the
``cmn-latn-pinyin`` voice, English, and the Latin runs inside Chinese text."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip
from promptreel.errors import GenerationFailed
from promptreel.generators import speech_common
from promptreel.generators.base import Word
from promptreel.generators.espeak_lib import espeak_library
from promptreel.generators.spoken import say, spoken_offsets
from promptreel.generators.words import exact_words, pinyin_map, to_pinyin, token_offsets
from promptreel.language import CJK_TEXT

__all__ = ["EspeakSpeech", "MandarinStyle", "espeak_binary"]

log = logging.getLogger(__name__)

_PAUSE_MS = speech_common.PAUSE_MS
_VERSION = speech_common.SPEECH_VERSION
_finish = speech_common.finish_with_offset
_silence = speech_common.silence
_check_speed = speech_common.check_speed

_CJK = CJK_TEXT
_CLAUSES = re.compile(r"(?<=[，。！？；：、,.!?;:])")
_RUNS = re.compile(r"([A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*)|([^A-Za-z]+)")


@lru_cache(maxsize=1)
def espeak_binary() -> str | None:
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
        binary = espeak_binary()
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
            return [(self._voice("en-us"), say(text), text)] if text else []
        if not self.pinyin:
            return [(self._voice("cmn"), text, text)] if text else []
        out: list[tuple[str, str, str]] = []
        for m in _RUNS.finditer(text):
            latin, other = m.group(1), m.group(2)
            if latin:
                out.append((self._voice("en-us"), say(latin), latin))
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
        offsets = token_offsets(spoken, "en") if spoken == written else spoken_offsets(written)[1]
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
