"""The envelope every JSON response travels in, and the health check."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

__all__ = ["Envelope", "ErrorEnvelope", "Health"]

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """The success envelope."""

    code: int = Field(0, description="0 on success")
    message: str = "success"
    data: T | None = None


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str


class ErrorEnvelope(BaseModel):
    """Every failure: ``code`` is the protocol code (see the error table), ``data`` has details."""

    code: int = Field(
        description="protocol error code (400, 1001, 1002, 2001, 402, 4001, 4002, 429, 4000, …)"
    )
    message: str = Field(description="a sentence a person can act on")
    data: dict[str, Any] | None = None
