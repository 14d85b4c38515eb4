"""The edge of the protocol over real HTTP: text that is not Unicode, undeclared methods, the
OpenAPI schema against what the server really accepts, HTTP Range and failed TLS fetches.

Every refusal is the envelope ``{code, message, data}`` with a documented code, never a 500.
"""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import re
import ssl
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from conftest import LiveServer
from securitykit import png, rows
from serverkit import Api

RUN = "/run_sse"
HOST = "127.0.0.3"  # the https source of the TLS test (allowed through url_allow_hosts)
DRAFT = {"w": 320, "h": 180, "t": [{"tt": 0, "sg": [{"d": 1000, "k": "scene"}]}]}


def _envelope(r: httpx.Response) -> dict[str, Any]:
    assert r.headers["content-type"].startswith("application/json"), (r.status_code, r.text)
    body: dict[str, Any] = r.json()
    assert set(body) >= {"code", "message", "data"}, body
    return body


def _turn_body(sid: str, text_json: str) -> bytes:
    """A /run_sse body whose message text is the raw JSON string literal ``text_json``."""
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": 0}]},
    }
    return json.dumps(body).replace('{"text": 0}', '{"text": ' + text_json + "}").encode()


# ------------------------------------------------------------------ lone surrogates (item 6)


def test_lone_surrogates_are_refused_at_the_edge(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory(cost_generate=10, cost_edit=2)
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.run(sid, "generate a 2-second video about tea").complete
    before = api.balance()
    turns = len(rows(srv.data_dir, "SELECT id FROM turns"))
    headers = {**api.headers(), "Content-Type": "application/json", "Accept": "text/event-stream"}

    bad_bodies = {
        "escaped high surrogate": _turn_body(sid, r'"make it \ud83d slower"'),
        "escaped low surrogate": _turn_body(sid, r'"make it \uDC00 slower"'),
        "surrogate pair reversed": _turn_body(sid, r'"make it \ude00\ud83d slower"'),
        "raw UTF-8 surrogate bytes": _turn_body(sid, '"make it @@ slower"').replace(b"@@", b"\xed\xa0\xbd"),
    }
    for name, raw in bad_bodies.items():
        r = httpx.post(f"{srv.url}{RUN}", content=raw, headers=headers, timeout=60)
        body = _envelope(r)
        assert (r.status_code, body["code"]) == (422, 4000), (name, r.text)
        assert body["data"]["path"] == "new_message.parts.0.text", (name, body)
        assert "surrogate" in body["message"] or "UTF-8" in body["message"], body
    # nothing started, nothing charged
    assert api.balance() == before
    assert len(rows(srv.data_dir, "SELECT id FROM turns")) == turns

    # a draft text with a lone surrogate, on render: refused before anything is queued
    draft = json.dumps(
        {"w": 320, "h": 180, "t": [{"tt": 7, "sg": [{"d": 1000, "k": "text", "m": {"text": "a@@b"}}]}]}
    ).replace("@@", "\\udc00")
    body_raw = (
        json.dumps({"id": "render_sur", "sessionId": sid, "draft": 0}).replace("0}", draft + "}").encode()
    )
    r = httpx.post(
        f"{srv.url}/api/render/proxy/lambda",
        content=body_raw,
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    body = _envelope(r)
    assert (r.status_code, body["code"]) == (422, 4000), r.text
    assert body["data"]["path"] == "draft.t.0.sg.0.m.text"
    assert rows(srv.data_dir, "SELECT id FROM renders WHERE render_id = 'render_sur'") == []

    # other JSON bodies too (no per-route code): a session name, a URL upload, registration
    for path, raw in [
        ("/api/tasks/me/with-session/nemo_agent", b'{"task_name": "x\\ud800", "language": "en"}'),
        (f"/api/upload-video/nemo_agent/me/{sid}", b'{"urls": ["http://example.com/\\udfff.png"]}'),
        ("/api/auth/register", b'{"username": "sur", "password": "long \\ud800 password"}'),
    ]:
        r = httpx.post(
            f"{srv.url}{path}", content=raw, headers={**api.headers(), "Content-Type": "application/json"}
        )
        assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (path, r.text)
    # a JSON body sent without a Content-Type is read as JSON too, and judged the same way
    r = httpx.post(
        f"{srv.url}/api/tasks/me/with-session/nemo_agent",
        content=b'{"task_name": "x\\ud800"}',
        headers=api.headers(),
    )
    assert (r.status_code, _envelope(r)["code"]) == (422, 4000), r.text

    # query strings: percent-encoded text that is not UTF-8 (an encoded surrogate) is refused
    for q in ("sig=%ED%A0%BD&exp=9999999999&job=j", "job=%ff", "sig=%C3"):
        r = httpx.get(f"{srv.url}/api/render/proxy/render_x/download?{q}")
        assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (q, r.text)

    # real surrogate pairs (emoji) are ordinary text and pass
    ok = httpx.post(
        f"{srv.url}{RUN}",
        content=_turn_body(sid, r'"make it \ud83d\ude00 slower"'),
        headers=headers,
        timeout=120,
    )
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/event-stream"), ok.text
    made = api.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "tea 🍵 time"})
    assert made.status_code == 200 and made.json()["data"]["task_name"] == "tea 🍵 time"
    assert "unexpected error" not in srv.log()


