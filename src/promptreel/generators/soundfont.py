"""A SoundFont 2 file cut down to the presets a render plays, so loading it costs megabytes.

A General MIDI soundfont holds every instrument: FluidR3_GM is 148 MB of 16-bit samples, which
the synthesiser holds as float32 (about 290 MB, 430 MB at its peak while loading), although
the music styles play a dozen programs and one drum kit. :func:`subset` keeps the file's
preset, instrument and generator lists as they are and keeps only the sample data the wanted
presets reach (preset → instrument → sample, stereo partners included), with every sample
header moved to its new place; the others point at a short stretch of silence. The wanted
presets therefore sound exactly as they do from the whole file.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path
from typing import IO

__all__ = ["subset"]

_INSTRUMENT = 41  # generator: the instrument of a preset zone
_SAMPLE_ID = 53  # generator: the sample of an instrument zone
_GUARD = 46  # zero samples the format asks for after every sample
_PHDR, _BAG, _GEN, _INST, _SHDR = 38, 4, 4, 22, 46  # record sizes
_LISTS = ("phdr", "pbag", "pmod", "pgen", "inst", "ibag", "imod", "igen", "shdr")  # in file order


def _chunks(f: IO[bytes], start: int, end: int) -> dict[str, tuple[int, int]]:
    """``{id: (data offset, size)}`` of the chunks in ``[start, end)``; a LIST chunk is listed
    under its list type (``"sdta"``, ``"pdta"``), its data after the type."""
    out: dict[str, tuple[int, int]] = {}
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        cid, size = struct.unpack("<4sI", f.read(8))
        name = cid.decode("latin-1")
        if name == "LIST":
            kind = f.read(4).decode("latin-1")
            out[kind] = (pos + 12, size - 4)
        else:
            out[name] = (pos + 8, size)
        pos += 8 + size + (size & 1)
    return out


def subset(path: Path, presets: Iterable[tuple[int, int]], out: IO[bytes]) -> bool:
    """Write to ``out`` the soundfont at ``path`` with only the sample data of ``presets``
    ((bank, program) pairs), a valid .sf2; ``False`` (nothing written) when the file is not
    one this can cut, and the caller loads it whole. Sample data is copied a sample at a time:
    memory stays small whatever the file."""
    try:
        with open(path, "rb") as f:
            riff, size, form = struct.unpack("<4sI4s", f.read(12))
            if riff != b"RIFF" or form != b"sfbk":
                return False
            top = _chunks(f, 12, 8 + size)
            if "sdta" not in top or "pdta" not in top:
                return False
            sdta = _chunks(f, top["sdta"][0], sum(top["sdta"]))
            pdta = _chunks(f, top["pdta"][0], sum(top["pdta"]))
            if "smpl" not in sdta or "sm24" in sdta or any(name not in pdta for name in _LISTS):
                return False
            lists = {}
            for name in _LISTS:
                f.seek(pdta[name][0])
                lists[name] = f.read(pdta[name][1])
            keep = _samples(lists, set(presets))
            smpl_at, smpl_size = sdta["smpl"]
            headers = bytearray(lists["shdr"])
            copies: list[tuple[int, int]] = []  # (byte offset in the file's sample data, bytes)
            moved = _GUARD  # the first samples: silence for the samples no wanted preset plays
            for i in range(len(headers) // _SHDR - 1):  # the last header is the terminal one
                at = i * _SHDR + 20
                start, end, loop0, loop1 = struct.unpack_from("<4I", headers, at)
                if i in keep and start <= end and 2 * (end + _GUARD) <= smpl_size:
                    copies.append((2 * start, 2 * (end - start + _GUARD)))
                    shift = moved - start
                    struct.pack_into("<4I", headers, at, moved, end + shift, loop0 + shift, loop1 + shift)
                    moved += end - start + _GUARD
                else:
                    struct.pack_into("<4I", headers, at, 0, 1, 0, 1)
            lists["shdr"] = bytes(headers)
            info = _chunk(
                b"LIST", b"INFO" + _chunk(b"ifil", struct.pack("<HH", 2, 1)) + _chunk(b"INAM", b"subset\0\0")
            )
            pdta_data = _chunk(
                b"LIST", b"pdta" + b"".join(_chunk(name.encode(), lists[name]) for name in _LISTS)
            )
            smpl_bytes = 2 * moved
            sdta_size = 4 + 8 + smpl_bytes
            out.write(struct.pack("<4sI4s", b"RIFF", 4 + len(info) + 8 + sdta_size + len(pdta_data), b"sfbk"))
            out.write(info)
            out.write(struct.pack("<4sI4s4sI", b"LIST", sdta_size, b"sdta", b"smpl", smpl_bytes))
            out.write(bytes(2 * _GUARD))
            for offset, length in copies:
                f.seek(smpl_at + offset)
                out.write(f.read(length))
            out.write(pdta_data)
    except (OSError, struct.error):
        return False
    return True


def _samples(lists: dict[str, bytes], wanted: set[tuple[int, int]]) -> set[int]:
    """Indices of the samples the ``wanted`` presets reach, their stereo partners included."""
    phdr, pbag, pgen = lists["phdr"], lists["pbag"], lists["pgen"]
    inst, ibag, igen, shdr = lists["inst"], lists["ibag"], lists["igen"], lists["shdr"]

    def bag_gen(bags: bytes, i: int) -> int:
        return int(struct.unpack_from("<H", bags, i * _BAG)[0])

    def gens(bags: bytes, generators: bytes, first_bag: int, last_bag: int, oper: int) -> set[int]:
        found = set()
        for g in range(bag_gen(bags, first_bag), bag_gen(bags, last_bag)):
            op, amount = struct.unpack_from("<HH", generators, g * _GEN)
            if op == oper:
                found.add(amount)
        return found

    instruments: set[int] = set()
    for p in range(len(phdr) // _PHDR - 1):
        program, bank, bag = struct.unpack_from("<HHH", phdr, p * _PHDR + 20)
        if (bank, program) in wanted:
            next_bag = struct.unpack_from("<H", phdr, (p + 1) * _PHDR + 24)[0]
            instruments |= gens(pbag, pgen, bag, next_bag, _INSTRUMENT)
    samples: set[int] = set()
    count = len(inst) // _INST - 1
    for i in instruments:
        if i < count:
            bag, next_bag = (struct.unpack_from("<H", inst, k * _INST + 20)[0] for k in (i, i + 1))
            samples |= gens(ibag, igen, bag, next_bag, _SAMPLE_ID)
    for s in list(samples):  # a stereo sample plays with its partner
        if s < len(shdr) // _SHDR:
            samples.add(int(struct.unpack_from("<H", shdr, s * _SHDR + 42)[0]))
    return samples


def _chunk(cid: bytes, data: bytes) -> bytes:
    return struct.pack("<4sI", cid, len(data)) + data + (b"\0" if len(data) & 1 else b"")
