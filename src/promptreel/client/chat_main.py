"""``promptreel chat``'s entry point: find the server (or start a local one for the chat), then
talk to it one message at a time (``--once``) or line by line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from urllib.parse import urlsplit

from rich.console import Console

from promptreel.client.chat import Chat
from promptreel.client.config import ChatSettings
from promptreel.client.local import local_server, local_url
from promptreel.client.sdk import Client

__all__ = ["run_chat"]


def run_chat(
    server: str | None = None,
    once: str | None = None,
    *,
    console: Console | None = None,
    settings: ChatSettings | None = None,
    lines: Iterable[str] | None = None,
) -> int:
    """``promptreel chat``: talk to ``server`` (or ``NEMO_API_URL``, or a local one started here).

    Returns the exit code: 0, or 1 when the ``--once`` message could not be completed.
    """
    from promptreel.client.config import load_config

    console = console or Console(highlight=False)
    explicit = bool(server) or bool(os.environ.get("NEMO_API_URL"))
    config = load_config(api_url=server or (None if explicit else local_url()), platform="promptreel-cli")
    started: list[str] = []

    def starting(line: str) -> None:
        started.append(line)
        console.print(line, style="dim")

    with local_server(config.api_url, start=not explicit, say=starting) as url:
        moved = url != config.api_url
        if moved:
            from dataclasses import replace

            config = replace(config, api_url=url, web_url=config.web_url or url)
        with Client(config=config) as client:
            chat = Chat(client, console=console, settings=settings)
            if started:
                chat.serve_again = "promptreel serve --local" + (
                    f" --port {urlsplit(url).port}" if moved else ""
                )
            if once is not None:
                chat.recap = False  # a one-shot message answers just that message
                try:
                    chat.handle(once)
                except KeyboardInterrupt:
                    chat.say(chat.t("stopped_waiting"))
                    return 130
                return 1 if chat.failed else 0
            chat.run(lines)
    return 0
