"""How to render: encoder settings, preview scale, audio targets and parallelism."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RenderOptions", "scaled_size"]


@dataclass(frozen=True)
class RenderOptions:
    """Settings of one render. The defaults make the final 1080p export.

    The default encoder is libx264's ``ultrafast`` preset with CABAC, the deblocking filter and
    adaptive quantisation turned back on: for motion graphics at CRF 20 it encodes about 2.6×
    faster than ``veryfast`` at the same PSNR, in files about 2.8× larger (≈ 3 Mbit/s at
    1080p30) — see ``benchmarks/RESULTS.md``.

    ``scale`` < 1 renders a preview at a fraction of the canvas (sizes rounded to even numbers);
    ``workers`` > 1 renders keyframe-aligned chunks in that many processes and joins them
    without re-encoding.
    """

    preset: str = "ultrafast"
    crf: int = 20
    x264_params: str = "cabac=1:deblock=1:aq-mode=1:8x8dct=1"  # on top of the preset
    scale: float = 1.0
    audio_rate: int = 48000
    loudness_lufs: float = -14.0
    true_peak_db: float = -1.0
    workers: int = 1
    audio_bitrate: int = 192_000
    gop_s: int = 4  # a keyframe at least every gop_s seconds
    chunk_s: int = 8  # the encoder restarts (with an IDR frame) every chunk_s seconds, in every mode
    encoder_threads: int = 4  # x264 frame threads; fixed so every mode gives the same bitstream
    backend: str = "local"  # local | process: this machine's processes; ray: chunks as Ray tasks
    ray_address: str = ""  # an existing Ray cluster; empty → a local one (backend "ray")
    chunk_cache: str = ""  # folder of rendered chunks reused across renders; empty → off
    sound_cache: str = ""  # folder of encoded soundtracks reused across renders; empty → off
    true_peak_oversample: int = 4  # 4: true peak (BS.1770); 1: sample peak (previews)
    loudness_tolerance_lu: float = 0.1  # how close to loudness_lufs the mastered mix must measure
    # a fragmented MP4 written in place as it is made, playable while it grows (streamed
    # previews); False: the index first (faststart), the file renamed into place when complete
    fragmented: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.scale <= 4:
            raise ValueError("scale must be in (0, 4]")
        if not 0 <= self.crf <= 51:
            raise ValueError("crf must be in [0, 51]")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.gop_s < 1 or self.chunk_s < 1 or self.encoder_threads < 1:
            raise ValueError("gop_s, chunk_s and encoder_threads must be at least 1")
        if self.true_peak_oversample not in (1, 2, 4, 8):
            raise ValueError("true_peak_oversample must be 1, 2, 4 or 8")
        if not 0 < self.loudness_tolerance_lu <= 3:
            raise ValueError("loudness_tolerance_lu must be in (0, 3]")
        if self.audio_rate <= 0:
            raise ValueError("audio_rate must be positive")
        if self.backend not in ("local", "process", "ray"):
            raise ValueError("backend must be local, process or ray")


def scaled_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """Canvas size at ``scale``, each side rounded to an even number (yuv420p needs that), ≥ 2."""

    def even(v: float) -> int:
        return max(2, round(v / 2) * 2)

    return even(width * scale), even(height * scale)
