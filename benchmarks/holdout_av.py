"""Held-out audio and timing: fresh prompts through a real server, measured from the MP4.

A real ``promptreel serve`` subprocess (real engines: Piper / the Chinese voice, MIDI music, the
real renderer) is driven over HTTP the way a client does it: anonymous token, session, a
generation turn read over SSE, the draft from the state, an export, the MP4 downloaded. Each
MP4 is then measured as an outside judge would:

* duration against the length the prompt asked for; 1920×1080 (or 1080×1920), fps; audio present;
* integrated loudness and true peak with FFmpeg's ``ebur128`` filter, against the product's
  targets (``RenderOptions.loudness_lufs`` / ``true_peak_db``);
* intelligibility (English): each narration segment's stretch of the MP4 soundtrack decoded by
  pocketsphinx (16 kHz mono), word error rate against the narration text as it is said
  (numbers, prices, times and dates in words); Chinese: narration audio present under every
  narration segment;
* caption timing: speech (voice-band energy above the music floor) within ±300 ms of each
  caption's start; each caption on screen while its line is spoken; no two captions overlap;
* silence at the start and end, gaps over 1.5 s inside the narration, clipped samples.

    .venv/bin/python benchmarks/holdout_av.py [--limit N] [--only K] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests"), str(ROOT / "src")]

from results import write_section  # noqa: E402

from promptreel.draft import Draft, TrackType, codec  # noqa: E402
from promptreel.generators.align import number_words as aligner_number_words  # noqa: E402
from promptreel.generators.align import spoken_words  # noqa: E402
from promptreel.generators.spoken import say  # noqa: E402
from promptreel.render import RenderOptions  # noqa: E402

SECTION = "## Held-out audio and timing"
RATE = 16000
ONSET_MS = 300
GAP_MS = 1500

#: (language, asked seconds or 0, prompt): none of these is in the tests or the public suites
PROMPTS: tuple[tuple[str, int, str], ...] = (
    (
        "en",
        20,
        "a 20-second ad for Harbor Noodle Bar: ramen bowls are $12, open 11am-9pm Tuesday to Sunday, "
        "grand opening on March 14",
    ),
    ("en", 15, "make a 15-second birthday video for my sister Maya who turns 30 on Friday"),
    (
        "en",
        30,
        "a 30-second explainer on how solar panels work: sunlight hits the cells, the cells make "
        "direct current, an inverter turns it into household power",
    ),
    (
        "en",
        20,
        "a 20-second invitation to our garden party on Saturday, June 21 at 4 pm, 18 Willow Lane, "
        "please RSVP by June 15",
    ),
    (
        "en",
        15,
        "a 15-second ad for Pedal Bike Repair, tune-ups from $45, open 8am to 6pm Monday to Friday, "
        "make it vertical",
    ),
    ("zh", 20, "做一个20秒的广告：小林面包店，全场八折，每天早上7点到晚上9点营业，地址是和平路88号"),
    ("zh", 15, "给奶奶做一个15秒的生日祝福视频，祝她80岁生日快乐，身体健康"),
    ("zh", 20, "20秒竖屏视频，邀请大家参加周六下午3点的读书会，地点在市图书馆三楼，免费入场"),
)


# ---------------------------------------------------------------- protocol client


class Client:
    """Token, session, a turn over SSE, the state, an export, the download."""

    ATTR: ClassVar[dict[str, str]] = {
        "X-Skill-Source": "benchmark",
        "X-Skill-Version": "1.0.0",
        "X-Skill-Platform": "cli",
    }

    def __init__(self, base: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=base, timeout=600.0)
        self.headers = dict(self.ATTR)

    def close(self) -> None:
        self.http.close()

    def token(self) -> None:
        r = self.http.post("/api/auth/anonymous-token", headers={"X-Client-Id": f"holdout-{time.time_ns()}"})
        r.raise_for_status()
        self.headers["Authorization"] = f"Bearer {r.json()['data']['token']}"

    def session(self, lang: str) -> str:
        r = self.http.post(
            "/api/tasks/me/with-session/nemo_agent",
            json={"task_name": "project", "language": lang},
            headers=self.headers,
        )
        r.raise_for_status()
        return str(r.json()["data"]["session_id"])

    def turn(self, sid: str, text: str) -> str:
        body = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": sid,
            "new_message": {"role": "user", "parts": [{"text": text}]},
        }
        texts: list[str] = []
        with self.http.stream(
            "POST", "/run_sse", json=body, headers={**self.headers, "Accept": "text/event-stream"}
        ) as r:
            if r.status_code != 200:
                r.read()
                raise RuntimeError(f"/run_sse answered {r.status_code}: {r.text[:300]}")
            for line in r.iter_lines():
                if not line.startswith("data:") or not line[5:].strip():
                    continue
                ev = json.loads(line[5:])
                texts += [p["text"] for p in ev.get("content", {}).get("parts", []) if "text" in p]
                if ev.get("turn_complete"):
                    break
        return " ".join(texts)

    def draft(self, sid: str) -> dict[str, Any]:
        r = self.http.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=self.headers)
        r.raise_for_status()
        d: dict[str, Any] = r.json()["data"]["state"]["draft"]
        return d

    def export(self, sid: str, draft: dict[str, Any], out: Path) -> float:
        rid = f"render_{time.time_ns()}"
        body = {"id": rid, "sessionId": sid, "draft": draft, "output": {"format": "mp4", "quality": "high"}}
        t0 = time.perf_counter()
        self.http.post("/api/render/proxy/lambda", json=body, headers=self.headers).raise_for_status()
        while True:
            r = self.http.get(f"/api/render/proxy/lambda/{rid}", headers=self.headers)
            r.raise_for_status()
            st = r.json()
            if st["status"] == "completed":
                break
            if st["status"] == "failed":
                raise RuntimeError(f"export failed: {st.get('error')}")
            time.sleep(1.0)
        secs = time.perf_counter() - t0
        r = self.http.get(f"/api/render/proxy/{rid}/download", headers=self.headers)
        r.raise_for_status()
        out.write_bytes(r.content)
        return secs


# ---------------------------------------------------------------- measuring an MP4


def ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def probe(mp4: Path) -> dict[str, Any]:
    """Video size, fps, duration and whether there is an audio stream (from ffmpeg's banner)."""
    err = subprocess.run([ffmpeg(), "-hide_banner", "-i", str(mp4)], capture_output=True, text=True).stderr
    v = re.search(r"Video: .*?, (\d{3,5})x(\d{3,5}).*?, ([\d.]+) fps", err)
    dur = re.search(r"Duration: (\d+):(\d+):([\d.]+)", err)
    seconds = int(dur.group(1)) * 3600 + int(dur.group(2)) * 60 + float(dur.group(3)) if dur else 0.0
    return {
        "w": int(v.group(1)) if v else 0,
        "h": int(v.group(2)) if v else 0,
        "fps": float(v.group(3)) if v else 0.0,
        "duration_s": seconds,
        "audio": "Audio:" in err,
    }


def ebur128(mp4: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by FFmpeg's ebur128 meter."""
    err = subprocess.run(
        [
            ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(mp4),
            "-map",
            "0:a",
            "-af",
            "ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
    ).stderr
    summary = err[err.rfind("Summary:") :]
    i = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    p = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return (float(i.group(1)) if i else float("nan"), float(p.group(1)) if p else float("nan"))


def pcm(mp4: Path, rate: int = RATE) -> np.ndarray:
    """The soundtrack, mono float32 at ``rate``."""
    raw = subprocess.run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-i",
            str(mp4),
            "-map",
            "0:a",
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-f",
            "f32le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").copy()


def clipped(mp4: Path) -> int:
    """Samples at or within 0.01 dB of full scale (stereo, the file's own rate)."""
    raw = subprocess.run(
        [ffmpeg(), "-v", "error", "-i", str(mp4), "-map", "0:a", "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    x = np.frombuffer(raw, dtype="<f4")
    return int(np.count_nonzero(np.abs(x) >= 0.9989))


def voice_energy(x: np.ndarray, hop_ms: int = 10) -> np.ndarray:
    """dB per ``hop_ms`` frame of the voice band (300–3400 Hz)."""
    from scipy.signal import butter, sosfilt

    sos = butter(4, [300, 3400], btype="band", fs=RATE, output="sos")
    y = sosfilt(sos, x)
    hop = RATE * hop_ms // 1000
    n = len(y) // hop
    frames = y[: n * hop].reshape(n, hop)
    return np.asarray(10 * np.log10(np.mean(frames**2, axis=1) + 1e-12))


def full_energy(x: np.ndarray, hop_ms: int = 10) -> np.ndarray:
    hop = RATE * hop_ms // 1000
    n = len(x) // hop
    return np.asarray(10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-12))


# ---------------------------------------------------------------- text as it is said


def number_words(n: int) -> str:
    """``n`` as heard: the aligner's number words, but years as people say them ("nineteen
    ninety", "twenty twenty-six")."""
    if 2000 <= n < 2100 and n % 100:
        return "twenty " + number_words(n % 100) if n >= 2010 else "two thousand " + number_words(n % 100)
    if 1100 <= n < 2000 and n % 1000:
        return number_words(n // 100) + " " + number_words(n % 100)
    return " ".join(aligner_number_words(n))


def ordinal_words(n: int) -> str:
    return " ".join(spoken_words(f"{n}th"))


def reference_words(text: str) -> list[str]:
    """The words a listener hears for ``text`` (the product's spoken form, numbers in words)."""
    s = say(text).lower()
    s = re.sub(r"(\d+)(?:st|nd|rd|th)\b", lambda m: " " + ordinal_words(int(m.group(1))) + " ", s)
    s = re.sub(
        r"(\d+):(\d\d)", lambda m: f" {m.group(1)} " + ("" if m.group(2) == "00" else m.group(2)) + " ", s
    )
    s = re.sub(r"(\d+)\s*([ap])\.?m\.?\b", lambda m: f" {m.group(1)} {m.group(2)} m ", s)
    s = s.replace("%", " percent ").replace("&", " and ")
    s = re.sub(r"\d+", lambda m: " " + number_words(int(m.group(0))) + " ", s)
    s = s.replace("-", " ")
    return re.findall(r"[a-z']+", s)


def wer(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(edits, reference length)."""
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
            prev, d[j] = d[j], cur
    return d[len(hyp)], len(ref)


class Recogniser:
    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self.dec = Decoder(samprate=RATE)
        self._piper: Any = None
        self.assets: Any = None

    def clean(self, text: str) -> np.ndarray:
        """The same line from the English voice alone (no music, no mastering), at 16 kHz."""
        from math import gcd

        from scipy.signal import resample_poly

        from promptreel.generators.speech.piper import PiperSpeech

        self._piper = self._piper or PiperSpeech()
        clip, _ = self._piper.synthesize_timed(text)
        x = clip.samples[:, 0] if clip.samples.ndim == 2 else clip.samples
        g = gcd(RATE, clip.rate)
        return np.asarray(resample_poly(x, RATE // g, clip.rate // g), dtype=np.float32)

    def words(self, x: np.ndarray) -> list[str]:
        peak = float(np.abs(x).max()) if len(x) else 0.0
        if peak <= 0:
            return []
        data = (np.clip(x / peak * 0.9, -1, 1) * 32767).astype("<i2").tobytes()
        self.dec.start_utt()
        self.dec.process_raw(data, full_utt=True)
        self.dec.end_utt()
        hyp = self.dec.hyp()
        return re.findall(r"[a-z']+", hyp.hypstr.lower()) if hyp else []


# ---------------------------------------------------------------- one video


@dataclass
class Row:
    lang: str
    asked_s: int
    prompt: str
    duration_s: float = 0.0
    size: str = ""
    fps: float = 0.0
    audio: bool = False
    lufs: float = float("nan")
    peak: float = float("nan")
    clipped: int = 0
    lead_ms: int = 0
    tail_ms: int = 0
    long_gaps: list[int] = field(default_factory=list)
    wer_edits: int = 0
    wer_words: int = 0
    clean_edits: int = 0
    silent_narration: int = 0
    narration: int = 0
    captions: int = 0
    onset_ok: int = 0
    burned_ok: int = 0
    covered: int = 0
    overlaps: int = 0
    render_s: float = 0.0
    notes: list[str] = field(default_factory=list)


def speech_mask(x: np.ndarray, draft: Draft) -> tuple[np.ndarray, float]:
    """Frames (10 ms) where the voice band stands above the music floor, and that floor (dB)."""
    e = voice_energy(x)
    spoken = np.zeros(len(e), dtype=bool)
    for tr in draft.tracks:
        if tr.type == TrackType.AUDIO and tr.role != "music":
            for s in tr.segments:
                if s.kind == "voice":
                    spoken[s.start // 10 : s.end // 10] = True
    quiet = e[~spoken] if (~spoken).sum() > 50 else e
    floor = float(np.percentile(quiet, 50))
    return e > floor + 8.0, floor


def burned_captions(draft: Draft, rec: Recogniser) -> list[Any]:
    """The captions as the renderer burns them in: timed by the narration's spoken words."""
    from promptreel.render.caption_words import with_word_times
    from promptreel.service.studio import default_engines
    from promptreel.settings import Settings

    if rec.assets is None:
        rec.assets = default_engines(Settings()).assets()
    timed = with_word_times(draft, rec.assets)
    caps = [s for t in timed.tracks if t.type == TrackType.TEXT for s in t.segments if s.kind == "caption"]
    return sorted(caps, key=lambda s: s.start)


def measure(row: Row, mp4: Path, draft: Draft, rec: Recogniser) -> None:
    info = probe(mp4)
    row.duration_s, row.fps, row.audio = info["duration_s"], info["fps"], info["audio"]
    row.size = f"{info['w']}x{info['h']}"
    row.lufs, row.peak = ebur128(mp4)
    row.clipped = clipped(mp4)
    x = pcm(mp4)
    full = full_energy(x)
    audible = np.flatnonzero(full > -50.0)
    row.lead_ms = int(audible[0] * 10) if len(audible) else len(full) * 10
    row.tail_ms = int((len(full) - 1 - audible[-1]) * 10) if len(audible) else len(full) * 10

    voices = [s for t in draft.tracks if t.type == TrackType.AUDIO for s in t.segments if s.kind == "voice"]
    captions = [
        s for t in draft.tracks if t.type == TrackType.TEXT for s in t.segments if s.kind == "caption"
    ]
    voices.sort(key=lambda s: s.start)
    mask, _floor = speech_mask(x, draft)
    row.narration = len(voices)
    for s in voices:
        seg = mask[s.start // 10 : s.end // 10]
        if seg.mean() < 0.2 if len(seg) else True:
            row.silent_narration += 1
            row.notes.append(
                f"narration {s.start}-{s.end} ms mostly silent: {str(s.meta.get('text', ''))[:40]!r}"
            )
        if row.lang == "en":
            a, b = max(0, (s.start - 150) * RATE // 1000), min(len(x), (s.end + 250) * RATE // 1000)
            ref = reference_words(str(s.meta.get("text", "")))
            hyp = rec.words(x[a:b])
            edits, n = wer(ref, hyp)
            row.wer_edits += edits
            row.wer_words += n
            row.clean_edits += wer(ref, rec.words(rec.clean(str(s.meta.get("text", "")))))[0]
            if n and edits / n > 0.5:
                row.notes.append(f"heard {' '.join(hyp)!r} for {' '.join(ref)!r}")
    # gaps inside the narration (between voice segments and inside them)
    if voices:
        first, last = voices[0].start // 10, min(len(mask), voices[-1].end // 10)
        gaps: list[int] = []
        run = 0
        for i, v in enumerate([*mask[first:last], True]):
            if v:
                if run * 10 > GAP_MS:
                    gaps.append(run * 10)
                    row.notes.append(f"no speech for {run * 10} ms before {(first + i) * 10} ms")
                run = 0
            else:
                run += 1
        row.long_gaps = gaps
    captions.sort(key=lambda s: s.start)
    row.captions = len(captions)
    for c in burned_captions(draft, rec):
        a, b = max(0, (c.start - ONSET_MS) // 10), (c.start + ONSET_MS) // 10
        row.burned_ok += bool(mask[a:b].any())
    for i, c in enumerate(captions):
        a, b = max(0, (c.start - ONSET_MS) // 10), (c.start + ONSET_MS) // 10
        if mask[a:b].any():
            row.onset_ok += 1
        else:
            row.notes.append(
                f"caption at {c.start} ms, no speech within ±{ONSET_MS} ms: {str(c.meta.get('text', ''))[:30]!r}"
            )
        # the caption stays while its line is spoken: speech runs from its start to its end
        if i + 1 < len(captions) and captions[i + 1].start < c.end:
            row.overlaps += 1
        line = next((v for v in voices if v.start <= c.start < v.end), None)
        if (
            line is None
            or c.end >= min(line.end, captions[i + 1].start if i + 1 < len(captions) else line.end) - 400
        ):
            row.covered += 1


def summary(rows: list[Row]) -> str:
    opts = RenderOptions()
    head = (
        "| # | lang | asked | got s | size | fps | LUFS | TP dBTP | clip | lead/tail ms | gaps>1.5 s "
        "| WER (voice alone) | silent narr | caption onset ±300 ms: draft / burned in | covered | overlaps |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for i, r in enumerate(rows, 1):
        w = f"{r.wer_edits / r.wer_words:.0%} ({r.clean_edits / r.wer_words:.0%})" if r.wer_words else "—"
        lines.append(
            f"| {i} | {r.lang} | {r.asked_s or '—'} | {r.duration_s:.2f} | {r.size} | {r.fps:g} | {r.lufs:.1f} "
            f"| {r.peak:.1f} | {r.clipped} | {r.lead_ms}/{r.tail_ms} | {len(r.long_gaps)} | {w} "
            f"| {r.silent_narration}/{r.narration} | {r.onset_ok}/{r.captions} / {r.burned_ok}/{r.captions} | {r.covered}/{r.captions} | {r.overlaps} |"
        )
    en = [r for r in rows if r.wer_words]
    tot = sum(r.wer_edits for r in en) / max(1, sum(r.wer_words for r in en))
    alone = sum(r.clean_edits for r in en) / max(1, sum(r.wer_words for r in en))
    caps = sum(r.captions for r in rows)
    foot = (
        f"\nTargets: {opts.loudness_lufs:g} LUFS (±1 LU), true peak ≤ {opts.true_peak_db:g} dBTP. English WER "
        f"(pocketsphinx) {tot:.0%} from the MP4, {alone:.0%} for the same lines from the voice alone, over {sum(r.wer_words for r in en)} words; captions with speech "
        f"within ±{ONSET_MS} ms: {sum(r.onset_ok for r in rows)}/{caps} as the draft (state, SRT) times them, "
        f"{sum(r.burned_ok for r in rows)}/{caps} as the MP4 shows them.\n"
    )
    return head + "\n".join(lines) + "\n" + foot


def write(rows: list[Row], prompts: list[tuple[str, int, str]]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    prompts_md = "\n".join(f"{i}. {p}" for i, (_, _, p) in enumerate(prompts, 1))
    write_section(
        f"{SECTION}\n\nMeasured {stamp} by `benchmarks/holdout_av.py`: fresh prompts through a real server "
        f"(real engines) over HTTP, each MP4 measured with FFmpeg's ebur128, pocketsphinx and the "
        f"soundtrack's voice-band energy.\n\n{summary(rows)}\nPrompts:\n\n{prompts_md}\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only", type=int, default=0, help="run only prompt K (1-based)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the MP4s in this folder")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--measure", type=Path, default=None, help="measure the MP4s and drafts kept in this folder"
    )
    args = ap.parse_args()
    from conftest import LiveServer, server_env

    prompts = list(PROMPTS)
    if args.only:
        prompts = [prompts[args.only - 1]]
    if args.limit:
        prompts = prompts[: args.limit]
    rows: list[Row] = []
    rec = Recogniser()
    if args.measure:
        for i, (lang, asked, prompt) in enumerate(prompts, 1):
            row = Row(lang, asked, prompt)
            mp4 = args.measure / f"holdout_{args.only or i}.mp4"
            if mp4.exists():
                measure(row, mp4, codec.decode(json.loads(mp4.with_suffix(".draft.json").read_text())), rec)
                rows.append(row)
                print(f"[{i}]", *row.notes[:12], sep="\n    ")
        print(summary(rows))
        if not args.no_write:
            write(rows, prompts)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = server_env(
            data, studio="", require_attribution=False, anonymous_credits=10**9, fake_engines=False
        )
        srv = LiveServer(data, env).start(timeout=120)
        try:
            for lang, asked, prompt in prompts:
                row = Row(lang, asked, prompt)
                c = Client(srv.url)
                try:
                    c.token()
                    sid = c.session(lang)
                    c.turn(sid, prompt)
                    raw = c.draft(sid)
                    mp4 = (args.keep or Path(tmp)) / f"holdout_{len(rows) + 1}.mp4"
                    mp4.parent.mkdir(parents=True, exist_ok=True)
                    row.render_s = c.export(sid, raw, mp4)
                    if args.keep:
                        mp4.with_suffix(".draft.json").write_text(json.dumps(raw, ensure_ascii=False))
                    measure(row, mp4, codec.decode(raw), rec)
                except Exception as exc:  # a failure is a finding, not a crash of the benchmark
                    row.notes.append(f"failed: {exc.__class__.__name__}: {str(exc)[:200]}")
                finally:
                    c.close()
                rows.append(row)
                print(
                    f"[{len(rows)}] {prompt[:60]!r}: {row.duration_s:.2f} s, {row.lufs:.1f} LUFS, "
                    f"{row.peak:.1f} dBTP, render {row.render_s:.0f} s",
                    flush=True,
                )
                for n in row.notes[:12]:
                    print("    ", n, flush=True)
        finally:
            srv.stop()
    print(summary(rows))
    if not args.no_write:
        write(rows, prompts)


if __name__ == "__main__":
    main()
