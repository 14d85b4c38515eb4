"""Editor projects: a draft → a folder (or zip) an editor opens; an OTIO / FCP XML file → a draft.

The CLI (``promptreel export-project``, ``promptreel import``), the MCP export tool and the
server's project downloads call these; the formats live in :mod:`promptreel.exchange`.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from promptreel.draft import Draft, codec
from promptreel.errors import InvalidDraft, UnsupportedFile
from promptreel.exchange import FORMATS, from_otio, read_timeline, to_otio, write_media, write_project
from promptreel.exchange.lanes import draw_lanes
from promptreel.service.studio import Engines, MediaPath, Progress, _limits, default_engines, render_options
from promptreel.settings import Settings

__all__ = ["FORMATS", "ProjectExport", "export_project", "import_project", "zip_folder"]

#: a user's words for a format → the format
ALIASES = {
    "otio": "otio",
    "opentimelineio": "otio",
    "fcpxml": "fcpxml",
    "fcpx": "fcpxml",
    "finalcut": "fcpxml",
    "fcp7": "fcp7",
    "xml": "fcp7",
    "premiere": "fcp7",
    "resolve": "fcp7",
    "davinci": "fcp7",
    "edl": "edl",
    "cmx3600": "edl",
    "jianying": "jianying",
    "capcut": "jianying",
    "剪映": "jianying",
}


def format_of(name: str) -> str:
    key = name.strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    fmt = ALIASES.get(key) or ALIASES.get(name.strip())
    if fmt is None:
        raise InvalidDraft(f"Unknown project format {name!r}: one of {', '.join(FORMATS)}.", path="format")
    return fmt


@dataclass
class ProjectExport:
    folder: Path
    project: Path
    format: str
    media: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def export_project(
    draft: Draft,
    folder: Path,
    fmt: str = "otio",
    *,
    settings: Settings,
    media_path: MediaPath | None = None,
    preview: bool = False,
    engines: Engines | None = None,
    progress: Progress | None = None,
    picture: bool = False,
) -> ProjectExport:
    """Write the project file for ``fmt`` and every file it references into ``folder``."""
    fmt = format_of(fmt)
    codec.validate(draft, _limits(settings))
    if not draft.ready:
        raise InvalidDraft("The draft is empty: add a scene or a clip before exporting.", path="t")
    folder = Path(folder)
    assets = (engines or default_engines(settings)).assets(media_path)
    options = replace(render_options(settings, preview=preview), workers=1)
    media = write_media(draft, assets, folder, options=options, progress=progress)
    notes = list(media.notes)
    timeline = to_otio(draft, notes=notes)
    project = write_project(timeline, draft, folder, fmt)
    notes.extend(project.notes)
    (folder / "draft.json").write_text(json.dumps(codec.encode(draft), ensure_ascii=False, indent=2), "utf-8")
    if picture:
        draw_lanes(timeline, folder / "timeline.png")
    return ProjectExport(folder, project.path, fmt, media.files(), notes)


def zip_folder(folder: Path, out: Path) -> Path:
    """The folder as one zip (paths inside relative to it)."""
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder).as_posix())
    tmp.replace(out)
    return out


def import_project(path: Path, settings: Settings) -> tuple[Draft, list[str]]:
    """A draft from an ``.otio``, ``.fcpxml`` or FCP 7 ``.xml`` file, and what could not be kept."""
    suffix = Path(path).suffix.lower()
    fmt = {".otio": "otio", ".fcpxml": "fcpxml", ".xml": "fcp7", ".edl": "edl"}.get(suffix)
    if fmt is None:
        raise UnsupportedFile(f"{Path(path).name}: import reads .otio, .fcpxml, .xml (FCP 7) or .edl.")
    try:
        timeline = read_timeline(Path(path), fmt)
    except Exception as exc:  # the adapters raise their own exception types
        raise UnsupportedFile(f"{Path(path).name}: not a readable {fmt} project ({exc}).") from exc
    result = from_otio(timeline)
    draft = codec.validate(result.draft, _limits(settings))
    return draft, result.notes
