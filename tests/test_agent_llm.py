"""The LLM editor against a local server speaking the OpenAI chat-completions protocol over real HTTP."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from promptreel.agent.editor import EditContext, LLMEditor, RuleEditor
from promptreel.agent.llm import FakeChatModel, OpenAIChatModel, chat_model_from_settings
from promptreel.agent.tools import TOOLS, tool_schemas
from promptreel.errors import UpstreamError
from promptreel.settings import Settings
from test_editor_support import VoicedSpeech, make_draft

Handler = Callable[[dict[str, Any], int], Any]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class FakeLLMServer:
    """A tiny chat-completions server; ``handler(body, n)`` returns an assistant message (or a status)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.handler: Handler = lambda body, n: {"role": "assistant", "content": "ok"}
        self.port = _free_port()

        async def completions(request: Request) -> JSONResponse:
            body = await request.json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            answer = self.handler(body, len(self.requests))
            if isinstance(answer, int):
                return JSONResponse({"error": {"message": "overloaded"}}, status_code=answer)
            return JSONResponse(
                {
                    "id": "cmpl-1",
                    "object": "chat.completion",
                    "model": body.get("model"),
                    "choices": [{"index": 0, "message": answer, "finish_reason": "stop"}],
                }
            )

        app = Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake LLM server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    srv = FakeLLMServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _reset(server: FakeLLMServer) -> None:
    server.requests.clear()
    server.headers.clear()


def call(name: str, args: dict[str, Any], cid: str = "call_a") -> dict[str, Any]:
    return {"id": cid, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def editor_for(server: FakeLLMServer) -> LLMEditor:
    return LLMEditor(OpenAIChatModel(server.base_url, "test-model", "sk-test"), RuleEditor())


def test_tool_calls_from_the_model_are_applied(server: FakeLLMServer) -> None:
    def handler(body: dict[str, Any], n: int) -> dict[str, Any]:
        if n == 1:
            return {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    call("set_aspect", {"aspect": "9:16"}, "call_1"),
                    call("set_music", {"style": "lofi", "volume": 0.35}, "call_2"),
                ],
            }
        return {"role": "assistant", "content": "Done: vertical with lo-fi music."}

    server.handler = handler
    draft = make_draft()
    out = editor_for(server).edit(
        draft,
        "vertical please, with lo-fi music at 35%",
        lang="en",
        context=EditContext(speech=VoicedSpeech()),
    )
    assert out.changed and not out.question
    assert (out.draft.canvas.width, out.draft.canvas.height) == (1080, 1920)
    bgm = out.draft.first_track("bgm")
    assert bgm is not None and bgm.meta["volume"] == 0.35 and bgm.segments[0].meta["style"] == "lofi"
    assert [c.name for c in out.calls] == ["set_aspect", "set_music"] and [c.id for c in out.calls] == [
        "call_1",
        "call_2",
    ]
    assert out.history is not None and out.history.past == (draft,)
    assert "9:16" in out.reply
    # what went over the wire
    first = server.requests[0]
    assert first["model"] == "test-model"
    assert first["tools"] == tool_schemas()
    assert {t["function"]["name"] for t in first["tools"]} == set(TOOLS)
    assert first["messages"][-1] == {"role": "user", "content": "vertical please, with lo-fi music at 35%"}
    assert "Scene 1" in first["messages"][1]["content"]
    assert server.headers[0]["authorization"] == "Bearer sk-test"
    second = server.requests[1]["messages"]
    tool_msgs = [m for m in second if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tool_msgs] == ["call_1", "call_2"]
    assert json.loads(tool_msgs[0]["content"])["after"].startswith("9:16")
    assert any(m.get("tool_calls") for m in second if m["role"] == "assistant")


