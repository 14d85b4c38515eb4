"""What the chat says, in English and Chinese: one catalogue, looked up by key.

The chat answers in the language of the person's latest message (any Han character → Chinese),
unless a language was fixed when the chat started. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

from typing import Literal

from promptreel.language import has_cjk

__all__ = ["Lang", "language_of", "text"]

Lang = Literal["en", "zh"]


_EN: dict[str, str] = {
    "reauth": "Your sign-in expired — signing in again…",
    "slow_down": "The server asked me to slow down — retrying in {s} s…",
    "new_client": "Setting up a new client id…",
    "setting_up": "Setting up…",
    "welcome": 'promptreel — tell me about the video you want. ("help" for tips, "quit" to leave)',
    "help": (
        'Tell me what video you want ("generate a 30-second video about a coffee brand") or how to change '
        'it ("make the music quieter"). Shortcuts: "status" shows the tracks, "credits" the balance, '
        '"upload <file>" adds your media, "export" renders and downloads the MP4. "quit" leaves.'
    ),
    "stopped_waiting": 'Stopped waiting. The server keeps working on it; say "status" to check later.',
    "bye": "Bye! Your project stays on the server; run chat again to continue.",
    "lost_again": "The server lost this project again; please try later.",
    "lost_project": "That project is no longer on the server — starting a new one.",
    "unreachable": "I can't reach the promptreel server at {url}. Is it running?",
    "connection_failed": "The connection to the server failed ({kind}). Please try again.",
    "file_error": "File error",
    "credits": "Credits: {available} available{held}, {total} in total.",
    "credits_held": " ({frozen} held for work in progress)",
    "empty_timeline": 'The timeline is empty so far. Try "generate a 30-second video about <your topic>".',
    "which_file": "Which file? Give me its path, for example: upload ~/Videos/clip.mp4",
    "uploading": "Uploading {names}…",
    "fetching": "Fetching {n} link(s)…",
    "uploaded": "Uploaded {name}{facts}.",
    "use_it": 'Tell me what to do with it, e.g. "use it as the opening shot".',
    "nothing_to_export": (
        'There is nothing to export yet — the timeline is empty. Try "generate a video about …" first.'
    ),
    "exporting": "Exporting your video (MP4)…",
    "exporting_project": "Exporting a {label} (a zip with the project, clips, WAVs and captions)…",
    "project_ready": "✅ Your {label} is ready: {path}\n   Unzip it and open the project file in your editor.",
    "render_retry": "The render failed ({why}). Trying once more…",
    "render_failed": 'The render failed again: {why}. Say "export" to try later.',
    "ready": "✅ Your video is ready: {path}",
    "studio_link": "Open it in the studio: {url}",
    "studio_link_later": "   (the local server stops with this chat: run `{serve}` to open the link later)",
    "no_studio_link": "(The studio link is not available right now.)",
    "rendering": "Rendering",
    "rendering_pct": "Rendering… {pct}%",
    "on_it": "On it — this may take a little while.",
    "what_changed": "What changed:",
    "done_what_changed": "Done. What changed:",
    "unchanged": 'Finished — the timeline did not change. Say "status" to see it.',
    "next": "Next you could say: {steps}.",
    "turn_failed": "The turn failed; nothing was charged. Please try again.",
    "reconnecting": "The connection dropped — reconnecting to the same turn…",
    "gave_up": (
        "No progress for {took} — I've stopped waiting. The server may still finish it: "
        'say "status" in a while to check (I won\'t send your message again).'
    ),
    "still_working": "⏳ Still working...",
    "drop_watch": (
        "The connection to the server was lost mid-turn. Your message was delivered once — "
        "I'll watch the project instead of sending it again."
    ),
    "unconfirmed": (
        "I couldn't confirm the change: the project did not change in {n} checks. "
        'Say "retry" to send the message again.'
    ),
    "err_register": (
        "You've used up the free credits. Register to keep going — this project and any credits left "
        "move to your account: {url}"
    ),
    "err_topup": "You're out of credits. Top up credits in your account, then try again.",
    "err_export": "Register or upgrade your plan to unlock export. (This is not about credits.)",
    "err_type": "That file type isn't supported. Accepted types: {types}.",
    "err_size": (
        "That file is too large (the limit is 500 MB). Compress it or trim it to a shorter clip, "
        "then upload it again."
    ),
    "err_rate": "The server is rate limiting requests.",
    "err_rate_wait": "{why} Try again in {wait}.",
    "err_auth": "Signing in failed even with a fresh token. Check NEMO_TOKEN or try again later.",
    "err_session": "That project is no longer on the server; a new one is needed.",
    "err_busy": "I'm still working on your previous message — wait for it to finish, then ask again.",
    "err_draft": "The timeline was rejected: {why}",
    "second": "{n:g} second",
    "seconds": "{n:g} seconds",
    "minute": "{n:g} minute",
    "minutes": "{n:g} minutes",
    "hour": "{n:g} hour",
    "hours": "{n:g} hours",
    "day": "{n:g} day",
    "days": "{n:g} days",
    "more_changes": "…and {n} more changes",
    "retimed": "Re-timed to fit: {items}",
    "n_items": "{n} {what}",
    "added": "Added {name}",
    "removed": "Removed {name}",
    "added_at": "Added {name} ({timing})",
    "removed_at": "Removed {name} ({timing})",
    "changed_timing": "Changed {name} timing: {before} → {after}",
    "changed_field": "Changed {name} ({timing}) {field}: {before} → {after}",
    "canvas": "Canvas: {before} → {after}",
    "title": "Title: {before} → {after}",
    "step_generate": '"generate a 30-second video about <your topic>"',
    "step_upload": '"upload <file>" to use your own media',
    "step_music": '"add calm background music"',
    "step_title": '"add a title: <your title>"',
    "step_captions": '"turn on captions"',
    "step_vertical": '"make it vertical 9:16 for TikTok"',
    "step_longer": '"make scene 2 longer"',
    "step_export": '"export" to render and download the MP4',
    "list_sep": ", ",
}

_ZH: dict[str, str] = {
    "reauth": "登录已过期，正在重新登录…",
    "slow_down": "服务器要求放慢一点，{s} 秒后重试…",
    "new_client": "正在设置新的客户端 ID…",
    "setting_up": "正在准备…",
    "welcome": "promptreel — 告诉我你想要什么样的视频。（说「帮助」看提示，「退出」离开）",
    "help": (
        "告诉我你想要的视频（「生成一个 30 秒的咖啡品牌视频」）或怎么修改（「把音乐调小一点」）。"
        "快捷说法：「状态」查看轨道，「积分」查看余额，「上传 <文件>」添加你的素材，「导出」渲染并下载 MP4，"
        "「退出」离开。"
    ),
    "stopped_waiting": "已停止等待。服务器会继续处理；稍后说「状态」查看进展。",
    "bye": "再见！项目保存在服务器上，再次运行 chat 即可继续。",
    "lost_again": "服务器又找不到这个项目了，请稍后再试。",
    "lost_project": "服务器上已没有这个项目，正在新建一个。",
    "unreachable": "无法连接 promptreel 服务器 {url}。它在运行吗？",
    "connection_failed": "与服务器的连接失败（{kind}），请重试。",
    "file_error": "文件错误",
    "credits": "积分：可用 {available}{held}，共 {total}。",
    "credits_held": "（{frozen} 正被进行中的任务占用）",
    "empty_timeline": "时间线还是空的。试试「生成一个 30 秒的视频，主题是……」。",
    "which_file": "哪个文件？请给出路径，例如：上传 ~/Videos/clip.mp4",
    "uploading": "正在上传 {names}…",
    "fetching": "正在获取 {n} 个链接…",
    "uploaded": "已上传 {name}{facts}。",
    "use_it": "告诉我怎么用它，例如「用它做开场镜头」。",
    "nothing_to_export": "还没有可导出的内容——时间线是空的。先试试「生成一个关于……的视频」。",
    "exporting": "正在导出你的视频（MP4）…",
    "exporting_project": "正在导出{label}（一个 zip：工程文件、片段、WAV 和字幕）…",
    "project_ready": "✅ {label}已完成：{path}\n   解压后在剪辑软件中打开工程文件。",
    "render_retry": "渲染失败（{why}），再试一次…",
    "render_failed": "渲染再次失败：{why}。稍后说「导出」重试。",
    "ready": "✅ 视频已完成：{path}",
    "studio_link": "在工作室中打开：{url}",
    "studio_link_later": "   （本地服务器随这次对话结束而关闭：之后运行 `{serve}` 即可打开链接）",
    "no_studio_link": "（工作室链接暂时不可用。）",
    "rendering": "渲染中",
    "rendering_pct": "渲染中… {pct}%",
    "on_it": "马上开始——可能需要一点时间。",
    "what_changed": "改动如下：",
    "done_what_changed": "完成。改动如下：",
    "unchanged": "完成——时间线没有变化。说「状态」查看。",
    "next": "接下来你可以说：{steps}。",
    "turn_failed": "这一轮失败了，没有扣积分。请重试。",
    "reconnecting": "连接断开——正在重新连接到同一轮对话…",
    "gave_up": "已经 {took} 没有进展，我不再等待。服务器可能仍会完成：过一会儿说「状态」查看（我不会重复发送你的消息）。",
    "still_working": "⏳ 仍在处理…",
    "drop_watch": "对话中途与服务器断开。你的消息已送达一次——我会关注项目，而不是重复发送。",
    "unconfirmed": "无法确认改动：检查了 {n} 次，项目都没有变化。说「重试」再发送一次。",
    "err_register": "免费积分已用完。注册即可继续——这个项目和剩余积分都会转入你的账户：{url}",
    "err_topup": "积分不足。请在账户中充值后再试。",
    "err_export": "注册或升级套餐即可解锁导出。（这与积分无关。）",
    "err_type": "不支持这种文件类型。支持的类型：{types}。",
    "err_size": "文件太大（上限 500 MB）。请压缩或剪成更短的片段后再上传。",
    "err_rate": "服务器正在限制请求频率。",
    "err_rate_wait": "{why} 请在 {wait}后重试。",
    "err_auth": "即使换了新令牌也无法登录。请检查 NEMO_TOKEN 或稍后再试。",
    "err_session": "服务器上已没有这个项目，需要新建一个。",
    "err_busy": "我还在处理你上一条消息——请等它完成后再说。",
    "err_draft": "时间线被拒绝：{why}",
    "second": "{n:g} 秒",
    "seconds": "{n:g} 秒",
    "minute": "{n:g} 分钟",
    "minutes": "{n:g} 分钟",
    "hour": "{n:g} 小时",
    "hours": "{n:g} 小时",
    "day": "{n:g} 天",
    "days": "{n:g} 天",
    "more_changes": "……还有 {n} 处改动",
    "retimed": "随之调整时间：{items}",
    "n_items": "{n} {what}",
    "added": "新增 {name}",
    "removed": "删除 {name}",
    "added_at": "新增 {name}（{timing}）",
    "removed_at": "删除 {name}（{timing}）",
    "changed_timing": "调整 {name} 的时间：{before} → {after}",
    "changed_field": "修改 {name}（{timing}）的 {field}：{before} → {after}",
    "canvas": "画面：{before} → {after}",
    "title": "标题：{before} → {after}",
    "step_generate": "「生成一个 30 秒的视频，主题是……」",
    "step_upload": "「上传 <文件>」使用你自己的素材",
    "step_music": "「加一段舒缓的背景音乐」",
    "step_title": "「加标题：<你的标题>」",
    "step_captions": "「打开字幕」",
    "step_vertical": "「改成 9:16 竖屏」",
    "step_longer": "「把第 2 个场景加长」",
    "step_export": "「导出」渲染并下载 MP4",
    "list_sep": "、",
}


def language_of(message: str) -> Lang:
    """``"zh"`` when ``message`` has a Han character, else ``"en"``."""
    return "zh" if has_cjk(message) else "en"


def text(lang: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``lang`` (English for anything but ``"zh"``), filled in."""
    return (_ZH if lang == "zh" else _EN)[key].format(**values)
