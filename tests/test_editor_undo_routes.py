"""Undo and redo, said any way in English or Chinese, move along the session's version history
through the real server and cost nothing; the router decides every kind of turn in one place."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import LiveServer
from promptreel.agent.router import route
from promptreel.agent.turn import classify
from serverkit import Api

UNDO = ["undo", "undo that", "take that back", "go back", "go back one step", "please undo", "撤销", "撤回", "回退",
        "返回上一步", "撤销上一步", "回到上一步", "撤销刚才那一步"]  # fmt: skip
REDO = [
    "redo",
    "redo that",
    "redo please",
    "重做",
    "恢复",
    "恢复撤销",
    "恢复上一步",
    "再做一次",
    "重新做一遍",
]


@pytest.mark.parametrize("message", UNDO)
def test_every_undo_phrasing_routes_to_undo(message: str) -> None:
    assert route(message, True) == "undo" == classify(message, True)


@pytest.mark.parametrize("message", REDO)
def test_every_redo_phrasing_routes_to_redo(message: str) -> None:
    assert route(message, True) == "redo"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("make a new video about cats", "generate"),
        ("make it vertical", "edit"),
        ("slow the narration down", "edit"),
        ("export", "export"),
        ("导出", "export"),
        ("how many credits do I have", "credits"),
        ("积分", "credits"),
        ("help", "question"),
        ("what's on the timeline", "question"),
        ("恢复字幕", "edit"),
        ("undo and make it vertical", "edit"),
    ],
)
def test_one_router_for_every_kind_of_turn(message: str, kind: str) -> None:
    assert route(message, True) == kind
    assert route(message, False) == "generate"


def test_undo_and_redo_phrasings_are_free_through_the_server(
    server_factory: Callable[..., LiveServer],
) -> None:
    srv = server_factory(cost_generate=40, cost_edit=10)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 4-second video about tea").complete
    v_gen = api.state(sid)["version"]
    assert api.run(sid, "make it vertical").complete
    paid = api.balance()
    for back, forth in (("回退", "恢复撤销"), ("返回上一步", "重做"), ("take that back", "redo")):
        assert api.run(sid, back).complete
        st = api.state(sid)
        assert st["version"] == v_gen and st["state"]["canvas_config"]["width"] == 1920, back
        r = api.run(sid, forth)
        assert r.complete and not any(
            "nothing to redo" in t.lower() or "没有可以重做" in t for t in r.texts()
        )
        assert api.state(sid)["state"]["canvas_config"]["width"] == 1080, forth
    assert api.balance() == paid  # none of it was charged
    assert api.state(sid)["version"] == v_gen + 1  # moving along the history saved no new versions
