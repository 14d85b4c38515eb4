"""Background music: a seeded composition in ``pretty_midi``, rendered through a General MIDI
soundfont with ``tinysoundfont`` (or a small numpy synth when no soundfont, or no
``tinysoundfont``, is installed).

Each style fixes tempo, mode, instruments and patterns (pads, comping, bass, drums, a sparse
melody); the seed picks key, progression and variations, so the same inputs give the same
notes. The result is a stereo 48 kHz :class:`AudioClip` with gentle fades.
"""

from __future__ import annotations

import math
import random
import tempfile
import threading
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from promptreel.clip import AudioClip, Ramps, apply_ramps
from promptreel.errors import InvalidRequest
from promptreel.generators.soundfont import subset
from promptreel.timecode import ms_to_samples

__all__ = [
    "BedStream",
    "MidiMusic",
    "Style",
    "bed_ms",
    "STYLES",
    "find_soundfont",
    "compose_midi",
    "style_name",
    "MUSIC_RATE",
]

LOOP_MS = 64_000  # longest bed composed in one piece; longer beds repeat it
LOOP_XFADE_MS = 2_000
MUSIC_RATE = 48000
_VERSION = 6  # bump when composition or rendering changes (invalidates cached music)
_SOUNDFONTS = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/soundfonts/default.sf2",
)
_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)
_DRUM = 9


@dataclass(frozen=True, slots=True)
class Style:
    """How a style sounds. Programs are General MIDI numbers (0-based); ``None`` = no part."""

    tempo: int
    minor: bool
    keys: tuple[int, ...]  # tonic pitch classes to choose from
    progressions: tuple[tuple[int, ...], ...]  # scale degrees (0 = tonic), one chord per bar
    sevenths: bool
    pad: int | None
    comp: int | None
    comp_pattern: str  # block | arp | offbeat | eighths | strum | pulse
    bass: int | None
    bass_pattern: str  # whole | root5 | pulse | octave | syncopated
    lead: int | None
    drums: str  # none | soft | lofi | pop | four | cinematic
    swing: float = 0.0
    brightness: float = 1.0  # < 1 low-passes the mix (lofi)
    reverb: float = 0.18


