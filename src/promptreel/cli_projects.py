"""``promptreel export-project`` (a draft → a folder an editor opens) and ``promptreel import``
(an OTIO / FCP XML project → a draft the agent can keep editing)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from promptreel.errors import PromptreelError

__all__ = ["register"]

_console = Console()


def _fail(exc: PromptreelError) -> NoReturn:
    _console.print(f"[bold red]✗[/] {exc.message}")
    raise typer.Exit(1)


def export_project(
    draft_file: Annotated[Path, typer.Argument(help="A draft in the compact JSON format.")],
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Folder to write the project and its media into.")
    ] = Path("promptreel-project"),
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="otio | fcpxml | fcp7 (Premiere, Resolve) | edl | jianying (CapCut)."
        ),
    ] = "otio",
    preview: Annotated[bool, typer.Option(help="Clips at preview size (fast).")] = False,
    zip_file: Annotated[
        Path | None, typer.Option("--zip", help="Also pack the folder into this zip.")
    ] = None,
) -> None:
    """Write a project an editor opens: the timeline, one clip per scene, WAVs, captions."""
    from promptreel.draft import codec
    from promptreel.service import projects, studio
    from promptreel.settings import Settings

    try:
        draft = codec.loads(draft_file.read_bytes())
        with _console.status(f"Exporting {format} project…"):
            result = projects.export_project(
                draft,
                out.expanduser().resolve(),
                format,
                settings=Settings(),
                media_path=studio.local_files(),
                preview=preview,
            )
        if zip_file is not None:
            projects.zip_folder(result.folder, zip_file.expanduser().resolve())
    except OSError as exc:
        _fail(PromptreelError(f"cannot read or write: {exc}"))
    except PromptreelError as exc:
        _fail(exc)
    _console.print(f"[bold green]✓[/] {result.project} ({len(result.media)} media files)")
    for note in result.notes:
        _console.print(f"  [yellow]•[/] {note}")


def import_project(
    project_file: Annotated[Path, typer.Argument(help="An .otio, .fcpxml, FCP 7 .xml or .edl file.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Where to write the draft JSON.")] = Path(
        "imported.draft.json"
    ),
) -> None:
    """Read an editor's project into a draft; says what a draft cannot hold."""
    from promptreel.draft import codec, summary
    from promptreel.service import projects
    from promptreel.settings import Settings

    try:
        draft, notes = projects.import_project(project_file, Settings())
        out.write_text(codec.dumps(draft, indent=2), encoding="utf-8")
    except OSError as exc:
        _fail(PromptreelError(f"cannot read or write: {exc}"))
    except PromptreelError as exc:
        _fail(exc)
    _console.print(f"[bold green]✓[/] {out}")
    _console.print(f"  {summary(draft)}")
    for note in notes:
        _console.print(f"  [yellow]not kept:[/] {note}")


def register(app: typer.Typer) -> None:
    app.command("export-project")(export_project)
    app.command("import")(import_project)
