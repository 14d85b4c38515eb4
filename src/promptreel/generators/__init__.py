"""Generators: everything the draft refers to but does not contain, each behind a Protocol.

* ``base`` — the Protocols ``Speech``, ``Music``, ``Illustrations``.
* ``speech`` — ``SpeechRouter`` (Piper voices for English, espeak-ng + pypinyin for Mandarin),
  ``list_voices()``.
* ``music`` — ``MidiMusic``: seeded pretty_midi compositions by style, rendered through a General
  MIDI soundfont with tinysoundfont (numpy synth fallback).
* ``visuals.icons`` — ``IconLibrary``: Iconify sets matched to scene text by keywords, blended
  with all-MiniLM-L6-v2 sentence embeddings (``visuals.embed``) where keywords are weak.
* ``cache`` — content-addressed disk cache and the ``CachedSpeech``/``CachedMusic`` wrappers.
* ``assets`` — ``LocalAssets`` (the renderer's ``Assets``); ``service.studio.build_engines`` wires the real engines.
* ``fakes`` — fast deterministic stand-ins for tests.

Submodules are imported on use, so importing this package stays cheap.
"""
