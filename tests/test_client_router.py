"""Intent routing (EN/ZH keyword rows, files) and GUI-wording translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptreel.client.router import Intent, route, translate_gui


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("export", Intent.EXPORT),
        ("Export 1080p MP4 please", Intent.EXPORT),
        ("导出", Intent.EXPORT),
        ("帮我导出视频", Intent.EXPORT),
        ("download", Intent.EXPORT),
        ("can I download it?", Intent.EXPORT),
        ("send me the video", Intent.EXPORT),
        ("Send me the   video now", Intent.EXPORT),
        ("credits", Intent.BALANCE),
        ("how many credits do I have", Intent.BALANCE),
        ("积分", Intent.BALANCE),
        ("balance", Intent.BALANCE),
        ("余额还有多少", Intent.BALANCE),
        ("status", Intent.SUMMARY),
        ("状态", Intent.SUMMARY),
        ("show tracks", Intent.SUMMARY),
        ("upload", Intent.UPLOAD),
        ("上传", Intent.UPLOAD),
        ("generate a 30-second video about coffee", Intent.TURN),
        ("add BGM", Intent.TURN),
        ("make the title bigger", Intent.TURN),
        ("生成一个关于咖啡的视频", Intent.TURN),
        # GUI wording from the person maps to the action, not to the agent
        ("click the Export button", Intent.EXPORT),
        ("点击导出", Intent.EXPORT),
        ("open the timeline", Intent.SUMMARY),
        ("打开时间线", Intent.SUMMARY),
        ("preview in timeline", Intent.SUMMARY),
        ("drag the title to the end", Intent.TURN),
        ("拖拽标题到结尾", Intent.TURN),
    ],
)
def test_keyword_rows(text: str, intent: Intent) -> None:
    assert route(text).intent is intent


def test_exported_words_inside_other_words_do_not_trigger() -> None:
    assert route("add a downloadable-looking badge").intent is Intent.TURN
    assert route("make it more status-quo").intent is Intent.TURN


def test_click_is_stripped_and_the_rest_goes_to_the_agent() -> None:
    r = route("click Add music")
    assert r.intent is Intent.TURN and r.text == "Add music"
    r = route("点击 添加字幕")
    assert r.intent is Intent.TURN and r.text == "添加字幕"


def test_an_existing_file_path_routes_to_upload(tmp_path: Path) -> None:
    clip = tmp_path / "my clip.mp4"
    clip.write_bytes(b"x")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"x")
    r = route(f'"{clip}"')
    assert r.intent is Intent.UPLOAD and r.paths == (clip,) and r.followup == ""
    r = route("logo.png", cwd=tmp_path)
    assert r.intent is Intent.UPLOAD and r.paths == (logo,)
    r = route(f"upload {logo} and use it as the opening shot")
    assert r.intent is Intent.UPLOAD and r.paths == (logo,)
    assert r.followup == "use it as the opening shot"
    r = route(f"上传 {logo}")
    assert r.intent is Intent.UPLOAD and r.paths == (logo,) and r.followup == ""
    # a path that does not exist is just words
    assert route(f"{tmp_path}/missing.mp4 looks nice").intent is Intent.TURN


def test_upload_urls() -> None:
    r = route("upload https://example.com/a.mp4")
    assert r.intent is Intent.UPLOAD and r.urls == ("https://example.com/a.mp4",)


@pytest.mark.parametrize(
    ("agent", "must_have", "must_not", "action"),
    [
        ("Done! Click the Export button to download your video.", 'Say "export"', "Click", Intent.EXPORT),
        ("完成了！点击导出按钮即可下载。", "说「导出」", "点击", Intent.EXPORT),
        ("Open the timeline panel to review the cuts.", "Here is the timeline", "Open the", Intent.SUMMARY),
        ("You can preview it in the timeline.", "Here is the timeline", "preview it", Intent.SUMMARY),
        ("打开时间线查看效果。", "当前时间线如下", "打开", Intent.SUMMARY),
        ("Drag the clip to reorder scenes.", "Tell me the change in words", "Drag", None),
        ("拖拽片段即可调整顺序。", "直接告诉我要怎么改", "拖拽", None),
        ('Click "Add music" to add a soundtrack.', 'Just say "Add music"', "Click", None),
        ("点击「添加字幕」。", "直接说「添加字幕」", "点击", None),
    ],
)
def test_gui_wording_in_agent_text_is_translated(
    agent: str, must_have: str, must_not: str, action: Intent | None
) -> None:
    tr = translate_gui(agent)
    assert must_have in tr.text
    assert must_not not in tr.text
    assert tr.actions == ((action,) if action else ())


def test_plain_agent_text_passes_unchanged() -> None:
    text = "I added calm music at 35% and a title card. The video is 20 seconds long."
    tr = translate_gui(text)
    assert tr.text == text and tr.actions == ()
