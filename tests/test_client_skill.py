"""SKILL.md: a valid skill file whose version is the one the client sends in X-Skill-Version."""

from __future__ import annotations

import re
from pathlib import Path

from promptreel.client import config

SKILL = Path(__file__).resolve().parents[1] / "SKILL.md"


def frontmatter() -> dict[str, str]:
    text = SKILL.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert m, "SKILL.md must start with a --- frontmatter block"
    out: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def test_frontmatter_has_name_description_version() -> None:
    fm = frontmatter()
    assert fm["name"] == config.SKILL_NAME
    assert len(fm["description"]) > 40
    assert re.fullmatch(r"\d+\.\d+\.\d+", fm["version"])


def test_skill_version_is_what_the_client_sends() -> None:
    assert frontmatter()["version"] == config.SKILL_VERSION
    cfg = config.load_config({})
    assert cfg.attribution()["X-Skill-Version"] == frontmatter()["version"]


def test_skill_teaches_the_cli_and_every_route() -> None:
    text = SKILL.read_text(encoding="utf-8")
    assert "promptreel chat --once" in text and "promptreel mcp" in text
    for word in ("export", "导出", "credits", "积分", "status", "状态", "upload", "上传", "NEMO_TOKEN"):
        assert word in text
