"""Short replies in the user's language: what changed (name, timing, before → after), then
two or three next steps. Also the explanations for requests that could not be done and the
questions for vague ones."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from promptreel.agent import suggest, undo_reply
from promptreel.agent.edits import about, colours, ending, replace, text_size, timeline, wishes
from promptreel.agent.questions import QUESTIONS_EN as _QUESTIONS_EN
from promptreel.agent.questions import QUESTIONS_ZH as _QUESTIONS_ZH
from promptreel.agent.reasons import EXPLAIN_EN as _EXPLAIN_EN
from promptreel.agent.reasons import EXPLAIN_ZH as _EXPLAIN_ZH
from promptreel.agent.spans import for_people, spans_said
from promptreel.draft.model import Draft
from promptreel.draft.query import length_text

__all__ = ["compose", "explain", "question", "say", "already", "STYLE_ZH"]

STYLE_ZH = {
    "lofi": "Lo-fi",
    "upbeat": "轻快",
    "calm": "舒缓",
    "cinematic": "电影感",
    "happy": "欢快",
    "corporate": "商务",
    "warm": "温暖",
    "energetic": "动感",
}
_STYLE_EN = {"lofi": "lo-fi", "upbeat": "upbeat", "calm": "calm", "cinematic": "cinematic", "happy": "happy",
             "corporate": "corporate", "warm": "warm", "energetic": "energetic"}  # fmt: skip
_WORD_ZH = {"on": "开", "off": "关", "muted": "静音", "none": "无", "top": "顶部", "bottom": "底部", "center": "中间",
            "generated": "生成的画面", "default": "默认", "female": "女声", "male": "男声", "cut": "直切",
            "crossfade": "淡入淡出", "slide": "滑动", "wipe": "擦除", "zoom": "缩放"}  # fmt: skip


def _st(style: Any, zh: bool) -> str:
    s = str(style or "")
    return STYLE_ZH.get(s, s) if zh else _STYLE_EN.get(s, s)


def _w(v: Any, zh: bool) -> str:
    """A value in the reply's language: ``"crossfade/cut"`` → ``"淡入淡出/直切"``."""
    s = str(v)
    return "/".join(_WORD_ZH.get(x, x) for x in s.split("/")) if zh else s


def _q(text: Any, zh: bool) -> str:
    return f"“{text}”" if zh else f'"{text}"'


#: result kinds whose capability module words its own line
_LINES = {
    "palette": colours.line,
    "scene_info": timeline.line,
    "text_replaced": replace.line,
    "headline": replace.line,
    "headline_size": text_size.line,
    "text_size": text_size.line,
    "text_color": text_size.line,
    "about": about.line,
    "ending": ending.line,
    "opening": ending.line,
    "less_text": wishes.line,
    "other_music": wishes.line,
    "undo": undo_reply.line,
    "redo": undo_reply.line,
}


