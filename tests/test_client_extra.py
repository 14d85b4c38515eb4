"""The client extra (``promptreel[client]``: SDK, chat CLI, MCP) works without the render, speech,
music and server packages: ``promptreel chat --server URL --once ...`` runs against a real
server in an interpreter where skia, av, piper, scipy, numpy and the server's packages raise
ImportError (tests/clientonly/sitecustomize.py), and loads no render, generator, service, api
or storage module. A fresh-venv install check is ``scripts/check_client_install.sh``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

TESTS = Path(__file__).parent
BLOCKER = TESTS / "clientonly"
BIN = Path(sys.executable).parent

#: promptreel packages a client never loads
SERVER_SIDE = (
    "promptreel.render",
    "promptreel.generators",
    "promptreel.service",
    "promptreel.api",
    "promptreel.storage",
    "promptreel.agent",
    "promptreel.exchange",
)

pytestmark = pytest.mark.slow


def _client_modules() -> set[str]:
    """Top-level modules of the base requirements in pyproject.toml and of what they require
    (with the extras each names, environment markers evaluated)."""
    project = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [(Requirement(r), "") for r in project["dependencies"]]
    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(req.name)
        for wanted in ("", *sorted(req.extras)):
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            names.add(name)
            try:
                requires = distribution(name).requires or []
            except PackageNotFoundError:
                continue
            todo.extend((Requirement(r), wanted) for r in requires)
    owners = packages_distributions()
    return {m for m, dists in owners.items() if any(canonicalize_name(d) in names for d in dists)}


def _client_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROMPTREEL_", "NEMO_"))}
    env.update(
        {
            "PYTHONPATH": str(BLOCKER),
            "CLIENT_ONLY_MODULES": str(tmp_path / "modules.json"),
            "CLIENT_ONLY_ALLOWED": ",".join(sorted(_client_modules())),
            "PROMPTREEL_CONFIG_DIR": str(tmp_path / "cfg"),
            "PROMPTREEL_CHAT_DOWNLOAD_DIR": str(tmp_path / "videos"),
            "NO_COLOR": "1",
        }
    )
    return env


def _loaded(tmp_path: Path) -> tuple[set[str], list[str]]:
    seen = json.loads((tmp_path / "modules.json").read_text(encoding="utf-8"))
    return set(seen["blocked"]), list(seen["modules"])


def _assert_client_only(tmp_path: Path) -> list[str]:
    blocked, modules = _loaded(tmp_path)
    assert {"skia", "av", "piper", "scipy"} <= blocked
    heavy = [m for m in modules if m.partition(".")[0] in blocked]
    server = [m for m in modules if m.startswith(SERVER_SIDE)]
    assert not heavy and not server, (heavy, server)
    return modules


def test_the_blocker_refuses_the_heavy_packages(tmp_path: Path) -> None:
    code = "import importlib\nfor m in ('skia', 'av', 'piper', 'scipy'):\n    try:\n        importlib.import_module(m)\n    except ImportError:\n        print('blocked', m)\n"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_client_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split("\n")[:4] == ["blocked skia", "blocked av", "blocked piper", "blocked scipy"]


def test_chat_once_status_runs_with_the_client_extra_only(live_server: str, tmp_path: Path) -> None:
    out = subprocess.run(
        [str(BIN / "promptreel"), "chat", "--server", live_server, "--once", "status"],
        env=_client_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and out.stdout.strip()
    assert "promptreel.client.chat" in _assert_client_only(tmp_path)


def test_sdk_and_mcp_server_import_with_the_client_extra_only(tmp_path: Path) -> None:
    code = "import promptreel.client, promptreel.client.sdk, promptreel.client.chat, promptreel.mcp_server"
    out = subprocess.run(
        [sys.executable, "-c", code], env=_client_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "promptreel.mcp_server" in _assert_client_only(tmp_path)


def test_the_chat_reads_export_formats_and_the_fake_answers_with_the_client_extra_only(
    tmp_path: Path,
) -> None:
    code = (
        "from promptreel.client import chat\n"
        "from promptreel.http_status import status_of_code\n"
        "assert chat.export_format('export it for Premiere') == 'fcp7' and chat.PROJECT_FORMATS\n"
        "assert chat.format_label('jianying', 'zh').startswith('剪映')\n"
        "assert status_of_code(1001) == 401\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_client_env(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    _assert_client_only(tmp_path)
