"""The seams between the layers are typed: the use-cases hand the API and the CLI a wire model or
a dataclass (never a loose ``dict[str, Any]``), and every JSON route declares the envelope it sends."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import promptreel.api.routes as api_routes
import promptreel.service as service
from fake_studio import FakeStudio
from promptreel.api.app import create_app
from promptreel.settings import Settings
from promptreel.wire import Envelope

LOOSE = re.compile(r"\b(dict|Mapping|MutableMapping)\[str, Any\]")


def _public_functions() -> Iterator[tuple[str, Any]]:
    for info in pkgutil.iter_modules(service.__path__):
        mod = importlib.import_module(f"{service.__name__}.{info.name}")
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if inspect.isclass(obj):
                for attr, fn in vars(obj).items():
                    fn = getattr(fn, "__func__", fn)
                    if not attr.startswith("_") and inspect.isfunction(fn):
                        yield f"{mod.__name__}.{name}.{attr}", fn
            elif inspect.isfunction(obj):
                yield f"{mod.__name__}.{name}", obj


def test_no_service_returns_a_loose_dict() -> None:
    found = dict(_public_functions())
    assert "promptreel.service.accounts.AccountService.whoami" in found  # the walk sees the services
    returns = {q: str(fn.__annotations__.get("return")) for q, fn in found.items()}
    assert {q: r for q, r in returns.items() if LOOSE.search(r)} == {}


def _json(route: APIRoute) -> bool:
    cls = route.response_class
    return (cls.value if isinstance(cls, DefaultPlaceholder) else cls) is JSONResponse


def test_every_json_route_declares_its_envelope() -> None:
    modules = [
        importlib.import_module(f"{api_routes.__name__}.{i.name}")
        for i in pkgutil.iter_modules(api_routes.__path__)
    ]
    routes = [
        r
        for m in modules
        if hasattr(m, "router")
        for r in m.router.routes
        if isinstance(r, APIRoute) and r.include_in_schema and _json(r)
    ]
    assert len(routes) >= 25
    for route in routes:
        model = route.response_model
        assert isinstance(model, type) and issubclass(model, Envelope), f"{route.path}: {model}"
        data = str(model.model_fields["data"].annotation)
        assert "Any" not in data and "dict" not in data, f"{route.path}: data is {data}"
        returns = str(route.endpoint.__annotations__.get("return"))
        assert "Envelope" in returns and "dict" not in returns, f"{route.path} returns {returns}"


def test_typed_responses_keep_their_wire_shape(tmp_path: Path) -> None:
    """Field names, order, nulls and omissions as the protocol has them (in-process app)."""
    app = create_app(Settings(data_dir=tmp_path, heartbeat_s=0.2), studio=FakeStudio())
    with TestClient(app) as client:
        health = client.get("/api/health").json()
        assert list(health) == ["code", "message", "data"] and health["data"]["status"] == "ok"
        trial = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "typed-1"}).json()["data"]
        h = {"Authorization": f"Bearer {trial['token']}"}
        me = client.get("/api/auth/me", headers=h).json()["data"]
        account = ["user_id", "username", "kind", "bind_id", "created_at", "credits"]
        assert list(me) == [*account, "token_id", "token_kind", "scopes", "register_url"]
        assert me["username"] is None and me["register_url"].endswith(f"/register?bind={trial['bind_id']}")
        sid = client.post("/api/tasks/me/with-session/nemo_agent", json={}, headers=h).json()["data"][
            "session_id"
        ]
        turn = {
            "session_id": sid,
            "new_message": {"parts": [{"text": "generate a 2-second video about rain"}]},
        }
        with client.stream("POST", "/run_sse", json=turn, headers=h) as r:
            assert '"turn_complete":true' in [line for line in r.iter_lines() if line][-1]
        state = client.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=h).json()["data"]
        said, *replies = state["messages"]
        assert said == {**said, "role": "user", "kind": None, "status": None, "error_code": None}
        assert list(said) == ["role", "text", "turn_id", "at", "kind", "status", "error_code"]
        assert replies and all(m["status"] == "completed" and m["kind"] == "generate" for m in replies)
        assert state["active_turn"] is None and state["state"]["generated_media"] == []

        body = {"username": "typed", "password": "password123", "bind_id": trial["bind_id"]}
        made = client.post("/api/auth/register", json=body).json()["data"]
        assert list(made) == ["token", "expires_at", "user_id", "username", "credits", "moved_credits"]
        signed_in = client.post(
            "/api/auth/login", json={"username": "typed", "password": "password123"}
        ).json()
        assert signed_in["data"]["credits"] is None and signed_in["data"]["moved_credits"] is None
        h = {"Authorization": f"Bearer {made['token']}"}
        me = client.get("/api/auth/me", headers=h).json()["data"]
        assert "register_url" not in me and me["username"] == "typed" and me["kind"] == "registered"
        extra = client.post("/api/tokens", json={"name": "x", "scopes": ["read"]}, headers=h).json()["data"]
        revoked = client.delete(f"/api/tokens/{extra['id']}", headers=h).json()["data"]
        assert revoked == {"id": extra["id"], "revoked": True}
        assert client.post("/api/auth/logout", headers=h).json()["data"] == {
            "signed_out": True,
            "revoked": True,
        }
