"""The seams between the layers are typed: the use-cases hand the API and the CLI a wire model or
a dataclass (never a loose ``dict[str, Any]``), and every JSON route declares the envelope it sends."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

import promptreel.api.routes as api_routes
import promptreel.service as service
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
