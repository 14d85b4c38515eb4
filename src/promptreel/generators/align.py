"""Forced alignment: when each written word of a known script starts in its spoken audio.

:class:`Aligner` is the seam. :class:`SphinxAligner` force-aligns English with pocketsphinx
(its wheel ships the US English acoustic model and dictionary; 10 ms resolution);
:class:`EstimateAligner` is the fake (and the fallback): words spread over the voiced audio
by length. Onsets are per written token, as :func:`~promptreel.generators.words.written_tokens`
splits the text, so they feed :func:`~promptreel.generators.words.exact_words` directly.
"""

from __future__ import annotations

import logging
import re
import threading
from math import gcd
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from promptreel.generators.spoken import spoken_forms
from promptreel.generators.words import place_words, voiced, written_tokens

__all__ = ["Aligner", "SphinxAligner", "EstimateAligner", "default_aligner", "number_words", "spoken_words"]

log = logging.getLogger(__name__)

Onsets = list[int | None]


@runtime_checkable
class Aligner(Protocol):
    def onsets(self, samples: npt.NDArray[np.float32], rate: int, text: str, lang: str) -> Onsets:
        """First sample of each written token of ``text`` in mono ``samples`` (``None``: not found)."""
        ...


class EstimateAligner:
    """No recogniser: the tokens spread over the voiced samples by their rough spoken length."""

    def onsets(self, samples: npt.NDArray[np.float32], rate: int, text: str, lang: str) -> Onsets:
        a, b = voiced(np.asarray(samples, np.float32).reshape(-1))
        kind = "zh" if lang.startswith("zh") else "en"
        words = place_words([(text, a, b, kind)], 0, 1000, 1 << 62)  # rate 1000: samples stay samples
        return [int(s) for _w, s, _e in words]


