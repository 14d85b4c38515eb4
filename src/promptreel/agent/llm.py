"""Chat models with tool calling: a Protocol, an OpenAI-compatible HTTP client and a fake.

:class:`OpenAIChatModel` posts to ``{base_url}/chat/completions`` with ``tools`` (the editing
tools' JSON schemas) and reads ``choices[0].message`` (``content`` and ``tool_calls``). Any
endpoint that speaks this protocol works (OpenAI, vLLM, llama.cpp server, Ollama's /v1).
Failures raise :class:`~promptreel.errors.UpstreamError` with a message a person can act on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from promptreel.errors import UpstreamError

__all__ = [
    "ChatModel",
    "ChatReply",
    "LLMToolCall",
    "OpenAIChatModel",
    "FakeChatModel",
    "chat_model_from_settings",
]


@dataclass(frozen=True, slots=True)
class LLMToolCall:
    """One tool call the model asked for; ``arguments`` is parsed JSON (``error`` when it was not)."""

    id: str
    name: str
    arguments: dict[str, Any]
    error: str = ""


@dataclass(frozen=True, slots=True)
class ChatReply:
    content: str
    tool_calls: tuple[LLMToolCall, ...] = ()
    message: dict[str, Any] = field(default_factory=dict)  # the assistant message, to send back next round


class ChatModel(Protocol):
    def chat(self, messages: Sequence[dict[str, Any]], *, tools: Sequence[dict[str, Any]]) -> ChatReply:
        """One chat-completions round: the model's text and/or tool calls."""
        ...


def _parse_message(msg: dict[str, Any]) -> ChatReply:
    calls: list[LLMToolCall] = []
    for i, tc in enumerate(msg.get("tool_calls") or []):
        fn = tc.get("function") or {}
        name = str(fn.get("name") or "")
        raw = fn.get("arguments")
        err = ""
        args: dict[str, Any] = {}
        if isinstance(raw, dict):
            args = raw
        elif raw in (None, ""):
            args = {}
        else:
            try:
                parsed = json.loads(raw)
                if isinstance(parsed, dict):
                    args = parsed
                else:
                    err = "arguments are not a JSON object"
            except (TypeError, json.JSONDecodeError) as e:
                err = f"arguments are not valid JSON: {e}"
        calls.append(LLMToolCall(str(tc.get("id") or f"call_{i + 1}"), name, args, err))
    content = msg.get("content") or ""
    if isinstance(content, list):  # some servers send content parts
        content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    clean = {"role": "assistant", "content": content or None}
    if msg.get("tool_calls"):
        clean["tool_calls"] = msg["tool_calls"]
    return ChatReply(str(content), tuple(calls), clean)


class OpenAIChatModel:
    """OpenAI-compatible chat completions over httpx (``transport`` for tests is optional)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        timeout: float = 60.0,
        temperature: float = 0.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url:
            raise ValueError("base_url is required")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.temperature = temperature
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    def close(self) -> None:
        self._client.close()

    def chat(self, messages: Sequence[dict[str, Any]], *, tools: Sequence[dict[str, Any]]) -> ChatReply:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": list(messages),
            "temperature": self.temperature,
        }
        if tools:
            body["tools"] = list(tools)
            body["tool_choice"] = "auto"
        url = f"{self.base_url}/chat/completions"
        try:
            r = self._client.post(url, json=body)
        except httpx.HTTPError as e:
            raise UpstreamError(
                f"The language model at {self.base_url} could not be reached ({type(e).__name__})."
            ) from e
        if r.status_code >= 400:
            detail = r.text[:200].replace("\n", " ")
            raise UpstreamError(f"The language model answered HTTP {r.status_code}: {detail}")
        try:
            data = r.json()
            msg = data["choices"][0]["message"]
        except (ValueError, KeyError, IndexError, TypeError) as e:
            raise UpstreamError("The language model sent a reply without choices[0].message.") from e
        if not isinstance(msg, dict):
            raise UpstreamError("The language model sent a malformed message.")
        return _parse_message(msg)


class FakeChatModel:
    """Scripted replies for tests: a list of assistant messages (dicts in the wire shape) or a
    function of the request; records every request in ``requests``."""

    def __init__(
        self,
        script: Sequence[dict[str, Any]]
        | Callable[[Sequence[dict[str, Any]], Sequence[dict[str, Any]]], dict[str, Any]],
    ) -> None:
        self._script = script
        self.requests: list[dict[str, Any]] = []

    def chat(self, messages: Sequence[dict[str, Any]], *, tools: Sequence[dict[str, Any]]) -> ChatReply:
        self.requests.append({"messages": list(messages), "tools": list(tools)})
        if callable(self._script):
            msg = self._script(messages, tools)
        else:
            i = len(self.requests) - 1
            msg = {"role": "assistant", "content": ""} if i >= len(self._script) else self._script[i]
        if isinstance(msg, Exception):
            raise msg
        return _parse_message(msg)


def _secret(value: Any) -> str:
    """A key kept as a pydantic ``SecretStr`` (or given as plain text)."""
    reveal = getattr(value, "get_secret_value", None)
    return str(reveal() if callable(reveal) else value or "")


def chat_model_from_settings(settings: Any) -> OpenAIChatModel | None:
    """The configured model (``PROMPTREEL_LLM_BASE_URL``, ``_MODEL``, ``_API_KEY``), or ``None``."""
    base = str(getattr(settings, "llm_base_url", "") or "")
    if not base:
        return None
    return OpenAIChatModel(
        base, str(getattr(settings, "llm_model", "") or ""), _secret(getattr(settings, "llm_api_key", ""))
    )
