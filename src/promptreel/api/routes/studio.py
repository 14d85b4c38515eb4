"""The web studio: the single-page app's HTML for each page route and its static files.

Everything is served from the package (``promptreel/web``): no CDN, works offline. Pages share
one ``index.html``; the script reads the path (``/``, ``/workspace/claim``, ``/register``,
``/signin``) and shows the matching view. Tokens never travel in these URLs; the claim page
reads only the claim token (``ct``), which has no API access.
"""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response

from promptreel import __version__
from promptreel.api.errors import envelope
from promptreel.errors import NotFound

__all__ = ["router", "WEB_DIR", "PAGES"]

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
PAGES = ("/", "/workspace", "/workspace/claim", "/register", "/signin")

_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob: http: https:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_PAGE_HEADERS = {
    "Content-Security-Policy": _CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
_STATIC_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".html": "text/html",
    ".png": "image/png",
    ".woff2": "font/woff2",
}

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def _index_template() -> str:
    return (WEB_DIR / "index.html").read_text(encoding="utf-8")


def _index() -> HTMLResponse:
    html = _index_template().replace("{{version}}", __version__)
    return HTMLResponse(html, headers=_PAGE_HEADERS)


async def studio_page() -> HTMLResponse:
    """The studio page (the same document for every page route)."""
    return _index()


for _page in PAGES:
    router.add_api_route(
        _page,
        studio_page,
        methods=["GET"],
        response_class=HTMLResponse,
        name=f"studio_page{_page.replace('/', '_')}",
    )


@router.get("/static/{path:path}", name="studio_static")
async def studio_static(path: str) -> Response:
    """A file of the studio (scripts, styles, icons), confined to the web directory."""
    root = WEB_DIR.resolve()
    target = (root / path).resolve()
    if not path or not target.is_relative_to(root) or not target.is_file() or target.name == "index.html":
        return envelope(NotFound.code, "Not found.", None, 404, _STATIC_HEADERS)
    media_type = (
        _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    )
    return FileResponse(target, media_type=media_type, headers=_STATIC_HEADERS)
