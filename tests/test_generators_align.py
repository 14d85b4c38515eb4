"""Word timings from the audio: the aligner, espeak-ng's word events, and captions timed by them."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import skia

from promptreel.clip import AudioClip
from promptreel.draft import Canvas, Draft, Meta, Segment, Track, TrackType
from promptreel.generators.align import Aligner, EstimateAligner, spoken_words
from promptreel.generators.espeak_lib import espeak_library
from promptreel.generators.words import pinyin_map, token_offsets, voiced, written_tokens, zh_numbers
from promptreel.render.caption_words import with_word_times
from promptreel.render.captions import CaptionRenderer

FRAME_MS = 1000 / 30

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or espeak_library() is None, reason="espeak-ng is not installed"
)


def test_numbers_are_aligned_as_the_voice_reads_them() -> None:
    assert spoken_words("42") == ["forty", "two"]
    assert spoken_words("12%") == ["twelve", "percent"]
    assert spoken_words("2024") == ["two", "thousand", "twenty", "four"]
    assert spoken_words("3.5") == ["three", "point", "five"]
    assert spoken_words("Rosa’s") == ["rosa's"]
    assert spoken_words("well-known") == ["well", "known"]


def test_pinyin_map_points_every_character_at_its_syllable() -> None:
    text = "打折20%，快来！"
    spoken, offsets = pinyin_map(text)
    items = spoken.split(" ")
    assert written_tokens(text, "zh") == ["打", "折", "20%，", "快", "来！"]
    assert [spoken[o:].split(" ")[0] for o in offsets] == ["da3", "zhe2", "bai3", "kuai4", "lai2"]
    assert items[2:8] == ["bai3", "fen1", "zhi1", "er4", "shi2", ","]  # 百分之二十, read as Chinese


def test_numbers_are_read_as_chinese_and_captions_still_find_them() -> None:
    assert zh_numbers("续航180分钟，吸力2000Pa") == "续航一百八十分钟，吸力两千Pa"
    assert zh_numbers("2025年10月1日下午2点") == "二零二五年十月一日下午两点"
    assert zh_numbers("周末¥680/晚，电话 0572-8888123") == "周末六百八十元/晚，电话 零五七二 八八八八一二三"
    assert zh_numbers("1.2亿，增长44%，10005人") == "一点二亿，增长百分之四十四，一万零五人"
    text = "周末¥680/晚，电话 0572-8888123"
    spoken, offsets = pinyin_map(text)
    firsts = [spoken[o:].split(" ")[0] if o >= 0 else None for o in offsets]
    assert written_tokens(text, "zh") == ["周", "末", "680/", "晚，", "电", "话", "0572-", "8888123"]
    assert firsts == ["zhou1", "mo4", "liu4", "wan3", "dian4", "hua4", "ling2", "ba1"]
    assert "yuan2 mei3 wan3" in spoken  # 六百八十元每晚


def test_estimate_aligner_is_a_drop_in_fake() -> None:
    x = np.zeros(22050, np.float32)
    x[2205:19845] = 0.5
    fake: Aligner = EstimateAligner()
    onsets = fake.onsets(x, 22050, "one two three", "en")
    assert len(onsets) == 3 and onsets[0] == 2205 and onsets[0] < onsets[1] < onsets[2]  # type: ignore[operator]


@needs_espeak
def test_mandarin_syllable_onsets_come_from_the_engine() -> None:
    from promptreel.generators.speech import EspeakSpeech

    clip, words = EspeakSpeech().synthesize_timed("新鲜的面包，每天早上出炉。", lang="zh")
    assert [w for w, _s, _e in words] == [
        "新",
        "鲜",
        "的",
        "面",
        "包，",
        "每",
        "天",
        "早",
        "上",
        "出",
        "炉。",
    ]
    starts = [s for _w, s, _e in words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    x = np.abs(clip.samples[:, 0])
    a = clip.rate * starts[5] // 1000  # 每, after the comma's pause: starts where the sound does
    assert x[a - clip.rate // 10 : a - clip.rate // 100].max() < 0.02
    assert x[a : a + clip.rate // 20].max() > 0.05


@needs_espeak
def test_english_alignment_matches_known_onsets() -> None:
    """espeak-ng reports where each word starts: pocketsphinx, given only the audio and the
    text, must find the same onsets."""
    pytest.importorskip("pocketsphinx")
    from promptreel.generators.align import SphinxAligner

    lib = espeak_library()
    assert lib is not None
    aligner = SphinxAligner()
    errors: list[float] = []
    for text in (
        "Fresh bread at dawn, warm croissants and coffee from the corner bakery.",
        "Happy birthday Anna! Wishing you a year full of sunshine, laughter and cake.",
    ):
        syn = lib.synthesize("en-us", text, 175)
        truth = [min((s for c, s in syn.words if c >= o), default=None) for o in token_offsets(text, "en")]
        got = aligner.onsets(syn.samples, syn.rate, text, "en")
        errors += [
            abs(g - t) * 1000 / syn.rate
            for g, t in zip(got, truth, strict=True)
            if g is not None and t is not None
        ]
    assert len(errors) >= 20
    assert float(np.median(errors)) <= FRAME_MS
    assert float(np.percentile(errors, 80)) <= 2 * FRAME_MS


class TimedAssets:
    """Speaks every word for 300 ms after a 120 ms lead-in."""

    def speak_timed(
        self, text: str, *, lang: str = "", voice: str = "", speed: float = 0.0
    ) -> tuple[AudioClip, list[tuple[str, int, int]]]:
        words = text.split()
        return AudioClip.silence(0, 22050), [
            (w, 120 + 300 * i, 120 + 300 * (i + 1)) for i, w in enumerate(words)
        ]


def captioned_draft(captions: list[tuple[int, int, str]]) -> Draft:
    voice = Segment("v", 1000, 3000, "voice", meta=Meta({"text": "one two three four five six"}))
    caps = tuple(
        Segment(f"c{i}", a, d, "caption", meta=Meta({"text": t})) for i, (a, d, t) in enumerate(captions)
    )
    return Draft(
        "d",
        Canvas(320, 180, 30),
        (
            Track("tv", TrackType.AUDIO, "narration", segments=(voice,)),
            Track("tc", TrackType.TEXT, "captions", segments=caps),
        ),
    )


def test_captions_start_with_their_first_spoken_word() -> None:
    draft = captioned_draft([(1000, 400, "one two three"), (1400, 1200, "four five six")])
    timed = with_word_times(draft, TimedAssets())
    caps = timed.first_track("captions").segments  # type: ignore[union-attr]
    assert [(c.start, c.end) for c in caps] == [(1120, 2020), (2020, 2920)]
    for cap in caps:
        for _w, s, _e in cap.meta["words"]:
            spoken = 1120 + 300 * ["one", "two", "three", "four", "five", "six"].index(_w)
            assert abs(cap.start + s - spoken) <= FRAME_MS


def test_captions_that_do_not_read_the_narration_keep_their_times() -> None:
    draft = captioned_draft([(1000, 400, "something else entirely")])
    assert with_word_times(draft, TimedAssets()) == draft
    assert with_word_times(draft, object()) == draft


def _lit(cap: CaptionRenderer, t: float) -> int:
    arr = np.zeros((180, 320, 4), np.uint8)
    surf = skia.Surface(arr)
    surf.getCanvas().clear(skia.ColorBLACK)
    cap.draw(surf.getCanvas(), t)
    px = arr[:, :, :3].astype(np.int16)
    return int(((px[:, :, 0] > 150) & (px[:, :, 1] < 90) & (px[:, :, 2] < 90)).sum())


def test_karaoke_highlight_is_opt_in() -> None:
    words = [["Fresh", 0, 400], ["coffee", 400, 900]]
    seg = Segment("c", 0, 900, "caption", meta=Meta({"text": "Fresh coffee", "words": words}))
    plain = CaptionRenderer(seg, {"bg": "none"}, 320, 180, 1.0)
    assert not plain.karaoke
    on = CaptionRenderer(seg, {"bg": "none", "highlight": True}, 320, 180, 1.0)
    assert on.karaoke and not on.static(200, 600)  # the lit word changes
    red = CaptionRenderer(seg, {"bg": "none", "highlight": "#FF0000"}, 320, 180, 1.0)
    assert _lit(red, 200) > 0 and _lit(plain, 200) == 0


class RecordingAligner:
    """A fake aligner: tokens 10 ms apart from the first sound; remembers its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def onsets(self, samples: np.ndarray, rate: int, text: str, lang: str) -> list[int | None]:
        self.calls.append(text)
        first = voiced(np.asarray(samples, np.float32))[0]
        return [first + i * rate // 100 for i in range(len(written_tokens(text, "en")))]


def test_piper_places_words_where_the_aligner_says() -> None:
    pytest.importorskip("piper")
    from promptreel.generators.speech import PiperSpeech

    aligner = RecordingAligner()
    try:
        speech = PiperSpeech(aligner=aligner)
        _clip, words = speech.synthesize_timed("Fresh bread. Warm coffee.")
    except Exception as exc:  # no voice model on this machine
        pytest.skip(f"Piper voice unavailable: {exc}")
    assert aligner.calls == ["Fresh bread.", "Warm coffee."]
    starts = [s for _w, s, _e in words]
    # 10 ms apart in samples (220 at 22,050 Hz): 9 or 10 whole ms after rounding each start
    assert starts[1] - starts[0] in (9, 10) and starts[3] - starts[2] in (9, 10)
