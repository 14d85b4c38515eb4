"""Fast deterministic stand-ins for the generators, for tests anywhere in the project.

They honour the same Protocols and the same shapes as the real engines (mono speech,
stereo 48 kHz music, SVG documents), and count their calls so tests can assert on caching.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

import numpy as np

from promptreel.clip import AudioClip
from promptreel.language import count_cjk, has_cjk
from promptreel.timecode import ms_to_samples

if TYPE_CHECKING:
    from promptreel.generators.assets import LocalAssets

__all__ = ["FakeSpeech", "FakeMusic", "FakeIllustrations", "fake_assets"]


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:4], "little")


class FakeSpeech:
    """Tone bursts, one per word, ~15 chars/s in English and ~5 chars/s in Chinese (÷ speed)."""

    version = "fake-speech:1"

    def __init__(self, rate: int = 22050) -> None:
        self.rate = rate
        self.calls = 0

    def duration_ms(self, text: str, *, lang: str = "en", speed: float = 1.0) -> int:
        text = text.strip()
        if not text:
            return 0
        cjk = count_cjk(text)
        other = len(text) - cjk
        seconds = cjk / 5.0 + other / 15.0
        return max(300, round(1000 * seconds / max(0.25, float(speed or 1.0))))

    def synthesize(self, text: str, *, lang: str = "en", voice: str = "", speed: float = 1.0) -> AudioClip:
        self.calls += 1
        ms = self.duration_ms(text, lang=lang, speed=speed)
        n = ms_to_samples(ms, self.rate)
        if n == 0:
            return AudioClip.silence(0, self.rate)
        rng = np.random.default_rng(_seed(text, lang, voice, speed))
        t = np.arange(n, dtype=np.float32) / self.rate
        words = max(1, len(text.split()) if not has_cjk(text) else count_cjk(text))
        f0 = 110.0 if "f" not in voice else 210.0
        syll = 0.5 + 0.5 * np.sin(np.pi * words * t / max(t[-1], 1e-3)) ** 2
        tone = np.sin(2 * np.pi * (f0 + 20 * np.sin(2 * np.pi * 3 * t)) * t)
        noise = rng.standard_normal(n).astype(np.float32) * 0.05
        x = (0.8 * tone * syll + noise).astype(np.float32)
        x *= 0.89 / float(np.max(np.abs(x)))
        return AudioClip(x.reshape(-1, 1), self.rate)

    def synthesize_timed(
        self, text: str, *, lang: str = "en", voice: str = "", speed: float = 1.0
    ) -> tuple[AudioClip, list[tuple[str, int, int]]]:
        from promptreel.generators.speech import estimate_words

        clip = self.synthesize(text, lang=lang, voice=voice, speed=speed)
        return clip, estimate_words(text, clip, lang)


class FakeMusic:
    """A soft stereo chord whose pitch depends on style and seed; exactly ``duration_ms`` long."""

    version = "fake-music:1"
    rate = 48000

    def __init__(self) -> None:
        self.calls = 0

    def compose(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        self.calls += 1
        n = ms_to_samples(max(0, duration_ms), self.rate)
        base = 110.0 * 2 ** ((_seed(style, seed) % 12) / 12)
        bpm = tempo or 100
        out = np.empty((n, 2), np.float32)
        for a in range(0, n, 1 << 20):  # piece by piece: a long bed costs its own size, no more
            t = np.arange(a, min(n, a + (1 << 20)), dtype=np.float64) / self.rate
            beat = 0.6 + 0.4 * (np.cos(2 * np.pi * t * bpm / 60) > 0.7)
            x = sum(np.sin(2 * np.pi * base * r * t) for r in (1.0, 1.25, 1.5)) / 3 * 0.3 * beat
            out[a : a + t.shape[0], 0] = x
            out[a : a + t.shape[0], 1] = x * 0.9
        return AudioClip(out, self.rate)


_FAKE_ICONS = {
    "coffee": "hot-beverage",
    "bread": "bread",
    "croissant": "croissant",
    "shoe": "running-shoe",
    "sneaker": "running-shoe",
    "birthday": "birthday-cake",
    "cake": "birthday-cake",
    "vaccine": "syringe",
    "sun": "sun",
    "solar": "sun",
    "backpack": "backpack",
    "revenue": "chart-increasing",
    "growth": "chart-increasing",
    "team": "busts-in-silhouette",
    "music": "musical-note",
    "咖啡": "hot-beverage",
    "面包": "bread",
    "鞋": "running-shoe",
}


class FakeIllustrations:
    """Keyword lookup over a dozen names; ``svg`` draws a coloured circle with the initial."""

    prefix = "fluent-emoji-flat"

    def __init__(self) -> None:
        self.calls = 0

    def match(self, text: str, *, lang: str = "en", exclude: tuple[str, ...] = ()) -> str | None:
        self.calls += 1
        low = text.lower()
        for word, icon in _FAKE_ICONS.items():
            name = f"{self.prefix}:{icon}"
            if word in low and name not in exclude:
                return name
        fallback = f"{self.prefix}:sparkles"
        return None if fallback in exclude else fallback

    def svg(self, name: str) -> str | None:
        prefix, _, icon = name.partition(":")
        if not icon or prefix != self.prefix:
            return None
        hue = _seed(icon) % 360
        r, g, b = (int(127 + 120 * math.cos(math.radians(hue + k))) for k in (0, 120, 240))
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">'
            f'<circle cx="16" cy="16" r="14" fill="#{r:02x}{g:02x}{b:02x}"/>'
            f'<text x="16" y="21" font-size="14" text-anchor="middle" fill="#fff">{icon[:1].upper()}</text>'
            "</svg>"
        )


def fake_assets() -> LocalAssets:
    """A :class:`~promptreel.generators.assets.LocalAssets` wired to the fakes (no disk cache)."""
    from promptreel.generators.assets import LocalAssets

    return LocalAssets(speech=FakeSpeech(), music=FakeMusic(), illustrations=FakeIllustrations(), cache=None)
