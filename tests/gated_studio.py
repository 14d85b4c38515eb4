"""A fake studio that cannot load until a file exists: for tests of what must not wait for it.

Loaded through ``PROMPTREEL_STUDIO=gated_studio:GatedStudio``; ``FAKE_STUDIO_GATE`` names the file
(its construction waits, up to two minutes, until the file is there). Otherwise a ``FakeStudio``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from fake_studio import FakeStudio

__all__ = ["GatedStudio"]


class GatedStudio(FakeStudio):
    def __init__(self) -> None:
        gate = Path(os.environ["FAKE_STUDIO_GATE"])
        deadline = time.monotonic() + 120
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        super().__init__()