def test_http_errors_fall_back_to_rules_with_a_note(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: 503
    draft = make_draft()
    out = editor_for(server).edit(draft, "make it vertical", lang="en", context=EditContext())
    assert out.changed and out.draft.canvas.height == 1920
    assert "language model was unavailable" in out.reply and "503" in out.reply
    out = editor_for(server).edit(draft, "改成竖屏", lang="zh", context=EditContext())
    assert out.changed and "语言模型不可用" in out.reply


def test_unreachable_server_falls_back() -> None:
    model = OpenAIChatModel(f"http://127.0.0.1:{_free_port()}/v1", "m", timeout=2)
    with pytest.raises(UpstreamError):
        model.chat([{"role": "user", "content": "hi"}], tools=tool_schemas())
    out = LLMEditor(model).edit(make_draft(), "turn off captions", lang="en", context=EditContext())
    assert out.changed and "could not be reached" in out.reply


def test_a_refused_tool_call_leaves_the_draft_untouched(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: {
        "role": "assistant",
        "content": None,
        "tool_calls": [call("set_aspect", {"aspect": "1:1"}, "c1"), call("remove_scene", {"scene": 9}, "c2")],
    }
    draft = make_draft()
    out = editor_for(server).edit(draft, "square, and drop scene nine", lang="en", context=EditContext())
    assert out.draft is draft and not out.changed
    assert "There is no scene 9" in out.reply
    assert len(server.requests) == 1


def test_a_question_from_the_model_is_passed_on(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: {"role": "assistant", "content": "Which scene do you mean?"}
    draft = make_draft()
    out = editor_for(server).edit(draft, "make it pop", lang="en", context=EditContext())
    assert out.draft is draft and not out.changed and out.question
    assert out.reply == "Which scene do you mean?"


def test_malformed_tool_arguments_fall_back_to_rules(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "x", "type": "function", "function": {"name": "set_aspect", "arguments": "{aspect: 9:16"}}
        ],
    }
    out = editor_for(server).edit(make_draft(), "make it vertical", lang="en", context=EditContext())
    assert out.changed and out.draft.canvas.height == 1920
    assert "not valid JSON" in out.reply


def test_undo_through_the_model_uses_the_stored_history(server: FakeLLMServer) -> None:
    draft = make_draft()
    first = RuleEditor().edit(draft, "make it vertical", lang="en", context=EditContext())
    assert first.history is not None
    server.handler = lambda body, n: (
        {"role": "assistant", "content": None, "tool_calls": [call("undo", {})]}
        if n == 1
        else {"role": "assistant", "content": ""}
    )
    out = editor_for(server).edit(
        first.draft, "undo that", lang="en", context=EditContext(history=first.history)
    )
    assert out.changed and out.draft == draft
    assert out.history is not None and out.history.future == (first.draft,) and not out.history.past


def test_tool_schemas_are_valid_openai_tools() -> None:
    for schema in tool_schemas():
        assert schema["type"] == "function"
        fn = schema["function"]
        assert fn["name"] in TOOLS and fn["description"]
        params = fn["parameters"]
        assert params["type"] == "object" and set(params["required"]) <= set(params["properties"])
        json.dumps(schema)


def test_fake_chat_model_and_settings() -> None:
    fake = FakeChatModel(
        [{"role": "assistant", "content": None, "tool_calls": [call("set_captions", {"enabled": False})]}]
    )
    out = LLMEditor(fake).edit(make_draft(), "no subtitles", lang="en", context=EditContext())
    assert out.changed and out.draft.first_track("captions").hidden  # type: ignore[union-attr]
    assert fake.requests[0]["tools"] == tool_schemas()
    assert chat_model_from_settings(Settings(llm_base_url="")) is None
    model = chat_model_from_settings(
        Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_api_key="k")
    )
    assert isinstance(model, OpenAIChatModel) and model.base_url == "http://127.0.0.1:9/v1"


def test_a_model_that_only_talks_does_not_fake_an_edit(server: FakeLLMServer) -> None:
    server.handler = lambda body, n: {"role": "assistant", "content": "Sure, it is vertical now!"}
    draft = make_draft()
    out = editor_for(server).edit(draft, "make it vertical", lang="en", context=EditContext())
    assert out.changed and out.draft.canvas.height == 1920 and [c.name for c in out.calls] == ["set_aspect"]
    server.handler = lambda body, n: {
        "role": "assistant",
        "content": "Exports run in the client; say export there.",
    }
    out = editor_for(server).edit(draft, "export 1080p MP4", lang="en", context=EditContext())
    assert not out.changed and out.reply == "Exports run in the client; say export there."


def test_model_slips_are_tolerated() -> None:
    """Percent as a whole number, a scene number as a string, an extra argument."""
    fake = FakeChatModel([{"role": "assistant", "content": None, "tool_calls": [
        call("set_music", {"volume": 20, "reason": "user asked"}, "a"),
        call("resize_scene", {"scene": "2", "delta_ms": 1000.0}, "b")]}])  # fmt: skip
    d = make_draft()
    out = LLMEditor(fake).edit(
        d, "music at 20% and scene two a second longer", lang="en", context=EditContext()
    )
    assert out.changed
    assert out.draft.first_track("bgm").meta["volume"] == 0.2  # type: ignore[union-attr]
    before, after = d.first_track("scenes").segments[1], out.draft.first_track("scenes").segments[1]  # type: ignore[union-attr]
    assert after.duration == before.duration + 1000
    assert out.results[0]["ignored_args"] == ["reason"]


