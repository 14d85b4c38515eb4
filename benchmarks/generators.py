"""Speed of the generators, as multiples of realtime (audio seconds per wall second).

    .venv/bin/python benchmarks/generators.py

Prints English (Piper) and Chinese (espeak-ng) speech, background music for every style
(soundfont, and the numpy fallback), icon matching per scene and the first-use load times.
Targets: music ≥ 20× realtime, speech well above realtime. Each line also gives the CPU
time (this process and its espeak-ng children): on a shared machine the wall clock mostly
measures waiting, the CPU figure what the work costs.
"""

from __future__ import annotations

import resource
import time

from promptreel.generators.music import STYLES, MidiMusic
from promptreel.generators.speech import SpeechRouter
from promptreel.generators.visuals.embed import default_ranker
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root

EN = [
    "Meet the coffee that wakes up your whole morning.",
    "We roast our beans fresh every single day, right here in town.",
    "Smooth, rich and never bitter: that is the promise in every cup.",
    "Stop by today and taste the difference for yourself.",
]
ZH = ["美好的一天从一杯咖啡开始。", "我们每天早上新鲜烘焙咖啡豆。", "欢迎来到我们的小店，今天就来尝一尝。"]


_CPU = {"s": 0.0}


def _cpu() -> float:
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + child.ru_utime + child.ru_stime


def _timed(fn):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), _cpu()
    out = fn()
    _CPU["s"] = _cpu() - c
    return out, time.perf_counter() - t


def _rt(audio_s: float, wall: float, cpu: float) -> str:
    return f"{audio_s / wall:.1f}× realtime (wall), {audio_s / max(cpu, 1e-6):.1f}× (CPU {cpu:.2f} s)"


def main() -> None:
    router = SpeechRouter()
    _, load = _timed(lambda: router.synthesize("Warm up.", lang="en"))
    print(f"piper first use (load + one line): {load:.2f} s")
    for lang, lines in (("en", EN), ("zh", ZH)):
        audio = wall = cpu = 0.0
        for line in lines:
            clip, dt = _timed(lambda line=line, lang=lang: router.synthesize(line, lang=lang))
            audio += clip.duration_ms / 1000
            wall += dt
            cpu += _CPU["s"]
        print(f"speech {lang}: {audio:.1f} s of audio in {wall:.2f} s = {_rt(audio, wall, cpu)}")

    music = MidiMusic()
    _, load = _timed(lambda: music.compose(style="calm", duration_ms=1000))
    print(f"music first use (soundfont load): {load:.2f} s  [{music.soundfont}]")
    for style in STYLES:
        clip, dt = _timed(lambda style=style: music.compose(style=style, duration_ms=30000, seed=1))
        print(f"music {style:10s}: 30 s in {dt:.2f} s = {_rt(30, dt, _CPU['s'])}")
    fallback = MidiMusic(use_soundfont=False)
    _, dt = _timed(lambda: fallback.compose(style="upbeat", duration_ms=30000, seed=1))
    print(f"music numpy fallback: 30 s in {dt:.2f} s = {_rt(30, dt, _CPU['s'])}")

    root = find_icon_root()
    keywords = IconLibrary(root, semantic=None)
    _, load = _timed(keywords.names)
    print(f"icons: index load {load:.2f} s, {len(keywords.names())} icons")
    _, dt = _timed(lambda: [keywords.match(s) for s in EN + ZH])
    print(f"icons keyword match: {1000 * dt / len(EN + ZH):.1f} ms per scene")
    semantic = IconLibrary(root, semantic=default_ranker(None))
    _, dt = _timed(lambda: semantic.match("Grab a cappuccino on your way in."))
    print(f"icons semantic match, first (model load): {dt:.2f} s")
    _, dt = _timed(lambda: semantic.match("Sip a cappuccino by the harbour."))
    print(f"icons semantic match, warm: {1000 * dt:.0f} ms")


if __name__ == "__main__":
    main()