def _line(r: Mapping[str, Any], zh: bool, total: int | None = None) -> str:
    """One result's line; ``total``, the video's length in ms, says "whole video" for a change
    that covers all of it."""
    what = r.get("what")
    if what in _LINES:
        return _LINES[str(what)](for_people(r, zh), zh)
    r = for_people(r, zh, total)
    b, a = r.get("before"), r.get("after")
    timing = r.get("timing")
    at = f"（{timing}）" if zh and timing else f" ({timing})" if timing else ""
    scene = r.get("scene")
    name = r.get("name") or ""
    sc = (
        (f"第 {scene} 个场景" if zh else f"Scene {scene}") + (f" {_q(name, zh)}" if name else "")
        if scene
        else ""
    )
    if what == "aspect":
        return f"画面比例：{b} → {a}。" if zh else f"Aspect ratio: {b} → {a}."
    if what == "title":
        f = r.get("field")
        if "after" in r and f is None:
            line = (
                f"标题{at}：{_q(b, zh)} → {_q(a, zh)}。" if zh else f"Title{at}: {_q(b, zh)} → {_q(a, zh)}."
            )
            if r.get("also_in"):
                nums = ("、" if zh else ", ").join(str(n) for n in r["also_in"])
                line += (
                    f"旧标题在第 {nums} 个场景里也改成了新标题（旁白已重新配音）。"
                    if zh
                    else f" The old name was also replaced where scene {nums} said or showed it (narration re-voiced)."
                )
            return line
        labels = {"color": ("颜色", "colour"), "size": ("字号", "size"), "font": ("字体", "font"),
                  "position": ("位置", "position"), "timing": ("显示时间", "shown")}  # fmt: skip
        parts = r.get("fields") or []
        if len(parts) < 2:
            label = labels.get(str(f), ("", ""))
            if zh:
                return f"标题 {_q(name, zh)} 的{label[0]}：{_w(b, zh)} → {_w(a, zh)}。"
            return f"Title {_q(name, zh)} {label[1]}: {b} → {a}."
        if zh:
            said = "，".join(f"{labels.get(str(p['field']), ('', ''))[0]} {_w(p['before'], zh)} → {_w(p['after'], zh)}"
                            for p in parts)  # fmt: skip
            return f"标题 {_q(name, zh)}：{said}。"
        said = ", ".join(
            f"{labels.get(str(p['field']), ('', ''))[1]} {p['before']} → {p['after']}" for p in parts
        )
        return f"Title {_q(name, zh)}: {said}."
    if what == "title_added":
        old, where = r.get("existing"), _w(r.get("position"), zh)
        if r.get("already"):
            return f"标题里已经有 {_q(name, zh)} 了。" if zh else f"The title already shows {_q(name, zh)}."
        if zh:
            return (
                f"视频已经有标题 {_q(old, zh)}，所以我把 {_q(name, zh)} 作为第二行标题加在{where}{at}，原标题保留"
                f"（要替换原标题，请说“把标题改成{_q(name, zh)}”）。"
            )
        return (
            f"The video already has the title {_q(old, zh)}, so I added {_q(name, zh)} as a second title line "
            f"at the {where}{at} and kept the original (to replace it instead, say 'change the title to "
            f'"{name}"\').'
        )
    if what == "title_removed":
        return f"已删除标题 {_q(name, zh)}{at}。" if zh else f"Removed the title {_q(name, zh)}{at}."
    if what == "music":
        parts = []
        if r.get("added"):
            parts.append(
                f"添加了{_st(r.get('style'), zh)}背景音乐{at}"
                if zh
                else f"Added {_st(r.get('style'), zh)} background music{at}"
            )
        elif r.get("field") == "style":
            parts.append(
                f"背景音乐风格：{_st(b, zh)} → {_st(a, zh)}{at}"
                if zh
                else f"Background music style: {_st(b, zh)} → {_st(a, zh)}{at}"
            )
        elif r.get("field") == "upload":
            parts.append(
                f"背景音乐换成了你上传的 {_q(a, zh)}"
                if zh
                else f"Background music is now your upload {_q(a, zh)}"
            )
        elif r.get("field") == "muted":
            parts.append(
                ("背景音乐已静音" if a == "muted" else "背景音乐已恢复")
                if zh
                else ("Muted the background music" if a == "muted" else "Background music is back on")
            )
        if "volume_after" in r:
            vb, va = r["volume_before"], r["volume_after"]
            parts.append(f"音量 {vb} → {va}" if zh else f"volume {vb} → {va}")
        elif r.get("added"):
            parts.append(f"音量 {r.get('volume')}" if zh else f"volume {r.get('volume')}")
        style_now = r.get("style")
        text = ("，" if zh else ", ").join(parts) or (
            (
                f"已经有背景音乐了（{_st(style_now, zh)}）"
                if zh
                else f"There is background music already ({_st(style_now, zh)})"
            )
            if style_now and not r.get("field")
            else "背景音乐已更新"
            if zh
            else "Updated the background music"
        )
        if "volume_after" in r and len(parts) == 1 and not r.get("added"):  # the volume alone: say whose
            vb, va = r["volume_before"], r["volume_after"]
            text = f"背景音乐音量：{vb} → {va}" if zh else f"Background music volume: {vb} → {va}"
        if not zh:
            text = text[:1].upper() + text[1:]
        return text + ("。" if zh else ".")
    if what == "music_removed":
        return (
            f"已删除背景音乐（{_st(name, zh)}）。"
            if zh
            else f"Removed the background music ({_st(name, zh)})."
        )
    if what == "voice":
        note = r.get("note")
        avail = ", ".join(r.get("available") or [])
        if note == "voice_unavailable":
            g = _w(r.get("wanted"), zh)
            return (
                f"这台服务器没有安装{g}，目前只有：{avail}，所以声音没有变。"
                if zh
                else f"No {r.get('wanted')} voice is installed on this server — only {avail} — so the voice stays."
            )
        if note == "voice_unknown":
            return (
                f"没有名为 {_q(r.get('wanted'), zh)} 的声音；可用的有：{avail}。"
                if zh
                else f"There is no voice called {_q(r.get('wanted'), zh)}; available: {avail}."
            )
        if note == "voice_same":
            return f"旁白已经是 {a}。" if zh else f"The narration already uses {a}."
        robotic = r.get("quality") == "robotic"
        g = (
            f"（{_w(r.get('gender'), zh)}{'，机器合成音色' if robotic else ''}）"
            if zh and r.get("gender")
            else f" ({r.get('gender')}{', a robotic-sounding voice' if robotic else ''})"
            if r.get("gender")
            else ""
        )
        return (
            f"旁白声音：{b} → {a}{g}，场景时间已按新的朗读时长调整。"
            if zh
            else f"Narration voice: {b} → {a}{g}; scene timing re-flowed to the new speech."
        )
    if what == "speed":
        db, da = r.get("duration_before"), r.get("duration_after")
        if r.get("length_kept"):
            return (
                f"语速：{b} → {a}；视频仍是 {da}，场景和字幕已重新对齐。"
                if zh
                else f"Narration speed: {b} → {a}; the video stays {da}, with scenes and captions re-fitted."
            )
        return (
            f"语速：{b} → {a}；注意视频时长变了：{db} → {da}，场景和字幕随之移动。"
            if zh
            else f"Narration speed: {b} → {a}; note the video's length changed: {db} → {da}, "
            "with scenes and captions re-timed."
        )
    if what == "narration":
        if r.get("field") == "volume":
            return f"旁白音量：{b} → {a}。" if zh else f"Narration volume: {b} → {a}."
        if r.get("added"):
            return f"已为每个场景加上旁白{at}。" if zh else f"Added narration to every scene{at}."
        return f"旁白：{_w(b, zh)} → {_w(a, zh)}{at}。" if zh else f"Narration: {b} → {a}{at}."
    if what == "scene_text":
        return (
            f"{sc} 的旁白：{_q(b, zh)} → {_q(a, zh)}，已重新配音{at}。"
            if zh
            else f"{sc} narration: {_q(b, zh)} → {_q(a, zh)}, re-voiced{at}."
        )
    if what == "scene_length":
        shift = int(r.get("shift_ms") or 0)
        later = abs(shift) / 1000
        if zh:
            return f"{sc}{at}：{b} → {a}；后面的场景、旁白和字幕{'后移' if shift > 0 else '前移'} {later:g} 秒，总时长 {r.get('total')}。"
        return (
            f"{sc}{at}: {b} → {a}; later scenes, narration and captions moved {later:g} s "
            f"{'later' if shift > 0 else 'earlier'} (total {r.get('total')})."
        )
    if what == "scene_moved":
        return f"{sc}：位置 {b} → {a}{at}。" if zh else f"{sc}: position {b} → {a}{at}."
    if what == "scenes_swapped":
        other = r.get("other")
        return (
            f"交换了第 {scene} 个场景 {_q(name, zh)} 和第 {other} 个场景 {_q(r.get('other_name'), zh)}。"
            if zh
            else f"Swapped scene {scene} {_q(name, zh)} and scene {other} {_q(r.get('other_name'), zh)}."
        )
    if what == "scene_removed":
        return (
            f"删除了{sc}{at}及其旁白和字幕；总时长 {b} → {a}，剩下 {r.get('count')} 个场景。"
            if zh
            else f"Removed {sc[:1].lower() + sc[1:]}{at} with its narration and captions; length {b} → {a}, {r.get('count')} scenes left."
        )
    if what == "scene_added":
        return (
            f"新增{sc}{at}，旁白：{_q(r.get('text'), zh)}；场景数 {b} → {a}。"
            if zh
            else f"Added {sc[:1].lower() + sc[1:]}{at} with the line {_q(r.get('text'), zh)}; scenes {b} → {a}."
        )
    if what == "visual":
        return f"{sc}{at} 换了新画面：{b} → {a}。" if zh else f"{sc}{at} has a new picture: {b} → {a}."
    if what == "media":
        return (
            f"{sc}{at} 现在显示你上传的 {_q(a, zh)}。"
            if zh
            else f"{sc}{at} now shows your {r.get('kind')} {_q(a, zh)}."
        )
    if what == "captions":
        f = r.get("field")
        if f == "enabled":
            n = r.get("count")
            if zh:
                return (
                    f"字幕{at}：{_w(b, zh)} → {_w(a, zh)}（{n} 条{'，已生成' if r.get('added') else ''}）。"
                )
            return f"Captions{at}: {b} → {a} ({n} lines{', generated from the narration' if r.get('added') else ''})."
        label = {"color": ("颜色", "colour"), "size": ("字号", "size"), "position": ("位置", "position"),
                 "font": ("字体", "font")}.get(str(f), ("", ""))  # fmt: skip
        return (
            f"字幕{label[0]}{at}：{_w(b, zh)} → {_w(a, zh)}。"
            if zh
            else f"Caption {label[1]}{at}: {b} → {a}."
        )
    if what == "overlay":
        rep = r.get("replaced") or []
        extra = (f"（替换了 {', '.join(rep)}）" if zh else f" (replacing {', '.join(rep)})") if rep else ""
        return (
            f"添加文字 {_q(name, zh)}{at}，位置：{_w(r.get('position'), zh)}{extra}。"
            if zh
            else f"Added the text {_q(name, zh)}{at} at the {r.get('position')}{extra}."
        )
    if what == "overlay_removed":
        return f"删除了文字 {_q(name, zh)}。" if zh else f"Removed the text {_q(name, zh)}."
    if what == "transition":
        where = (
            (f"进入第 {scene} 个场景的" if zh else f"into scene {scene}")
            if scene
            else (f"全部 {r.get('count')} 处" if zh else f"all {r.get('count')} cuts")
        )
        ms = r.get("ms")
        dur = (f"，{ms} 毫秒" if zh else f", {ms} ms") if ms else ""
        return (
            f"{where}转场：{_w(b, zh)} → {_w(a, zh)}{dur}。"
            if zh
            else f"Transitions ({where}): {b} → {a}{dur}."
        )
    if what == "duration":
        dropped = r.get("dropped") or []
        extra = ""
        if dropped:
            ds = ("、" if zh else ", ").join(str(x) for x in sorted(dropped))
            extra = (
                f"，为放下旁白去掉了第 {ds} 个场景"
                if zh
                else f"; dropped scene(s) {ds} so the narration fits"
            )
        return (
            f"视频时长：{b} → {a}，各场景按比例调整{extra}。"
            if zh
            else f"Video length: {b} → {a}, scenes scaled to fit{extra}."
        )
    if what == "summary":
        return (
            f"当前时间线：{r.get('summary_zh') or r.get('summary')}。"
            if zh
            else spans_said(str(r.get("summary")))
        )
    return "已更新。" if zh else "Updated."


