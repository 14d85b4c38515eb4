"""The ``promptreel`` command line: make, render, serve, chat, mcp, tokens, credits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from promptreel import __version__

app = typer.Typer(
    name="promptreel",
    help="Self-hosted text-to-video studio: a prompt in, a finished 1080p MP4 out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.command()
def version() -> None:
    """Print the installed version."""
    typer.echo(__version__)


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
    from promptreel.client.chat import run_chat

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
) -> None:
    """Run the HTTP API server (migrations are applied first)."""
    import uvicorn

    from promptreel.api.app import create_app
    from promptreel.settings import Settings

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir.expanduser().resolve()
    settings = Settings(**overrides)  # type: ignore[arg-type]
    app_ = create_app(settings)
    app_.state.services.db.migrate()
    uvicorn.run(
        app_,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
