"""Sound and timing of real renders, measured from the decoded MP4 as an outside judge would.

Prompts the planner has not been tuned on (a shop ad with a price, hours and a date; a Chinese
vertical invitation) are planned and rendered with the real engines (Piper / the Chinese voice,
MIDI music, the real mastering), then the MP4 is measured with FFmpeg's ebur128 meter, the
soundtrack's voice-band energy and an offline recogniser (``benchmarks/holdout_av.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import itertools

import holdout_av as hav

from promptreel.draft import Draft, Segment, TrackType
from promptreel.render import RenderOptions
from promptreel.render.engine import render_draft
from promptreel.service.studio import default_engines, generate_draft
from promptreel.settings import Settings

pytestmark = pytest.mark.slow

CASES = (
    (
        "en",
        15,
        "a 15-second ad for Corner Tailor: hems from $18, open 9am to 5pm Monday to Saturday, since 1998",
    ),
    ("zh", 15, "15秒竖屏视频，邀请大家周日上午10点来社区花园一起种树，地点在人民公园东门"),
)


def _voices(draft: Draft) -> list[Segment]:
    return sorted(
        (s for t in draft.tracks if t.type == TrackType.AUDIO for s in t.segments if s.kind == "voice"),
        key=lambda s: s.start,
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, int, Draft, Path]]:
    settings = Settings()
    engines = default_engines(settings)
    assets = engines.assets()
    out = []
    for lang, asked, prompt in CASES:
        draft = generate_draft(prompt, settings=settings, engines=engines, seed=7)
        mp4 = tmp_path_factory.mktemp("holdout") / f"{lang}.mp4"
        render_draft(draft, assets, mp4, options=RenderOptions(scale=0.25))
        out.append((lang, asked, draft, mp4))
    return out


def test_length_loudness_and_peak_meet_the_products_targets(
    rendered: list[tuple[str, int, Draft, Path]],
) -> None:
    opts = RenderOptions()
    for _lang, asked, _draft, mp4 in rendered:
        info = hav.probe(mp4)
        assert info["audio"]
        assert info["duration_s"] == pytest.approx(asked, abs=0.1)
        lufs, peak = hav.ebur128(mp4)
        assert abs(lufs - opts.loudness_lufs) <= 1.0, (mp4.name, lufs)
        assert peak <= opts.true_peak_db + 0.2, (mp4.name, peak)
        assert hav.clipped(mp4) == 0


def test_speech_starts_within_300_ms_of_every_burned_in_caption(
    rendered: list[tuple[str, int, Draft, Path]],
) -> None:
    rec = hav.Recogniser()
    for _lang, _asked, draft, mp4 in rendered:
        mask, _floor = hav.speech_mask(hav.pcm(mp4), draft)
        caps = hav.burned_captions(draft, rec)
        assert caps
        late = [
            (c.start, c.meta.get("text"))
            for c in caps
            if not mask[max(0, (c.start - hav.ONSET_MS) // 10) : (c.start + hav.ONSET_MS) // 10].any()
        ]
        assert not late, (mp4.name, late)
        # one caption at a time
        assert all(a.end <= b.start for a, b in itertools.pairwise(caps)), mp4.name
        # every narration line is heard where the draft puts it
        for v in _voices(draft):
            assert mask[v.start // 10 : v.end // 10].mean() > 0.2, (mp4.name, v.meta.get("text"))


def test_english_narration_is_recognised_from_the_mp4_with_its_price_said_in_words(
    rendered: list[tuple[str, int, Draft, Path]],
) -> None:
    rec = hav.Recogniser()
    _lang, _asked, draft, mp4 = rendered[0]
    x = hav.pcm(mp4)
    edits = words = 0
    heard_all: list[str] = []
    for v in _voices(draft):
        a, b = max(0, (v.start - 150) * hav.RATE // 1000), (v.end + 250) * hav.RATE // 1000
        ref = hav.reference_words(str(v.meta.get("text", "")))
        hyp = rec.words(np.asarray(x[a:b]))
        heard_all += hyp
        e, n = hav.wer(ref, hyp)
        edits, words = edits + e, words + n
    assert words >= 10
    assert edits / words <= 0.6, " ".join(heard_all)  # pocketsphinx with music under the voice
    assert "dollars" in heard_all, " ".join(heard_all)
