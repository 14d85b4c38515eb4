"""Intent routing before anything reaches the agent, and GUI-wording translation after.

:func:`route` reads what the person typed (English or Chinese) and picks the action:

=====================================================  ==========
export / 导出 / download / send me the video            export
credits / 积分 / balance / 余额                          balance
status / 状态 / show tracks (open/preview the timeline)  summary
upload / 上传, or an existing file path                  upload
everything else                                         turn
=====================================================  ==========

GUI wording in the person's message ("click Export", "打开时间线", "drag the title…") maps to
the matching action rather than being sent on verbatim. :func:`translate_gui` does the same for
the agent's replies, which are sometimes written as if there were buttons to press: the
instruction is rewritten into what to say here, and the action it implies is returned.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

__all__ = ["Intent", "Route", "Translation", "route", "translate_gui", "find_paths"]


class Intent(StrEnum):
    EXPORT = "export"
    BALANCE = "balance"
    SUMMARY = "summary"
    UPLOAD = "upload"
    TURN = "turn"


@dataclass(frozen=True)
class Route:
    intent: Intent
    text: str  # the message for the agent (turn) or the follow-up after an upload
    paths: tuple[Path, ...] = ()
    urls: tuple[str, ...] = ()
    followup: str = ""  # upload: what to ask the agent once the files are in


def _en(*words: str) -> re.Pattern[str]:
    alts = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)


_EXPORT = _en(
    "export",
    "exports",
    "exporting",
    "download",
    "send me the video",
    "send me the file",
    "render it",
    "export button",
)
_EXPORT_ZH = re.compile("导出|下载")
_BALANCE = _en("credits", "credit balance", "balance", "my credits")
_BALANCE_ZH = re.compile("积分|余额")
_SUMMARY = _en(
    "status",
    "show tracks",
    "show the tracks",
    "show me the tracks",
    "show timeline",
    "show the timeline",
    "list tracks",
    "preview in timeline",
)
_SUMMARY_ZH = re.compile("状态|轨道|时间线")
_OPEN = re.compile(
    r"(?<![\w-])(?:open|preview|view|look\s+at)\s+(?:the\s+|my\s+)?(?:timeline|project|draft|tracks?|editor)\b",
    re.IGNORECASE,
)
_OPEN_ZH = re.compile("(打开|预览|查看)(时间线|项目|草稿|轨道|编辑器)")
_UPLOAD = _en("upload", "uploads", "uploading")
_UPLOAD_ZH = re.compile("上传")
_CLICK = re.compile(r"^\s*(?:please\s+)?(?:click|tap|press|hit)\s+(?:on\s+)?(?:the\s+)?", re.IGNORECASE)
_CLICK_ZH = re.compile(r"^\s*(?:请)?点击")
_BUTTON = re.compile(r"\s*(?:button|按钮)\s*$", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")

MEDIA_SUFFIXES = frozenset(
    [
        ".mp4",
        ".mov",
        ".avi",
        ".webm",
        ".mkv",
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".mp3",
        ".wav",
        ".m4a",
        ".aac",
    ]
)


def find_paths(text: str, cwd: Path | None = None) -> list[Path]:
    """Existing files named in the text (quoted, plain, ``~``-relative or relative to ``cwd``)."""
    base = cwd or Path.cwd()
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError:
        tokens = text.split()
    found: list[Path] = []
    for raw in tokens:
        tok = raw.strip(",;:!?()[]{}<>\"'“”‘’。，")
        if not tok or "://" in tok or len(tok) > 4096:
            continue
        if "/" not in tok and "\\" not in tok and Path(tok).suffix.lower() not in MEDIA_SUFFIXES:
            continue
        p = Path(tok).expanduser()
        if not p.is_absolute():
            p = base / p
        try:
            if p.is_file() and p not in found:
                found.append(p)
        except OSError:
            continue
    return found


def _strip_upload_words(text: str, paths: list[Path], urls: list[str]) -> str:
    out = text
    for u in urls:
        out = out.replace(u, " ")
    for p in paths:
        for form in (str(p), p.name):
            out = out.replace(f'"{form}"', " ").replace(f"'{form}'", " ")
    try:
        tokens = shlex.split(out, posix=True)
    except ValueError:
        tokens = out.split()
    names = {p.name for p in paths} | {str(p) for p in paths}
    kept = [
        t
        for t in tokens
        if t.strip(",;:!?") not in names and not any(t.strip(",;:!?").endswith(n) for n in names)
    ]
    rest = " ".join(kept)
    rest = _UPLOAD.sub(" ", rest)
    rest = _UPLOAD_ZH.sub(" ", rest)
    rest = re.sub(
        r"^\s*(?:please\s+)?(?:this|these|the|my|file|files|and|then|,)(\s+|$)",
        " ",
        rest,
        flags=re.IGNORECASE,
    )
    rest = re.sub(r"\s+", " ", rest).strip(" ,.;:和并然后")
    return rest if len(rest.split()) >= 2 or (rest and not rest.isascii()) else ""


def route(text: str, *, cwd: Path | None = None) -> Route:
    """Pick the action for one message (before anything is sent to the agent)."""
    msg = text.strip()
    # GUI wording in the person's own message: "click Export", "点击导出" → the thing clicked
    clicked = _CLICK.sub("", msg, count=1) if _CLICK.match(msg) else _CLICK_ZH.sub("", msg, count=1)
    if clicked != msg:
        msg = _BUTTON.sub("", clicked).strip() or msg
    paths = find_paths(msg, cwd)
    urls = _URL.findall(msg)
    if _EXPORT.search(msg) or _EXPORT_ZH.search(msg):
        return Route(Intent.EXPORT, msg)
    if _BALANCE.search(msg) or _BALANCE_ZH.search(msg):
        return Route(Intent.BALANCE, msg)
    if _SUMMARY.search(msg) or _SUMMARY_ZH.search(msg) or _OPEN.search(msg) or _OPEN_ZH.search(msg):
        return Route(Intent.SUMMARY, msg)
    wants_upload = bool(_UPLOAD.search(msg) or _UPLOAD_ZH.search(msg))
    if paths or (wants_upload and urls):
        return Route(Intent.UPLOAD, msg, tuple(paths), tuple(urls), _strip_upload_words(msg, paths, urls))
    if wants_upload:
        return Route(Intent.UPLOAD, msg)
    return Route(Intent.TURN, msg)


# --------------------------------------------------------------------------- agent text (GUI)


@dataclass(frozen=True)
class Translation:
    text: str
    actions: tuple[Intent, ...] = field(default=())


_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*\n?|\n")

_GUI_RULES: list[tuple[re.Pattern[str], Intent | None, str]] = [
    (
        re.compile(r"\b(?:click|press|tap|hit)\b[^.!?。]*\bexport\b|\bexport\s+button\b", re.IGNORECASE),
        Intent.EXPORT,
        'Say "export" and I\'ll render the MP4 and download it for you.',
    ),
    (re.compile(r"(?:点击|按)[^。！？]*导出|导出按钮"), Intent.EXPORT, "说「导出」，我会渲染并下载 MP4。"),
    (
        re.compile(
            r"\b(?:preview|view|see)\b[^.!?。]*\btimeline\b|\bopen\b[^.!?。]*\b(?:timeline|editor|project|"
            r"panel|tab|menu|settings)\b",
            re.IGNORECASE,
        ),
        Intent.SUMMARY,
        "Here is the timeline as it stands now:",
    ),
    (
        re.compile(r"(?:打开|预览|查看)[^。！？]*(?:时间线|编辑器|项目|面板|菜单)"),
        Intent.SUMMARY,
        "当前时间线如下：",
    ),
    (
        re.compile(r"\b(?:drag|drop)\b", re.IGNORECASE),
        None,
        'Tell me the change in words (for example "move scene 2 to the start") and I\'ll make it.',
    ),
    (re.compile("拖拽|拖动|拖到"), None, "直接告诉我要怎么改（例如「把第二个场景移到开头」），我来完成。"),
    (
        re.compile(
            r"\b(?:click|tap|press)\b(?:\s+on)?\s+(?:the\s+)?(?:[\"'“「]([^\"'”」]+)[\"'”」]|([\w ]+?))"
            r"(?:\s+button)?(?=\s+(?:to|and|for|in|on)\b|[.,!?。]|$)",
            re.IGNORECASE,
        ),
        None,
        'Just say "{0}" and I\'ll do it.',
    ),
    (re.compile(r"点击[「“\"]?([^」”\"。，！？]+)[」”\"]?"), None, "直接说「{0}」，我来完成。"),
]


def translate_gui(text: str) -> Translation:
    """Rewrite GUI instructions in the agent's text into chat actions; collect the implied actions."""
    out: list[str] = []
    actions: list[Intent] = []
    for sentence in _SENTENCE.findall(text):
        replaced = sentence
        for pattern, intent, template in _GUI_RULES:
            m = pattern.search(sentence)
            if not m:
                continue
            arg = next((g.strip() for g in m.groups() if g), "")
            if template.count("{0}") and arg.lower() in ("", "export", "the"):
                continue
            replaced = template.format(arg)
            if sentence.endswith("\n"):
                replaced += "\n"
            elif sentence and not replaced.endswith(" "):
                replaced += " "
            if intent is not None and intent not in actions:
                actions.append(intent)
            break
        out.append(replaced)
    return Translation("".join(out).strip(), tuple(actions))
