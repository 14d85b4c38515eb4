"""How the SDK reads a wire model of :mod:`promptreel.wire` from an answer: leniently.

A :class:`WireView` subclasses the wire model the server answers with (one source of truth for
every field's name and type) and adds what a client needs on top:

* :meth:`WireView.from_data` never fails on an answer's shape: a missing field gets its type's
  empty value (``""``, ``0``, ``[]``, ``None`` …, a nested model read from ``{}``), a value of
  another type is read as best it can be, a number outside its bounds is clamped, a value outside
  a ``Literal`` becomes its first choice, and unknown fields are ignored but kept in :attr:`raw`;
  so a server that adds or leaves out fields never breaks an older client;
* it is frozen, and the fields named in ``_secret`` stay out of its ``repr``;
* it reads like the dict older SDKs returned (``view["media_id"]``, ``view.get("text")``,
  ``"text" in view``, ``dict(view)``): a field by its name, else what the answer carried under
  that key.
"""

from __future__ import annotations

import types
from typing import Any, ClassVar, Literal, Self, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PrivateAttr

__all__ = ["WireView", "read_model"]

_MISSING = object()


class WireView(BaseModel):
    """A wire model as the SDK returns it (subclass it together with the wire model)."""

    model_config = ConfigDict(frozen=True)
    _secret: ClassVar[frozenset[str]] = frozenset()
    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @classmethod
    def from_data(cls, d: Any) -> Self:
        """The model from an answer's ``data`` (anything that is not a dict reads as ``{}``)."""
        data = d if isinstance(d, dict) else {}
        view: Self = read_model(cls, data)
        view._raw = dict(data)
        return view

    @property
    def raw(self) -> dict[str, Any]:
        """The answer as it came, with the fields this SDK does not know."""
        return self._raw

    def __eq__(self, other: object) -> bool:
        """Equal when of one class with equal fields (what the answer carried besides is not compared)."""
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __getitem__(self, key: str) -> Any:
        if key in type(self).model_fields:
            return getattr(self, key)
        return self._raw[key]

    def __contains__(self, key: object) -> bool:
        return key in type(self).model_fields or key in self._raw

    def get(self, key: str, default: Any = None) -> Any:
        """Like ``dict.get``: the field ``key``, else what the answer carried under it."""
        value = self[key] if key in type(self).model_fields else self._raw.get(key, _MISSING)
        return default if value is _MISSING else value

    def __repr_args__(self) -> Any:
        return ((k, v) for k, v in super().__repr_args__() if k not in self._secret)


def read_model(cls: type[Any], data: dict[str, Any]) -> Any:
    """``cls`` (a pydantic model) from ``data``, each field read by :func:`_read`."""
    values = {
        name: _read(info.annotation, info.metadata, data.get(name)) for name, info in cls.model_fields.items()
    }
    return cls.model_validate(values)


def _is_union(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


def _read(annotation: Any, metadata: list[Any], value: Any) -> Any:
    """``value`` as a field of type ``annotation`` holds it, or that type's empty value."""
    origin = get_origin(annotation)
    if _is_union(origin):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if value is None and len(args) < len(get_args(annotation)):
            return None
        return _read(args[0], metadata, value) if len(args) == 1 else value
    if origin is Literal:
        choices = get_args(annotation)
        return value if value in choices else choices[0]
    if origin is list:
        (item,) = get_args(annotation) or (Any,)
        return [_read(item, [], v) for v in value if v is not None] if isinstance(value, list) else []
    if origin is dict or annotation is dict:
        return dict(value) if isinstance(value, dict) else {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        data = value if isinstance(value, dict) else {}
        if issubclass(annotation, WireView):
            return annotation.from_data(data)
        return read_model(annotation, data)
    if annotation is bool:
        return bool(value)
    if annotation is int:
        return _number(int, value, metadata)
    if annotation is float:
        return _number(float, value, metadata)
    if annotation is str:
        return "" if value is None else str(value)
    return value


def _number(kind: type[int] | type[float], value: Any, metadata: list[Any]) -> int | float:
    try:
        n = kind(value)
    except (TypeError, ValueError, OverflowError):
        n = kind(0)
    for bound in metadata:
        if (lo := getattr(bound, "ge", None)) is not None:
            n = max(n, lo)
        if (hi := getattr(bound, "le", None)) is not None:
            n = min(n, hi)
    return n
