"""Makes this interpreter a client-only install: the packages ``promptreel[client]`` leaves out
raise ImportError, and at exit the blocked names and the loaded modules are written to
``$CLIENT_ONLY_MODULES`` (JSON).

Put this folder first on ``PYTHONPATH`` (tests/test_client_extra.py does).
"""

from __future__ import annotations

import atexit
import importlib.abc
import json
import os
import sys

#: what the render, speech, music, server and storage extras bring; the client needs none of it
#: (sse_starlette and starlette stay: the mcp package imports them)
BLOCKED = frozenset(
    {
        "skia", "av", "piper", "scipy", "numpy", "onnxruntime", "pyloudnorm", "pretty_midi",
        "tinysoundfont", "tokenizers", "pypinyin", "pocketsphinx", "opentimelineio",
        "pyJianYingDraft", "sqlalchemy", "alembic", "fastapi", "argon2", "ray",
        "psycopg", "boto3",
    }
)  # fmt: skip


#: with ``$CLIENT_ONLY_ALLOWED`` (top-level names, comma-separated), every installed third-party
#: package outside it is refused too: the client's requirements are then the whole world
_OWNERS: dict[str, list[str]] = {}
_ALLOWED = frozenset(filter(None, os.environ.get("CLIENT_ONLY_ALLOWED", "").split(",")))
if _ALLOWED:
    from importlib.metadata import packages_distributions

    _OWNERS = packages_distributions()


def _refused(top: str) -> bool:
    if top in BLOCKED:
        return True
    return bool(_ALLOWED) and top in _OWNERS and top not in _ALLOWED and top != "promptreel"


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if _refused(name.partition(".")[0]):
            raise ImportError(f"{name} is not part of promptreel[client]", name=name)
        return None


sys.meta_path.insert(0, _Blocker())


def _write_modules() -> None:
    out = os.environ.get("CLIENT_ONLY_MODULES")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"blocked": sorted(BLOCKED), "modules": sorted(sys.modules)}, f)


atexit.register(_write_modules)