# ------------------------------------------------------------------ schema and protocol (item 8)

UNDECLARED = ("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE")


def test_undeclared_methods_are_405_with_allow(live_server: str) -> None:
    """Every operation of the schema: any other method is 405 in the envelope, and ``Allow`` lists
    exactly the methods the path supports."""
    spec = httpx.get(f"{live_server}/openapi.json").json()
    tried = 0
    for path, item in spec["paths"].items():
        declared = {m.upper() for m in item if m.upper() in UNDECLARED}
        url = live_server + re.sub(r"\{[^}]+\}", "x1", path)
        for method in UNDECLARED:
            if method in declared:
                continue
            r = httpx.request(method, url)
            assert r.status_code == 405, (method, path, r.status_code, r.text)
            assert _envelope(r)["code"] == 4050, (method, path)
            allow = {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}
            assert allow == declared, (method, path, r.headers.get("allow"))
            tried += 1
    assert tried >= 19 * 4


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({**schema, "components": spec["components"]})


def _body_schema(spec: dict[str, Any], path: str, ctype: str = "application/json") -> dict[str, Any]:
    schema: dict[str, Any] = spec["paths"][path]["post"]["requestBody"]["content"][ctype]["schema"]
    return schema


def test_schema_is_as_strict_as_the_server(server_factory: Callable[..., LiveServer]) -> None:
    """Where the schema says a value is valid the server takes it, and where the server refuses a
    value the schema refuses it too (X-Client-Id, username and password, upload files, the turn)."""
    srv = server_factory(anonymous_credits=10_000)
    spec = httpx.get(f"{srv.url}/openapi.json").json()

    # X-Client-Id: required, and judged the same way by both
    op = spec["paths"]["/api/auth/anonymous-token"]["post"]
    (param,) = [p for p in op.get("parameters", []) if p["name"].lower() == "x-client-id"]
    assert param["in"] == "header" and param["required"] is True
    check = _validator(spec, param["schema"])
    samples = [str(uuid.uuid4()), "in-process", "a", "x" * 200, "x" * 201, "", "a b", "a\tb", "{}/:;"]
    for value in samples:
        r = httpx.post(f"{srv.url}/api/auth/anonymous-token", headers={"X-Client-Id": value})
        assert check.is_valid(value) == (r.status_code == 200), (value, r.status_code, r.text)
        if r.status_code != 200:
            assert (r.status_code, _envelope(r)["code"]) in {(400, 400), (422, 4000)}, (value, r.text)
    r = httpx.post(f"{srv.url}/api/auth/anonymous-token")
    assert (r.status_code, _envelope(r)["code"]) == (400, 400)

    # registration: username 3-64 of letters, digits, '.', '-', '_'; password 8-256
    check = _validator(spec, _body_schema(spec, "/api/auth/register"))
    users = [
        "ab",
        "abc",
        "a" * 64,
        "b" * 65,
        "ana.lee",
        "x-y_z",
        "a b c",
        " abd",
        "abe ",
        "héllo",
        "ab\u0000c",
        "__",
    ]
    for n, name in enumerate(users):
        body = {"username": name, "password": f"long password {n}"}
        r = httpx.post(f"{srv.url}/api/auth/register", json=body)
        assert check.is_valid(body) == (r.status_code == 200), (name, r.status_code, r.text)
        if r.status_code != 200:
            assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (name, r.text)
    for n, password in enumerate(["short", "1234567", "12345678", "p" * 256, "p" * 257]):
        body = {"username": f"pw{n}user", "password": password}
        r = httpx.post(f"{srv.url}/api/auth/register", json=body)
        assert check.is_valid(body) == (r.status_code == 200), (len(password), r.status_code, r.text)

    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]

    # uploads: the multipart body needs one to twenty files
    upload = f"/api/upload-video/nemo_agent/me/{sid}"
    multipart = _body_schema(spec, "/api/upload-video/{app_name}/me/{session_id}", "multipart/form-data")
    files = multipart["properties"]["files"]
    assert multipart["required"] == ["files"] and files["minItems"] == 1 and files["maxItems"] == 20
    r = api.post(upload, files={"note": (None, b"no file here")})
    assert (r.status_code, _envelope(r)["code"]) == (422, 4000), r.text
    r = api.post(upload, files=[("files", (f"p{i}.png", png(), "image/png")) for i in range(21)])
    assert (r.status_code, _envelope(r)["code"]) == (422, 4000), r.text
    assert api.post(upload, files=[("files", ("p.png", png(), "image/png"))]).status_code == 200

    # the turn: new_message is required and needs a part with text that is not blank
    check = _validator(spec, _body_schema(spec, RUN))
    base = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid}
    turns: list[dict[str, Any]] = [
        base,
        {**base, "new_message": {}},
        {**base, "new_message": {"parts": []}},
        {**base, "new_message": {"parts": [{}]}},
        {**base, "new_message": {"parts": [{"text": None}]}},
        {**base, "new_message": {"parts": [{"text": "  \n"}]}},
        {**base, "new_message": {"parts": [{"text": "make it vertical"}]}},
        {**base, "new_message": {"parts": [{"function_call": {}}, {"text": "make it vertical"}]}},
        {**base, "new_message": {"parts": [{"text": "make it vertical"}]}, "streaming": 0},
        {**base, "new_message": {"parts": [{"text": "make it vertical"}]}, "streaming": True},
    ]
    for body in turns:
        with httpx.stream("POST", f"{srv.url}{RUN}", json=body, headers=api.headers(), timeout=120) as r:
            r.read()
        accepted = r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert check.is_valid(body) == accepted, (body, r.status_code, r.text[:300])
        if not accepted:
            assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (body, r.text)
    # Last-Event-ID: an integer (or nothing), as the schema says
    (header,) = [p for p in spec["paths"][RUN]["post"]["parameters"] if p["name"] == "Last-Event-ID"]
    check = _validator(spec, header["schema"])
    for value in ("null", "abc", "-1", "", "0"):
        turn = turns[6]
        with httpx.stream(
            "POST",
            f"{srv.url}{RUN}",
            json=turn,
            headers={**api.headers(), "Last-Event-ID": value},
            timeout=120,
        ) as r:
            r.read()
        refused = r.status_code == 422 and _envelope(r)["code"] == 4000
        assert check.is_valid(value) != refused, (value, r.status_code, r.text[:300])


