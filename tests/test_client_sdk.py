"""The SDK against a protocol-speaking server over real loopback HTTP (the in-package fake)."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptreel.client.config import SKILL_VERSION, ClientConfig, CredentialStore, load_config, redact
from promptreel.client.models import Heartbeat, StreamDropped, TurnEvent, TurnInterrupted
from promptreel.client.sdk import AsyncClient, Client
from promptreel.client.testing import Done, FakeServer, Quiet, Say, Tool, Turn, generated_draft
from promptreel.errors import (
    AuthError,
    ExportBlocked,
    FileTooLarge,
    NoCredits,
    RateLimited,
    SessionBusy,
    SessionNotFound,
    UnsupportedFile,
)


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with FakeServer() as f:
        yield f


def make_client(fake: FakeServer, tmp_path: Path, **kw: object) -> Client:
    cfg = ClientConfig(api_url=fake.url, config_dir=tmp_path / "cfg", source="tests", platform="pytest")
    return Client(config=cfg, **kw)  # type: ignore[arg-type]


def test_every_request_carries_attribution_headers(fake: FakeServer, tmp_path: Path) -> None:
    with make_client(fake, tmp_path) as c:
        s = c.create_session()
        list(c.turn(s.session_id, "generate a video about tea"))
        c.balance()
        c.state(s.session_id)
        job = c.submit_render(s.session_id, c.state(s.session_id).draft_json or {})
        c.render_status(job.id)
    assert len(fake.requests) >= 7
    for _method, _path, headers in fake.requests:
        assert headers["x-skill-source"] == "tests"
        assert headers["x-skill-version"] == SKILL_VERSION
        assert headers["x-skill-platform"] == "pytest"


def test_anonymous_token_is_cached_privately_and_client_id_persists(fake: FakeServer, tmp_path: Path) -> None:
    with make_client(fake, tmp_path) as c:
        c.balance()  # first call fetches an anonymous token
        token = c._auth.token
        cid = c.client_id
    assert token and token.startswith("nmv_usr_")
    creds = tmp_path / "cfg" / "credentials.json"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cfg" / "client.json").stat().st_mode) == 0o600
    assert token not in repr(c) and token not in repr(c.config)
    # a second client reuses both: no new anonymous-token call
    calls = sum(1 for _m, p, _h in fake.requests if p == "/api/auth/anonymous-token")
    with make_client(fake, tmp_path) as c2:
        c2.balance()
        assert c2.client_id == cid
    assert sum(1 for _m, p, _h in fake.requests if p == "/api/auth/anonymous-token") == calls
    assert [h["x-client-id"] for _m, p, h in fake.requests if p == "/api/auth/anonymous-token"] == [cid]


def test_environment_variables_are_honoured(tmp_path: Path) -> None:
    env = {
        "NEMO_API_URL": "http://api.example:9/",
        "NEMO_WEB_URL": "http://studio.example",
        "NEMO_TOKEN": "nmv_usr_secret123",
        "NEMO_CLIENT_ID": "cid-1",
        "SKILL_SOURCE": "free-generation-maker",
        "PROMPTREEL_CONFIG_DIR": str(tmp_path),
    }
    cfg = load_config(env)
    assert cfg.api_url == "http://api.example:9"
    assert cfg.studio_url == "http://studio.example"
    assert cfg.token == "nmv_usr_secret123" and cfg.token_from_env
    assert cfg.client_id == "cid-1"
    assert cfg.attribution()["X-Skill-Source"] == "free-generation-maker"
    assert cfg.config_dir == tmp_path
    assert "secret123" not in repr(cfg)
    assert load_config({"PROMPTREEL_CONFIG_DIR": str(tmp_path)}).studio_url == "http://127.0.0.1:8000"


def test_nemo_token_is_used_as_is_and_never_cached(fake: FakeServer, tmp_path: Path) -> None:
    with make_client(fake, tmp_path / "a") as c:
        c.balance()
        token = c._auth.token
    assert token
    cfg = ClientConfig(api_url=fake.url, config_dir=tmp_path / "b", token=token)
    with Client(config=cfg) as c2:
        c2.balance()
        assert not c2.token_is_anonymous
    assert CredentialStore(tmp_path / "b").token(fake.url) is None


def test_redact_hides_bearer_tokens() -> None:
    assert redact("token nmv_usr_abcdef123 and Bearer xyz") == "token [hidden] and [hidden]"


@pytest.mark.parametrize(
    ("code", "exc"),
    [
        (1002, SessionNotFound),
        (2001, NoCredits),
        (402, ExportBlocked),
        (4001, UnsupportedFile),
        (4002, FileTooLarge),
        (4090, SessionBusy),
    ],
)
def test_error_codes_raise_the_matching_exception(
    fake: FakeServer, tmp_path: Path, code: int, exc: type
) -> None:
    with make_client(fake, tmp_path) as c:
        c.balance()
        fake.fail("balance", code)
        with pytest.raises(exc) as info:
            c.balance()
        assert info.value.code == code
        assert c.balance().available == 100  # one failure only


def test_expired_token_gets_a_new_anonymous_token_and_one_retry(fake: FakeServer, tmp_path: Path) -> None:
    notices: list[str] = []
    with make_client(fake, tmp_path, on_notice=lambda k, d: notices.append(k)) as c:
        c.balance()
        old = c._auth.token
        fake.revoke_all_tokens()
        assert c.balance().available == 100
        assert c._auth.token != old
        assert notices == ["reauth"]
        assert CredentialStore(tmp_path / "cfg").token(fake.url) == c._auth.token
        # a second consecutive 1001 after the retry is raised, not looped on
        fake.fail("balance", 1001, times=2)
        with pytest.raises(AuthError):
            c.balance()


def test_rate_limited_waits_retry_after_then_retries_once(fake: FakeServer, tmp_path: Path) -> None:
    waits: list[float] = []
    with make_client(fake, tmp_path, sleep=waits.append) as c:
        c.balance()
        fake.fail("balance", 429, retry_after=7)
        assert c.balance().available == 100
        assert waits == [7]
        fake.fail("balance", 429, times=2, retry_after=3)
        with pytest.raises(RateLimited) as info:
            c.balance()
        assert info.value.retry_after == 3
        assert waits == [7, 3]


def test_missing_client_id_makes_a_new_one_and_retries(fake: FakeServer, tmp_path: Path) -> None:
    with make_client(fake, tmp_path) as c:
        first = c.client_id
        fake.fail("anonymous_token", 400)
        c.balance()
        assert c.client_id != first
        assert CredentialStore(tmp_path / "cfg").client_id() == c.client_id


def test_turn_streams_text_hides_nothing_and_ends_on_turn_complete(fake: FakeServer, tmp_path: Path) -> None:
    fake.script(Turn([Say("Hello "), Tool("plan"), Quiet(0.2), Say("there."), Done()]))
    with make_client(fake, tmp_path) as c:
        s = c.create_session()
        stream = c.turn(s.session_id, "hi")
        items = list(stream)
    events = [i for i in items if isinstance(i, TurnEvent)]
    assert "".join(e.text for e in events) == "Hello there."
    assert any(e.function_calls for e in events) and any(e.function_responses for e in events)
    assert any(isinstance(i, Heartbeat) for i in items)
    assert events[-1].turn_complete and stream.completed
    assert [int(e.id) for e in events] == list(range(1, len(events) + 1))


def test_dropped_stream_resumes_with_last_event_id_without_resending(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.script(Turn([Say("one "), Say("two "), Quiet(0.1), Say("three"), Done()], drop_after=2))
    with make_client(fake, tmp_path, sleep=lambda s: None) as c:
        s = c.create_session()
        items = list(c.turn(s.session_id, "count"))
    events = [i for i in items if isinstance(i, TurnEvent)]
    assert "".join(e.text for e in events) == "one two three"
    assert [e.id for e in events] == ["1", "2", "3", "4"]  # nothing repeated, nothing lost
    drops = [i for i in items if isinstance(i, StreamDropped)]
    assert len(drops) == 1 and drops[0].last_event_id == "2"
    assert fake.session().messages == ["count"]  # the server saw the message once
    resumes = [h for _m, p, h in fake.requests if p == "/run_sse" and "last-event-id" in h]
    assert [h["last-event-id"] for h in resumes] == ["2"]


def test_drop_before_any_event_is_reported_not_resent(fake: FakeServer, tmp_path: Path) -> None:
    fake.script(Turn([Say("never seen"), Done()], drop_after=0))
    with make_client(fake, tmp_path) as c:
        s = c.create_session()
        with pytest.raises(TurnInterrupted):
            list(c.turn(s.session_id, "hello"))
    assert fake.session().messages == ["hello"]
    assert len([p for _m, p, _h in fake.requests if p == "/run_sse"]) == 1


def test_in_stream_protocol_error_before_streaming_is_raised(fake: FakeServer, tmp_path: Path) -> None:
    with make_client(fake, tmp_path) as c:
        s = c.create_session()
        fake.fail("run_sse", 2001, data={"bind_id": s.bind_id})
        with pytest.raises(NoCredits) as info:
            list(c.turn(s.session_id, "generate a video about rain"))
        assert info.value.data == {"bind_id": s.bind_id}


def test_upload_export_and_download_without_bearer(fake: FakeServer, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00" * 2048)
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    with make_client(fake, tmp_path) as c:
        s = c.create_session()
        media = c.upload(s.session_id, [clip])
        assert media[0].name == "clip.mp4" and media[0].size == 2048 and media[0].kind == "video"
        with pytest.raises(UnsupportedFile):
            c.upload(s.session_id, [bad])
        list(c.turn(s.session_id, "generate a video about tea"))
        st = c.state(s.session_id)
        assert st.ready and st.draft is not None and st.bind_id == s.bind_id
        job = c.submit_render(s.session_id, st.draft_json or {})
        assert job.id.startswith("render_")
        seen: list[str] = []
        done = c.wait_render(job.id, poll_s=0, on_progress=lambda j: seen.append(j.status))
        assert done.status == "completed" and done.output and done.output.url
        assert seen[-1] == "completed" and "processing" in seen
        path = c.download(done, tmp_path / "out")
    assert path.read_bytes() == b"FAKEMP4DATA!"
    files = [h for _m, p, h in fake.requests if p.startswith("/files/")]
    assert files and all("authorization" not in h for h in files)


def test_download_falls_back_to_the_download_endpoint(fake: FakeServer, tmp_path: Path) -> None:

    with make_client(fake, tmp_path) as c:
        s = c.create_session()
        list(c.turn(s.session_id, "generate a video about tea"))
        job = c.wait_render(
            c.submit_render(s.session_id, c.state(s.session_id).draft_json or {}).id, poll_s=0
        )
        assert job.output is not None
        bad_url = job.output.url.replace("sig=", "sig=bad")
        broken = job.model_copy(update={"output": job.output.model_copy(update={"url": bad_url})})
        path = c.download(broken, tmp_path / "x.mp4")
    assert path == tmp_path / "x.mp4" and path.read_bytes() == b"FAKEMP4DATA!"
    assert any(p.endswith("/download") for _m, p, _h in fake.requests)
    assert not list(tmp_path.glob("*.part"))


def test_async_client_covers_the_same_flow(fake: FakeServer, tmp_path: Path) -> None:
    fake.script(
        Turn([Say("a "), Say("b "), Quiet(0.1), Say("c"), Done()], drop_after=2),
    )

    async def go() -> None:
        cfg = ClientConfig(api_url=fake.url, config_dir=tmp_path / "cfg", platform="pytest")

        async def no_sleep(_s: float) -> None:
            return None

        async with AsyncClient(config=cfg, sleep=no_sleep) as c:
            s = await c.create_session(language="zh")
            stream = await c.turn(s.session_id, "你好")
            texts = [i.text async for i in stream if isinstance(i, TurnEvent)]
            assert "".join(texts) == "a b c"
            b = await c.balance()
            assert b.available == 100
            st = await c.state(s.session_id)
            assert st.draft is None and not st.ready
            fake.set_draft(s.session_id, generated_draft())
            st = await c.state(s.session_id)
            job = await c.wait_render((await c.submit_render(s.session_id, st.draft_json or {})).id, poll_s=0)
            path = await c.download(job, tmp_path / "dl")
            assert path.read_bytes() == b"FAKEMP4DATA!"
            claim = await c.claim_token(s.task_id, s.session_id)
            assert c.studio_claim_url(claim.claim_token).endswith(f"/workspace/claim?ct={claim.claim_token}")
            fake.fail("state", 1002)
            with pytest.raises(SessionNotFound):
                await c.state(s.session_id)

    asyncio.run(go())
    assert fake.session().messages == ["你好"]


def test_config_dir_defaults_to_the_user_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMPTREEL_CONFIG_DIR", raising=False)
    cfg = load_config({})
    assert cfg.config_dir.name == "promptreel"
    assert os.path.isabs(cfg.config_dir)


def test_platform_comes_from_the_environment_or_install_path() -> None:
    from promptreel.client.config import detect_platform

    assert detect_platform("/home/me/.cursor/skills/promptreel") == "cursor"
    assert detect_platform("/opt/clawhub/skills/x") == "clawhub"
    assert detect_platform("/usr/local/bin/promptreel") == "unknown"
    assert load_config({"SKILL_PLATFORM": "cursor"}, platform="promptreel-cli").platform == "cursor"
    assert load_config({}, platform="promptreel-cli").platform in (
        "promptreel-cli",
        "cursor",
        "clawhub",
        "claude",
    )
