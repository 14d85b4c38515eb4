"""The SDK's results read exactly what the server's wire models (promptreel.wire) produce.

Token and balance results *are* the wire models; the media, render and session views are read
from a wire model's JSON here, so a field renamed on one side fails this test, not a user.
"""

from __future__ import annotations

from dataclasses import replace

from promptreel import wire
from promptreel.client.models import AnonymousToken, Balance, ClaimToken, Media, RenderJob, SessionState
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


def test_token_and_balance_results_are_the_wire_models() -> None:
    assert issubclass(AnonymousToken, wire.AnonymousToken)
    assert issubclass(ClaimToken, wire.ClaimToken)
    assert issubclass(Balance, wire.Balance)
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
    failed = RenderJob.from_data(_status(status="failed", output=None, error="out of disk").model_dump())
    assert failed.done and failed.error == "out of disk" and failed.output is None
    assert replace(job, id="render_2").id == "render_2"  # views stay plain frozen dataclasses


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
    assert media.raw["mime"] == "image/jpeg"


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
    assert [m["text"] for m in view.messages] == ["hi"]
