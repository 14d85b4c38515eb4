"""Rendering: a draft and its assets → a finished H.264/AAC MP4 (the only package using PyAV)."""

from promptreel.render.assets import Assets
from promptreel.render.audio import mix_audio
from promptreel.render.avio import VideoSource, load_audio, load_image_rgba
from promptreel.render.engine import RenderResult, render_draft
from promptreel.render.options import RenderOptions
from promptreel.render.painter import FlatPainter, Painter, PainterFactory
from promptreel.render.probe import MediaInfo, probe

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
