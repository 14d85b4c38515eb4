"""Offline text-to-speech: Piper neural voices for English (:mod:`.piper`); Mandarin by Kokoro-82M
(the ``kokoro-zh`` extra, :mod:`~promptreel.generators.kokoro_zh`) or espeak-ng (:mod:`.espeak`).

``SpeechRouter`` (:mod:`.router`) is the :class:`~promptreel.generators.base.Speech` most code
wants: it picks an engine by ``lang`` and ``voice`` (an id from :func:`list_voices`, or a wish
such as ``"female"``), and every engine returns a mono float32 :class:`AudioClip`, lightly
trimmed and peak-normalised.
"""

from __future__ import annotations

from promptreel.generators.base import Word
from promptreel.generators.speech.espeak import EspeakSpeech, MandarinStyle
from promptreel.generators.speech.piper import PiperSpeech
from promptreel.generators.speech.router import SpeechRouter
from promptreel.generators.speech.text import estimate_words, lang_of, speakable
from promptreel.generators.speech.voices import VoiceInfo, list_voices
from promptreel.generators.speech_common import PEAK, finish_speech

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
