"""Brief → scenes: a layout for each piece of content, narration written only from that content.

The order follows how people tell it: an opening (the subject, or the occasion's greeting), the
content in the order the user gave it — their own script word for word, lists as a list board
(prices as a menu), steps as numbered steps, a series of numbers as a chart, a figure as a big
stat, dates and places as a date-and-place card, sentences as headline scenes — then a close:
the call to action, the quoted slogan exactly as written, or the kind of video's own closing.

Opening and closing lines come from ``data/purposes.toml`` and ``data/occasions.toml``; nothing
is said about a subject the prompt did not give. When there is little to say, the scenes say
less and :attr:`Storyboard.notes` tells the reply to ask for key points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from promptreel.agent import hours, offers
from promptreel.agent import lexicon as lx
from promptreel.agent import patterns as pt
from promptreel.agent.brief import Brief, Item, data
from promptreel.agent.fill import fill
from promptreel.agent.kinds import copy_key
from promptreel.agent.naming import labelled_kind, our_name
from promptreel.agent.storyboard import Chart, ScenePlan
from promptreel.agent.weave import (
    aged_greeting,
    day_line,
    heard_before,
    in_order,
    offer_line,
    offer_points,
    other_day,
    place_preposition,
    says_list,
    signed_last,
    trait_lines,
)
from promptreel.agent.wording import (
    echoes,
    headline,
    plural_head,
    sentence,
    spoken_figure,
    spoken_list,
)
from promptreel.generators.align import spoken_words

__all__ = ["scenes_for", "title_for", "notes_for", "headline", "spoken_list"]

_ZH_ORDINAL = "一二三四五六七八九十"
_EN_ORDINAL = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")


def _zh(brief: Brief) -> bool:
    return brief.lang == "zh"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _fields(brief: Brief) -> dict[str, str]:
    zh = _zh(brief)
    name = brief.subject or brief.place or ("我们" if zh else "us")
    if not zh and re.match(
        r"(?:make|brew|cook|bake|build|plant|fix|clean|use|start|write|grow|set up|install|choose|"
        r"save|learn|care for|sort|recycle|prepare|train|pick|read|draw|tie|change)\b",
        name,
    ):
        name = "how to " + name  # "make cold brew" is a how-to
    if brief.owner and brief.subject:  # the maker described itself: "our small design studio", "我们这家…"
        name = f"{brief.owner}{brief.subject}" if zh else f"{brief.owner} {brief.subject}"
    elif (not zh and brief.subject and (
        ((brief.subject[:1].islower() or plural_head(brief.subject))  # "our Pilates classes"
         and re.search(r"\bour\s+" + re.escape(brief.subject), brief.prompt, re.I))
        or labelled_kind(brief.subject, brief.prompt))):  # fmt: skip  # "Hair salon ad:" is our hair salon
        name = our_name(brief.subject, brief.prompt)
    elif not zh and brief.subject and not brief.subject[:1].isupper():  # "a 2-bedroom apartment"
        art = re.search(r"\b(a|an|the)\s+" + re.escape(brief.subject), brief.prompt, re.I)
        name = f"{art.group(1).lower()} {brief.subject}" if art else name  # "Meet a coffee brand."
    greeting = _greeting(brief)
    kind = brief.kind if zh or re.match(r"(?:our|my|their|his|her|the)\s", brief.kind) else (
        f"{'an' if brief.kind[:1] in 'aeiou' else 'a'} {brief.kind}" if brief.kind else "")  # fmt: skip
    at_name = f" at {name}" if brief.subject and brief.subject not in brief.sale else ""
    return {
        "as_kind": (f"，{kind}" if zh else f", {kind}") if kind and brief.purpose != "greeting" else "",
        "sale": brief.sale,
        "Sale": _cap(brief.sale),
        "Opening": _cap(brief.opening),
        "opening": brief.opening,
        "at_name": at_name,
        "name": name,
        "Name": name if zh else _cap(name),
        "place": brief.place,
        "in_place": f" {place_preposition(brief.place, brief.prompt)} {brief.place}"
        if brief.place and brief.place not in name
        else "",
        "wonder": name
        if re.match(r"(?:how|why|what|when|where|who|whether)\b", name, re.I)
        else f"about {name}",
        "in_place_zh": brief.place if brief.place and brief.place not in name else "",
        "greeting": greeting,
        "audience": brief.audience,
    }


def _greeting(brief: Brief) -> str:
    occ = data("occasions").get(brief.occasion) if brief.occasion else None
    lang = "zh" if _zh(brief) else "en"
    if not occ:
        return ("祝福送给你" if lang == "zh" else "Best wishes") if brief.purpose == "greeting" else ""
    g = str(occ[lang].get("named" if brief.recipient else "greeting") or occ[lang]["greeting"])
    g = aged_greeting(brief, g, lang)
    if (
        brief.recipient
        and lang == "en"
        and (brief.recipient_group not in ("customers", "team") or brief.kind or _after_relation(brief))
    ):
        return f"{g}, {brief.recipient}"
    return g


def _after_relation(brief: Brief) -> bool:
    """ "my boss Alan": a name said after its relation is a person's, whatever group the relation is in."""
    relations = "|".join(re.escape(r) for r in lx.RELATIONS)
    return bool(re.search(rf"\b(?:{relations})\s+{re.escape(brief.recipient)}\b", brief.prompt, re.I))