# -- English numbers as read aloud ----------------------------------------------------------

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(n: int) -> list[str]:
    """``n`` ≥ 0 as the English words the voice reads it as (years 1100–1999 in hundreds)."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (number_words(n % 100) if n % 100 else [])
    if 1100 <= n < 2000:  # as the voice reads years: nineteen hundred ninety nine
        return number_words(n // 100) + ["hundred"] + (number_words(n % 100) if n % 100 else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            return number_words(n // size) + [name] + (number_words(n % size) if n % size else [])
    return [str(n)]


def spoken_words(token: str) -> list[str]:
    """A written English token as the lower-case dictionary words it is read as."""
    t = token.lower().replace("’", "'")
    out: list[str] = []
    for m in re.finditer(r"\$?\d+(?:,\d{3})*(?:\.\d+)?(?:st|nd|rd|th)?%?|[a-z]+(?:'[a-z]+)?", t):
        w = m.group(0)
        if not w[0].isdigit() and w[0] != "$":
            out.append(w)
            continue
        money, pct = w.startswith("$"), w.endswith("%")
        w = w.strip("$%")
        ordinal = w[-2:] in ("st", "nd", "rd", "th")
        w = w[:-2] if ordinal else w
        whole, _, frac = w.replace(",", "").partition(".")
        words = number_words(int(whole)) if whole else []
        if ordinal and words:
            last = words[-1]
            words[-1] = _ORDINAL.get(last, last[:-1] + "ieth" if last.endswith("y") else last + "th")
        if frac:
            words += ["point", *(_ONES[int(c)] for c in frac)]
        out += (["dollar"] if money else []) + words + (["percent"] if pct else [])
    return out


# -- pronunciations for words the dictionary lacks (brand names, British spellings) ----------

_IPA = {
    "aɪ": "AY",
    "aʊ": "AW",
    "eɪ": "EY",
    "oʊ": "OW",
    "ɔɪ": "OY",
    "tʃ": "CH",
    "dʒ": "JH",
    "ɜː": "ER",
    "ɑː": "AA",
    "ɔː": "AO",
    "iː": "IY",
    "uː": "UW",
    "ɪɹ": "IH R",
    "ɛɹ": "EH R",
    "ʊɹ": "UH R",
    "ɚ": "ER",
    "ɝ": "ER",
    "æ": "AE",
    "ɑ": "AA",
    "ɒ": "AA",
    "ɔ": "AO",
    "ʌ": "AH",
    "ə": "AH",
    "ɐ": "AH",
    "ɛ": "EH",
    "e": "EH",
    "ɪ": "IH",
    "ᵻ": "IH",
    "i": "IY",
    "ʊ": "UH",
    "u": "UW",
    "o": "OW",
    "a": "AA",
    "b": "B",
    "d": "D",
    "ð": "DH",
    "f": "F",
    "ɡ": "G",
    "g": "G",
    "h": "HH",
    "j": "Y",
    "k": "K",
    "l": "L",
    "m": "M",
    "n": "N",
    "ŋ": "NG",
    "p": "P",
    "ɹ": "R",
    "r": "R",
    "s": "S",
    "ʃ": "SH",
    "t": "T",
    "θ": "TH",
    "v": "V",
    "w": "W",
    "z": "Z",
    "ʒ": "ZH",
    "ɾ": "T",
    "ʔ": "T",
    "x": "K",
}


def _espeak_phones(word: str) -> str | None:
    """ARPAbet phones for ``word`` from espeak-ng's English pronunciation, or ``None``."""
    import shutil
    import subprocess

    binary = shutil.which("espeak-ng")
    if binary is None:
        return None
    try:
        ipa = subprocess.run(
            [binary, "-q", "--ipa", "-v", "en-us", "--stdin"],
            input=word.encode(),
            capture_output=True,
            check=True,
            timeout=10,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return None
    ipa = re.sub(r"[ˈˌ\u0303\u0329\s_-]", "", ipa)
    phones: list[str] = []
    i = 0
    while i < len(ipa):
        for size in (2, 1):
            p = _IPA.get(ipa[i : i + size])
            if p is not None:
                if not phones or phones[-1] != p:  # espeak doubles some consonants (ɹɹ)
                    phones.append(p)
                i += size
                break
        else:
            i += 1  # length marks and symbols with no English phone
    return " ".join(phones) or None


# -- pocketsphinx -----------------------------------------------------------------------------


class SphinxAligner:
    """English forced alignment with pocketsphinx's bundled US English model.

    Words missing from its dictionary are left out of the alignment; their onsets come back
    ``None`` (the caller spreads them between their neighbours). One decoder, one alignment at
    a time.
    """

    rate = 16000

    def __init__(self) -> None:
        self._decoder: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._decoder is None:
            from pocketsphinx import Decoder

            # wide beams: the script is known, so keep every path alive (narrow beams lose long
            # or robotic-sounding sentences)
            self._decoder = Decoder(
                samprate=self.rate, bestpath=False, loglevel="FATAL", beam=1e-120, wbeam=1e-100, pbeam=1e-120
            )
        return self._decoder

    @staticmethod
    def _known(d: Any, word: str) -> bool:
        """In the dictionary, or added to it with espeak-ng's pronunciation."""
        if d.lookup_word(word):
            return True
        phones = _espeak_phones(word)
        if not phones:
            return False
        try:
            d.add_word(word, phones, True)
        except (RuntimeError, ValueError):
            return False
        return bool(d.lookup_word(word))

    def onsets(self, samples: npt.NDArray[np.float32], rate: int, text: str, lang: str) -> Onsets:
        toks = written_tokens(text, "zh" if lang.startswith("zh") else "en")
        out: Onsets = [None] * len(toks)
        x = np.asarray(samples, np.float32).reshape(-1)
        if not toks or x.size < rate // 10:
            return out
        with self._lock:
            d = self._load()
            said = spoken_forms(toks) if not lang.startswith("zh") else toks
            flat = [(w, i) for i, tok in enumerate(said) for w in spoken_words(tok) if self._known(d, w)]
            if not flat:
                return out
            g = gcd(int(rate), self.rate)
            y = resample_poly(x, self.rate // g, int(rate) // g) if rate != self.rate else x
            pcm = (np.clip(y / max(1e-9, float(np.abs(y).max())) * 0.9, -1, 1) * 32767).astype("<i2")
            try:
                d.set_align_text(" ".join(w for w, _i in flat))
                d.start_utt()
                d.process_raw(pcm.tobytes(), full_utt=True)
                d.end_utt()
                segs = [(re.sub(r"\(\d+\)$", "", s.word), s.start_frame) for s in d.seg() or ()]
            except RuntimeError as exc:  # alignment found no path through the audio
                log.info("alignment failed: %s", exc)
                segs = []
            if not segs:
                self._decoder = None  # a failed search can leave the decoder unusable
                return out
        frame = int(rate) // 100  # pocketsphinx frames are 10 ms
        k = 0
        for word, start in segs:
            if word.startswith(("<", "[")) or k >= len(flat):
                continue
            if word == flat[k][0]:
                i = flat[k][1]
                onset = start * frame
                out[i] = onset if out[i] is None else min(out[i] or 0, onset)
                k += 1
        return out


_default: Aligner | None = None
_default_lock = threading.Lock()


def default_aligner() -> Aligner:
    """pocketsphinx when it is installed, else the estimate (shared by every engine)."""
    global _default
    with _default_lock:
        if _default is None:
            try:
                import pocketsphinx  # noqa: F401

                _default = SphinxAligner()
            except ImportError:
                log.warning("pocketsphinx is not installed: word timings are estimated")
                _default = EstimateAligner()
        return _default