def test_an_invalid_tool_call_is_retried_once_with_the_validation_error(server: FakeLLMServer) -> None:
    """Wrong type, then fixed: the model sees what was wrong and its second call is applied."""

    def handler(body: dict[str, Any], n: int) -> dict[str, Any]:
        if n == 1:
            return {"role": "assistant", "content": None, "tool_calls": [
                call("resize_scene", {"scene": "the second", "delta_ms": 1000}, "bad")]}  # fmt: skip
        if n == 2:
            return {"role": "assistant", "content": None, "tool_calls": [
                call("resize_scene", {"scene": 2, "delta_ms": 1000}, "good")]}  # fmt: skip
        return {"role": "assistant", "content": "Scene 2 is a second longer."}

    server.handler = handler
    draft = make_draft()
    out = editor_for(server).edit(draft, "second scene a bit longer", lang="en", context=EditContext())
    assert out.changed and [c.id for c in out.calls] == ["good"]
    before, after = draft.first_track("scenes").segments[1], out.draft.first_track("scenes").segments[1]  # type: ignore[union-attr]
    assert after.duration == before.duration + 1000
    retry = [m for m in server.requests[1]["messages"] if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in retry] == ["bad"]
    said = json.loads(retry[0]["content"])
    assert said["ok"] is False and said["error"] == "invalid_call"
    assert "resize_scene" in said["message"] and "scene" in said["message"] and "integer" in said["message"]
    assert len(server.requests) == 3


def test_an_unknown_tool_or_a_bad_value_is_retried_then_left_to_the_rules(server: FakeLLMServer) -> None:
    """Unknown tool, then a value outside the enum: two invalid answers, so the rules edit."""
    answers = [
        call("make_vertical", {}, "a"),
        call("set_aspect", {"aspect": "4:3"}, "b"),
    ]
    server.handler = lambda body, n: {
        "role": "assistant",
        "content": None,
        "tool_calls": [answers[min(n, 2) - 1]],
    }
    draft = make_draft()
    out = editor_for(server).edit(draft, "make it vertical", lang="en", context=EditContext())
    assert out.changed and out.draft.canvas.height == 1920  # the rule path made the edit
    assert [c.name for c in out.calls] == ["set_aspect"] and out.calls[0].args == {"aspect": "9:16"}
    assert "invalid twice" in out.reply and "'4:3'" in out.reply
    first_retry = [m for m in server.requests[1]["messages"] if m["role"] == "tool"]
    assert "There is no tool 'make_vertical'" in json.loads(first_retry[0]["content"])["message"]
    assert len(server.requests) == 2
    zh = editor_for(server).edit(draft, "改成竖屏", lang="zh", context=EditContext())
    assert zh.changed and "两次给出无效的工具调用" in zh.reply


def test_one_invalid_call_in_a_round_runs_none_of_it(server: FakeLLMServer) -> None:
    """A valid call beside an invalid one waits: nothing of the round runs, both are asked again."""

    def handler(body: dict[str, Any], n: int) -> dict[str, Any]:
        if n == 1:
            return {"role": "assistant", "content": None, "tool_calls": [
                call("set_aspect", {"aspect": "9:16"}, "ok1"), call("set_music", {"style": "polka"}, "bad2")]}  # fmt: skip
        if n == 2:
            return {"role": "assistant", "content": None, "tool_calls": [
                call("set_aspect", {"aspect": "9:16"}, "ok3"), call("set_music", {"style": "lofi"}, "ok4")]}  # fmt: skip
        return {"role": "assistant", "content": "Done."}

    server.handler = handler
    out = editor_for(server).edit(make_draft(), "vertical with polka music", lang="en", context=EditContext())
    assert out.changed and [c.id for c in out.calls] == ["ok3", "ok4"]
    tool_msgs = {
        m["tool_call_id"]: json.loads(m["content"])
        for m in server.requests[1]["messages"]
        if m["role"] == "tool"
    }
    assert tool_msgs["ok1"]["error"] == "not_run" and tool_msgs["bad2"]["error"] == "invalid_call"
    assert "polka" in tool_msgs["bad2"]["message"]