def _copy(brief: Brief, key: str) -> str:
    spec = data("purposes").get(brief.purpose) or data("purposes")["story"]
    lang = spec["zh" if _zh(brief) else "en"]
    template = str(lang.get(copy_key(brief, key, lang), ""))  # an event's, a sale's, a product's…
    text = template.format(**_fields(brief)).strip()
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


def title_for(brief: Brief) -> tuple[str, str]:
    """(title, subtitle) for the title card: the occasion's greeting, else the subject's own name."""
    zh = _zh(brief)
    if brief.purpose == "greeting" and brief.occasion:
        return _greeting(brief), brief.recipient if zh and brief.recipient else ""
    name = brief.subject or brief.slogan or brief.place
    if not name:
        return ("", "")
    if not zh and _fields(brief)["name"].startswith("how to ") and not name.startswith("how to "):
        name = "how to " + name
    small = {"a", "an", "the", "of", "and", "or", "on", "in", "to", "for", "at", "by", "with", "from"}
    words = name.split()
    title = name if zh or any(c.isupper() for c in name) else " ".join(
        w if (k and w in small) else w[:1].upper() + w[1:] for k, w in enumerate(words))  # fmt: skip
    sub = brief.place if brief.place and brief.place not in title else ""
    if brief.purpose == "recruiting":
        sub = " · ".join(x for x in (("招聘" if zh else "We're hiring"), sub) if x)
    elif brief.when:
        sub = " · ".join(x for x in (hours.subtitle(brief.purpose, brief.when[0]), sub) if x)
    return title, sub


def _say(brief: Brief, text: str) -> str:
    return sentence(text, _zh(brief)) if brief.narration and not brief.user_script else ""


