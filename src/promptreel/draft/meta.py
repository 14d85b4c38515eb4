"""An immutable, picklable JSON-like mapping used for metadata on drafts, tracks and segments."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Meta", "freeze", "thaw"]


def freeze(value: Any) -> Any:
    """Deep-freeze a JSON value: dicts become :class:`Meta`, lists become tuples."""
    if isinstance(value, Meta):
        return value
    if isinstance(value, Mapping):
        return Meta({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Inverse of :func:`freeze`: plain dicts and lists, ready for ``json.dumps``."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value


class Meta(Mapping[str, Any]):
    """Frozen mapping. Build changed copies with :meth:`set` and :meth:`without`."""

    __slots__ = ("_d",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._d: dict[str, Any] = {str(k): freeze(v) for k, v in (data or {}).items()}

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        return hash(json.dumps(thaw(self), sort_keys=True, default=str))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._d) == {k: freeze(v) for k, v in other.items()}
        return NotImplemented

    def __repr__(self) -> str:
        return f"Meta({thaw(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Meta, (thaw(self),))

    def set(self, **changes: Any) -> Meta:
        """A copy with keys changed; a value of ``None`` removes the key."""
        d = dict(self._d)
        for k, v in changes.items():
            if v is None:
                d.pop(k, None)
            else:
                d[k] = freeze(v)
        return Meta(d)

    def merge(self, changes: Mapping[str, Any]) -> Meta:
        return self.set(**dict(changes))

    def without(self, *keys: str) -> Meta:
        return Meta({k: v for k, v in self._d.items() if k not in keys})


EMPTY = Meta()