#: what keeping the video whole took (see :mod:`edits.invariants`): result key, Chinese, English
_WHOLE = (
    ("length_refit", "其他场景已重新调整，视频仍是 {0}。", " The other scenes were re-timed so the video stays {0}."),
    ("length_changed", "注意视频时长变了：{0} → {1}。", " Note the video's length changed: {0} → {1}."),
    ("title_retimed", "标题卡改为 {0}，不再挡住场景的标题。",
     " The title card now shows {0} so it no longer hides a scene's headline."),
)  # fmt: skip


def _whole_note(r: Mapping[str, Any], zh: bool) -> str:
    notes = []
    for key, in_zh, in_en in _WHOLE:
        v = r.get(key)
        if v:
            notes.append((in_zh if zh else in_en).format(*(v if isinstance(v, list) else [v])))
    return "".join(notes)


def compose(
    results: Sequence[Mapping[str, Any]],
    lang: str,
    *,
    after: Draft | None = None,
    notes: Sequence[str] = (),
    media: Iterable[Any] = (),
    done: suggest.Done = (),
) -> str:
    """The reply after tool calls ran: one line per result, notes, then next steps that make
    sense for the draft ``after`` the turn (:mod:`promptreel.agent.suggest`), none of them a
    change in ``done`` (the turn's calls) again."""
    zh = lang == "zh"
    total = after.duration if after is not None else None
    lines = [_line(r, zh, total) + _whole_note(for_people(r, zh), zh) for r in undo_reply.merge(results)]
    lines.extend(notes)
    text = " ".join(x for x in lines if x) if not zh else "".join(x for x in lines if x)
    kinds = [str(r.get("what")) for r in reversed(results)]
    nxt = suggest.line(after, lang, kinds, media=media, done=done) if after is not None else ""
    return f"{text}\n{nxt}" if nxt else text


