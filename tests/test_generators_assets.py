"""Disk cache, fakes and LocalAssets: generated media is reused, not re-synthesised."""

from __future__ import annotations

import threading
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from promptreel.clip import AudioClip
from promptreel.draft import Segment
from promptreel.draft.meta import Meta
from promptreel.errors import NotFound, UnsupportedFile
from promptreel.generators.assets import LocalAssets, read_wav
from promptreel.generators.base import Illustrations, Music, Speech
from promptreel.generators.cache import CachedMusic, CachedSpeech, DiskCache, content_key
from promptreel.generators.fakes import FakeIllustrations, FakeMusic, FakeSpeech, fake_assets
from promptreel.media_refs import LocalFiles
from promptreel.render.assets import Assets
from promptreel.settings import Settings


def _implements_assets(obj: object) -> bool:
    names = [n for n in vars(Assets) if not n.startswith("_")]
    return bool(names) and all(callable(getattr(obj, n, None)) for n in names)


def _voice(text: str, **meta: object) -> Segment:
    return Segment("v1", 0, 3000, "voice", meta=Meta({"text": text, **meta}))


def _music(duration: int = 2500, **meta: object) -> Segment:
    return Segment("m1", 0, duration, "music", meta=Meta({"style": "lofi", "seed": 3, **meta}))


def _assets(tmp_path: Path, **kw: Any) -> tuple[LocalAssets, FakeSpeech, FakeMusic]:
    speech, music = FakeSpeech(), FakeMusic()
    assets = LocalAssets(
        speech=speech, music=music, illustrations=FakeIllustrations(), cache=DiskCache(tmp_path), **kw
    )
    return assets, speech, music


def test_content_key_is_canonical() -> None:
    assert content_key({"a": 1, "b": 2}) == content_key({"b": 2, "a": 1})
    assert content_key("x", 1) != content_key("x", 2)
    assert len(content_key("x")) == 64


