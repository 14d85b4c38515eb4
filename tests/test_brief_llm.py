"""A language model fills the same brief: content as JSON over an OpenAI-compatible HTTP server,
validated, retried once, and the rules as the floor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from promptreel.agent.brief import read_brief
from promptreel.agent.brief_llm import brief_with_model
from promptreel.agent.llm import OpenAIChatModel
from promptreel.agent.planner import plan
from test_agent_llm import FakeLLMServer

PROMPT = (
    "a 20-second vertical recruiting ad for Nimbus Robotics in Berlin, no music. We need welders and testers."
)
CONTENT = {
    "purpose": "recruiting",
    "subject": "Nimbus Robotics",
    "place": "Berlin",
    "items": [{"text": "welders"}, {"text": "testers"}],
    "list_kind": "items",
    "points": ["We need welders and testers"],
}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    srv = FakeLLMServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _reset(server: FakeLLMServer) -> None:
    server.requests.clear()


def model(server: FakeLLMServer) -> OpenAIChatModel:
    return OpenAIChatModel(server.base_url, "test-model", timeout=10)


def answer(content: Any) -> dict[str, Any]:
    text = content if isinstance(content, str) else json.dumps(content)
    return {"role": "assistant", "content": text}


def test_the_model_fills_the_content_and_the_rules_keep_the_settings(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: answer("```json\n" + json.dumps(CONTENT) + "\n```")
    b = brief_with_model(PROMPT, model(server))
    assert (b.subject, b.place, [i.text for i in b.items]) == (
        "Nimbus Robotics",
        "Berlin",
        ["welders", "testers"],
    )
    assert (b.target_ms, b.width, b.height, b.music) == (20_000, 1080, 1920, False)  # from the rules
    body = server.requests[0]
    assert body["model"] == "test-model" and "tools" not in body
    assert body["messages"][-1]["content"] == PROMPT and "JSON" in body["messages"][0]["content"]
    board = plan(PROMPT, model=model(server))
    assert any(s.layout == "list" for s in board.scenes) and "Nimbus Robotics" in board.script


def test_an_invalid_reply_is_retried_once_with_the_error(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: answer("here you go: not json") if n == 1 else answer(CONTENT)
    b = brief_with_model(PROMPT, model(server))
    assert b.subject == "Nimbus Robotics" and len(server.requests) == 2
    assert "not valid" in server.requests[1]["messages"][-1]["content"]


def test_two_invalid_replies_fall_back_to_the_rules(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: answer({"items": "welders", "count": -3})
    assert brief_with_model(PROMPT, model(server)) == read_brief(PROMPT)
    assert len(server.requests) == 2


def test_content_that_echoes_an_instruction_is_refused(server: FakeLLMServer) -> None:
    echo = {**CONTENT, "points": ["A 20-second vertical ad, no music"]}
    server.handler = lambda body, n: answer(echo)
    b = brief_with_model(PROMPT, model(server))
    assert b == read_brief(PROMPT)
    assert all("20-second" not in p for p in b.points)


def test_an_unreachable_or_failing_model_falls_back_to_the_rules(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: 503
    assert brief_with_model(PROMPT, model(server)) == read_brief(PROMPT)
    gone = OpenAIChatModel("http://127.0.0.1:9/v1", "m", timeout=2)
    assert brief_with_model(PROMPT, gone) == read_brief(PROMPT)
