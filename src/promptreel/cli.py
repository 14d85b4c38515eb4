"""The ``promptreel`` command line: make, render, serve, chat, mcp, tokens, credits."""

from __future__ import annotations

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