def _list_scenes(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    items: tuple[Item, ...] = brief.items
    if not items:
        return []
    names = [i.text for i in items]
    rows = tuple((i.text, i.value) for i in items)
    if brief.list_kind == "menu":
        head = "菜单" if zh else "Menu"
        spoken = ("，".join(f"{i.text}{i.value}" for i in items) if zh else
                  ". ".join(f"{_cap(i.text)}, {i.value}" if i.value else _cap(i.text) for i in items))  # fmt: skip
        return [ScenePlan(_say(brief, spoken), headline(head, zh), tuple(names), layout="list", items=rows,
                          beat="key", min_ms=1500 + 700 * len(items))]  # fmt: skip
    if brief.list_kind == "steps":
        if zh:
            spoken = "，".join(f"第{_ZH_ORDINAL[k]}步，{n}" for k, n in enumerate(names[:10]))
        else:
            spoken = ", then ".join(names)
        head = brief.subject or ("步骤" if zh else "Step by step")
        return [ScenePlan(_say(brief, spoken), headline(head, zh), tuple(names), layout="steps", items=rows,
                          beat="key", min_ms=1200 + 900 * len(items))]  # fmt: skip
    count = brief.count if brief.count == len(items) else 0
    lists = data("purposes")["lists"]["zh" if zh else "en"]
    fields = _fields(brief)
    said = next((p for p in brief.points if all(n.lower() in p.lower() for n in names)), "")
    per_item = brief.purpose in ("lesson", "explainer", "teaser") and len(items) <= 8
    if said:
        spoken = said  # the user's own sentence says these; the board shows them
    elif per_item and not count and brief.purpose == "teaser":
        spoken = ""
    elif count:
        num = _ZH_ORDINAL[count - 1] if zh and count <= 10 else " ".join(spoken_words(str(count)))
        spoken = lists["count"].format(
            unit=brief.count_word or "个",
            count=num,
            noun=brief.noun or brief.subject,
            items=spoken_list(names, zh),
            **fields,
        )
    else:
        spoken = lists.get(f"items_{brief.purpose}", lists["items"]).format(
            items=spoken_list(names, zh), **fields
        )
    head = brief.noun or brief.subject or ("一览" if zh else "At a glance")
    if brief.purpose == "recruiting":
        head = "我们在招" if zh else "We're hiring"
    overview = ScenePlan(_say(brief, spoken) if spoken else "", headline(head, zh), tuple(names), layout="list",
                         items=rows, beat="key", min_ms=1500 + 600 * len(items))  # fmt: skip
    out = [overview]
    if per_item:
        for k, it in enumerate(items):
            if zh:
                line = f"第{_ZH_ORDINAL[k]}，{it.text}。" if k < 10 else f"{it.text}。"
            else:
                line = (
                    f"{_EN_ORDINAL[k]}: {it.text}."
                    if brief.purpose in ("lesson", "explainer") and k < 10
                    else f"{_cap(it.text)}."
                )
            out.append(ScenePlan(_say(brief, line), headline(it.text, zh), (it.text, brief.subject), beat="body",
                                 min_ms=1500))  # fmt: skip
    return out


def _chart_scene(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    figs = brief.figures
    if len(figs) < 2:
        return []
    unit = figs[0].unit if all(f.unit == figs[0].unit for f in figs) else ""
    kind = brief.chart if brief.chart in ("bar", "line", "pie") else "bar"
    chart = Chart(kind, tuple(f.value for f in figs), tuple(f.label for f in figs), unit)
    name = brief.series_name or brief.subject
    first, last = figs[0], figs[-1]
    if zh:
        spoken = f"{name}：{first.label}年{spoken_figure(first, zh)}，{last.label}年{spoken_figure(last, zh)}" if re.fullmatch(
            r"\d{4}", first.label) else f"{name}：" + "，".join(f"{f.label}{spoken_figure(f, zh)}" for f in figs)  # fmt: skip
    else:
        spoken = f"{_cap(name)}: from {spoken_figure(first, zh)} in {first.label} to {spoken_figure(last, zh)} in {last.label}"
    return [ScenePlan(_say(brief, spoken), headline(_cap(name) if not zh else name, zh), ("chart", name), chart=chart,
                      layout="chart", beat="key", min_ms=3500)]  # fmt: skip


def _stat_scenes(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    out = []
    for st in brief.stats:
        m = re.search(r"[$€£¥￥]?\d[\d,]*(?:\.\d+)?\s*(?:%|％|percent|x|[kKmMbB]\b|万|亿|倍)?", st)
        if not m:
            continue
        value, label = offers.stat_parts(st, m)
        head = offers.stat_headline(brief.subject, st, zh) if label else st  # the label says the stat
        out.append(ScenePlan(_say(brief, st), headline(head, zh), (label or st,), layout="stat", value=value,
                             label=_cap(label) if not zh else label, beat="key", min_ms=2500))  # fmt: skip
    return out


def _place_scene(brief: Brief, before: Sequence[ScenePlan] = ()) -> list[ScenePlan]:
    """The date-and-place card. A date or address a line of its own already says ("Available
    March 1") is not said again, and a card that would only repeat such lines is left out."""
    zh = _zh(brief)
    heard = heard_before(brief, before)
    if brief.purpose == "greeting" and not brief.address and (day := day_line(brief, heard)):
        return [ScenePlan(_say(brief, day), headline(day, zh), ("calendar",), beat="key", min_ms=2000)]
    if not brief.when and not brief.address:
        return []
    said = _date_points(brief)
    when = [w for w in brief.when[:3] if w.lower() not in heard]
    known = f"{heard} {brief.subject.lower()}"  # "hiring cooks at Bella Trattoria": the subject is no address
    address = brief.address if brief.address and brief.address.lower() not in known else ""
    if not said and not when and not address:
        return []
    rows = tuple((w, "") for w in (*brief.when[:3], brief.address) if w)
    if zh:
        when = (
            ["".join(when[:2])]
            if len(when) > 1 and re.match(r"上午|下午|晚上|早上|中午|\d", when[1])
            else when
        )
        spoken = "，".join(x for x in (f"{hours.time_label_zh(brief.purpose, when[0])}：{when[0]}" if when else "",
                                      f"地点：{address}" if address else "") if x)  # fmt: skip
        if said:  # "launch next Friday": the user's own line is said over the card that shows its date
            spoken = "；".join(x for x in (*said, f"地点：{address}" if address else "") if x)
    else:
        where = f"{'in' if pt.ROOM_EN.match('in ' + address) else 'at'} {address}" if address else ""
        head = _cap(brief.subject) if brief.subject else "Join us"
        spoken = hours.place_line_en(brief.purpose, head, when, where)
        if said:
            spoken = ". ".join(_cap(p) for p in said) + (f", {where}" if where else "")
    head = brief.subject or ("时间地点" if zh else "When and where")
    return [ScenePlan(_say(brief, spoken), headline(head, zh), ("calendar", head), layout="place", items=rows,
                      beat="key", min_ms=3000)]  # fmt: skip


def _date_points(brief: Brief) -> list[str]:
    """The user's lines that give a date without a place (said by the date card, not on their own)."""
    if brief.address or not brief.narration or brief.user_script or brief.purpose == "greeting":
        return []  # a greeting says its day in its own lines
    return [p for p in brief.points if any(w in p for w in brief.when) and not says_list(brief, p)]


def _compare_scene(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    if len(brief.compare) != 2:
        return []
    a, b = brief.compare
    if zh:
        spoken = "；".join(f"{x.text}{x.value}" if x.value else x.text for x in (a, b))
    else:
        spoken = ". ".join(f"{x.text}: {x.value}" if x.value else x.text for x in (a, b))
    spoken = spoken if a.value or b.value else ""  # two names alone: the card shows them
    head = brief.subject or ("对比" if zh else f"{a.text} vs {b.text}")
    return [ScenePlan(_say(brief, spoken), headline(head, zh), (b.value or b.text,), layout="compare",
                      items=((a.text, a.value), (b.text, b.value)), beat="key", min_ms=3500)]  # fmt: skip


def _countdown_scene(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    if not brief.countdown:
        return []
    said = next((p for p in brief.points if brief.countdown.split()[0] in p), "")
    label = brief.subject or ("倒计时" if zh else "Countdown")
    return [ScenePlan(_say(brief, said) if said else "", headline(label, zh), ("countdown", "calendar"),
                      layout="countdown", value=brief.countdown, label=label, beat="key", min_ms=2500)]  # fmt: skip


def _point_scenes(brief: Brief, covered: set[str]) -> list[ScenePlan]:
    zh = _zh(brief)
    out = []
    for p in brief.points:
        if p in covered:
            continue
        out.append(ScenePlan(_say(brief, p), headline(p, zh), (headline(p, zh),), beat="key", min_ms=2000))
    return out


def _script_scenes(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    parts = re.findall(r"[^。！？!?]+[。！？!?]?", brief.user_script) if zh else re.findall(
        r".+?(?:[.!?]+(?=\s|$)|$)", brief.user_script)  # fmt: skip
    sentences = [s.strip() for s in parts if s.strip()]
    out = []
    for k, s in enumerate(sentences):
        out.append(ScenePlan(sentence(s, zh), headline(s, zh), (headline(s, zh),),
                             beat="hook" if k == 0 else "key", min_ms=1500))  # fmt: skip
    return out


def _greeting_scenes(brief: Brief) -> list[ScenePlan]:
    zh = _zh(brief)
    lang = "zh" if zh else "en"
    occ = data("occasions").get(brief.occasion)
    greeting = _greeting(brief)
    imagery = tuple(
        dict.fromkeys((*brief.imagery, *(occ["imagery"] if occ else ("sparkles", "wrapped gift"))))
    )
    label = brief.recipient if zh and brief.recipient else ""
    first_line = f"{greeting}！" if zh else f"{greeting}!"
    if zh and brief.recipient:
        first_line = (
            f"{brief.recipient}，{greeting}！"
            if brief.recipient_group != "customers"
            else f"亲爱的{brief.recipient}，{greeting}！"
        )
    out = [ScenePlan(_say(brief, first_line), greeting, imagery[:1], layout="greeting", label=label,
                     imagery=imagery, beat="hook", min_ms=2500)]  # fmt: skip
    lines = list(occ[lang]["lines"]) if occ else []
    group = data("occasions")["recipients"].get(brief.recipient_group)
    if group:
        lines.insert(1, str(group[lang]["line"]))
    lines = [
        x for x in lines if not echoes(x, brief.quotes) and not other_day(x, brief)
    ]  # said in the user's words
    about, loves = trait_lines(brief, _fields(brief)["name"])
    lines = lines[:1] + about + lines[1:] + loves
    for k, line in enumerate(lines):
        img = imagery[(k + 1) % len(imagery)]
        own = line in about or line in loves  # what the prompt says of them is never dropped
        out.append(ScenePlan(_say(brief, line), headline(line, zh), (img,), beat="key" if own or not k else "body",
                             min_ms=2000))  # fmt: skip
    if brief.sender:  # signed, as a card is
        sign = f"{brief.sender}敬上。" if zh else f"With warm wishes from {brief.sender}."
        out.append(ScenePlan(_say(brief, sign), brief.sender, imagery[-1:], layout="quote", quote=greeting,
                             by=brief.sender, beat="key", min_ms=2000))  # fmt: skip
    return out


def _close(brief: Brief, has_cta: bool) -> list[ScenePlan]:
    zh = _zh(brief)
    out = []
    if brief.actions:
        action = next((a for a in brief.actions if len(a.split()) > 1 or zh), brief.actions[0])
        url = next((a for a in brief.actions if " " not in a and "." in a), "")
        pill = url or action
        out.append(ScenePlan(_say(brief, action), headline(_copy(brief, "close_headline") or brief.subject or pill, zh), ("call to action",),
                             layout="cta", items=((pill, ""),), beat="cta", min_ms=2500))  # fmt: skip
    if brief.slogan and brief.slogan not in brief.user_script:
        out.append(ScenePlan(_say(brief, brief.slogan), brief.slogan, (brief.slogan,), layout="quote",
                             quote=brief.slogan, by=brief.subject if brief.subject != brief.slogan else "",
                             beat="cta", min_ms=2500))  # fmt: skip
    for q in brief.quotes:  # a quoted name ('our café "Crumbs"') names the video; it is no quote card
        if q != brief.slogan and q not in brief.user_script and q not in (brief.subject, brief.sender):
            out.insert(
                0, ScenePlan(_say(brief, q), q, (q,), layout="quote", quote=q, beat="key", min_ms=2500)
            )
    named = bool(brief.subject or brief.place)
    offer = offer_line(brief)
    if offer:  # "Tidy: free for the first 3 months." — the offer is the call to action
        name = _fields(brief)["name"] if zh else _cap(_fields(brief)["name"])
        said = (f"{name}，{offer}" if zh else f"{name}: {offer}") if named else offer
        out.insert(0, ScenePlan(_say(brief, said), headline(_copy(brief, "close_headline") or offer, zh), ("call to action",),
                                layout="cta", items=((offer, ""),), beat="cta", min_ms=2500))  # fmt: skip
    close = _copy(brief, "close" if named else "close_unnamed")  # a job ad may close on "加入我们"
    if not out and not has_cta and brief.purpose != "greeting" and not brief.user_script and close:
        out.append(ScenePlan(_say(brief, close), headline(_copy(brief, "close_headline"), zh),
                             (brief.subject,), beat="cta", min_ms=2000))  # fmt: skip
    return out


def scenes_for(brief: Brief) -> list[ScenePlan]:
    """Every scene of the video, in order, each with its layout and its narration (may be "")."""
    zh = _zh(brief)
    scenes: list[ScenePlan] = []
    if brief.purpose == "greeting":
        scenes += _greeting_scenes(brief)
    elif brief.user_script:
        scenes += _script_scenes(brief)
    elif brief.list_kind == "menu" and brief.purpose == "menu":
        pass  # a menu screen opens on the board itself
    elif brief.subject or brief.place:
        hook = _copy(brief, "hook")
        scenes.append(ScenePlan(_say(brief, hook), headline(_copy(brief, "hook_headline"), zh),
                                (brief.subject, brief.place), beat="hook", min_ms=2000))  # fmt: skip
    listed = _list_scenes(brief)
    names = [i.text.lower() for i in brief.items]
    said = {p for p in brief.points if names and all(n in p.lower() for n in names)}
    # content in the order people expect: what it is, the list, numbers, where and when
    countdown = _countdown_scene(brief)
    if countdown and countdown[0].text:
        said |= {p for p in brief.points if brief.countdown.split()[0] in p}
    said |= set(_date_points(brief))
    said |= set(offer_points(brief))
    body = _point_scenes(brief, said) + listed + _compare_scene(brief)
    body += _chart_scene(brief) + _stat_scenes(brief) + countdown
    body = in_order(brief, body, _place_scene(brief, [*scenes, *body]))  # said where the user said it
    scenes = signed_last(brief, [*scenes, *body])  # a card is signed at its end
    scenes += _close(brief, has_cta=False)
    return fill(brief, _trim_time(brief, scenes), _fields(brief))


def _trim_time(brief: Brief, scenes: list[ScenePlan]) -> list[ScenePlan]:
    """Too much to say for the length: drop the optional scenes (body beats), last first."""
    zh = _zh(brief)
    while _spoken_ms(scenes, zh) > brief.target_ms * 85 // 100:
        bodies = [k for k, s in enumerate(scenes) if s.beat == "body"]
        if not bodies:
            break
        del scenes[bodies[-1]]
    return scenes


def _spoken_ms(scenes: Sequence[ScenePlan], zh: bool) -> int:
    units = sum(lx.count_cjk(s.text) if zh else len(s.text.split()) for s in scenes)
    return int(units * 1000 / (4.5 if zh else 2.7)) + 700 * len(scenes)


def notes_for(brief: Brief, scenes: Sequence[ScenePlan]) -> tuple[str, ...]:
    """What the reply should tell the user: what could not be made from the prompt alone."""
    zh = _zh(brief)
    notes = []
    content = brief.items or brief.points or brief.figures or brief.stats or brief.user_script or brief.quotes
    if not content and brief.purpose != "greeting":
        what = brief.subject or ("这个主题" if zh else "this topic")
        notes.append(
            f"关于{what}，我只用了你给出的内容。发给我要点或完整脚本，我会据此重写旁白"
            "（也可以设置 PROMPTREEL_LLM_BASE_URL 接入大模型来撰写）。"
            if zh
            else f"I only said what your prompt gives about {what}. Send me the key points or your script and "
            "I'll write the narration from them (or set PROMPTREEL_LLM_BASE_URL to let a language model write it)."
        )
    if brief.chart and len(brief.figures) < 2:
        notes.append("你想要图表，但没有给出数字；告诉我数据（例如“2022年120，2023年180”），我来加上。" if zh else
                     "You asked for a chart but gave no numbers; tell me the figures (e.g. \"2022 120, 2023 180\") "
                     "and I'll add it.")  # fmt: skip
    if (
        re.search(r"\bfrom my script\b|\bmy script\b|我的(?:脚本|文案)", brief.prompt, re.I)
        and not brief.user_script
    ):
        notes.append(
            "把你的脚本贴给我，我会逐字使用。" if zh else "Paste your script and I'll use it word for word."
        )
    del scenes
    return tuple(notes)
