"""Kokoro Mandarin: the engine around a stand-in model, its place in the router, and (when the
``kokoro-zh`` extra is installed) the real model."""

from __future__ import annotations

import shutil

import numpy as np
import numpy.typing as npt
import pytest

from promptreel.generators import kokoro_zh
from promptreel.generators.kokoro_zh import RATE, KokoroMandarin, english_phonemes, kokoro_available
from promptreel.generators.speech import PEAK, SpeechRouter
from promptreel.generators.speech import voices as speech_voices


class FakeRuntime:
    """Each character two tokens of two 600-sample frames (25 ms) of tone (speed shortens them),
    punctuation one token of ten silent frames; durations reported when ``timed``."""

    def __init__(self, timed: bool = True) -> None:
        self.timed = timed
        self.calls: list[tuple[int, str, float]] = []

    def read(self, spoken: str) -> tuple[list[int], list[int]]:
        tokens: list[int] = []
        first: list[int] = []
        for c in spoken:
            if c.isspace():
                first.append(-1)
            elif c in "，、,：:。！？":
                first.append(-1)
                tokens.append(0)
            else:
                first.append(len(tokens))
                tokens += [1, 1]
        return tokens, first

    def infer(
        self, tokens: list[int], style: str, speed: float
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32] | None]:
        self.calls.append((len(tokens), style, speed))
        frames = [1] + [max(1, round((2 if t else 10) / speed)) for t in tokens] + [1]
        t = np.arange(600) / RATE
        tone = (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        quiet = np.zeros(600, np.float32)
        kinds = [0, *tokens, 0]
        audio = np.concatenate(
            [tone if k else quiet for k, n in zip(kinds, frames, strict=True) for _ in range(n)]
        )
        return audio, (np.array(frames, np.float32) if self.timed else None)


@pytest.mark.parametrize("timed", [True, False])
def test_sentences_become_one_clip_with_timed_words(timed: bool) -> None:
    rt = FakeRuntime(timed)
    voice = KokoroMandarin("zh-kokoro-f", runtime=rt)
    clip, words = voice.synthesize_timed("欢迎来到茶小满，今天有新品。价格88元！", lang="zh")
    assert clip.rate == RATE and clip.channels == 1
    assert abs(float(np.max(np.abs(clip.samples))) - PEAK) < 1e-3
    said = "欢 迎 来 到 茶 小 满， 今 天 有 新 品。 价 格 88 元！"
    assert [w for w, _, _ in words] == said.split()
    starts = {w: s for w, s, _ in words}
    assert list(starts.values()) == sorted(starts.values()) and words[-1][2] <= clip.duration_ms
    # each character is 100 ms, the comma 250 ms: the clause after it starts where the voice resumes
    assert abs(starts["今"] - starts["欢"] - 950) <= 30  # within a frame at 30 fps
    if timed:  # character by character from the durations: 88 is read 八十八, three characters
        assert abs(starts["今"] - starts["满，"] - 350) <= 2
        assert abs(starts["迎"] - starts["欢"] - 100) <= 2
        assert abs(starts["元！"] - starts["88"] - 300) <= 2
    # two sentences were two passes of the model
    assert len(rt.calls) == 2 and {s for _, s, _ in rt.calls} == {"jf_alpha"}


def test_speed_and_voice_and_long_sentences() -> None:
    rt = FakeRuntime()
    normal = KokoroMandarin("zh-kokoro-m", runtime=rt).synthesize("山间小院，安静的周末。", lang="zh")
    fast = KokoroMandarin("zh-kokoro-m", runtime=rt).synthesize(
        "山间小院，安静的周末。", lang="zh", speed=1.5
    )
    assert fast.duration_ms < normal.duration_ms * 0.8
    assert rt.calls[-1] == (rt.calls[-1][0], "jm_kumo", 1.5)
    rt.calls.clear()
    long = "，".join(["一杯好茶陪你度过美好的下午时光"] * 30) + "。"
    clip, words = KokoroMandarin(runtime=rt).synthesize_timed(long, lang="zh")
    assert len(rt.calls) > 1 and max(n for n, _, _ in rt.calls) <= 480
    assert len(words) == len(long) - long.count("，") - 1 and clip.duration_ms > 20_000
    assert [s for _, s, _ in words] == sorted(s for _, s, _ in words)
    assert KokoroMandarin(runtime=rt).synthesize("", lang="zh").frames == 0
    with pytest.raises(ValueError):
        KokoroMandarin("cmn")


def test_router_prefers_kokoro_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speech_voices, "kokoro_available", lambda: True)
    router = SpeechRouter(default_en="en_US-joe-medium")
    zh = [v.id for v in router.voices("zh")]
    assert zh[:2] == ["zh-kokoro-f", "zh-kokoro-m"]
    assert router.resolve("zh").id == "zh-kokoro-f"
    assert router.resolve("zh", "男声").id == "zh-kokoro-m"
    assert isinstance(router.engine(router.resolve("zh")), KokoroMandarin)
    assert router.version("zh") != router.version("zh", "cmn")
    # the setting picks espeak-ng; a wish for a gender then stays with its engine
    if shutil.which("espeak-ng"):
        pinned = SpeechRouter(default_zh="cmn")
        assert pinned.resolve("zh").id == "cmn"
        assert pinned.resolve("zh", "female").id == "cmn+f3"
        assert pinned.resolve("zh", "en_US-joe-medium").id == "cmn"
    monkeypatch.setattr(speech_voices, "kokoro_available", lambda: False)
    assert not [v for v in SpeechRouter().voices("zh") if v.engine == "kokoro"]


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed")
def test_latin_words_become_kokoro_phonemes() -> None:
    ps = english_phonemes("TikTok coffee")
    assert "k" in ps and "^" not in ps and "ː" not in ps
    assert english_phonemes("AI").replace("ˈ", "").replace("ˌ", "") == "AI"  # eɪ aɪ → Kokoro's A I


@pytest.mark.slow
@pytest.mark.skipif(not kokoro_available(), reason="the kokoro-zh extra is not installed")
def test_real_model_reads_mandarin() -> None:
    voice = KokoroMandarin()
    clip, words = voice.synthesize_timed("欢迎来到茶小满，今天推出三款新品。", lang="zh")
    assert 1500 < clip.duration_ms < 8000
    assert float(np.sqrt(np.mean(clip.samples.astype(np.float64) ** 2))) > 0.02
    assert [w for w, _, _ in words][:3] == ["欢", "迎", "来"]
    tokens, first = kokoro_zh._shared_runtime().read("今天，好")
    assert len(tokens) > 6 and first[0] == 0 and first[2] == -1 and first[3] > first[1] > 0
    starts = [s for _, s, _ in words]
    assert starts == sorted(starts) and starts[-1] > starts[0] + 1000
