"""Rendering: a draft and its assets → a finished H.264/AAC MP4 (the only package using PyAV).

Names are loaded on first use, so importing one submodule (``promptreel.render.probe`` for an
upload check) does not pull in the mixer, the encoder and their numeric libraries: a server
starts in a fraction of the time and pays for the renderer when it first renders.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from promptreel.render.assets import Assets
    from promptreel.render.audio import mix_audio
    from promptreel.render.avio import VideoSource, load_audio, load_image_rgba
    from promptreel.render.engine import RenderResult, render_draft
    from promptreel.render.options import RenderOptions
    from promptreel.render.painter import FlatPainter, Painter, PainterFactory

# ``probe`` is also the name of its module: importing ``promptreel.render.probe`` anywhere binds
# the module to this package's attribute, so the function is bound here, eagerly (the upload
# check needs it at start anyway; it loads PyAV and skia, not the mixer)
from promptreel.render.probe import MediaInfo, probe

_HOMES = {
    "Assets": "assets",
    "mix_audio": "audio",
    "VideoSource": "avio",
    "load_audio": "avio",
    "load_image_rgba": "avio",
    "RenderResult": "engine",
    "render_draft": "engine",
    "RenderOptions": "options",
    "FlatPainter": "painter",
    "Painter": "painter",
    "PainterFactory": "painter",
}

__all__ = [
    "Assets",
    "FlatPainter",
    "MediaInfo",
    "Painter",
    "PainterFactory",
    "RenderOptions",
    "RenderResult",
    "VideoSource",
    "load_audio",
    "load_image_rgba",
    "mix_audio",
    "probe",
    "render_draft",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'promptreel.render' has no attribute {name!r}")
    value = getattr(import_module(f"promptreel.render.{home}"), name)
    globals()[name] = value
    return value
