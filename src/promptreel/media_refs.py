"""Which file a draft's media reference names: the one seam through which rendering finds files.

A draft names media by reference: ``meta.media_id`` or ``meta.src`` on media, voice, music and
audio segments. Rendering never opens what a draft names; it asks a :class:`MediaResolver`,
chosen by the service layer, and opens only the path the resolver hands back.

* On the server the resolver is the render owner's own uploads, by id
  (``UploadService.media_path(user_id)``): a path, or another user's media id, never resolves.
* On the command line :class:`LocalFiles` also resolves local paths (``promptreel make --media
  photo.jpg``, ``promptreel render draft.json``).
* With no resolver nothing resolves (:func:`no_media`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from promptreel.draft import Draft

__all__ = [
    "MEDIA_FIELDS",
    "LocalFiles",
    "MediaReference",
    "MediaResolver",
    "no_media",
    "references",
    "unresolved",
]

#: the segment metadata fields that name a file
MEDIA_FIELDS = ("media_id", "src")


class MediaResolver(Protocol):
    """A reference (``media_id`` or ``src``) → the local file it stands for, or ``None``."""

    def __call__(self, ref: str, /) -> Path | None: ...


def no_media(ref: str, /) -> Path | None:
    """The resolver that resolves nothing."""
    return None


class LocalFiles:
    """Command-line resolution: ``ids`` first (if given), then ``ref`` as a local file path."""

    def __init__(self, ids: MediaResolver | None = None) -> None:
        self.ids = ids

    def __call__(self, ref: str, /) -> Path | None:
        if not ref:
            return None
        if self.ids is not None:
            found = self.ids(ref)
            if found is not None:
                return found
        try:
            path = Path(ref).expanduser()
            return path if path.is_file() else None
        except (OSError, ValueError, RuntimeError):  # NUL bytes, unknown ~user, names too long
            return None


@dataclass(frozen=True, slots=True)
class MediaReference:
    path: str  # where in the compact draft, e.g. ``t[0].sg[2].m.media_id``
    field: str
    ref: str


def references(draft: Draft) -> Iterator[MediaReference]:
    """Every media reference in ``draft``, in track and segment order."""
    for ti, track in enumerate(draft.tracks):
        for si, seg in enumerate(track.segments):
            for field in MEDIA_FIELDS:
                ref = seg.meta.get(field)
                if ref is None or ref == "":
                    continue
                yield MediaReference(f"t[{ti}].sg[{si}].m.{field}", field, str(ref))


def unresolved(draft: Draft, resolver: MediaResolver) -> MediaReference | None:
    """The first reference in ``draft`` that ``resolver`` does not know, or ``None``."""
    for r in references(draft):
        if resolver(r.ref) is None:
            return r
    return None