STYLES: dict[str, Style] = {
    "lofi": Style(
        78,
        False,
        (2, 5, 9, 0),
        ((1, 4, 0, 5), (3, 2, 1, 4), (5, 1, 4, 0)),
        True,
        89,
        4,
        "block",
        33,
        "syncopated",
        11,
        "lofi",
        swing=0.12,
        brightness=0.45,
    ),
    "upbeat": Style(
        118,
        False,
        (0, 7, 2, 9),
        ((0, 4, 5, 3), (5, 3, 0, 4), (0, 5, 3, 4)),
        False,
        50,
        1,
        "offbeat",
        33,
        "pulse",
        80,
        "pop",
    ),
    "calm": Style(
        66,
        False,
        (0, 5, 7, 2),
        ((0, 3, 5, 4), (0, 5, 3, 4), (3, 0, 4, 5)),
        True,
        88,
        0,
        "arp",
        32,
        "whole",
        None,
        "none",
        reverb=0.3,
    ),
    "cinematic": Style(
        76,
        True,
        (2, 9, 0, 4),
        ((0, 5, 2, 6), (0, 3, 5, 4), (5, 3, 0, 6)),
        False,
        48,
        45,
        "eighths",
        43,
        "whole",
        52,
        "cinematic",
        reverb=0.32,
    ),
    "happy": Style(
        124,
        False,
        (0, 7, 5, 2),
        ((0, 3, 4, 0), (0, 4, 5, 3), (3, 4, 0, 5)),
        False,
        48,
        12,
        "arp",
        33,
        "octave",
        24,
        "pop",
    ),
    "corporate": Style(
        108,
        False,
        (0, 7, 2, 5),
        ((0, 4, 5, 3), (5, 3, 0, 4), (3, 0, 4, 5)),
        False,
        49,
        0,
        "eighths",
        33,
        "pulse",
        27,
        "soft",
    ),
    "warm": Style(
        88,
        False,
        (7, 2, 0, 5),
        ((0, 2, 3, 4), (0, 5, 3, 4), (3, 0, 1, 4)),
        True,
        89,
        24,
        "strum",
        35,
        "root5",
        73,
        "soft",
        swing=0.06,
        brightness=0.7,
        reverb=0.24,
    ),
    "energetic": Style(
        128,
        True,
        (9, 4, 2, 7),
        ((5, 3, 0, 4), (0, 5, 3, 6), (0, 3, 4, 4)),
        False,
        90,
        81,
        "pulse",
        38,
        "octave",
        84,
        "four",
        brightness=1.0,
        reverb=0.14,
    ),
}
_ALIASES = {
    "inspiring": "cinematic",
    "emotional": "cinematic",
    "mysterious": "cinematic",
    "dark": "cinematic",
    "romantic": "warm",
    "hopeful": "warm",
    "acoustic": "warm",
    "sad": "calm",
    "dreamy": "calm",
    "elegant": "calm",
    "luxury": "calm",
    "funky": "upbeat",
    "motivational": "upbeat",
    "uplifting": "upbeat",
    "electronic": "energetic",
    "dance": "energetic",
    "rock": "energetic",
    "sport": "energetic",
    "jazz": "lofi",
    "festive": "happy",
    "cute": "happy",
    "kids": "happy",
    "tech": "corporate",
    "serious": "corporate",
    "chill": "lofi",
    "lo-fi": "lofi",
    "relaxed": "calm",
    "peaceful": "calm",
    "ambient": "calm",
    "epic": "cinematic",
    "dramatic": "cinematic",
    "fun": "happy",
    "playful": "happy",
    "joyful": "happy",
    "business": "corporate",
    "professional": "corporate",
    "cozy": "warm",
    "gentle": "warm",
    "exciting": "energetic",
    "fast": "energetic",
    "pop": "upbeat",
    "bright": "upbeat",
}


def style_name(name: str) -> str | None:
    """The canonical style for a style or mood word (``"chill"`` → ``"lofi"``), or ``None``."""
    key = (name or "").strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in STYLES else None


def _style(name: str) -> tuple[str, Style]:
    key = (name or "calm").strip().lower()
    key = _ALIASES.get(key, key)
    if key not in STYLES:
        raise InvalidRequest(f"Unknown music style {name!r}; choose one of {', '.join(STYLES)}.")
    return key, STYLES[key]


def find_soundfont(preferred: Path | None = None) -> Path | None:
    """``preferred`` if it exists, else the first General MIDI soundfont on the system."""
    if preferred is not None and Path(preferred).is_file():
        return Path(preferred)
    for cand in _SOUNDFONTS:
        if Path(cand).is_file():
            return Path(cand).resolve()
    return None


# ---------------------------------------------------------------- composition


