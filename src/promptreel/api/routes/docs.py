"""The API docs at ``/docs``: Swagger UI served from this server, never from a CDN.

The page, its script and its styles all come from here (the npm package ``swagger-ui-dist``,
installed by ``scripts/setup.sh`` into ``node_modules``), under a strict Content-Security-Policy
(``script-src 'self'``, no inline script), so the docs work offline and run no third-party code.
Without that package the page is a plain HTML listing of the same OpenAPI schema, made here.
``/openapi.json`` is the schema itself; ``/redoc`` leads to ``/docs``.
"""

from __future__ import annotations

import html
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from promptreel.api.errors import envelope

__all__ = ["router", "find_swagger_ui"]

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
_PAGE_HEADERS = {
    "Content-Security-Policy": _CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
#: the files of swagger-ui-dist the page uses, and their types
_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
_INIT_JS = """\
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
  });
});
"""
_SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — API docs</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


def find_swagger_ui(start: tuple[Path, ...] = ()) -> Path | None:
    """The ``swagger-ui-dist`` folder: ``PROMPTREEL_SWAGGER_UI_DIR`` (that folder or a
    ``node_modules`` holding it), else the nearest ``node_modules/swagger-ui-dist`` above the
    package or the current directory."""
    cands: list[Path] = []
    env = os.environ.get("PROMPTREEL_SWAGGER_UI_DIR")
    if env:
        cands += [Path(env), Path(env) / "swagger-ui-dist", Path(env) / "node_modules" / "swagger-ui-dist"]
    for base in [*start, Path(__file__).resolve(), Path.cwd().resolve()]:
        cands += [p / "node_modules" / "swagger-ui-dist" for p in [base, *base.parents]]
    for c in cands:
        if all((c / name).is_file() for name in ("swagger-ui.css", "swagger-ui-bundle.js")):
            return c
    return None


@lru_cache(maxsize=1)
def _swagger_dir() -> Path | None:
    return find_swagger_ui()


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    """Swagger UI for this API (or, without its files, a plain listing of the schema)."""
    title = html.escape(str(request.app.title))
    if _swagger_dir() is not None:
        return HTMLResponse(_SWAGGER_PAGE.format(title=title), headers=_PAGE_HEADERS)
    return HTMLResponse(_plain_page(title, request.app.openapi()), headers=_PAGE_HEADERS)


@router.get("/docs/assets/{name}")
async def docs_asset(name: str) -> Response:
    """One of the docs page's own files (only those the page uses)."""
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"}
    if name == "init.js":
        return Response(_INIT_JS, media_type="text/javascript", headers=headers)
    root = _swagger_dir()
    if root is None or name not in _ASSETS:
        return envelope(4040, "Not found.", None, 404)
    return FileResponse(root / name, media_type=_ASSETS[name], headers=headers)


@router.get("/redoc")
async def redoc() -> RedirectResponse:
    return RedirectResponse("/docs", status_code=307)


def _plain_page(title: str, schema: dict[str, Any]) -> str:
    """The OpenAPI schema as a readable page: each path's operations with their summaries."""
    e = html.escape
    info = schema.get("info", {})
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{title} — API docs</title></head><body>",
        f"<h1>{e(str(info.get('title', title)))} {e(str(info.get('version', '')))}</h1>",
        '<p>The full schema: <a href="/openapi.json">/openapi.json</a></p>',
    ]
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            if not isinstance(op, dict):
                continue
            parts.append(f"<h2><code>{e(method.upper())} {e(path)}</code></h2>")
            if op.get("summary"):
                parts.append(f"<p><strong>{e(str(op['summary']))}</strong></p>")
            if op.get("description"):
                parts.append(f"<p>{e(str(op['description']))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
