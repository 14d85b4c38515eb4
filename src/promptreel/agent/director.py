"""Storyboard → Draft, in the protocol's two stages. Pure except for the generators passed in.

* :func:`raw_cut` (stage 1): one ``scene`` per planned scene on a ``scenes`` track, a ``voice``
  segment per scene on a ``narration`` track, uploads on a ``media`` track above the scenes.
  Scene lengths follow the real speech (plus padding), stretched in proportion to the planned
  length with the closing line at its end; when the speech is too long, body beats are dropped.
* :func:`post_production` (stage 2): background music, a title card and phrase-level captions in
  sync with the narration (:mod:`promptreel.agent.captioning`), plus the draft's meta.

Both return ordinary drafts built with :mod:`promptreel.draft.ops`; ids are deterministic.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from promptreel.agent.captioning import caption_segments
from promptreel.agent.lexicon import HAN, STOPWORDS, has_cjk
from promptreel.agent.storyboard import LEAD_IN_MS, SCENE_PAD_MS, MediaRef, ScenePlan, Storyboard
from promptreel.draft import ops
from promptreel.draft.meta import Meta
from promptreel.draft.model import Canvas, Draft, Segment, Track, TrackType
from promptreel.generators.base import Illustrations, Speech
from promptreel.generators.visuals.choose import scene_picture

__all__ = [
    "raw_cut",
    "post_production",
    "scene_lengths",
    "BGM_VOLUME",
    "CLOSE_HOLD_MS",
]

BGM_VOLUME = 0.35
TITLE_MIN_MS = 2500
TITLE_MAX_MS = 3500
MUSIC_FADE_IN_MS = 600
MUSIC_FADE_OUT_MS = 1800
#: the most a closing scene is held after its narration and padding (the rest paces earlier scenes)
CLOSE_HOLD_MS = 1500


def split_sentences(text: str, lang: str) -> list[str]:
    """Whole sentences of a narration line (never cut inside one)."""
    text = " ".join(text.split())
    if lang == "zh" or has_cjk(text):
        parts = re.findall(r"[^。！？!?]+[。！？!?]*", text)
    else:
        parts = re.split(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9])", text)
    return [p.strip() for p in parts if p.strip()]


# ── stage 1 ────────────────────────────────────────────────────────────────────────────────


def scene_lengths(speech_ms: Sequence[int], target_ms: int, min_ms: Sequence[int] = ()) -> list[int]:
    """Scene lengths: each speech plus padding (at least the scene's reading time), the slack shared
    so they sum to ``target_ms`` and the narration carries the video to its end.

    The closing scene holds at most :data:`CLOSE_HOLD_MS` past its need (its call to action ends
    the video); the others share the rest in proportion to their needs. When the speech does not
    fit, the lengths are speech plus padding (the caller drops beats first, so only a single line
    longer than the whole video gets here).
    """
    floors = list(min_ms) + [0] * (len(speech_ms) - len(min_ms))
    need = [max(1, ms + SCENE_PAD_MS if ms else 0, floors[i]) for i, ms in enumerate(speech_ms)]
    slack = target_ms - sum(need)
    if not need or slack <= 0:
        return need
    if len(need) == 1:
        return [need[0] + slack]
    last = min(CLOSE_HOLD_MS, slack)
    body = need[:-1]
    edges = [0] + [(slack - last) * sum(body[: k + 1]) // sum(body) for k in range(len(body))]
    return [n + b - a for n, a, b in zip(body, edges[:-1], edges[1:], strict=True)] + [need[-1] + last]


class _Voice:
    """Synthesises each distinct line once and remembers its duration."""

    def __init__(self, speech: Speech, board: Storyboard) -> None:
        self.speech, self.board = speech, board
        self.cache: dict[str, int] = {}

    def ms(self, text: str) -> int:
        if not text.strip():
            return 0
        if text not in self.cache:
            clip = self.speech.synthesize(
                text, lang=self.board.lang, voice=self.board.voice, speed=self.board.speed
            )
            self.cache[text] = int(clip.duration_ms)
        return self.cache[text]


def _fit_scenes(board: Storyboard, voice: _Voice) -> list[tuple[ScenePlan, int]]:
    """Scenes with their speech ms, dropping body beats (then trailing sentences) until they fit."""
    scenes = [(s, voice.ms(s.text) if board.narration else 0) for s in board.scenes]
    if board.narration:
        scenes = [(s, ms) for s, ms in scenes if ms > 0 or s.layout != "headline"]

    def total() -> int:
        return sum(max(ms + SCENE_PAD_MS, s.min_ms) for s, ms in scenes)

    while total() > board.target_ms:
        bodies = [i for i, (s, _) in enumerate(scenes) if s.beat == "body"]
        if bodies:
            del scenes[bodies[-1]]
            continue
        # no body left: drop a whole sentence of the longest scene (a close keeps its call to action)
        best: tuple[int, int] | None = None
        for i, (s, ms) in enumerate(scenes):
            if len(split_sentences(s.text, board.lang)) > 1 and (best is None or ms > best[1]):
                best = (i, ms)
        if best is None:
            if len(scenes) > 1:  # keep the hook, lose the call to action
                scenes.pop()
                continue
            break  # one sentence longer than the whole video: keep it whole
        i = best[0]
        plan = scenes[i][0]
        sentences = split_sentences(plan.text, board.lang)
        sentences = sentences[1:] if plan.beat == "cta" else sentences[:-1]
        text = ("" if board.lang == "zh" else " ").join(sentences)
        scenes[i] = (dataclasses.replace(plan, text=text), voice.ms(text))
    return scenes


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOPWORDS and len(w) > 2}


def _stem(w: str) -> str:
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def _media_tokens(m: MediaRef) -> set[str]:
    """Words of an upload's file name ("Croissants_tray.JPG" → croissant, tray; "咖啡豆.jpg" → 咖啡, 啡豆)."""
    name = re.sub(r"\.[A-Za-z0-9]{2,4}$", "", m.name or "")
    return {_stem(w) for w in _words(re.sub(r"[_\-.]+", " ", name))} | _cjk_pairs(name)


def _cjk_pairs(text: str) -> set[str]:
    return {run[i : i + 2] for run in re.findall(f"[{HAN}]+", text) for i in range(max(1, len(run) - 1))}


def _assign_media(media: Sequence[MediaRef], plans: Sequence[ScenePlan]) -> list[list[MediaRef]]:
    """Which uploads go in which scene: by filename/keyword match first, then in order."""
    slots: list[list[MediaRef]] = [[] for _ in plans]
    if not plans:
        return slots
    texts = [p.text + " " + " ".join(p.keywords) + " " + p.headline for p in plans]
    scene_words = [{_stem(w) for w in _words(t)} | _cjk_pairs(t) for t in texts]
    pending: list[MediaRef] = []
    for m in media:
        tokens = _media_tokens(m)
        best: tuple[int, int] | None = None
        for i, words in enumerate(scene_words):
            if slots[i]:
                continue
            score = len(tokens & words)
            if score and (best is None or score > best[0]):
                best = (score, i)
        if best is None:
            pending.append(m)
        else:
            slots[best[1]].append(m)
    for m in pending:
        free = [i for i, s in enumerate(slots) if not s]
        i = free[0] if free else min(range(len(slots)), key=lambda k: (len(slots[k]), k))
        slots[i].append(m)
    return slots


def _media_segments(
    draft: Draft, scenes: Sequence[Segment], slots: Sequence[Sequence[MediaRef]], board: Storyboard
) -> list[Segment]:
    count = sum(len(s) for s in slots)
    ids = iter(ops.new_ids(draft, "seg_media", count))
    out: list[Segment] = []
    for scene, refs in zip(scenes, slots, strict=True):
        if not refs:
            continue
        part = scene.duration // len(refs)
        for k, m in enumerate(refs):
            start = scene.start + k * part
            span = scene.end - start if k == len(refs) - 1 else part
            if span <= 0:
                continue
            still = m.kind == "image"
            length = span if still or m.duration_ms <= 0 else min(span, m.duration_ms)
            transition = str(scene.meta.get("transition", "crossfade")) if k == 0 else "crossfade"
            meta = {
                "media_id": m.media_id,
                "src": m.src or m.media_id,
                "media_kind": "image" if still else "video",
                "trim_in": 0,
                "fit": "cover",
                "kenburns": still,
                "transition": transition,
                "transition_ms": 0 if transition == "cut" else board.transition_ms,
            }
            out.append(Segment(next(ids), start, length, "media", m.name or m.media_id, Meta(meta)))
    return out


def _layout_meta(plan: ScenePlan, illustrations: Illustrations, lang: str) -> dict[str, object]:
    """The layout's own keys (see ``SEGMENT_KINDS["scene"]``); nothing for the plain headline layout."""
    if plan.layout == "headline":
        return {}
    meta: dict[str, object] = {"layout": plan.layout}
    if plan.items:
        meta["items"] = [{"text": t, "value": v} if v else {"text": t} for t, v in plan.items]
    for key in ("value", "label", "quote", "by"):
        if getattr(plan, key):
            meta[key] = getattr(plan, key)
    if plan.imagery:
        icons: list[str] = []
        for query in plan.imagery:
            icon = illustrations.match(query, lang="en", exclude=tuple(icons))
            if icon:
                icons.append(icon)
        meta["icons"] = icons
    return meta


def _scene_icon(
    query: str, board: Storyboard, illustrations: Illustrations, used: list[str], closing: bool
) -> str:
    """The picture of a scene (see :func:`scene_picture`): a scene that matches nothing new
    shows the subject's, the prompt's or the kind of video's picture, never an abstract shape."""
    return scene_picture(
        illustrations,
        query,
        lang=board.lang,
        used=used,
        subject=board.subject,
        prompt=board.prompt,
        genre=board.genre,
        closing=closing,
    )


def raw_cut(
    board: Storyboard,
    *,
    speech: Speech,
    illustrations: Illustrations,
    media: Sequence[MediaRef] = (),
    draft_id: str | None = None,
) -> Draft:
    """Stage 1: scenes (visual parameters and an illustration each), narration, and placed uploads."""
    voice = _Voice(speech, board)
    fitted = _fit_scenes(board, voice)
    floors = [p.min_ms for p, _ in fitted]
    if fitted and board.title and board.scenes[0].layout == "headline":  # the title card opens it
        rest = sum(scene_lengths([ms for _, ms in fitted[1:]], 0, floors[1:]))
        floors[0] = max(floors[0], min(TITLE_MAX_MS, board.target_ms - rest))
    lengths = scene_lengths([ms for _, ms in fitted], board.target_ms, floors)
    draft = Draft(
        draft_id or f"draft_{board.seed:08x}",
        Canvas(board.canvas.width, board.canvas.height, board.canvas.fps),
        meta=Meta(_draft_meta(board)),
    )
    draft, scenes_id = ops.upsert_track(draft, "scenes", TrackType.VIDEO, "Scenes")
    draft, narration_id = ops.upsert_track(draft, "narration", TrackType.AUDIO, "Narration")
    scene_ids = ops.new_ids(draft, "seg_scene", len(fitted))
    scenes: list[Segment] = []
    used_icons: list[str] = []
    cursor = 0
    for i, ((plan, _), length) in enumerate(zip(fitted, lengths, strict=True)):
        query = " ".join(k for k in plan.keywords if k) or plan.headline or plan.text
        icon = _scene_icon(query, board, illustrations, used_icons, closing=i == len(fitted) - 1)
        if icon:
            used_icons.append(icon)
        transition = "cut" if i == 0 else plan.transition
        meta: dict[str, object] = {
            "text": plan.text,
            "headline": plan.headline,
            "icon": icon,
            "palette": list(board.palette),
            "motion": plan.motion,
            "transition": transition,
            "transition_ms": 0 if transition == "cut" else min(board.transition_ms, length // 3),
            "seed": (board.seed * 1_000_003 + i * 7919) & 0x7FFFFFFF,
            "beat": plan.beat,
        }
        if plan.chart is not None:
            meta["chart"] = plan.chart.to_meta()
        meta.update(_layout_meta(plan, illustrations, board.lang))
        scenes.append(Segment(scene_ids[i], cursor, length, "scene", plan.headline, Meta(meta)))
        cursor += length
    draft = ops.replace_segments(draft, scenes_id, scenes)
    spoken = [(seg, plan, ms) for seg, (plan, ms) in zip(scenes, fitted, strict=True) if ms > 0]
    voice_ids = ops.new_ids(draft, "seg_voice", len(spoken))
    voices = [
        Segment(
            vid,
            seg.start + LEAD_IN_MS,
            ms,
            "voice",
            "",
            Meta({"text": plan.text, "voice": board.voice, "speed": board.speed, "lang": board.lang}),
        )
        for vid, (seg, plan, ms) in zip(voice_ids, spoken, strict=True)
    ]
    draft = ops.replace_segments(draft, narration_id, voices)
    visual = [m for m in media if m.kind in ("image", "video")]
    if visual:
        draft = ops.add_track(
            draft, Track(ops.new_id(draft, "trk_media"), TrackType.VIDEO, "media", "Media"), index=1
        )
        media_track = draft.tracks[1]
        slots = _assign_media(visual, [p for p, _ in fitted])
        draft = ops.replace_segments(draft, media_track.id, _media_segments(draft, scenes, slots, board))
    return draft


# ── stage 2 ────────────────────────────────────────────────────────────────────────────────


def _draft_meta(board: Storyboard) -> dict[str, object]:
    return {
        "title": board.title,
        "prompt": board.prompt,
        "lang": board.lang,
        "mood": board.mood,
        "voice": board.voice,
        "speed": board.speed,
        "seed": board.seed,
        **({"notes": list(board.notes)} if board.notes else {}),
    }


def _ensure(
    draft: Draft, role: str, tt: TrackType, name: str, defaults: dict[str, object]
) -> tuple[Draft, str]:
    existing = draft.first_track(role)
    draft, tid = ops.upsert_track(draft, role, tt, name)
    if existing is None and defaults:
        draft = ops.update_track(draft, tid, meta=defaults)
    return draft, tid


def post_production(draft: Draft, board: Storyboard) -> Draft:
    """Stage 2: background music under the whole video, a title card, captions, and the draft meta.

    Running it again refreshes the same tracks (their segments are replaced, their settings kept).
    """
    end = draft.duration
    if end <= 0:
        return ops.set_meta(draft, **_draft_meta(board), captions=True)
    d = draft
    # background music, ducked under the voice (unless the prompt asked for none)
    if board.music:
        d, bgm = _ensure(d, "bgm", TrackType.AUDIO, "Music", {"volume": BGM_VOLUME, "duck": True})
        old = d.track(bgm)
        music_id = old.segments[0].id if old and old.segments else ops.new_id(d, "seg_music")
        music = Segment(
            music_id,
            0,
            end,
            "music",
            board.music_style,
            Meta(
                {
                    "style": board.music_style,
                    "mood": board.mood,
                    "tempo": 0,
                    "seed": board.seed,
                    "fade_in": min(MUSIC_FADE_IN_MS, end // 4),
                    "fade_out": min(MUSIC_FADE_OUT_MS, end // 4),
                }
            ),
        )
        d = ops.replace_segments(d, bgm, [music])
    # title card over the opening seconds
    # the title card opens a headline scene; a greeting, a menu board or a chart opens on itself
    if board.title and not (board.scenes and board.scenes[0].layout != "headline"):
        scenes = d.first_track("scenes")
        first = scenes.segments[0].duration if scenes and scenes.segments else TITLE_MAX_MS
        title_ms = min(end, max(TITLE_MIN_MS, min(TITLE_MAX_MS, first)))
        d, title_tid = _ensure(d, "title", TrackType.TEXT, "Title", {})
        old = d.track(title_tid)
        title_id = old.segments[0].id if old and old.segments else ops.new_id(d, "seg_title")
        title = Segment(
            title_id,
            0,
            title_ms,
            "title",
            board.title,
            Meta(
                {
                    "text": board.title,
                    "subtitle": board.subtitle,
                    "style": {"color": board.palette[-1] if board.palette else "#FFFFFF"},
                    "position": "center",
                }
            ),
        )
        d = ops.replace_segments(d, title_tid, [title])
    # captions in sync with the narration
    d, cap_tid = _ensure(
        d, "captions", TrackType.TEXT, "Captions", {"style": {"color": "#FFFFFF", "position": "bottom"}}
    )
    narration = d.first_track("narration")
    cleared = ops.replace_segments(d, cap_tid, [])
    captions = (
        caption_segments(narration, lang=board.lang, draft=cleared) if narration and board.captions else []
    )
    d = ops.replace_segments(cleared, cap_tid, captions)
    return ops.set_meta(d, **_draft_meta(board), captions=board.captions)
