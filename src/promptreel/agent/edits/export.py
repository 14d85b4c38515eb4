"""Export asked for in chat: which format the words name ("export for Premiere", "an OTIO timeline",
"导出剪映草稿", "导出给达芬奇"), and the turn that exports a project for a video editor.

Not a draft edit (the draft stays as it is, and exporting is free): the server runs the export
job through ``export(fmt)`` and the turn reports the format and the signed download link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from promptreel.agent import events
from promptreel.agent.events import Event

__all__ = ["FORMAT_LABELS", "PROJECT_FORMATS", "export_format", "format_label", "run_export"]

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


def run_export(fmt: str, export: Callable[[str], dict[str, Any]], *, lang: str = "en") -> Iterator[Event]:
    """The turn for "export for <editor>": a call and a response that carry the format and, when the
    job finished, the signed link (``output.url``, relative to the server), then a sentence."""
    zh = lang.lower().startswith("zh")
    label = format_label(fmt, lang)
    yield events.call("call_export", "export", {"format": fmt})
    job = export(fmt)
    output = job.get("output") or {}
    result: dict[str, Any] = {
        "status": job.get("status"),
        "format": fmt,
        "id": job.get("id"),
        "url": output.get("url"),
        "size": output.get("size"),
        "error": job.get("error"),
    }
    yield events.response("call_export", "export", result)
    if job.get("status") == "completed":
        if zh:
            yield events.text(
                f"{label}已导出：一个 zip，内含工程文件、每个场景的片段、旁白和音乐的 WAV、字幕 SRT。"
                f"下载链接：{output.get('url')}（链接会过期）。导出不消耗积分，草稿没有改动。"
            )
        else:
            yield events.text(
                f"Your {label} is ready: a zip with the project file, one clip per scene, the narration and "
                f"music as WAV and the captions as SRT. Download: {output.get('url')} (the link expires). "
                "Export is free; the draft did not change."
            )
    elif job.get("status") == "failed":
        why = str(job.get("error") or "")
        yield events.text(
            f"{label}导出失败：{why} 请再试一次。"
            if zh
            else f"The {label} export failed: {why} Please try again."
        )
    else:
        yield events.text(
            f"{label}仍在导出中（{job.get('id')}），稍后再说“导出”查看。"
            if zh
            else f"The {label} is still being exported (job {job.get('id')}); ask again in a moment for the link."
        )