def test_range_errors_are_envelopes(server_factory: Callable[..., LiveServer]) -> None:
    srv = server_factory()
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    assert api.render(sid, DRAFT, "render_range").status_code == 200
    out = api.poll("render_range")["output"]
    size = int(out["size"])
    url = "/api/render/proxy/render_range/download"
    for bad in ("bytes=abc", "bytes=5-2", "items=0-1", "bytes", "bytes=-"):
        r = api.http.get(url, headers={**api.headers(), "Range": bad})
        assert (r.status_code, _envelope(r)["code"]) == (422, 4000), (bad, r.status_code, r.text)
        assert _envelope(r)["data"]["path"] == "Range"
    r = httpx.get(out["url"], headers={"Range": f"bytes={size + 10}-"})
    assert (r.status_code, _envelope(r)["code"]) == (416, 4160), r.text
    assert r.headers["content-range"] == f"bytes */{size}"
    part = api.http.get(url, headers={**api.headers(), "Range": "bytes=0-9"})
    assert part.status_code == 206 and len(part.content) == 10
    assert httpx.get(out["url"]).status_code == 200


@pytest.fixture
def self_signed() -> Iterator[str]:
    """An https server on 127.0.0.3 whose certificate nobody trusts (made for this test)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.3")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), False)
        .sign(key, hashes.SHA256())
    )
    with tempfile.TemporaryDirectory() as d:
        cert_path, key_path = Path(d) / "c.pem", Path(d) / "k.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_path, key_path)
        body = png()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a: Any) -> None:
                pass

        httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        httpd.daemon_threads = True
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield f"https://{HOST}:{httpd.server_address[1]}/logo.png"
        httpd.shutdown()


def test_url_upload_with_a_bad_certificate_is_a_fetch_error(
    server_factory: Callable[..., LiveServer], self_signed: str
) -> None:
    srv = server_factory(url_allow_hosts=[HOST])
    api = Api(srv.url)
    api.anonymous()
    sid = api.session()["session_id"]
    r = api.post(f"/api/upload-video/nemo_agent/me/{sid}", json={"urls": [self_signed]})
    body = _envelope(r)
    assert (r.status_code, body["code"]) == (502, 5020), r.text
    assert body["message"].startswith("Fetching"), body
    assert rows(srv.data_dir, "SELECT id FROM media") == []
    assert "unexpected error" not in srv.log()


def test_tls_and_network_failures_anywhere_map_to_5020(tmp_path: Path) -> None:
    """The error mapping itself: a TLS or connection failure that escapes any code that talks to
    another server is 5020 naming the cause, never 5000 (in-process, with a route that fails so)."""
    from fastapi.testclient import TestClient

    from promptreel.api.app import create_app
    from promptreel.settings import Settings

    app = create_app(Settings(data_dir=tmp_path, studio="fake_studio:FakeStudio"))

    def bad_certificate() -> None:
        cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
        cause.verify_message = "self-signed certificate"
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]") from cause

    def handshake() -> None:
        raise ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")

    def refused() -> None:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    for name, fail in {"cert": bad_certificate, "handshake": handshake, "refused": refused}.items():
        app.add_api_route(f"/test/{name}", fail, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as client:
        for name, words in {"cert": "self-signed", "handshake": "TLS", "refused": "connection"}.items():
            r = client.get(f"/test/{name}")
            body = _envelope(r)
            assert (r.status_code, body["code"]) == (502, 5020), (name, r.text)
            assert words in body["message"], (name, body)
            assert body["data"]["reason"] == ("network" if name == "refused" else "tls")
