"""Undo/redo for a session's draft: an immutable stack of earlier and later drafts.

A pure value type; the server stores it (``codec`` JSON per entry) so it survives restarts.
One chat turn that changes the draft is one step.
"""

from __future__ import annotations

from dataclasses import dataclass

from promptreel.draft.model import Draft

__all__ = ["History", "NothingToUndo", "NothingToRedo"]

DEFAULT_LIMIT = 50


class NothingToUndo(LookupError):
    """There is no earlier draft."""


class NothingToRedo(LookupError):
    """There is no undone draft to restore."""


@dataclass(frozen=True, slots=True)
class History:
    """``past`` holds earlier drafts, oldest first; ``future`` holds undone drafts, next first."""

    past: tuple[Draft, ...] = ()
    future: tuple[Draft, ...] = ()
    limit: int = DEFAULT_LIMIT

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)

    def record(self, before: Draft) -> History:
        """After an edit: remember the draft as it was before, and forget anything undone."""
        past = (*self.past, before)[-self.limit :] if self.limit > 0 else ()
        return History(past, (), self.limit)

    def undo(self, current: Draft) -> tuple[Draft, History]:
        """The previous draft, and the history in which ``current`` can be redone."""
        if not self.past:
            raise NothingToUndo("nothing to undo")
        return self.past[-1], History(self.past[:-1], (current, *self.future), self.limit)

    def redo(self, current: Draft) -> tuple[Draft, History]:
        """The draft that was undone last, and the history in which ``current`` can be undone."""
        if not self.future:
            raise NothingToRedo("nothing to redo")
        return self.future[0], History((*self.past, current)[-self.limit :], self.future[1:], self.limit)
