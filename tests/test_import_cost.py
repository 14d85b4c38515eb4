"""Starting the server or the CLI does not load the renderer's numeric stack.

The mixer's signal libraries (scipy, pyloudnorm) and the speech engines load when something
first renders or speaks, not when ``promptreel serve`` starts (the server does load PyAV and
skia, which check uploads); ``promptreel --help`` loads none of them.
Checked in a fresh interpreter, since this process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = {"scipy", "pyloudnorm", "piper", "onnxruntime", "pocketsphinx"}


def _loaded_after(statement: str) -> set[str]:
    code = (
        f"import json, sys\n{statement}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "statement",
    [
        "from promptreel.api.app import create_app",
        "import promptreel.render.probe",
    ],
)
def test_starting_up_leaves_the_renderer_unloaded(statement: str) -> None:
    assert not _loaded_after(statement) & HEAVY


def test_the_cli_starts_without_the_media_stack() -> None:
    assert not _loaded_after("import promptreel.cli") & (HEAVY | {"av", "skia", "numpy"})


def test_the_renderer_loads_on_first_use() -> None:
    assert {"scipy", "av"} <= _loaded_after("import promptreel.render as r\nr.render_draft")
