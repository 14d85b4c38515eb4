"""The export formats a chat message can name ("export for Premiere", "an OTIO timeline",
"导出剪映草稿", "导出给达芬奇") and their labels in English and Chinese.

Pure and dependency-free: the agent's router, the server's turn runner and the client's chat and
MCP server all read the same words, and a client-only install needs nothing of the agent for it.
"""

from __future__ import annotations

import re

__all__ = ["FORMAT_LABELS", "PROJECT_FORMATS", "export_format", "format_label"]

PROJECT_FORMATS = ("otio", "fcpxml", "fcp7", "edl", "jianying")

#: format → (English label, Chinese label)
FORMAT_LABELS: dict[str, tuple[str, str]] = {
    "mp4": ("MP4 video", "MP4 视频"),
    "otio": ("OpenTimelineIO timeline", "OpenTimelineIO 时间线"),
    "fcpxml": ("Final Cut Pro X project", "Final Cut Pro X 工程"),
    "fcp7": ("Premiere / DaVinci Resolve project (FCP 7 XML)", "Premiere / 达芬奇工程（FCP 7 XML）"),
    "edl": ("CMX 3600 EDL", "CMX 3600 EDL"),
    "jianying": ("CapCut / JianYing draft", "剪映 / CapCut 草稿"),
}

# the most specific first: "Final Cut Pro 7" is FCP 7 XML, plain "Final Cut" is FCP X
_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("jianying", re.compile(r"jian\s*ying|cap\s*cut|剪映", re.I)),
    ("otio", re.compile(r"\botio\b|open\s*timeline\s*io|opentimelineio", re.I)),
    ("edl", re.compile(r"\bedl\b|cmx\s*-?\s*3600", re.I)),
    (
        "fcp7",
        re.compile(
            r"final\s*cut(\s*pro)?\s*7|\bfcp\s*-?\s*7\b|fcp7|premiere|\bresolve\b|da\s*vinci|达芬奇|\bpr\s*工程|\bfcp\s*xml\b",
            re.I,
        ),
    ),
    ("fcpxml", re.compile(r"final\s*cut|\bfcp\s*x\b|fcpxml|\bfcpx\b", re.I)),
    ("mp4", re.compile(r"\bmp4\b|\bvideo\s+file\b|视频文件", re.I)),
)


def export_format(message: str) -> str | None:
    """The export format the message names (a project format, or ``mp4``); ``None`` when it names none."""
    for fmt, pattern in _PHRASES:
        if pattern.search(message):
            return fmt
    return None


def format_label(fmt: str, lang: str = "en") -> str:
    en, zh = FORMAT_LABELS.get(fmt, (fmt, fmt))
    return zh if lang.lower().startswith("zh") else en
