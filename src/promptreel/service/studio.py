"""The studio's use cases for one video — prompt → draft, chat edit → draft, draft → files.

The CLI (``promptreel make`` / ``render``) and the server's turns and render queue both call
these functions. Every one takes the :class:`Settings` it works under (nothing here reads the
process-wide settings); the generation engines are built once per configuration and shared.
:class:`LocalStudio` binds one ``Settings`` to them: the server's Studio port.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from promptreel.agent.director import post_production, raw_cut
from promptreel.agent.planner import plan
from promptreel.agent.storyboard import MediaRef
from promptreel.draft import Draft, codec
from promptreel.draft.interop import to_srt
from promptreel.errors import GenerationFailed, PromptreelError, UnsupportedFile
from promptreel.generators.assets import LocalAssets
from promptreel.generators.base import Illustrations, Music, Speech
from promptreel.generators.cache import DiskCache
from promptreel.media_refs import LocalFiles, MediaResolver
from promptreel.render import RenderOptions, RenderResult, load_audio, probe, render_draft
from promptreel.render.caption_words import with_word_times
from promptreel.settings import Settings

__all__ = [
    "Engines",
    "LocalStudio",
    "MediaRef",
    "build_engines",
    "default_engines",
    "edit_draft",
    "export_files",
    "generate_draft",
    "local_files",
    "probe_media",
    "render_file",
]

StageCallback = Callable[[str, Draft], None]
Progress = Callable[[float, str], None]
MediaPath = MediaResolver

PREVIEW_SCALE = 1 / 3
PREVIEW_AUDIO_RATE = 24_000
PREVIEW_AUDIO_BITRATE = 96_000
PREVIEW_LOUDNESS_TOLERANCE_LU = 0.5  # one measuring pass fewer, most of the time


@dataclass(frozen=True)
class Engines:
    """The generators one process shares: speech, music, illustrations and their disk cache."""

    speech: Speech
    music: Music
    illustrations: Illustrations
    cache: DiskCache | None = None
    speech_rate: float = 1.0

    def assets(self, media_path: MediaPath | None = None) -> LocalAssets:
        return LocalAssets(
            speech=self.speech,
            music=self.music,
            illustrations=self.illustrations,
            cache=self.cache,
            media_resolver=media_path,
            audio_loader=load_audio,
            speech_rate=self.speech_rate,
        )

    @classmethod
    def fake(cls) -> Engines:
        """Fast deterministic engines (tones instead of speech) for tests and dry runs."""
        from promptreel.generators.fakes import FakeIllustrations, FakeMusic, FakeSpeech

        return cls(FakeSpeech(), FakeMusic(), FakeIllustrations())


_ENGINES: dict[str, Engines] = {}
_ENGINES_LOCK = threading.Lock()


def default_engines(settings: Settings) -> Engines:
    """The engines for ``settings``, built once per distinct configuration and shared after."""
    if settings.fake_engines:
        return Engines.fake()
    key = settings.model_dump_json()
    with _ENGINES_LOCK:
        engines = _ENGINES.get(key)
        if engines is None:
            engines = _ENGINES[key] = build_engines(settings)
    return engines


def build_engines(settings: Settings) -> Engines:
    """The real offline engines (Piper / espeak-ng, MIDI music, Iconify illustrations) with a disk cache."""
    from promptreel.generators.music import MidiMusic
    from promptreel.generators.speech import SpeechRouter
    from promptreel.generators.visuals.icons import IconLibrary

    return Engines(
        speech=SpeechRouter(default_en=settings.voice_en, default_zh=settings.voice_zh),
        music=MidiMusic(settings.soundfont),
        illustrations=IconLibrary.from_settings(settings),
        cache=DiskCache(settings.resolved_cache_dir),
        speech_rate=settings.speech_rate,
    )


def local_files() -> MediaResolver:
    """The command line's media resolver: a draft's media may be any local file the user names.

    Only the CLI passes it; the server renders with the owner's uploads by id only.
    """
    return LocalFiles()


def probe_media(paths: Sequence[Path]) -> list[MediaRef]:
    """Facts about local media files given on the command line (``--media``)."""
    refs = []
    for p in paths:
        path = Path(p).expanduser().resolve()
        if not path.is_file():
            raise UnsupportedFile(f"{p}: no such file")
        info = probe(path)
        refs.append(
            MediaRef(str(path), info.kind, info.duration_ms, info.width, info.height, path.name, str(path))
        )
    return refs


def generate_draft(
    prompt: str,
    *,
    settings: Settings,
    media: Sequence[MediaRef] = (),
    on_stage: StageCallback | None = None,
    engines: Engines | None = None,
    seed: int | None = None,
) -> Draft:
    """Two stages, as the protocol describes: the raw cut (scenes, visuals, narration), then
    post-production (music, title, captions). ``on_stage("raw_cut" | "post", draft)`` sees each."""
    if not prompt.strip():
        raise GenerationFailed("Tell me what the video is about.")
    eng = engines or default_engines(settings)
    assets = eng.assets()
    try:
        board = plan(prompt, seed=seed, model=planner_model(settings))
        first = raw_cut(board, speech=assets.speech, illustrations=eng.illustrations, media=media)
        if on_stage:
            on_stage("raw_cut", first)
        final = post_production(first, board)
        if on_stage:
            on_stage("post", final)
    except PromptreelError:
        raise
    except Exception as exc:  # an engine failed: report it as a generation failure
        raise GenerationFailed(f"Generation failed: {exc}") from exc
    return final


def render_options(settings: Settings, *, preview: bool = False, workers: int | None = None) -> RenderOptions:
    """The render settings: ``workers`` processes (``None``: one for a final render, one per core
    for a preview, which someone is waiting for; 0: one per core)."""
    s = settings
    if workers is None:
        workers = 0 if preview else 1
    if workers <= 0:  # one per core, at most 8 (each holds a frame pipeline of ~300 MB)
        workers = min(
            8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        )
    options = RenderOptions(
        preset=s.encoder_preset,
        x264_params=s.encoder_params,
        crf=s.encoder_crf,
        workers=workers,
        chunk_s=max(1, s.render_chunk_s),
        backend=s.render_backend,
        ray_address=s.ray_address,
        chunk_cache=str(s.resolved_cache_dir / "chunks") if s.render_chunk_cache else "",
        sound_cache=str(s.resolved_cache_dir / "soundtracks") if s.render_chunk_cache else "",
    )
    if preview:  # a third of the size, 24 kHz audio, the sample peak, ±0.5 LU: a fraction of the work
        return replace(
            options,
            preset="ultrafast",
            crf=28,
            scale=PREVIEW_SCALE,
            audio_rate=PREVIEW_AUDIO_RATE,
            audio_bitrate=PREVIEW_AUDIO_BITRATE,
            true_peak_oversample=1,
            loudness_tolerance_lu=PREVIEW_LOUDNESS_TOLERANCE_LU,
        )
    return options


def render_file(
    draft: Draft,
    out: Path,
    *,
    settings: Settings,
    media_path: MediaPath | None = None,
    progress: Progress | None = None,
    preview: bool = False,
    workers: int | None = None,
    engines: Engines | None = None,
    stream: bool = False,
) -> RenderResult:
    """Render ``draft`` to ``out`` (MP4). Assets come from the shared engines and their cache.

    ``media_path`` is the only way a draft's ``media_id``/``src`` reaches a file: without one no
    media resolves (the CLI passes :func:`local_files`, the server the owner's uploads).
    ``stream``: write ``out`` in place as a fragmented MP4 that can be played while it grows.
    """
    codec.validate(draft, _limits(settings))
    assets = (engines or default_engines(settings)).assets(media_path)
    options = replace(render_options(settings, preview=preview, workers=workers), fragmented=stream)
    return render_draft(draft, assets, out, options=options, progress=progress)


def export_files(
    draft: Draft,
    out: Path,
    *,
    settings: Settings,
    media_path: MediaPath | None = None,
    progress: Progress | None = None,
    preview: bool = False,
    workers: int | None = None,
    engines: Engines | None = None,
) -> RenderResult:
    """The MP4 plus ``<name>.srt`` captions and ``<name>.draft.json`` (the editable timeline)."""
    result = render_file(
        draft,
        out,
        settings=settings,
        media_path=media_path,
        progress=progress,
        preview=preview,
        workers=workers,
        engines=engines,
    )
    # the captions as the video shows them: timed by the narration's spoken words
    assets = (engines or default_engines(settings)).assets(media_path)
    _write_text(out.with_suffix(".srt"), to_srt(with_word_times(draft, assets)))
    _write_text(out.with_suffix(".draft.json"), json.dumps(codec.encode(draft), ensure_ascii=False, indent=2))
    return result


def edit_draft(
    draft: Draft,
    message: str,
    *,
    lang: str,
    settings: Settings,
    media: Sequence[MediaRef] = (),
    history: Any = None,
    engines: Engines | None = None,
) -> Any:
    """One chat edit through the editing agent (rules by default, an LLM when configured)."""
    from promptreel.agent.tools import EditContext

    eng = engines or default_engines(settings)
    assets = eng.assets()
    ctx = EditContext(speech=assets.speech, illustrations=eng.illustrations, media=media)
    if history is not None:
        ctx = EditContext(speech=assets.speech, illustrations=eng.illustrations, media=media, history=history)
    return editor(settings).edit(draft, message, lang=lang, context=ctx)


def planner_model(settings: Settings) -> Any:
    """The language model that reads prompts into briefs, when one is configured (else ``None``)."""
    from promptreel.agent.llm import OpenAIChatModel

    if not settings.llm_base_url:
        return None
    return OpenAIChatModel(settings.llm_base_url, settings.llm_model, settings.llm_api_key.get_secret_value())


def editor(settings: Settings) -> Any:
    """The deterministic rule editor, or an LLM editor (rules as fallback) when one is configured."""
    from promptreel.agent.editor import LLMEditor, RuleEditor
    from promptreel.agent.llm import OpenAIChatModel

    rules = RuleEditor()
    if not settings.llm_base_url:
        return rules
    model = OpenAIChatModel(
        settings.llm_base_url, settings.llm_model, settings.llm_api_key.get_secret_value()
    )
    return LLMEditor(model, rules)


class LocalStudio:
    """The real studio under one :class:`Settings` (the server's Studio port)."""

    def __init__(self, settings: Settings, engines: Engines | None = None) -> None:
        self.settings = settings
        self._engines = engines

    @property
    def engines(self) -> Engines:
        if self._engines is None:
            self._engines = default_engines(self.settings)
        return self._engines

    def generate_draft(
        self,
        prompt: str,
        *,
        media: Sequence[MediaRef] = (),
        on_stage: StageCallback | None = None,
        seed: int | None = None,
    ) -> Draft:
        return generate_draft(
            prompt, settings=self.settings, media=media, on_stage=on_stage, engines=self.engines, seed=seed
        )

    def render_file(
        self,
        draft: Draft,
        out: Path,
        *,
        media_path: MediaPath | None = None,
        progress: Progress | None = None,
        preview: bool = False,
        workers: int | None = None,
        stream: bool = False,
    ) -> RenderResult:
        return render_file(
            draft,
            out,
            settings=self.settings,
            media_path=media_path,
            progress=progress,
            preview=preview,
            workers=workers,
            engines=self.engines,
            stream=stream,
        )

    def edit_draft(
        self,
        draft: Draft,
        message: str,
        *,
        lang: str,
        media: Sequence[MediaRef] = (),
        history: Any = None,
    ) -> Any:
        return edit_draft(
            draft,
            message,
            lang=lang,
            settings=self.settings,
            media=media,
            history=history,
            engines=self.engines,
        )


def _limits(s: Settings) -> codec.Limits:
    return codec.Limits(
        max_duration_ms=s.max_duration_ms, max_segments=s.max_segments, max_canvas_px=s.max_canvas_px
    )


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