def test_disk_cache_round_trips_atomically(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    clip = AudioClip(np.linspace(-1, 1, 1000, dtype=np.float32).reshape(-1, 2), 48000)
    key = content_key("clip")
    assert cache.get_audio(key) is None
    cache.put_audio(key, clip)
    back = cache.get_audio(key)
    assert back is not None and back.rate == 48000 and np.array_equal(back.samples, clip.samples)
    cache.put_json("meta", key, {"ok": [1, 2]})
    assert cache.get_json("meta", key) == {"ok": [1, 2]}
    cache.put_array("emb", key, np.eye(3, dtype=np.float32))
    arr = cache.get_array("emb", key)
    assert arr is not None and arr.shape == (3, 3)
    assert not list(tmp_path.rglob(".tmp-*"))  # no temp files left behind
    # a corrupt entry is a miss, not a crash
    cache.path("audio", key, "npz").write_bytes(b"garbage")
    assert cache.get_audio(key) is None


def test_cached_speech_hits_disk_on_second_call(tmp_path: Path) -> None:
    engine = FakeSpeech()
    first = CachedSpeech(engine, DiskCache(tmp_path))
    a = first.synthesize("Hello there, coffee lovers.", lang="en")
    first.synthesize("Hello there, coffee lovers.", lang="en")
    assert engine.calls == 1
    # a new process (fresh memory) still finds it on disk
    second = CachedSpeech(engine, DiskCache(tmp_path))
    b = second.synthesize("Hello there, coffee lovers.", lang="en")
    assert engine.calls == 1 and np.array_equal(a.samples, b.samples)
    # anything that changes the audio is a different key
    second.synthesize("Hello there, coffee lovers.", lang="en", speed=1.5)
    second.synthesize("Hello there, tea lovers.", lang="en")
    second.synthesize("Hello there, coffee lovers.", lang="en", voice="female")
    assert engine.calls == 4


def test_cached_speech_synthesises_once_under_concurrency(tmp_path: Path) -> None:
    engine = FakeSpeech()
    cached = CachedSpeech(engine, DiskCache(tmp_path))
    threads = [
        threading.Thread(target=cached.synthesize, args=("same words",), kwargs={"lang": "en"})
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert engine.calls == 1


def test_engine_version_is_part_of_the_key(tmp_path: Path) -> None:
    a, b = FakeMusic(), FakeMusic()
    b.version = "fake-music:2"  # type: ignore[misc]
    cache = DiskCache(tmp_path)
    CachedMusic(a, cache).compose(style="calm", duration_ms=500)
    CachedMusic(b, cache).compose(style="calm", duration_ms=500)
    assert a.calls == 1 and b.calls == 1


def test_fakes_honour_the_protocols() -> None:
    speech, music, ill = FakeSpeech(), FakeMusic(), FakeIllustrations()
    assert isinstance(speech, Speech) and isinstance(music, Music) and isinstance(ill, Illustrations)
    en = speech.synthesize("x" * 30, lang="en")
    zh = speech.synthesize("咖" * 10, lang="zh")
    assert 1900 <= en.duration_ms <= 2100 and 1900 <= zh.duration_ms <= 2100
    assert speech.synthesize("x" * 30, lang="en", speed=2).duration_ms < en.duration_ms
    assert np.array_equal(
        speech.synthesize("abc", lang="en").samples, speech.synthesize("abc", lang="en").samples
    )
    clip = music.compose(style="lofi", duration_ms=1234)
    assert clip.channels == 2 and clip.duration_ms >= 1234
    assert ill.match("fresh coffee") == "fluent-emoji-flat:hot-beverage"
    assert ill.svg(
        "fluent-emoji-flat:hot-beverage",
    ).startswith("<svg")  # type: ignore[union-attr]
    assets = fake_assets()
    assert _implements_assets(assets)
    assert assets.voice(_voice("Hello")).frames > 0


def test_local_assets_voice_and_music_are_cached(tmp_path: Path) -> None:
    assets, speech, music = _assets(tmp_path)
    seg = _voice("Fresh bread at dawn.", lang="en", speed=1.0)
    a = assets.voice(seg)
    b = assets.voice(seg.replace(id="other", start=5000))  # same words elsewhere: same audio
    assert speech.calls == 1 and a is b
    zh = assets.voice(_voice("新鲜的面包"))  # language guessed from the script
    assert zh.duration_ms >= 900
    m = assets.music(_music(2500))
    assert m.duration_ms >= 2500 and m.channels == 2
    assets.music(_music(2500))
    assert music.calls == 1
    assets.music(_music(4000))  # a longer bed is new music
    assert music.calls == 2


def test_local_assets_music_fades_and_mood_fallback(tmp_path: Path) -> None:
    assets, _, _ = _assets(tmp_path)
    plain = assets.music(_music(2000))
    faded = assets.music(_music(2000, fade_in=500, fade_out=500))
    assert abs(float(faded.samples[0, 0])) < 1e-6
    assert np.abs(faded.samples[:100]).max() < np.abs(plain.samples[:100]).max() + 1e-6
    mood = Segment("m2", 0, 1000, "music", meta=Meta({"mood": "calm"}))
    assert assets.music(mood).duration_ms >= 1000


def _write_wav(path: Path, seconds: float = 0.5, rate: int = 16000) -> None:
    x = (0.5 * np.sin(np.linspace(0, 2 * np.pi * 440 * seconds, int(rate * seconds)))).astype(np.float32)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((x * 32767).astype("<i2").tobytes())


def test_local_assets_media_and_uploaded_audio(tmp_path: Path) -> None:
    wav = tmp_path / "upload.wav"
    _write_wav(wav)
    store = {"med_1": wav}
    ids_only, _, _ = _assets(tmp_path / "cache", media_resolver=store.get)
    assert ids_only.media_path("med_1") == wav
    assert ids_only.media_path(str(wav)) is None  # a path resolves only through a resolver that allows it
    assert _assets(tmp_path / "cache")[0].media_path(str(wav)) is None  # no resolver: nothing resolves
    assets, _, _ = _assets(tmp_path / "cache", media_resolver=LocalFiles(store.get))  # the CLI's
    assert assets.media_path("med_1") == wav
    assert assets.media_path(str(wav)) == wav  # a plain local path works on the command line
    assert assets.media_path("med_missing") is None
    assert assets.media_path("") is None
    with pytest.raises(NotFound):
        ids_only.voice(Segment("a0", 0, 500, "voice", meta=Meta({"src": str(wav)})))
    seg = Segment("a1", 0, 500, "voice", meta=Meta({"media_id": "med_1"}))
    clip = assets.voice(seg)
    assert clip.rate == 16000 and 480 <= clip.duration_ms <= 520
    uploaded_bgm = Segment("m9", 0, 500, "music", meta=Meta({"src": str(wav)}))
    assert assets.music(uploaded_bgm).rate == 16000
    with pytest.raises(NotFound):
        assets.voice(Segment("a2", 0, 500, "voice", meta=Meta({"media_id": "med_missing"})))
    mp3 = tmp_path / "song.mp3"
    mp3.write_bytes(b"ID3")
    with pytest.raises(UnsupportedFile):
        assets.voice(Segment("a3", 0, 500, "voice", meta=Meta({"src": str(mp3)})))
    assert read_wav(wav).channels == 1


def test_local_assets_illustrations(tmp_path: Path) -> None:
    assets, _, _ = _assets(tmp_path)
    svg = assets.illustration("fluent-emoji-flat:bread")
    assert svg is not None and svg.startswith("<svg")
    assert assets.illustration("") is None
    assert assets.illustration("nope:bread") is None


def test_real_engines_are_wired_into_assets(tmp_path: Path) -> None:
    from promptreel.service.studio import build_engines

    assets = build_engines(Settings(data_dir=tmp_path, cache_dir=tmp_path / "cache")).assets()
    assert _implements_assets(assets)
    svg = assets.illustration("fluent-emoji-flat:hot-beverage")
    assert svg is not None and "viewBox" in svg
    music = assets.music(_music(1500))
    assert music.rate == 48000 and music.duration_ms >= 1500
    assert list((tmp_path / "cache" / "audio").rglob("*.npz"))


def test_unknown_mood_falls_back_instead_of_failing_the_render(tmp_path: Path) -> None:
    assets, _, music = _assets(tmp_path)
    seg = Segment("m3", 0, 800, "music", meta=Meta({"style": "polka-metal"}))
    assert assets.music(seg).duration_ms >= 800 and music.calls == 1


def test_word_timings_are_cached_with_the_clip(tmp_path: Path) -> None:
    engine = FakeSpeech()
    cached = CachedSpeech(engine, DiskCache(tmp_path))
    clip, words = cached.synthesize_timed("Fresh bread every morning.", lang="en")
    assert [w for w, _, _ in words] == ["Fresh", "bread", "every", "morning."]
    assert all(0 <= s <= e <= clip.duration_ms for _, s, e in words)
    again = CachedSpeech(engine, DiskCache(tmp_path)).synthesize_timed(
        "Fresh bread every morning.", lang="en"
    )
    assert engine.calls == 1 and again[1] == words
    assert list((tmp_path / "words").rglob("*.json"))


def test_word_timings_are_estimated_for_engines_without_them(tmp_path: Path) -> None:
    class Plain:
        version = "plain:1"

        def synthesize(self, text: str, *, lang: str, voice: str = "", speed: float = 1.0) -> AudioClip:
            return FakeSpeech().synthesize(text, lang=lang, voice=voice, speed=speed)

    assets = LocalAssets(speech=Plain(), music=FakeMusic(), illustrations=FakeIllustrations(), cache=None)
    clip, words = assets.speak_timed("新鲜的面包")
    assert [w for w, _, _ in words] == ["新", "鲜", "的", "面", "包"]
    assert words[-1][2] <= clip.duration_ms
    cached, _, _ = _assets(tmp_path)
    clip2, words2 = cached.speak_timed("Hello there")
    assert [w for w, _, _ in words2] == ["Hello", "there"] and clip2.frames > 0
