"""System fonts for drawing: display/text families with fallback for CJK and color emoji.

One process-wide :class:`skia.FontMgr` and one paragraph ``FontCollection``. Every family list
handed to the text layout ends with color emoji, CJK and a wide-coverage sans, so no script
falls through to a ``.notdef`` box as long as the Debian font packages are installed.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile

import skia

__all__ = [
    "DISPLAY",
    "TEXT",
    "EMOJI",
    "CJK",
    "font_manager",
    "font_collection",
    "installed",
    "families",
    "typeface",
    "emoji_typeface",
    "covers",
]

#: preferred faces for big headlines (first installed wins; the rest stay as fallback)
DISPLAY: tuple[str, ...] = ("Inter Display", "Inter", "Lato", "Roboto", "Open Sans")
#: preferred faces for captions, subtitles and labels
TEXT: tuple[str, ...] = ("Inter", "Lato", "Roboto", "Open Sans")
EMOJI = "Noto Color Emoji"
#: simplified Chinese first; WenQuanYi is the small fallback when Noto CJK is missing
CJK: tuple[str, ...] = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Sans CJK TC")
_LAST_RESORT: tuple[str, ...] = ("DejaVu Sans",)


# skia's own fontconfig predates elements that newer system configurations use; it warns about
# each one on stderr when it first loads them, though the fonts load the same
_HARMLESS = re.compile(rb'^Fontconfig warning: "[^"]*", line \d+: unknown element "[\w-]+"\n?$')


@functools.cache
def font_manager() -> skia.FontMgr:
    """The process's font manager. Made with the process's stderr caught (fontconfig loads its
    configuration then), and everything but fontconfig's harmless warnings written back."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        return skia.FontMgr()
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            mgr = skia.FontMgr()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        caught.seek(0)
        rest = [line for line in caught.read().splitlines(keepends=True) if not _HARMLESS.match(line)]
    if rest:
        os.write(2, b"".join(rest))
    return mgr


@functools.cache
def font_collection() -> skia.textlayout.FontCollection:
    fc = skia.textlayout.FontCollection()
    fc.setDefaultFontManager(font_manager())
    return fc


@functools.cache
def _installed_names() -> frozenset[str]:
    fm = font_manager()
    return frozenset(fm.getFamilyName(i) for i in range(fm.countFamilies()))


def installed(family: str) -> bool:
    return family in _installed_names()


@functools.cache
def families(kind: str = "text", preferred: str = "") -> tuple[str, ...]:
    """The family list for a text style: ``preferred`` (if installed), the kind's faces, then
    emoji, CJK and a last resort — only installed names, no duplicates."""
    base = DISPLAY if kind == "display" else TEXT
    wanted = ((preferred,) if preferred else ()) + base + (EMOJI,) + CJK + _LAST_RESORT
    out: list[str] = []
    for name in wanted:
        if name and name not in out and installed(name):
            out.append(name)
    return tuple(out) or ("sans-serif",)


@functools.cache
def typeface(family: str, weight: int = 400) -> skia.Typeface:
    """A typeface of an installed family (the default face if it is missing)."""
    tf = font_manager().matchFamilyStyle(family, skia.FontStyle(weight, 5, skia.FontStyle.kUpright_Slant))
    return tf if tf is not None else skia.Typeface.MakeDefault()


@functools.cache
def emoji_typeface() -> skia.Typeface | None:
    if not installed(EMOJI):
        return None
    return typeface(EMOJI)


def covers(tf: skia.Typeface, text: str) -> bool:
    """Whether every non-space character of ``text`` has a real glyph (id ≠ 0) in ``tf``."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return True
    ids = tf.unicharsToGlyphs([ord(ch) for ch in chars])
    return all(int(g) != 0 for g in ids)