def _chord(tonic: int, scale: tuple[int, ...], degree: int, sevenths: bool) -> list[int]:
    """Pitch classes (relative to C) of the chord on ``degree``, root first."""
    n = 4 if sevenths else 3
    return [(tonic + scale[(degree + 2 * i) % 7] + 12 * ((degree + 2 * i) // 7)) % 12 for i in range(n)]


def _voice(pcs: list[int], prev: list[int], low: int, high: int) -> list[int]:
    """Place pitch classes in [low, high], each as near as possible to the previous voicing."""
    centre = sum(prev) / len(prev) if prev else (low + high) / 2
    out = []
    for pc in pcs:
        cands = [p for p in range(low, high + 1) if p % 12 == pc]
        out.append(min(cands, key=lambda p: abs(p - centre)))
    return sorted(set(out))


def compose_midi(style: str, duration_ms: int, *, seed: int = 0, tempo: int = 0) -> Any:
    """A ``pretty_midi.PrettyMIDI`` of at least ``duration_ms`` (plus a ringing last chord)."""
    import pretty_midi

    name, st = _style(style)
    rng = random.Random(f"{name}:{seed}")
    bpm = int(tempo) if tempo else st.tempo
    bpm = max(40, min(220, bpm))
    beat = 60.0 / bpm
    bar = 4 * beat
    bars = max(2, math.ceil(duration_ms / 1000 / bar) + 1)
    tonic = rng.choice(st.keys)
    scale = _MINOR if st.minor else _MAJOR
    prog = list(rng.choice(st.progressions))
    if rng.random() < 0.3:
        prog = prog[2:] + prog[:2]

    pm = pretty_midi.PrettyMIDI(initial_tempo=bpm)
    parts: dict[str, Any] = {}

    def inst(role: str, program: int | None, drum: bool = False) -> Any:
        if program is None and not drum:
            return None
        if role not in parts:
            parts[role] = pretty_midi.Instrument(program=program or 0, is_drum=drum, name=role)
            pm.instruments.append(parts[role])
        return parts[role]

    def note(role: str, program: int | None, pitch: int, start: float, length: float, vel: int) -> None:
        part = inst(role, program, role == "drums")
        if part is None or length <= 0:
            return
        vel = max(1, min(127, vel + rng.randint(-6, 6)))
        part.notes.append(pretty_midi.Note(velocity=vel, pitch=int(pitch), start=start, end=start + length))

    def sw(t: float, eighth_index: int) -> float:
        return t + (st.swing * beat if eighth_index % 2 else 0.0)

    prev: list[int] = []
    motif = [rng.choice((0, 1, 2, 2, 3, 4)) for _ in range(4)]
    rhythm = rng.choice(((0, 1.5, 2, 3), (0, 1, 2.5, 3.5), (0.5, 1, 2, 3)))
    for b in range(bars):
        t0 = b * bar
        degree = prog[b % len(prog)]
        pcs = _chord(tonic, scale, degree, st.sevenths)
        voicing = _voice(pcs, prev, 53, 72)
        prev = voicing
        root = 36 + (pcs[0] - 36) % 12  # C2..B2
        section = (b // 4) % 2  # alternate A/B every four bars
        last = b == bars - 1

        # pad: whole-bar chords
        for p in voicing:
            note("pad", st.pad, p, t0, bar * (1.6 if last else 1.0), 52 if st.pad != 48 else 58)

        # comping
        if st.comp is not None:
            pat = st.comp_pattern
            if pat == "block":
                for off in (0.0, 2.5) if not last else (0.0,):
                    for p in voicing:
                        note("comp", st.comp, p + 12, t0 + off * beat, beat * 1.4, 58)
            elif pat == "arp":
                seq = [*voicing, voicing[-1] + 12, *reversed(voicing[1:])]
                for i in range(8):
                    note("comp", st.comp, seq[i % len(seq)] + 12, sw(t0 + i * beat / 2, i), beat * 0.9, 62)
            elif pat == "offbeat":
                for i in range(4):
                    for p in voicing:
                        note("comp", st.comp, p + 12, t0 + (i + 0.5) * beat, beat * 0.35, 64)
            elif pat == "eighths":
                for i in range(8):
                    p = voicing[0] + 12 if i % 2 == 0 else voicing[(i // 2) % len(voicing)] + 12
                    note("comp", st.comp, p, t0 + i * beat / 2, beat * 0.45, 54 if i % 2 else 64)
            elif pat == "strum":
                for off in (0.0, 1.5, 2.0, 3.0):
                    for k, p in enumerate(voicing):
                        note(
                            "comp", st.comp, p, sw(t0 + off * beat + k * 0.018, int(off * 2)), beat * 0.9, 58
                        )
            elif pat == "pulse":
                for i in range(8):
                    for p in voicing[:3]:
                        note("comp", st.comp, p + 12, t0 + i * beat / 2, beat * 0.3, 50 + 10 * (i % 2 == 0))

        # bass
        if st.bass is not None:
            bp = st.bass_pattern
            fifth = root + 7
            if bp == "whole" or last:
                note("bass", st.bass, root, t0, bar * 0.98, 70)
            elif bp == "root5":
                note("bass", st.bass, root, t0, beat * 1.8, 74)
                note("bass", st.bass, fifth, t0 + 2 * beat, beat * 1.8, 66)
            elif bp == "pulse":
                for i in range(8):
                    note("bass", st.bass, root, t0 + i * beat / 2, beat * 0.4, 72 if i % 2 == 0 else 60)
            elif bp == "octave":
                for i in range(8):
                    note("bass", st.bass, root + (12 if i % 2 else 0), t0 + i * beat / 2, beat * 0.42, 76)
            elif bp == "syncopated":
                note("bass", st.bass, root, t0, beat * 1.4, 74)
                note("bass", st.bass, root, sw(t0 + 1.5 * beat, 3), beat * 0.5, 62)
                note("bass", st.bass, fifth if rng.random() < 0.5 else root + 12, t0 + 2.5 * beat, beat, 66)

        # sparse melody on the second half of each 4-bar phrase (not in the first bars)
        if st.lead is not None and b >= 2 and b % 4 in (2, 3) and not last:
            tones = [*voicing, *(p + 12 for p in voicing)]
            for k, off in enumerate(rhythm):
                idx = (motif[k % len(motif)] + section + (b % 2)) % len(tones)
                note("lead", st.lead, tones[idx] + 12, sw(t0 + off * beat, int(off * 2)), beat * 0.9, 60)

        # drums
        if not last:
            _drums(note, st.drums, t0, beat, b, rng, sw)
        elif st.drums != "none":
            note("drums", 0, 49 if st.drums in ("pop", "four") else 52, t0, beat, 70)

    return pm


def _drums(note: Any, kind: str, t0: float, beat: float, b: int, rng: random.Random, sw: Any) -> None:
    if kind == "none":
        return
    d = "drums"
    if kind == "soft":
        for i in range(8):
            note(d, 0, 70, sw(t0 + i * beat / 2, i), 0.1, 38 if i % 2 else 48)  # shaker
        note(d, 0, 36, t0, 0.2, 62)
        note(d, 0, 37, t0 + 2 * beat, 0.1, 50)  # rim
    elif kind == "lofi":
        note(d, 0, 36, t0, 0.2, 78)
        note(d, 0, 36, t0 + 2.5 * beat, 0.2, 64)
        note(d, 0, 38, t0 + beat, 0.2, 58)
        note(d, 0, 38, t0 + 3 * beat, 0.2, 62)
        for i in range(8):
            note(d, 0, 42, sw(t0 + i * beat / 2, i), 0.08, 40 if i % 2 else 52)
    elif kind == "pop":
        for q in (0, 2):
            note(d, 0, 36, t0 + q * beat, 0.2, 88)
        note(d, 0, 36, t0 + 2.5 * beat, 0.2, 66)
        for q in (1, 3):
            note(d, 0, 39 if b % 2 else 38, t0 + q * beat, 0.2, 72)
        for i in range(8):
            note(d, 0, 42, t0 + i * beat / 2, 0.08, 44 if i % 2 else 58)
        if b % 8 == 0:
            note(d, 0, 49, t0, beat, 64)
    elif kind == "four":
        for q in range(4):
            note(d, 0, 36, t0 + q * beat, 0.2, 96)
            note(d, 0, 46, t0 + (q + 0.5) * beat, 0.15, 56)
        for q in (1, 3):
            note(d, 0, 39, t0 + q * beat, 0.2, 74)
        for i in range(16):
            note(d, 0, 42, t0 + i * beat / 4, 0.05, 30 + 14 * (i % 2 == 0))
        if b % 8 == 0:
            note(d, 0, 49, t0, beat, 70)
    elif kind == "cinematic":
        if b % 2 == 0:
            note(d, 0, 41, t0, 1.0, 84)  # low tom boom
            note(d, 0, 41, t0 + 0.5 * beat, 0.5, 52)
        if b % 4 == 3:
            for i in range(4):
                note(d, 0, 45 + (i % 2) * 2, t0 + (2 + i * 0.5) * beat, 0.2, 56 + 6 * i)


# ---------------------------------------------------------------- rendering

_SYNTHS: dict[str, tuple[Any, int, threading.Lock]] = {}
#: the (bank, program) pairs the styles play: their instruments, the drum kit and the fallback
_PRESETS = frozenset(
    {(0, p) for st in STYLES.values() for p in (st.pad, st.comp, st.bass, st.lead) if p is not None}
    | {(128, 0), (0, 0)}
)
_SYNTHS_LOCK = threading.Lock()


def soundfont_renderer_installed() -> bool:
    """Whether ``tinysoundfont`` is importable. scripts/setup.sh installs it pinned and without
    its PyAudio requirement (PyAudio is only for live playback, imported by ``Synth.start``,
    which this module never calls), so it is not a pip dependency; without it music renders
    with the numpy synth."""
    return find_spec("tinysoundfont") is not None


def _synth(path: Path) -> tuple[Any, int, threading.Lock]:
    """One loaded soundfont per process (FluidR3 takes about half a second to load)."""
    import tinysoundfont  # renders to arrays; never imports pyaudio

    key = str(path)
    with _SYNTHS_LOCK:
        if key not in _SYNTHS:
            synth = tinysoundfont.Synth(gain=-6, samplerate=MUSIC_RATE)
            _SYNTHS[key] = (synth, _load(synth, path), threading.Lock())
        return _SYNTHS[key]


def _load(synth: Any, path: Path) -> int:
    """Load only the presets the styles play: a subset of the soundfont (see
    :mod:`promptreel.generators.soundfont`; they sound the same) written to a temporary file,
    which the synthesiser holds in a third of the memory. Else the whole file."""
    with tempfile.NamedTemporaryFile(prefix="promptreel-", suffix=".sf2") as tmp:
        if subset(path, _PRESETS, tmp):
            tmp.flush()
            return int(synth.sfload(tmp.name, max_voices=192))
    return int(synth.sfload(str(path), max_voices=192))


def _silence_synth(synth: Any) -> None:
    """Let every voice die out, so the next render starts from the same state (the output is
    then a pure function of the notes; ``reset()`` would not give that)."""
    synth.notes_off()
    synth.sounds_off()
    synth.generate(MUSIC_RATE // 2)


def _render_soundfont(pm: Any, frames: int, path: Path) -> npt.NDArray[np.float32]:
    synth, sfid, lock = _synth(path)
    events: list[tuple[int, int, int, int, int]] = []  # (sample, order, chan, key, vel)
    programs: list[tuple[int, int, bool]] = []
    chan = 0
    for inst in pm.instruments:
        if inst.is_drum:
            c = _DRUM
        else:
            c = chan if chan != _DRUM else chan + 1
            chan = c + 1
        programs.append((c, inst.program, inst.is_drum))
        for n in inst.notes:
            s = int(n.start * MUSIC_RATE)
            e = int(n.end * MUSIC_RATE)
            if s >= frames:
                continue
            events.append((s, 1, c, n.pitch, n.velocity))
            events.append((max(e, s + 1), 0, c, n.pitch, 0))
    events.sort()
    out = np.zeros((frames, 2), dtype=np.float32)
    with lock:
        for c, program, drum in programs:
            try:
                synth.program_select(c, sfid, 128 if drum else 0, 0 if drum else program, is_drums=drum)
            except RuntimeError:
                synth.program_select(c, sfid, 0, 0, is_drums=drum)
        pos = 0
        i = 0
        while pos < frames:
            nxt = events[i][0] if i < len(events) else frames
            nxt = min(max(nxt, pos), frames)
            if nxt > pos:
                buf = synth.generate(nxt - pos)
                out[pos:nxt] = np.frombuffer(buf, dtype=np.float32).reshape(-1, 2)
                pos = nxt
            while i < len(events) and events[i][0] <= pos:
                _, on, c, key, vel = events[i]
                if on:
                    synth.noteon(c, key, vel)
                else:
                    synth.noteoff(c, key)
                i += 1
            if i >= len(events) and pos < frames:
                buf = synth.generate(frames - pos)
                out[pos:] = np.frombuffer(buf, dtype=np.float32).reshape(-1, 2)
                pos = frames
        _silence_synth(synth)
    return out


def _render_numpy(pm: Any, frames: int, seed: int) -> npt.NDArray[np.float32]:
    """A tiny additive synth: soft triangle-ish tones with envelopes, noise drums."""
    out = np.zeros((frames, 2), dtype=np.float32)
    rng = np.random.default_rng(seed)
    pans = {"pad": 0.0, "comp": -0.3, "bass": 0.0, "lead": 0.3, "drums": 0.1}
    for inst in pm.instruments:
        pan = pans.get(inst.name, 0.0)
        gains = np.array([math.cos((pan + 1) * math.pi / 4), math.sin((pan + 1) * math.pi / 4)], np.float32)
        for n in inst.notes:
            s = int(n.start * MUSIC_RATE)
            if s >= frames:
                continue
            vel = n.velocity / 127.0
            if inst.is_drum:
                length = int(0.12 * MUSIC_RATE) if n.pitch != 36 else int(0.25 * MUSIC_RATE)
                length = min(length, frames - s)
                t = np.arange(length, dtype=np.float32) / MUSIC_RATE
                if n.pitch in (35, 36, 41, 43, 45, 47):
                    f = 55.0 + 60.0 * np.exp(-t * 30)
                    sig = np.sin(2 * np.pi * np.cumsum(f) / MUSIC_RATE) * np.exp(-t * 12)
                else:
                    sig = rng.standard_normal(length).astype(np.float32) * np.exp(-t * 40) * 0.4
                sig = sig * vel * 0.5
            else:
                dur = max(0.05, n.end - n.start)
                length = min(int((dur + 0.3) * MUSIC_RATE), frames - s)
                t = np.arange(length, dtype=np.float32) / MUSIC_RATE
                f = 440.0 * 2 ** ((n.pitch - 69) / 12)
                ph = 2 * np.pi * f * t
                sig = np.sin(ph) + 0.25 * np.sin(2 * ph) + 0.1 * np.sin(3 * ph)
                attack = 0.08 if inst.name == "pad" else 0.01
                env = np.minimum(1.0, t / attack) * np.where(t < dur, 1.0, np.exp(-(t - dur) * 12))
                env *= np.exp(-t * (0.3 if inst.name == "pad" else 1.5))
                sig = sig * env * vel * (0.12 if inst.name == "pad" else 0.2)
            out[s : s + length] += sig[:, None].astype(np.float32) * gains
    return out


#: samples filtered at a time while a bed is made: its temporaries stay a few MB, however long
_PIECE = 8 * MUSIC_RATE


def _reverb(x: npt.NDArray[np.float32], wet: float, seed: int) -> npt.NDArray[np.float32]:
    """``x`` with a seeded noise-burst reverb mixed in, in place, a piece at a time
    (overlap-add: each piece's tail is carried into the next)."""
    if wet <= 0:
        return x
    from scipy.signal import fftconvolve

    rng = np.random.default_rng(seed)
    n = int(1.4 * MUSIC_RATE)
    t = np.arange(n) / MUSIC_RATE
    decay = np.exp(-t * 4.2)
    ir = rng.standard_normal((n, 2)) * decay[:, None]
    ir[: int(0.012 * MUSIC_RATE)] = 0  # pre-delay
    ir /= np.sqrt((ir**2).sum(axis=0))
    ir32 = ir.astype(np.float32)
    dry, wet32 = np.float32(1 - wet * 0.5), np.float32(wet)
    carry: npt.NDArray[np.float32] | None = None  # the reverb of earlier pieces ringing on
    for start in range(0, x.shape[0], _PIECE):
        piece = x[start : start + _PIECE]
        y = fftconvolve(piece, ir32, axes=0).astype(np.float32, copy=False)
        if carry is not None:
            y[: carry.shape[0]] += carry
        k = piece.shape[0]
        carry = y[k:]
        piece *= dry
        piece += wet32 * y[:k]
    return x


def _lowpass(x: npt.NDArray[np.float32], brightness: float) -> npt.NDArray[np.float32]:
    """``x`` low-passed (brighter styles: not at all), in place, a piece at a time."""
    if brightness >= 0.99:
        return x
    from scipy.signal import butter, sosfilt

    cutoff = 1500 + brightness * 9000
    sos = butter(2, cutoff, fs=MUSIC_RATE, output="sos")
    zi = np.zeros((sos.shape[0], x.shape[1], 2))
    for start in range(0, x.shape[0], _PIECE):
        piece = x[start : start + _PIECE]
        y, zi = sosfilt(sos, piece, axis=0, zi=zi)
        piece[:] = y
    return x


def _rms(x: npt.NDArray[np.float32]) -> float:
    total = 0.0
    for start in range(0, x.shape[0], _PIECE):
        piece = x[start : start + _PIECE].astype(np.float64)
        total += float(np.einsum("ij,ij->", piece, piece))
    return float(np.sqrt(total / x.size)) if x.size else 0.0


class MidiMusic:
    """The :class:`~promptreel.generators.base.Music` engine.

    ``soundfont``: a General MIDI ``.sf2``; ``None`` → ``settings.soundfont`` or the first one
    found on the system; if there is none, the numpy synth renders instead. Output is stereo
    48 kHz, exactly ``duration_ms`` long, RMS about −20 dBFS with the peak under −1 dBFS.
    """

    rate = MUSIC_RATE

    def __init__(
        self,
        soundfont: Path | None = None,
        *,
        use_soundfont: bool = True,
        fade_in_ms: int = 800,
        fade_out_ms: int = 2000,
    ) -> None:
        use_soundfont = use_soundfont and soundfont_renderer_installed()
        self.soundfont = find_soundfont(soundfont) if use_soundfont else None
        self.fade_in_ms = fade_in_ms
        self.fade_out_ms = fade_out_ms
        sf = f"{self.soundfont.name}:{self.soundfont.stat().st_size}" if self.soundfont else "numpy"
        self.version = f"midi:{_VERSION}:{sf}:{fade_in_ms}:{fade_out_ms}"

    @staticmethod
    def styles() -> list[str]:
        return list(STYLES)

    def midi(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> Any:
        """The composition as ``pretty_midi.PrettyMIDI`` (e.g. to export a ``.mid``)."""
        return compose_midi(style, duration_ms, seed=seed, tempo=tempo)

    def compose(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        """Music of exactly ``duration_ms``. Beds longer than ``LOOP_MS`` are one composed loop
        repeated with crossfades, so the time to make them stays flat however long the video
        is (:meth:`compose_stream` gives the same samples without holding them all)."""
        if duration_ms <= 0:
            return AudioClip.silence(0, MUSIC_RATE, channels=2)
        stream = self.compose_stream(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo)
        return AudioClip(stream.read(0, stream.frames), MUSIC_RATE)

    def bed_ms(self, duration_ms: int) -> int:
        """How long the bed of music ``duration_ms`` long is (see :func:`bed_ms`)."""
        return bed_ms(duration_ms)

    def compose_stream(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> BedStream:
        """:meth:`compose` read a piece at a time: memory is one bed (at most ``LOOP_MS`` and a
        crossfade), whatever the length."""
        bed = self.bed(style=style, duration_ms=duration_ms, seed=seed, tempo=tempo)
        return self.stream(bed, duration_ms)

    def bed(self, *, style: str, duration_ms: int, seed: int = 0, tempo: int = 0) -> AudioClip:
        """The rendered music that music of ``duration_ms`` is read from: :func:`bed_ms` long,
        without fades (what is worth caching)."""
        ms = bed_ms(duration_ms)
        if ms <= 0:
            return AudioClip.silence(0, MUSIC_RATE, channels=2)
        return AudioClip(self._bed(style, ms, seed, tempo), MUSIC_RATE)

    def stream(self, bed: AudioClip, duration_ms: int) -> BedStream:
        """Music of ``duration_ms`` read from ``bed`` (from :meth:`bed` for that duration)."""
        frames = max(0, ms_to_samples(duration_ms, MUSIC_RATE))
        tiled = bed_ms(duration_ms) < duration_ms
        return BedStream(
            bed.samples,
            frames,
            xfade=ms_to_samples(LOOP_XFADE_MS, MUSIC_RATE) if tiled else 0,
            ramps=_fade_ramps(frames, self.fade_in_ms, self.fade_out_ms),
        )

    def _bed(self, style: str, duration_ms: int, seed: int, tempo: int) -> npt.NDArray[np.float32]:
        """Rendered, filtered and levelled music of ``duration_ms`` (no fades)."""
        name, st = _style(style)
        pm = compose_midi(name, duration_ms, seed=seed, tempo=tempo)
        frames = ms_to_samples(duration_ms, MUSIC_RATE)
        if self.soundfont is not None:
            x = _render_soundfont(pm, frames, self.soundfont)
        else:
            x = _render_numpy(pm, frames, seed)
        x = _lowpass(x, st.brightness)
        x = _reverb(x, st.reverb, seed)
        rms = _rms(x)
        if rms > 1e-6:
            x *= 0.1 / rms  # −20 dBFS RMS
        peak = max(float(x.max()), -float(x.min())) if x.size else 0.0
        if peak > 0.89:
            x *= 0.89 / peak
        return np.asarray(x, dtype=np.float32)


def bed_ms(duration_ms: int) -> int:
    """How long the bed of music ``duration_ms`` long is: all of it, or one loop to repeat."""
    return LOOP_MS + LOOP_XFADE_MS if duration_ms > LOOP_MS + LOOP_XFADE_MS else max(0, duration_ms)


def _fade_ramps(n: int, fade_in_ms: int, fade_out_ms: int) -> Ramps:
    """Gentle fades over the first and last samples of ``n`` (sine² in, cosine² out), as ramps."""
    fi = min(n // 4, MUSIC_RATE * fade_in_ms // 1000)
    fo = min(n // 3, MUSIC_RATE * fade_out_ms // 1000)
    ramps: list[tuple[int, npt.NDArray[np.float32]]] = []
    if fi > 0:
        ramps.append((0, np.sin(np.linspace(0, np.pi / 2, fi, dtype=np.float32)) ** 2))
    if fo > 0:
        ramps.append((n - fo, np.cos(np.linspace(0, np.pi / 2, fo, dtype=np.float32)) ** 2))
    return tuple(ramps)


class BedStream:
    """Music ``frames`` long read from one bed: the bed itself (``xfade == 0``), or the bed
    repeated every ``len(bed) - xfade`` samples, each repeat crossfaded (equal power) over the
    end of the one before, then faded.
    Reading ``[a, b)`` gives exactly those samples of the whole, computed then."""

    def __init__(self, bed: npt.NDArray[np.float32], frames: int, *, xfade: int, ramps: Ramps) -> None:
        self.bed = np.ascontiguousarray(bed, dtype=np.float32)
        self.frames = frames if xfade else min(frames, self.bed.shape[0])
        self.rate = MUSIC_RATE
        self.channels = int(self.bed.shape[1])
        self.xfade = xfade
        self.ramps = ramps
        ramp = np.linspace(0.0, np.pi / 2, xfade, dtype=np.float32)[:, None]
        self._in, self._out = np.sin(ramp), np.cos(ramp)

    def read(self, start: int, stop: int) -> npt.NDArray[np.float32]:
        start, stop = max(0, start), min(self.frames, stop)
        out = np.empty((max(0, stop - start), self.channels), np.float32)
        bed, xf = self.bed, self.xfade
        period = bed.shape[0] - xf
        t = start
        while t < stop:
            if not xf:
                out[:] = bed[start:stop]
                break
            k, j = divmod(t, period)
            if k and j < xf:  # a repeat fading in over the end of the one before
                e = min(stop, t + xf - j)
                m = e - t
                out[t - start : e - start] = (
                    bed[period + j : period + j + m] * self._out[j : j + m]
                    + bed[j : j + m] * self._in[j : j + m]
                )
            else:
                e = min(stop, (k + 1) * period)
                out[t - start : e - start] = bed[j : j + e - t]
            t = e
        apply_ramps(out, start, self.ramps)
        return out
