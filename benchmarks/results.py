"""benchmarks/RESULTS.md: each benchmark owns one ``## `` section and replaces it in place."""

from __future__ import annotations

from pathlib import Path

__all__ = ["RESULTS", "write_section"]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(text: str, path: Path = RESULTS, *, keep_from: str | None = None) -> None:
    """Replace the section that ``text`` opens (its first line, a ``## `` heading) or append it.

    The old section runs to the next ``## `` heading; with ``keep_from`` (e.g. ``"\\nNotes:"``)
    whatever follows that marker inside the old section is kept under the new text.
    """
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    text = text.strip("\n") + "\n"
    heading = text.split("\n", 1)[0]
    start = next((i for i in _line_starts(old) if old.startswith(heading + "\n", i)), -1)
    if start < 0:
        path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = old.find("\n## ", start + 1)
    end = len(old) if end < 0 else end + 1
    if keep_from is not None:
        kept = old.find(keep_from, start, end)
        if kept >= 0:
            end = kept + 1
    rest = old[end:]
    path.write_text(
        old[:start] + text + ("\n" + rest if rest and not rest.startswith("\n") else rest), encoding="utf-8"
    )


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
