"""Speech: real Piper (English) and espeak-ng (Mandarin) synthesis, voices and routing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from promptreel.clip import AudioClip
from promptreel.errors import InvalidRequest
from promptreel.generators.cache import CachedSpeech, DiskCache
from promptreel.generators.speech import PEAK, SpeechRouter, finish_speech, lang_of, list_voices, speakable

EN = "Meet the coffee that wakes up your whole morning. Fresh beans, roasted every day."
ZH = "为一家咖啡品牌生成一个宣传视频，温暖的色调。"


@pytest.fixture(scope="session")
def router() -> SpeechRouter:
    return SpeechRouter(default_en="en_US-joe-medium", default_zh="cmn")


@pytest.fixture(scope="session")
def en_clip(router: SpeechRouter) -> AudioClip:
    return router.synthesize(EN, lang="en")


def _rms(clip: AudioClip) -> float:
    return float(np.sqrt(np.mean(clip.samples.astype(np.float64) ** 2)))


def test_english_sentence_has_plausible_duration_and_shape(en_clip: AudioClip) -> None:
    assert en_clip.samples.dtype == np.float32
    assert en_clip.channels == 1
    assert 1000 <= en_clip.duration_ms <= 8000
    assert abs(float(np.max(np.abs(en_clip.samples))) - PEAK) < 1e-3
    assert _rms(en_clip) > 0.02


def test_faster_speed_is_shorter(router: SpeechRouter, en_clip: AudioClip) -> None:
    fast = router.synthesize(EN, lang="en", speed=1.5)
    assert fast.duration_ms < en_clip.duration_ms * 0.85


def test_chinese_is_voiced_and_mixed_latin_adds_speech(router: SpeechRouter) -> None:
    zh = router.synthesize(ZH, lang="zh")
    assert zh.channels == 1 and zh.duration_ms > 1500
    assert _rms(zh) > 0.02
    mixed = router.synthesize(ZH + "Follow us on TikTok", lang="zh")
    assert mixed.duration_ms > zh.duration_ms + 300
    fast = router.synthesize(ZH, lang="zh", speed=1.5)
    assert fast.duration_ms < zh.duration_ms * 0.85


def test_voices_are_listed_and_resolved(router: SpeechRouter) -> None:
    voices = list_voices()
    ids = {v.id for v in voices}
    assert "en_US-joe-medium" in ids and "cmn" in ids
    assert router.resolve("en").id == "en_US-joe-medium"
    assert router.resolve("zh").id == "cmn"
    assert router.resolve("zh", "female").gender == "female"
    assert router.resolve("en", "女声").gender == "female"
    # unknown voices fall back quietly for rendering, but are reported when asked strictly
    assert router.resolve("en", "no-such-voice").id == "en_US-joe-medium"
    assert router.resolve("zh", "en_US-joe-medium").id == "cmn"  # the script's language wins
    assert router.resolve("en", "cmn+f3").id == "en-us+f3"  # …and the voice's gender is kept
    with pytest.raises(InvalidRequest, match="available"):
        router.resolve("en", "no-such-voice", strict=True)
    with pytest.raises(InvalidRequest, match="speaks"):
        router.resolve("en", "cmn", strict=True)


def test_bad_speed_is_a_clear_error(router: SpeechRouter) -> None:
    with pytest.raises(InvalidRequest, match="speed"):
        router.synthesize("hello", lang="zh", speed=9)


def test_finish_speech_trims_silence_and_normalises() -> None:
    rate = 16000
    tone = 0.3 * np.sin(np.linspace(0, 2 * np.pi * 440, rate)).astype(np.float32)
    x = np.concatenate([np.zeros(rate, np.float32), tone, np.zeros(rate, np.float32)])
    clip = finish_speech(x, rate, pad_ms=50)
    assert 1000 <= clip.duration_ms <= 1150
    assert abs(float(np.max(np.abs(clip.samples))) - PEAK) < 1e-4
    assert finish_speech(np.zeros(0, np.float32), rate).frames == 0
    assert clip.samples[0, 0] == 0.0 and clip.samples[-1, 0] == 0.0  # ramped edges


def test_cache_key_is_the_resolved_voice(router: SpeechRouter, tmp_path: Path) -> None:
    cached = CachedSpeech(router, DiskCache(tmp_path))
    default = cached.key("Hello.", lang="en", voice="")
    assert default == cached.key("Hello.", lang="en", voice="en_US-joe-medium")
    assert default != cached.key("Hello.", lang="en", voice="female")
    assert router.list_voices() == list_voices()


def test_chinese_text_is_never_read_by_an_english_voice(router: SpeechRouter) -> None:
    assert lang_of("美好的一天从一杯咖啡开始") == "zh"
    assert lang_of("Follow us on TikTok 关注") == "en"
    zh = router.synthesize("咖啡", lang="zh")
    routed = router.synthesize("咖啡", lang="en")  # mislabelled: still spoken in Mandarin
    assert routed.rate == zh.rate and abs(routed.duration_ms - zh.duration_ms) < 100


def test_emoji_are_not_read_aloud(router: SpeechRouter) -> None:
    assert speakable("Coffee ☕ time 🎉🎉, ok 👍🏽") == "Coffee time , ok"
    assert speakable("$20 off — 50% 咖啡") == "$20 off — 50% 咖啡"
    plain = router.synthesize("Good morning.", lang="zh")
    decorated = router.synthesize("Good morning. ☕🎉", lang="zh")
    assert abs(decorated.duration_ms - plain.duration_ms) < 150


def test_text_that_looks_like_an_option_is_spoken(router: SpeechRouter) -> None:
    clip = router.synthesize("-5 degrees outside today", lang="zh")
    assert clip.duration_ms > 800


def _check_words(words: list[tuple[str, int, int]], clip: AudioClip) -> None:
    assert words
    last = 0
    for _, start, end in words:
        assert last <= start <= end <= clip.duration_ms
        last = start
    assert words[-1][2] >= clip.duration_ms * 0.8


def test_word_timings_follow_the_speech(router: SpeechRouter) -> None:
    clip, words = router.synthesize_timed(EN, lang="en")
    assert [w for w, _, _ in words] == EN.split()
    _check_words(words, clip)
    # the pause between the two sentences falls between "morning." and "Fresh"
    gap = next(words[i + 1][1] - words[i][2] for i, w in enumerate(words) if w[0] == "morning.")
    assert gap >= 150
    zh_clip, zh_words = router.synthesize_timed("欢迎来到TikTok直播间。", lang="zh")
    assert [w for w, _, _ in zh_words] == ["欢", "迎", "来", "到", "TikTok", "直", "播", "间。"]
    _check_words(zh_words, zh_clip)


def test_mandarin_numbers_are_read_as_chinese_numerals_and_timed() -> None:
    from promptreel.generators.speech import EspeakSpeech

    engine = EspeakSpeech()
    _clip, words = engine.synthesize_timed("续航180分钟。", lang="zh")
    assert [w for w, _s, _e in words] == ["续", "航", "180", "分", "钟。"]
    starts = [s for _w, s, _e in words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    # 一百八十 is four syllables: the number takes about four characters' time, not one
    number = starts[3] - starts[2]
    per_char = (starts[2] - starts[0]) / 2
    assert number > 2.5 * per_char
    assert "yi4 bai3 ba1 shi2" in engine._runs("续航180分钟。", "zh")[0][1]


def test_mandarin_style_sets_tempo_and_syllable_gaps() -> None:
    from promptreel.generators.speech import EspeakSpeech, MandarinStyle

    text = "新鲜的面包，每天早上出炉。"
    base = MandarinStyle()
    plain = EspeakSpeech(style=base).synthesize(text, lang="zh")
    slower = EspeakSpeech(style=MandarinStyle(wpm=base.wpm - 40)).synthesize(text, lang="zh")
    gapped = EspeakSpeech(style=MandarinStyle(word_gap=base.word_gap + 6)).synthesize(text, lang="zh")
    assert slower.duration_ms > plain.duration_ms * 1.1
    assert gapped.duration_ms > plain.duration_ms + 300  # 11 syllables, 60 ms more between each
    assert EspeakSpeech(style=base).version != EspeakSpeech(style=MandarinStyle(wpm=120)).version


def test_mandarin_clauses_get_their_pause_and_keep_their_words() -> None:
    from promptreel.generators.speech import EspeakSpeech, MandarinStyle

    text = "新鲜的面包，每天早上出炉。"
    _c, plain = EspeakSpeech().synthesize_timed(text, lang="zh")
    clip, words = EspeakSpeech(style=MandarinStyle(clause_pause_ms=400)).synthesize_timed(text, lang="zh")
    assert [w for w, _s, _e in words] == [w for w, _s, _e in plain]
    _check_words(words, clip)
    comma = next(i for i, (w, _s, _e) in enumerate(words) if w == "包，")
    x = np.abs(clip.samples[:, 0])
    a = clip.rate * words[comma + 1][1] // 1000  # 每 starts where the sound does, after the pause
    assert x[a - clip.rate * 35 // 100 : a - clip.rate // 100].max() < 0.02
    assert x[a : a + clip.rate // 20].max() > 0.05