_KIND_ZH = {"image": "图片", "video": "视频", "audio": "音频", "file": "文件"}


def explain(reason: str, params: Mapping[str, Any], lang: str, message: str = "") -> str:
    """Why a request could not be done, in the user's language (nothing was changed)."""
    zh = lang == "zh"
    table = _EXPLAIN_ZH if zh else _EXPLAIN_EN
    p = dict(params)
    for k, v in params.items():  # seconds to a tenth; a least length rounded up, so it is enough
        if k.endswith("_s") and isinstance(v, float):
            p[k] = math.ceil(v * 10) / 10 if k.startswith("min_") else round(v, 1)
    if "enabled" in p:
        p["state"] = ("开启" if p["enabled"] else "关闭") if zh else ("on" if p["enabled"] else "off")
    if zh and "kind" in p:
        p["kind"] = _KIND_ZH.get(str(p["kind"]), p["kind"])
    tmpl = table.get(reason)
    body = message or ("无法完成这个修改。" if zh else "I couldn't make that change.")
    if tmpl:
        with contextlib.suppress(KeyError, ValueError, IndexError):
            body = tmpl.format(**p)
    tail = "草稿没有改动。" if zh else "Nothing was changed."
    return f"{body}{tail}" if zh else f"{body} {tail}"


def question(what: str, lang: str) -> str:
    table = _QUESTIONS_ZH if lang == "zh" else _QUESTIONS_EN
    return table.get(what) or table["unclear"]


