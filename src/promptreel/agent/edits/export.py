"""Export asked for in chat: which format the words name ("export for Premiere", "an OTIO timeline",
"导出剪映草稿", "导出给达芬奇"), and the turn that exports a project for a video editor.

Not a draft edit (the draft stays as it is, and exporting is free): the server runs the export
job through ``export(fmt)`` and the turn reports the format and the signed download link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from promptreel.agent import events
from promptreel.agent.events import Event
from promptreel.export_formats import FORMAT_LABELS, PROJECT_FORMATS, export_format, format_label

__all__ = ["FORMAT_LABELS", "PROJECT_FORMATS", "export_format", "format_label", "run_export"]


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
