"""`promptreel plan`: the storyboard as a draft file, without rendering, that `promptreel render` takes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from promptreel.cli import app
from promptreel.draft import codec


@pytest.fixture(autouse=True)
def _fake_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMPTREEL_FAKE_ENGINES", "1")


def test_plan_writes_a_draft_with_layouts_and_notes(tmp_path: Path) -> None:
    out = tmp_path / "menu.draft.json"
    prompt = (
        "a menu screen for Café Lumen: latte $4.50, cappuccino $4, croissant $3.25, no voice-over, vertical"
    )
    result = CliRunner().invoke(app, ["plan", prompt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    draft = codec.loads(out.read_text(encoding="utf-8"))
    assert (draft.canvas.width, draft.canvas.height, draft.duration) == (1080, 1920, 30_000)
    scenes = draft.first_track("scenes")
    assert scenes is not None
    menu = next(s for s in scenes.segments if s.meta.get("layout") == "list")
    assert [(i["text"], i["value"]) for i in menu.meta["items"]] == [
        ("latte", "$4.50"), ("cappuccino", "$4"), ("croissant", "$3.25")
    ]  # fmt: skip
    assert not any(s.meta.get("text") for s in scenes.segments)  # no voice-over asked
    assert "list" in result.output and "Menu" in result.output


def test_plan_says_what_the_prompt_left_out(tmp_path: Path) -> None:
    out = tmp_path / "chart.draft.json"
    result = CliRunner().invoke(
        app, ["plan", "a 20 second update on our bakery with a bar chart", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "gave no numbers" in " ".join(result.output.split())
    assert codec.loads(out.read_text(encoding="utf-8")).meta.get("notes")


def test_plan_refuses_an_empty_prompt_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "   ", "-o", str(tmp_path / "x.json")])
    assert result.exit_code != 0 and not (tmp_path / "x.json").exists()
    assert "Traceback" not in result.output
