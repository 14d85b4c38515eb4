"""Composing a bed of music as notes: chords voiced bar by bar, comping, bass, a sparse melody and
drums, by style and seed (the same inputs give the same notes)."""

from __future__ import annotations

import math
import random
from typing import Any

from promptreel.generators.music.styles import resolve_style

__all__ = ["compose_midi"]

_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)


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

    name, st = resolve_style(style)
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
