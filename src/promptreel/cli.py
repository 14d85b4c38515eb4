"""The ``promptreel`` command line: make, render, serve, chat, mcp, tokens, credits."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from promptreel import __version__
from promptreel.draft import summary
from promptreel.errors import PromptreelError

app = typer.Typer(
    name="promptreel",
    help="Self-hosted text-to-video studio: a prompt in, a finished 1080p MP4 out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
_console = Console(stderr=True)


@app.command()
def version() -> None:
    """Print the installed version."""
    typer.echo(__version__)


@app.command()
def make(
    prompt: Annotated[str, typer.Argument(help="What the video is about, in English or Chinese.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output MP4 path.")] = Path("promptreel.mp4"),
    media: Annotated[
        list[Path] | None, typer.Option("--media", "-m", help="Your own image/video/audio files to use.")
    ] = None,
    preview: Annotated[
        bool, typer.Option(help="Fast low-resolution preview instead of the full render.")
    ] = False,
    workers: Annotated[int, typer.Option(help="Render processes (0 = one per core, at most 8).")] = 0,
) -> None:
    """Generate a finished video from a prompt: MP4 plus .srt captions and .draft.json timeline."""
    from promptreel.service import studio
    from promptreel.settings import Settings

    settings = Settings()
    out = out.expanduser().resolve()
    with _progress() as bar:
        task = bar.add_task("Planning the storyboard", total=1.0)

        def on_stage(stage: str, _draft: object) -> None:
            label = {"raw_cut": "Raw cut ready (scenes + narration)", "post": "Post-production ready"}
            bar.update(task, description=label.get(stage, stage))

        def on_render(frac: float, stage: str) -> None:
            bar.update(task, completed=frac, description=f"Rendering ({stage})")

        try:
            refs = studio.probe_media(media or [])
            draft = studio.generate_draft(prompt, settings=settings, media=refs, on_stage=on_stage)
            result = studio.export_files(
                draft,
                out,
                settings=settings,
                media_path=studio.local_files(),
                progress=on_render,
                preview=preview,
                workers=workers,
            )
        except PromptreelError as exc:
            bar.stop()
            _fail(exc)
    _console.print(
        f"[bold green]✓[/] {result.path}  ({result.width}×{result.height}, "
        f"{result.duration_ms / 1000:.1f} s, {result.size_bytes / 1e6:.1f} MB)"
    )
    _console.print(f"  captions: {out.with_suffix('.srt')}\n  timeline: {out.with_suffix('.draft.json')}")
    _console.print(f"  {summary(draft)}")
    for note in draft.meta.get("notes") or ():
        _console.print(f"  [yellow]note:[/] {note}")


@app.command()
def plan(
    prompt: Annotated[str, typer.Argument(help="What the video is about, in English or Chinese.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Where to write the draft JSON.")] = Path(
        "promptreel.draft.json"
    ),
) -> None:
    """Plan the storyboard without rendering: a draft JSON to read or edit, then `promptreel render`."""
    from promptreel.draft import codec
    from promptreel.service import studio
    from promptreel.settings import Settings

    try:
        draft = studio.generate_draft(prompt, settings=Settings())
    except PromptreelError as exc:
        _fail(exc)
    out = out.expanduser().resolve()
    out.write_text(codec.dumps(draft), encoding="utf-8")
    _console.print(f"[bold green]✓[/] {out}\n  {summary(draft)}")
    scenes = draft.first_track("scenes")
    for seg in scenes.segments if scenes else ():
        layout = seg.meta.get("layout", "headline")
        _console.print(f"  {seg.start / 1000:5.1f}s  {layout:9} {seg.meta.get('headline', '')}")
    for note in draft.meta.get("notes") or ():
        _console.print(f"  [yellow]note:[/] {note}")


@app.command()
def render(
    draft_file: Annotated[Path, typer.Argument(help="A draft in the compact JSON format.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output MP4 path.")] = Path("promptreel.mp4"),
    preview: Annotated[bool, typer.Option(help="Fast low-resolution preview.")] = False,
    workers: Annotated[int, typer.Option(help="Render processes (0 = one per core, at most 8).")] = 0,
) -> None:
    """Render any valid draft JSON to an MP4."""
    from promptreel.draft import codec
    from promptreel.service import studio
    from promptreel.settings import Settings

    try:
        draft = codec.loads(draft_file.read_bytes())
    except OSError as exc:
        _fail(PromptreelError(f"cannot read {draft_file}: {exc.strerror}"))
    except PromptreelError as exc:
        _fail(exc)
    with _progress() as bar:
        task = bar.add_task("Rendering", total=1.0)
        try:
            result = studio.render_file(
                draft,
                out.expanduser().resolve(),
                settings=Settings(),
                media_path=studio.local_files(),
                progress=lambda f, s: bar.update(task, completed=f, description=f"Rendering ({s})"),
                preview=preview,
                workers=workers,
            )
        except PromptreelError as exc:
            bar.stop()
            _fail(exc)
    _console.print(f"[bold green]✓[/] {result.path} ({result.duration_ms / 1000:.1f} s)")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=_console,
        transient=False,
    )


def _fail(exc: PromptreelError) -> NoReturn:
    _console.print(f"[bold red]✗[/] {exc.message}")
    raise typer.Exit(code=1)


@app.command()
def chat(
    server: Annotated[
        str | None,
        typer.Option("--server", help="API base URL (default: NEMO_API_URL, else a local server)."),
    ] = None,
    once: Annotated[
        str | None, typer.Option("--once", help="Handle one message and exit (for scripts).")
    ] = None,
) -> None:
    """Chat with promptreel in the terminal: make a video, refine it, export it."""
    from promptreel.client.chat_main import run_chat

    raise typer.Exit(run_chat(server, once))


@app.command()
def mcp() -> None:
    """Serve promptreel's tools to MCP clients over stdio (generate, edit, state, upload, export, credits)."""
    from promptreel.mcp_server import main as mcp_main

    mcp_main()


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default: settings.host, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: settings.port, 8000).")] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Database, uploads and renders.")
    ] = None,
    jobs: Annotated[
        bool | None,
        typer.Option(
            "--jobs/--no-jobs",
            help="Also run turns and renders in this process (default: settings.jobs_in_serve, on); "
            "--no-jobs serves HTTP only, for `promptreel worker` processes sharing PostgreSQL.",
        ),
    ] = None,
    local: Annotated[
        bool,
        typer.Option(
            "--local",
            help="Single user on this machine: listen on loopback only; credits never block (nothing is charged).",
        ),
    ] = False,
) -> None:
    """Run the HTTP API server (migrations are applied first, once, under a database lock)."""
    import uvicorn

    from promptreel.api.app import create_app
    from promptreel.api.slowclients import BoundedH11Protocol
    from promptreel.service.preflight import data_dir_problem, one_line
    from promptreel.settings import Settings

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir.expanduser().resolve()
    if jobs is not None:
        overrides["jobs_in_serve"] = jobs
    if local:
        overrides["local_mode"] = True
    settings = Settings(**overrides)  # type: ignore[arg-type]
    bind_host = host or settings.host
    if settings.local_mode and bind_host not in ("127.0.0.1", "::1", "localhost"):
        typer.echo(
            f"promptreel serve: local mode listens on loopback only, not {bind_host}; "
            "drop --host (or PROMPTREEL_LOCAL_MODE) to serve other machines.",
            err=True,
        )
        raise typer.Exit(2)
    problem = data_dir_problem(settings)
    if problem is not None:
        typer.echo(f"promptreel serve: {problem}", err=True)
        raise typer.Exit(2)
    try:
        app_ = create_app(settings)
        if settings.migrate_on_start:
            app_.state.services.db.migrate()
    except Exception as exc:  # a data dir that breaks while starting: one line, not a traceback
        typer.echo(f"promptreel serve: cannot start ({one_line(exc)}).", err=True)
        raise typer.Exit(2) from None
    # the server's own notes (renders done and how long they took, recovery after a restart)
    # go to the same log as uvicorn's
    logging.getLogger("promptreel").setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(levelname)s:     %(name)s: %(message)s")
    uvicorn.run(
        app_,
        host=bind_host,
        port=port or settings.port,
        log_level="info",
        timeout_graceful_shutdown=5,
        # HTTP/1.1 with a deadline for each request's headers (a slow or idle client is closed);
        # a kept-alive connection idle between requests closes after 5 s
        http=BoundedH11Protocol,
        timeout_keep_alive=5,
        proxy_headers=False,  # the client's address is the app's to judge (settings.trusted_proxies)
    )


