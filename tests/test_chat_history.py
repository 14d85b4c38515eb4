"""``promptreel chat`` resuming a session prints the conversation the server keeps (the same the
studio shows), oldest first, before the next reply."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import LiveServer, server_env
from promptreel.cli import app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    d = tmp_path_factory.mktemp("chat-history")
    srv = LiveServer(d, server_env(d, anonymous_credits=1000)).start()
    yield srv.url
    srv.stop()


def _chat(url: str, home: Path, *args: str, stdin: str | None = None) -> str:
    env = {
        "PROMPTREEL_CONFIG_DIR": str(home / "cfg"),
        "PROMPTREEL_CHAT_DOWNLOAD_DIR": str(home / "videos"),
        "NEMO_WEB_URL": "http://studio.test",
        "NEMO_TOKEN": "",
        "NEMO_API_URL": "",
    }
    result = CliRunner().invoke(
        app, ["chat", "--server", url, *args], input=stdin, env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_resumed_chat_prints_the_stored_conversation(server: str, tmp_path: Path) -> None:
    first = _chat(server, tmp_path, "--once", "generate a 10 second video about tea")
    assert "Earlier in this project" not in first, "a new session has no past"
    again = _chat(server, tmp_path, stdin="quit\n")
    assert "Earlier in this project:" in again
    past = again.split("Earlier in this project:", 1)[1]
    assert "you › generate a 10 second video about tea" in past
    assert past.index("you ›") < past.index("agent ›"), "oldest first: the message, then the reply"
    assert "draft is ready" in past
    # the next message's reply comes after the history, which is printed once
    later = _chat(server, tmp_path, stdin="make it vertical\nquit\n")
    assert later.count("Earlier in this project:") == 1
    assert later.index("Earlier in this project:") < later.index("vertical (1080")
    # a one-shot message answers just that message, for scripts
    shot = _chat(server, tmp_path, "--once", "credits")
    assert "Earlier in this project" not in shot and "Credits:" in shot
