"""A picture of an OTIO timeline as an editor shows it: one lane per track, clips as labelled
boxes, transitions as hatched overlaps, markers on a ruler. Drawn with skia, written as PNG."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import skia

from promptreel.exchange.timeline import KEY, TEXT_KIND
from promptreel.render.fonts import covers, families, typeface

__all__ = ["draw_lanes"]

_COLORS = {"video": 0xFF3B6FD8, "audio": 0xFF2E9E6A, "text": 0xFFB0569E}
_BG, _LANE, _INK, _DIM = 0xFF1B1D22, 0xFF26292F, 0xFFFFFFFF, 0xFF9AA0A8


def _face() -> skia.Typeface:
    faces = [typeface(f) for f in families("text")]
    return next((tf for tf in faces if covers(tf, "时间线Timeline")), faces[0])


def _lane_kind(track: otio.schema.Track) -> str:
    own = track.metadata.get(KEY, {})
    if own and int(own.get("track_type", -1)) == 7:
        return "text"
    return "audio" if track.kind == otio.schema.TrackKind.Audio else "video"


def draw_lanes(timeline: otio.schema.Timeline, out: Path, *, width: int = 1600) -> Path:
    tracks = [t for t in timeline.tracks if isinstance(t, otio.schema.Track)]
    lane_h, head_w, ruler_h, pad = 46, 150, 34, 12
    height = ruler_h + pad + len(tracks) * (lane_h + 6) + pad
    total = timeline.duration().to_seconds() or 1.0
    scale = (width - head_w - pad) / total
    surface = skia.Surface(width, height)
    c = surface.getCanvas()
    c.clear(_BG)
    face = _face()
    font, small = skia.Font(face, 15), skia.Font(face, 12)
    ink, dim = skia.Paint(Color=_INK, AntiAlias=True), skia.Paint(Color=_DIM, AntiAlias=True)
    step = 1 if total <= 20 else 5 if total <= 90 else 10
    s = 0
    while s <= total:
        x = head_w + s * scale
        c.drawLine(x, ruler_h - 8, x, ruler_h, dim)
        c.drawString(f"{s}s", x + 2, ruler_h - 12, small, dim)
        s += step
    for m in timeline.tracks.markers:
        x = head_w + m.marked_range.start_time.to_seconds() * scale
        c.drawPath(
            skia.Path().moveTo(x - 5, ruler_h - 2).lineTo(x + 5, ruler_h - 2).lineTo(x, ruler_h + 6).close(),
            skia.Paint(Color=0xFF5AA9FF, AntiAlias=True),
        )
    for i, track in enumerate(tracks):
        y = ruler_h + pad + i * (lane_h + 6)
        c.drawRect(skia.Rect.MakeXYWH(0, y, width, lane_h), skia.Paint(Color=_LANE))
        kind = _lane_kind(track)
        c.drawString(f"{track.name}", 10, y + 20, font, ink)
        c.drawString(kind, 10, y + 38, small, dim)
        color = _COLORS[kind]
        for item in track:
            r = track.range_of_child(item)
            x0 = head_w + r.start_time.to_seconds() * scale
            w = r.duration.to_seconds() * scale
            if isinstance(item, otio.schema.Transition):
                x0 = head_w + (r.start_time - item.in_offset).to_seconds() * scale
                w = (item.in_offset + item.out_offset).to_seconds() * scale
                rect = skia.Rect.MakeXYWH(x0, y + 2, max(2.0, w), lane_h - 4)
                c.drawRect(rect, skia.Paint(Color=0xCCFFFFFF))
                c.drawLine(x0, y + lane_h - 2, x0 + w, y + 2, skia.Paint(Color=0xFF000000, StrokeWidth=2))
                continue
            if not isinstance(item, otio.schema.Clip):
                continue
            rect = skia.Rect.MakeXYWH(x0 + 1, y + 3, max(2.0, w - 2), lane_h - 6)
            c.drawRoundRect(rect, 5, 5, skia.Paint(Color=color, AntiAlias=True))
            ref = item.media_reference
            label = item.name
            if not (isinstance(ref, otio.schema.GeneratorReference) and ref.generator_kind == TEXT_KIND):
                url = getattr(ref, "target_url", "")
                label = f"{item.name} · {Path(url).name}" if url else item.name
            c.save()
            c.clipRect(rect)
            c.drawString(label, x0 + 7, y + 28, small, ink)
            c.restore()
    out.parent.mkdir(parents=True, exist_ok=True)
    surface.makeImageSnapshot().save(str(out), skia.kPNG)
    return out