@app.command()
def worker(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Local files: temp files, caches, the signing key.")
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address", help="Render chunks on the Ray cluster at this address (e.g. 10.0.0.5:6379)."
        ),
    ] = None,
) -> None:
    """Run turns and renders from the shared database, with no HTTP (stops on SIGTERM or Ctrl-C)."""
    import signal
    import threading

    from promptreel.service.core import build_services
    from promptreel.service.preflight import data_dir_problem, one_line
    from promptreel.settings import Settings

    overrides: dict[str, object] = {}
    if ray_address:
        overrides["render_backend"] = "ray"
        overrides["ray_address"] = ray_address
    if data_dir is not None:
        overrides["data_dir"] = data_dir.expanduser().resolve()
    settings = Settings(**overrides)  # type: ignore[arg-type]
    problem = data_dir_problem(settings)
    if problem is not None:
        typer.echo(f"promptreel worker: {problem}", err=True)
        raise typer.Exit(2)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        services = build_services(settings)
        services.start(jobs=True)
    except Exception as exc:
        typer.echo(f"promptreel worker: cannot start ({one_line(exc)}).", err=True)
        raise typer.Exit(2) from None
    assert services.worker is not None
    typer.echo(f"promptreel worker {services.worker.id}: taking turns and renders", err=True)
    while not stop.wait(1.0):
        pass
    services.stop()


@app.command()
def migrate(
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Where a SQLite database lives.")
    ] = None,
) -> None:
    """Bring the database to the current schema (safe to run from many places at once), then exit."""
    from promptreel.service.preflight import one_line
    from promptreel.settings import Settings
    from promptreel.storage import Database

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir.expanduser().resolve()
    settings = Settings(**overrides)  # type: ignore[arg-type]
    db = Database(settings.resolved_database_url)
    try:
        db.migrate()
    except Exception as exc:
        typer.echo(f"promptreel migrate: {one_line(exc)}", err=True)
        raise typer.Exit(2) from None
    finally:
        db.dispose()
    typer.echo("promptreel migrate: the database is at the current schema", err=True)


def _add_account_commands() -> None:
    from promptreel.cli_accounts import credits_app, tokens_app

    app.add_typer(tokens_app, name="tokens")
    app.add_typer(credits_app, name="credits")


_add_account_commands()


def _add_project_commands() -> None:
    from promptreel.cli_projects import register

    register(app)


_add_project_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
