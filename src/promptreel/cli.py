"""The ``promptreel`` command line: make, render, serve, chat, mcp, tokens, credits."""

from __future__ import annotations

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
