"""The SDK's results are the server's wire models (promptreel.wire), read leniently.

Every result class subclasses its wire model, and each is read here from a wire model's JSON, so
a field renamed on one side fails this test, not a user. The names older SDKs used stay readable.
"""

from __future__ import annotations

import pytest

from promptreel import wire
from promptreel.client.models import (
    AnonymousToken,
    Balance,
    ClaimToken,
    Media,
    RenderJob,
    RenderOutput,
    SessionInfo,
    SessionState,
)
from promptreel.client.testing import generated_draft
from promptreel.draft import encode

OUTPUT = wire.RenderOutput(
    url="/files/r1.mp4?sig=abc",
    duration=12000,
    duration_ms=12000,
    size=2048,
    width=1920,
    height=1080,
    format="mp4",
)
MEDIA = wire.MediaInfo(
    media_id="med_1",
    name="beans.jpg",
    kind="image",
    format="jpg",
    mime="image/jpeg",
    size=5000,
    duration_ms=0,
    duration=0,
    width=800,
    height=600,
)


def _status(**changes: object) -> wire.RenderStatus:
    base = wire.RenderStatus(
        id="render_1",
        job_id="job_1",
        session_id="ses_1",
        status="completed",
        progress=1.0,
        stage="done",
        output=OUTPUT,
        quality="high",
        created_at="2026-01-01T00:00:00Z",
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize(
    ("view", "model"),
    [
        (AnonymousToken, wire.AnonymousToken),
        (ClaimToken, wire.ClaimToken),
        (Balance, wire.Balance),
        (SessionInfo, wire.SessionCreated),
        (Media, wire.MediaInfo),
        (RenderJob, wire.RenderStatus),
        (RenderOutput, wire.RenderOutput),
        (SessionState, wire.SessionState),
    ],
)
def test_every_result_is_its_wire_model(view: type, model: type) -> None:
    assert issubclass(view, model)
    assert set(model.model_fields) <= set(view.model_fields)


def test_token_and_balance_results_read_the_wire_answers() -> None:
    answer = wire.AnonymousToken(
        token="nmv_usr_secret",
        credits=100,
        expires_at="2026-01-08T00:00:00Z",
        expires_in=604800,
        bind_id="bind_1",
        scopes=["read"],
    )
    tok = AnonymousToken.from_data(answer.model_dump(mode="json"))
    assert tok.model_dump() == answer.model_dump()
    assert "nmv_usr_secret" not in repr(tok) and "bind_1" in repr(tok)
    claim = ClaimToken.from_data({"claim_token": "clm_secret", "expires_in": 60, "url": "http://s/c"})
    assert "clm_secret" not in repr(claim) and claim.url == "http://s/c"
    assert Balance.from_data(wire.Balance(available=7, frozen=1, total=8).model_dump()).total == 8


def test_results_are_read_leniently_from_older_or_other_servers() -> None:
    tok = AnonymousToken.from_data({"token": "nmv_usr_x", "credits": "100", "expires_at": 1767225600})
    assert (tok.credits, tok.expires_at, tok.scopes, tok.bind_id) == (100, "1767225600", [], "")
    assert Balance.from_data({"available": 3}) == Balance(available=3, frozen=0, total=0)
    assert ClaimToken.from_data({}).claim_token == ""


def test_the_render_job_view_reads_the_wire_render_status() -> None:
    job = RenderJob.from_data(_status().model_dump(mode="json"))
    assert (job.id, job.status, job.progress, job.error) == ("render_1", "completed", 1.0, "")
    assert job.output is not None
    assert (job.output.url, job.output.duration, job.output.size, job.output.format) == (
        OUTPUT.url,
        OUTPUT.duration,
        OUTPUT.size,
        OUTPUT.format,
    )
    assert job.model_dump(mode="json") == {
        **_status().model_dump(mode="json"),
        "error": "",
    }  # as before: "" when none
    assert isinstance(job.output, RenderOutput)
    failed = RenderJob.from_data(_status(status="failed", output=None, error="out of disk").model_dump())
    assert failed.done and failed.error == "out of disk" and failed.output is None
    assert job.model_copy(update={"id": "render_2"}).id == "render_2"
    with pytest.raises(ValueError, match="frozen"):
        job.id = "render_3"  # type: ignore[misc]


def test_a_render_job_from_an_older_server_is_read_leniently() -> None:
    job = RenderJob.from_data(
        {"id": "r1", "status": "queued", "progress": "1.7", "output": {"url": "/f"}, "error": {"code": 500}}
    )
    assert (job.status, job.progress, job.error, job.done) == ("pending", 1.0, "500", False)
    assert job.output is not None and (job.output.url, job.output.format) == ("/f", "mp4")
    assert job.raw["status"] == "queued" and job.get("status") == "pending" and job.get("nope", 7) == 7
    assert "status" in job and "nope" not in job and dict(job)["id"] == "r1"
    newer = RenderJob.from_data({"id": "r2", "status": "processing", "eta_ms": 900})
    assert newer["eta_ms"] == 900 and "eta_ms" not in newer.model_dump()  # a newer server's extra field


def test_the_media_view_reads_the_wire_upload_result() -> None:
    [media] = Media.list_from_data(wire.UploadResult(files=[MEDIA]).model_dump(mode="json"))
    assert (media.id, media.kind, media.name, media.size, media.width, media.height) == (
        "med_1",
        "image",
        "beans.jpg",
        5000,
        800,
        600,
    )
    assert media.raw["mime"] == "image/jpeg" and media.model_dump() == MEDIA.model_dump()
    [other] = Media.list_from_data([{"id": "med_2", "filename": "a.mp4", "kind": "video", "duration": 4000}])
    assert (other.id, other.media_id, other.name, other.duration_ms, other.duration) == (
        "med_2",
        "med_2",
        "a.mp4",
        4000,
        4000,
    )


def test_a_session_made_the_older_way_still_works() -> None:
    info = SessionInfo("task_1", "ses_1", "bind_1")
    assert (info.task_id, info.session_id, info.bind_id, info.task_name) == ("task_1", "ses_1", "bind_1", "")
    assert info.as_dict() == {"task_id": "task_1", "session_id": "ses_1", "bind_id": "bind_1"}
    created = wire.SessionCreated(task_id="t", session_id="s", bind_id="b", task_name="n", language="zh")
    assert SessionInfo.from_data(created.model_dump()).model_dump() == created.model_dump()


def test_the_session_state_view_reads_the_wire_session_state() -> None:
    draft = encode(generated_draft())
    state = wire.SessionState(
        state=wire.StudioState(
            draft=draft,
            video_infos=[MEDIA],
            canvas_config=wire.CanvasConfig(width=1920, height=1080, fps=30, aspect_ratio="16:9"),
            generated_media=[wire.GeneratedMedia(**_status().model_dump())],
        ),
        task_id="task_1",
        session_id="ses_1",
        bind_id="bind_1",
        task_name="project",
        version=2,
        ready=True,
        duration_ms=10000,
        summary="2 scenes",
        can_undo=True,
        can_redo=False,
        turn_running=False,
        messages=[wire.ChatMessage(role="user", text="hi", turn_id="t1", at="2026-01-01T00:00:00Z")],
    )
    view = SessionState.from_data(state.model_dump(mode="json"))
    assert view.draft_json == draft and view.ready and view.draft is not None
    assert (view.task_id, view.bind_id, view.turn_running, view.active_turn) == (
        "task_1",
        "bind_1",
        False,
        None,
    )
    assert view.canvas_config["fps"] == 30 and view.video_infos[0]["media_id"] == "med_1"
    assert view.generated_media[0]["output"]["url"] == OUTPUT.url
    assert [m["text"] for m in view.messages] == ["hi"] and view.messages[0].role == "user"
    assert view.model_dump(mode="json") == state.model_dump(mode="json")
    assert isinstance(view.video_infos[0], Media) and view.canvas_config.fps == 30


def test_a_flat_session_state_without_ready_is_read_from_its_draft() -> None:
    draft = encode(generated_draft())
    view = SessionState.from_data({"draft": draft, "task_id": "task_1", "turn_running": True})
    assert view.ready and view.draft_json == draft and view.task_id == "task_1" and view.turn_running
    empty = SessionState.from_data({"state": {"draft": {}}})
    assert (empty.ready, empty.draft_json, empty.draft, empty.messages) == (False, None, None, [])
