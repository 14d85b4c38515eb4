"""The .srt written beside an MP4 times each caption as the video shows it: by the narration's
spoken words, not by the storyboard's even split of each line."""

from __future__ import annotations

import sys
from pathlib import Path

from promptreel.draft.interop import caption_cues, to_srt
from promptreel.render.caption_words import with_word_times
from promptreel.service.studio import default_engines, export_files
from promptreel.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from run import make_draft


def test_srt_beside_the_mp4_follows_the_spoken_words(tmp_path: Path) -> None:
    settings = Settings(fake_engines=True, data_dir=tmp_path / "data")
    draft = make_draft(15, False)
    assets = default_engines(settings).assets()
    timed = with_word_times(draft, assets)
    planned = [(c.start, c.end) for c in caption_cues(draft)]
    shown = [(c.start, c.end) for c in caption_cues(timed)]
    assert planned != shown  # the spoken words move some captions
    out = tmp_path / "video.mp4"
    export_files(draft, out, settings=settings, preview=True)
    srt = out.with_suffix(".srt").read_text(encoding="utf-8")
    assert srt == to_srt(timed)
    assert srt != to_srt(draft)
