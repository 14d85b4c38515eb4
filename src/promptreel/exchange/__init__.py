"""Projects for video editors: a draft as OTIO, FCP X / FCP 7 XML, CMX 3600 EDL or a CapCut /
JianYing draft folder, with the media they reference; and OTIO (or FCP XML) back into a draft.

Above ``render`` and ``draft``, below ``service``: it never touches storage, the API or the CLI.
"""

from promptreel.exchange.formats import (
    FORMATS,
    ProjectFile,
    project_name,
    read_jianying,
    read_timeline,
    write_project,
)
from promptreel.exchange.media import MediaFiles, write_media
from promptreel.exchange.timeline import ClipPlan, ImportResult, clip_plans, from_otio, to_otio

__all__ = [
    "FORMATS",
    "ClipPlan",
    "ImportResult",
    "MediaFiles",
    "ProjectFile",
    "clip_plans",
    "from_otio",
    "project_name",
    "read_jianying",
    "read_timeline",
    "to_otio",
    "write_media",
    "write_project",
]