def say(what: str, lang: str, draft: Draft, message: str = "") -> str:
    """Replies for messages that are not edits: export and credits (which the client handles)."""
    zh = lang == "zh"
    c = draft.canvas
    span = length_text(draft.duration, zh)
    if what == "export":
        size = f"{c.width}×{c.height}"
        if zh:
            return (
                f"导出不在聊天里进行：客户端会把当前草稿（{size}，{span}，{len(draft.tracks)} 条轨道）提交渲染，"
                "完成后给你 MP4 文件和工作室链接，导出不消耗积分。草稿没有改动。\n"
                "也可以先说“时间线上有什么”检查一下。"
            )
        hint = ""
        if "1080" in message or "4k" in message.lower() or "720" in message:
            hint = f" It renders at the draft's canvas size, {size}."
        return (
            f"Export runs outside the chat: the client submits this draft ({size}, {span}, {len(draft.tracks)} "
            f"tracks) for rendering and hands you the MP4 and the studio link — export costs no credits.{hint} "
            'Nothing was changed.\nYou can say "show tracks" first to check the timeline.'
        )
    if what == "credits":
        if zh:
            return "积分余额由客户端查询（/api/credits/balance/simple）；编辑和生成会消耗积分，导出免费。草稿没有改动。"
        return (
            "Your credit balance is shown by the client (it reads /api/credits/balance/simple); generating and "
            "editing use credits, export is free. Nothing was changed."
        )
    return question(what, lang)


def already(results: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The request matched what the draft already has."""
    zh = lang == "zh"
    r = results[-1] if results else {}
    value = r.get("after")
    if r.get("what") == "music" and r.get("field") == "style":
        calm = r.get("after") == "calm"
        value = _st(value, zh)
        other = (
            ("换成轻快的音乐" if calm else "换成舒缓的音乐")
            if zh
            else ("use upbeat music" if calm else "switch to calm music")
        )
        return (  # what else would change the feel
            f"背景音乐已经是{value}风格了，草稿没有改动。也可以试试“颜色暖一点”或“{other}”。"
            if zh
            else f'The music is already {value}, so nothing changed. You could also try "warmer colours" or "{other}".'
        )
    if value not in (None, ""):
        return (
            f"已经是{_w(value, zh)}了，草稿没有改动。"
            if zh
            else f"It is already {value}, so nothing changed."
        )
    return "已经是这样了，草稿没有改动。" if zh else "That is already the case, so nothing changed."
