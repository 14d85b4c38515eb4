"""The content of a prompt, read once its instructions are gone: the subject and place it names,
and each clause sorted into what it is — a menu (things with prices), a figure series, a stat, a
list or steps, a call to action, a date and place, a comparison, a countdown, or a line of the
user's own to say as written.
"""

from __future__ import annotations

import re
from typing import Any

from promptreel.agent import clauses as cl
from promptreel.agent import lexicon as lx
from promptreel.agent import patterns as pt
from promptreel.agent.clauses import Figure, Item, directive
from promptreel.agent.counts import Counted, count_the_list
from promptreel.agent.hours import time_with_days
from promptreel.agent.kinds import is_step, keeps_verbs, notice_news
from promptreel.agent.offers import OFFER_PRICE, price_of

__all__ = ["Item", "Figure", "read_content", "directive"]


class ContentReader:
    """Reads the instruction-free text (quotes still as ⟦n⟧ holes) into the brief's content fields."""

    def __init__(
        self, work: str, quotes: list[str], *, zh: bool, purpose: str, chart: str, steps: bool
    ) -> None:
        work = re.sub(r"\s*(?:->|=>|→)\s*", ": ", work)
        work = re.sub(r"\s+[—–-]{1,2}\s+|——", "; " if not zh else "；", work)
        self.quotes, self.zh, self.purpose, self.chart, self.steps = quotes, zh, purpose, chart, steps
        self.sentences = pt.split_sentences(work)
        self.full = pt.fill(" ".join(self.sentences), quotes)
        self.out: dict[str, Any] = {}
        self.items: list[cl.Item] = []
        self.points: list[str] = []
        self.stats: list[str] = []
        self.actions: list[str] = []
        self.figures: list[cl.Figure] = []
        self.when: list[str] = []
        self.address = ""
        self.list_kind = "menu" if purpose == "menu" else ""

    def read(self) -> dict[str, Any]:
        rest = self._frame()
        self._time_and_place()
        rest = self._series(rest)
        for raw in self._menu_runs(rest):
            self._clause(raw)
        self._count_of_list()
        self._list_kind()
        self._drop_bare_dates()
        self._compare()
        self._countdown()
        self._name_fallback()
        self._shares_as_chart()
        self.out.update(
            items=tuple(self.items[:12]), list_kind=self.list_kind if self.items else "",
            points=tuple(self.points), stats=tuple(self.stats), actions=tuple(dict.fromkeys(self.actions)),
            figures=tuple(self.figures[:12]), when=tuple(dict.fromkeys(self.when)), address=self.address,
        )  # fmt: skip
        return self.out

    # ── the request's frame: subject, place, a count ──────────────────────────────────────────

    def _frame(self) -> list[str]:
        """Subject, place and count from the first clause; the clauses left to read."""
        zh, quotes = self.zh, self.quotes
        head = self.sentences[0] if self.sentences else ""
        first = re.split(r"(?:(?<!\d):(?!\d)|：)", head)[0]
        tail = ""
        colon = re.search(r"(?:(?<!\d):(?!\d)|：)", head)
        if colon:
            head, tail = head[: colon.start()], head[colon.end() :]
            if cl.is_label(cl.directive(pt.tidy(head), zh, quotes), zh):  # "新品发布：智能手表X3…"
                self.sentences[0] = tail
                head, tail, colon = tail, "", None
        if cl.directive(pt.tidy(head), zh, quotes) != pt.tidy(head):
            head = cl.directive(pt.tidy(head), zh, quotes)
        parts = [p for p in re.split(r"\s*[,，]\s*", pt.tidy(head)) if p.strip()]
        if len(parts) > 1:  # the part that names the subject is the head; the others are content
            k = 0 if zh else next((i for i, p in enumerate(parts) if cl.SUBJECT_CUE.search(p)), 0)
            if not zh and k == 0 and pt.size(pt.strip_articles(parts[0]), zh) == 0:
                k = 1
            head = parts[k]
            sep = "，" if zh else ", "
            others = [p for p in parts[:k] + parts[k + 1 :] if pt.size(pt.strip_articles(p), zh)]
            tail = sep.join(others) + (sep + tail if tail else "")
            with_ = None if zh or k or not others else re.search(r"\s+(?:with|featuring)\s+(\S.*)$", head)
            if with_:  # "Summer fair on June 14 with rides, food stalls": the list starts in the head
                head, tail = head[: with_.start()], with_.group(1) + sep + tail
        if (
            not zh
            and re.match(r"\s*(?:we|i|they|it|there|you|here)\b", head, re.I)
            and not cl.SUBJECT_CUE.search(head)
            and pt.size(head, zh) >= 3
        ):  # "We just hit 1 million downloads" is content, not the request's frame
            tail, head = head + ("," + tail if tail else ""), ""
        news = (
            cl.news(pt.tidy(head), zh) if self.purpose in ("announcement", "update", "story", "ad") else None
        )
        if not news and not zh and self.purpose == "announcement":  # a notice's statement is its news
            news = notice_news(pt.tidy(head))
        if news and not zh:  # "that the library will be closed …": the news is said, the library named
            tail, head = news[1] + ("," + tail if tail else ""), ""
        if zh:
            clauses = re.split(r"[，,：:；;]", " ".join(self.sentences))
            subject, place = cl.subject_zh(
                "，".join(c for c in (cl.directive(pt.tidy(x), zh, quotes) for x in clauses) if c)
            )
            if news and (not subject or news[0] in subject or subject in news[1]):
                subject, place = news[0], ""  # "图书馆将于5月1日闭馆": the library, and its news
                tail = news[1] + ("，" + tail if tail else "")
        else:
            subject, place = cl.subject_en(head) if head else (news[0] if news else "", "")
        named = pt.HOLE.search(head)
        if named and pt.size(quotes[int(named.group(1))], zh) <= 5:
            subject = quotes[int(named.group(1))]  # 'our bakery "Crumbs"' → the name is the subject
        subject = pt.fill(subject, quotes)
        cm, zcm = cl.COUNT_EN.match(subject), (cl.COUNT_ZH.search(first) if zh else None)
        if cm:
            n = int(cm.group(1)) if cm.group(1).isdigit() else (lx.word_number(cm.group(1).lower()) or 0)
            self.out.update(count=n, noun=cm.group(2))
        elif zcm:
            n, word = cl.zh_count(zcm)
            self.out.update(count=n, noun=subject, count_word=word)
        if (
            not subject and colon
        ):  # "Lesson: the 3 primary colors — red, yellow, blue" — its first line names it
            line = next((c for c in re.split(r"[，,：:;；]", tail) if c.strip() and "、" not in c), "")
            lead = (
                pt.strip_articles(cl.directive(pt.tidy(pt.fill(line, quotes)), zh, quotes))
                if not zh
                else cl.directive(pt.tidy(line), zh, quotes)
            )
            if (
                2 <= pt.size(lead, zh) <= (12 if zh else 6)
                and not lead.startswith(pt.IMG)
                and not cl.FIGURE.search(lead)
                and not re.match(r"\d", lead)  # "200人参与" is a figure said, never the video's name
            ):
                subject, tail = lead, tail.replace(line, " ", 1)
                zc, ec = (cl.COUNT_ZH.search(subject), None) if zh else (None, cl.COUNT_EN.match(subject))
                if zc and not self.out.get("count"):
                    n, word = cl.zh_count(zc)
                    self.out.update(count=n, count_word=word)
                if ec and not self.out.get("count"):
                    n = (
                        int(ec.group(1))
                        if ec.group(1).isdigit()
                        else (lx.word_number(ec.group(1).lower()) or 0)
                    )
                    self.out.update(count=n, noun=ec.group(2))
                if zh and self.out.get("count"):
                    self.out["noun"] = subject
        self.out.update(subject=subject, place=pt.fill(place, quotes))
        rest = ([tail] if tail.strip(" ,，") else []) + self.sentences[1:]
        if zh:  # Chinese runs clauses together with commas: each is read on its own
            return [c for s in rest for c in re.split(r"[，,]|(?:(?<!\d):(?!\d)|：)", s) if c.strip()]
        return [c for s in rest for c in cl.en_clauses(s)]

    # ── content found anywhere: dates, places, a figure series, a menu written across clauses ──

    def _time_and_place(self) -> None:
        zh, full = self.zh, self.full
        self.when = [pt.tidy(m.group(0)) for m in (pt.DATE_ZH if zh else pt.DATE_EN).finditer(full)]
        if not self.when and not zh:
            self.when = [time_with_days(m, full) for m in pt.TIME_EN.finditer(full) if self._is_when(m, full)]
        am = (pt.ADDRESS_ZH if zh else pt.ADDRESS_EN).search(full)
        self.address = pt.tidy(am.group(1)) if am else ""
        room = None if zh else pt.ROOM_EN.search(full)
        if room:  # "in Room 401, Building B": the room is where, with the building's address if any
            self.address = ", ".join(x for x in (pt.tidy(room.group(1)), self.address) if x)
        street = None if zh or self.address else pt.STREET_FIRST.search(full)
        if street:
            self.address = pt.tidy(street.group(1))
        venues = (
            ()
            if zh
            else re.finditer(
                r"\bat\s+((?:the\s+(?=[A-Z]))?(?:[A-Z0-9][\w&'.-]*)(?:\s+(?:[A-Z0-9&][\w&'.-]*|de|da|do|la|le|of))*"
                r"(?:,\s+[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*)*(?=\s*(?:[.;!]|$)))?)",  # "the Garden Room, Hotel Belvedere"
                full,
            )
        )  # "at 2pm" is when: the first "at" that names a place is where
        venue = next((v for v in venues if not re.fullmatch(r"\d+(?:am|pm)?", v.group(1), re.I)), None)
        if venue and venue.group(1) not in self.address:
            self.address = f"{venue.group(1)}, {self.address}" if self.address else venue.group(1)

    def _is_when(self, m: re.Match[str], full: str) -> bool:
        """Whether a clock time is when something happens (any time in a video about an event;
        elsewhere opening hours: "open daily 7am to 7pm", "5pm-7pm"), not a detail of what is
        offered ("sourdough baked at 5am")."""
        if pt.data("purposes").get(self.purpose, {}).get("clock_time_is_when"):
            return True
        clause = re.split(r"[,;.!?:]", full[: m.start()])[-1]
        return bool(re.search(r"-|–|\bto\b", m.group(0)) or pt.patterns("times", "hours")[0].search(clause))

    def _series(self, rest: list[str]) -> list[str]:
        """A series of figures ("visitors: 2019 4.5M, 2022 3.9M") and its name, out of the clauses."""
        body = pt.fill(" , ".join(rest), self.quotes)
        for span in (*self.when, self.address):
            body = body.replace(span, " ") if span else body
        self.figures = cl.series(body)
        if not self.figures:
            return rest
        infix = next((m.group("infix") for m in pt.SERIES.finditer(body) if m.group("infix")), "")
        if infix:  # "2022年营收1.2亿，2023年1.8亿": the series is named inside its first figure
            self.out["series_name"] = infix
        named = (
            re.search(r"的([\u4e00-\u9fffA-Za-z]{1,6})\s*[：:]", self.full) if self.zh and not infix else None
        )
        if named:  # "我们App的月活：1月5万，…": what the figures measure
            self.out["series_name"] = named.group(1)
        first = body.find(self.figures[0].text)
        pieces = [x for x in re.split(r"[,，;；:：]", body[:first]) if x.strip()]
        lead = pieces[-1] if pieces else ""
        name = pt.strip_articles(pt.tidy(re.sub(r"(?:19|20)\d\d年?$", "", lead)))
        if name and pt.size(name, self.zh) <= (8 if self.zh else 5) and not infix:
            self.out["series_name"] = name  # the name is the chart's, not a line of its own
            body = body[: body.rfind(lead, 0, first)] + " , " + body[first:]
        for f in self.figures:
            body = body.replace(f.text, " ")
        return re.split(r"\s*,\s*,\s*", body)

    def _menu_runs(self, rest: list[str]) -> list[str]:
        """ "拿铁¥22，美式¥18": one price per clause, read together as a menu."""
        priced = [
            c for c in rest if len(pt.PRICE.findall(c)) == 1 and pt.size(c, self.zh) <= (12 if self.zh else 6)
        ]
        if len(priced) < 2:
            return rest
        return [c for c in rest if c not in priced] + ["，".join(priced) if self.zh else ", ".join(priced)]

    # ── one clause ─────────────────────────────────────────────────────────────────────────

    def _clause(self, raw: str) -> None:
        zh, sep = self.zh, "，" if self.zh else ", "
        # a quoted line is shown as its own quote card; inside a clause only a short name stays
        raw = pt.HOLE.sub(
            lambda m: m.group(0) if pt.size(self.quotes[int(m.group(1))], zh) <= 3 else " ", raw
        )
        pieces = [
            pt.fill(x, self.quotes) for x in re.split(r"\s*[,，]\s*", pt.tidy(raw))
        ]  # quotes stay whole
        steps = not zh and keeps_verbs(pieces)  # "brush teeth, add toothpaste": a step, no ask of the maker
        kept = [x if steps and is_step(x) else cl.directive(pt.tidy(x), zh, self.quotes) for x in pieces]
        for x in kept:
            if x.startswith(pt.IMG):
                self.out["imagery"] = (*self.out.get("imagery", ()), *cl.split_items(x[1:], zh))
        spans = [x for x in (*self.when, *self.address.split(", ")) if x]
        kept = [x for x in kept if not (spans and cl.only_time_and_place(x, spans, zh))]
        per = [x for x in kept if len(kept) >= 3 and _PER_EACH.fullmatch(x)]
        if per:  # "latte, cappuccino, mocha, $4.50 each": the price is of every one, no item of its own
            self.points.append(per[0])
            kept = [x for x in kept if x not in per]
        clause = sep.join(x for x in kept if x and not x.startswith(pt.IMG))
        if not clause or clause in self.quotes or pt.LABEL_ONLY.fullmatch(clause):
            return
        if pt.size(clause, zh) <= (4 if zh else 2) and re.search(re.escape(clause) + r"\s*[:：]", self.full):
            return  # "招牌：杨枝甘露、…" — a label introducing the list that follows
        if any(clause in w for w in self.when) or (self.address and clause in self.address):
            return
        urls = pt.URL.findall(clause)
        asked = [  # "donate at shelternow.org": the ask with its link is the call to action, said whole
            x
            for x in re.split(r"\s*[,，;；]\s*", clause)
            if pt.URL.search(x) and re.match(r"[a-z]+\s", x) and len(x.split()) <= 6
        ]
        self.actions.extend([*asked, *urls])
        clause = (
            sep.join(x for x in re.split(r"\s*[,，;；]\s*", clause) if x not in asked) if asked else clause
        )
        leftover = pt.URL.sub(" ", clause)
        for q in self.quotes:
            leftover = leftover.replace(q, " ")
        if urls and pt.size(leftover, zh) <= 1:
            return  # a link (and a quoted line shown on its own card): nothing more to say
        parts = cl.split_items(clause, zh, self.quotes)
        if pt.ACTION.search(clause) and not (
            len(parts) >= 3 and all(pt.size(p, zh) <= (6 if zh else 3) for p in parts)
        ):
            self.actions.append(clause)
            return
        acts = [p for p in parts if pt.ACTION.search(p)]
        if (
            (self.steps or keeps_verbs(parts))
            and len(parts) >= 3
            and all(pt.size(p, zh) <= (8 if zh else 5) for p in parts)
        ):
            acts = []  # a list of things to do: "打开设置、点击指纹、录入手指" asks nothing of the viewer  # "open settings, choose security, scan the code": a how-to's last step, no ask
        if acts and len(parts) >= 2:  # "Pay from €42,000, free parking, apply at …/careers"
            self.actions.extend(acts)
            clause = sep.join(p for p in parts if p not in acts)
        if self._menu(clause) or self._stat(clause) or self._list(clause):
            return
        if pt.size(clause, zh) > (1 if zh else 0):
            self.points.append(clause)

    def _menu(self, clause: str) -> bool:
        menu = self.purpose == "menu"
        parts = re.split(r"\s*[,;，；、]\s*", clause)
        priced = sum(1 for x in parts if pt.PRICE.search(x))
        bare = len(re.findall(r"\s\d+(?:\.\d{1,2})?(?=\s*(?:,|$))", clause))
        if not ((pt.PRICE.search(clause) and (priced >= 2 or menu)) or (menu and bare >= 2)):
            return False
        for part in parts:
            pm = price_of(part) or (re.search(r"(?<=\s)\d+(?:\.\d{1,2})?$", part) if menu else None)
            name = pt.tidy(
                OFFER_PRICE.sub("", part) if pt.PRICE.search(part) else part[: pm.start()] if pm else part
            )
            if name:
                self.items.append(
                    cl.Item(text=pt.strip_articles(name), value=pm.group(0).strip() if pm else "")
                )
        self.list_kind = "menu"
        return True

    def _stat(self, clause: str) -> bool:
        if not (
            pt.STAT.search(clause) and (pt.DIRECTION.search(clause) or re.search(r"%|％|percent", clause))
        ):
            return False
        whole = pt.DIRECTION.search(clause) and "," not in clause
        for part in [clause] if whole else cl.split_items(clause, self.zh):
            (self.stats if _figure(part) else self.points).append(part)
        return True

    def _list(self, clause: str) -> bool:
        zh = self.zh
        parts = cl.split_items(clause, zh)
        if zh and re.match(r"(?:要求|熟悉|掌握|具备|需要|精通|负责|擅长|懂得?|会用)", clause):
            return False  # "要求熟悉Vue和React" asks for one thing: it is said, not listed
        if zh and len(parts) == 2 and _GIVES_ZH.match(parts[1]) and not _GIVES_ZH.match(parts[0]):
            return False  # "会员再送书签": who gets it, then the verb that gives it — one offer, no list
        listed = cl.object_items(clause, zh)
        if len(parts) >= 2 and listed and listed[0] != parts[0]:
            self.points.append(clause)  # a sentence that lists things: said as written, shown as a list
            self.items.extend(cl.Item(text=p) for p in listed)
            return True
        if len(parts) >= 2 and all(pt.size(p, zh) <= (10 if zh else 5) for p in parts):
            context = f"{self.out.get('subject', '')} {self.out.get('noun', '')}"
            self.items.extend(cl.Item(text=pt.strip_articles(p)) for p in cl.share_head(parts, zh, context))
            return True
        return False

    # ── what spans clauses ───────────────────────────────────────────────────────────────────

    def _count_of_list(self) -> None:
        """A count that sums up the list names it (see :mod:`promptreel.agent.counts`)."""
        read = count_the_list(self.full, Counted(self.items, self.points, self.stats), zh=self.zh)
        self.items, self.points, self.stats = read.items, read.points, read.stats
        found = read.found
        if found and (not self.out.get("count") or self.out["count"] == found[1]):
            _, n, word, noun = found
            self.out.update(count=n, noun=noun, count_word=word)
        if found and self.zh:
            self._said_as_written(found[3])

    def _said_as_written(self, phrase: str) -> None:
        """The user's own words for the list and its count are said over it ("韭菜鸡蛋、猪肉白菜、
        三鲜三种口味"): the count already names what is counted, a line built around it would
        say it twice."""
        names = [i.text for i in self.items]
        for sentence in re.split(r"[。！？!?；;\n]", self.full):
            spans = [(sentence.find(x), x) for x in (*names, phrase)]
            if any(at < 0 for at, _ in spans):
                continue
            start, end = min(at for at, _ in spans), max(at + len(x) for at, x in spans)
            line = sentence[start:end].strip(" ，,、")
            if line and line not in self.points:
                self.points.append(line)
            return

    def _list_kind(self) -> None:
        if self.list_kind or not self.items:
            return
        steps = self.steps or bool(cl.STEPS.search(self.full))
        if steps or all(is_step(i.text) for i in self.items if i.text.split()):
            self.list_kind = "steps"
        else:
            self.list_kind = "items"

    def _drop_bare_dates(self) -> None:
        """A sentence that only gives the time and place is said by the date-and-place card."""
        spans = [x for x in (*self.when, self.address) if x]
        if not spans:
            return
        gone = "|".join(re.escape(x) for x in spans)

        def bare(p: str) -> bool:
            rest = re.sub(gone, " ", p)
            if rest == p:
                return False
            if self.zh:
                return not lx.has_cjk(re.sub(r"(?:我们|在|于|每|周|的|地址|时间|地点)", "", rest))
            words = [w for w in re.findall(r"[a-z']+", rest.lower()) if w not in lx.STOPWORDS]
            return all(w in ("we're", "were", "open", "every", "daily", "find", "us", "join") for w in words)

        self.points = [p for p in self.points if not bare(p)]

    def _compare(self) -> None:
        for pat in pt.COMPARE:
            m = pat.search(self.full)
            if not m:
                continue
            gd = m.groupdict()
            a, b, x, y = gd["a"], gd["b"], gd.get("x") or "", gd.get("y") or ""
            if not x and not y:  # "A vs B": the two names are the sides
                a, b = pt.strip_articles(a.split(",")[-1].strip()), pt.strip_articles(b.strip())
            side = (lambda t: t) if self.zh else (lambda t: t if t[1:2].isupper() else pt.cap(t))  # "iPhone"
            self.out["compare"] = (
                cl.Item(text=side(a), value=pt.tidy(x)),
                cl.Item(text=side(b), value=pt.tidy(y)),
            )
            if "compar" in pat.pattern or "对比" in pat.pattern:
                self.out["subject"] = f"{a}和{b}" if self.zh else f"{a} vs {b}"  # what is compared names it
            if x or y:  # the sides replace the clauses they were read from
                gone = {g for g in (pt.tidy(x), pt.tidy(y)) if g}
                whole = f"{a}{x} {b}{y}"  # "A款吸力4000Pa，续航150分钟": its pieces are the side's too
                self.points = [p for p in self.points if not any(g in p for g in gone) and p not in whole]
                if all(any(i.text in g or g in i.text for g in gone) or re.match(r"(?i)before|after", i.text)
                       for i in self.items):  # fmt: skip
                    self.items = []
            return

    def _countdown(self) -> None:
        cm = pt.COUNTDOWN.search(self.full)
        if cm:
            self.out["countdown"] = (
                f"{cm.group(3)}{cm.group(4)}" if self.zh else pt.tidy(cm.group(0).replace("in ", "", 1))
            )

    def _name_fallback(self) -> None:
        """No subject (or only "display"): the first proper name in the content names the video."""
        subject = self.out.get("subject", "")
        if (
            subject
            and not pt.GENERIC.match(subject)
            and (self.zh or len(subject.split()) <= 6 or is_step(subject))
        ):
            return
        found = (
            []
            if self.zh
            else [n.strip() for n in pt.NAME.findall(" ".join([*self.points, *self.stats, self.full]))]
        )
        names = [n for n in found if n.lower() not in lx.STOPWORDS and not re.fullmatch(r"(?:I|We|Our|The|A)", n)
                 and not re.match(r"(?:I|We|You|They|It|He|She)['’][a-z]+\b", n)  # "We're launching"
                 and not pt.DAYS.fullmatch(n)]  # fmt: skip
        self.out["subject"] = names[0] if names else ("" if pt.GENERIC.match(subject or "x") else subject)

    def _shares_as_chart(self) -> None:
        """A chart asked for with shares but no series: "华东占45%，华南占30%" is the series."""
        if not self.chart or self.figures or len(self.stats) < 2:
            return
        figs = []
        for st in self.stats:
            m = re.search(r"(\d+(?:\.\d+)?)\s*(%|％|percent)", st)
            if m:
                label = pt.tidy(re.sub(r"(?:占|是|为|达|is|are|at|of)?\s*$", "", st[: m.start()].strip()))
                figs.append(cl.Figure(label=label or st, value=float(m.group(1)), unit="%", text=st))
        if len(figs) >= 2:
            self.figures = figs
            if self.chart == "any" and abs(sum(f.value for f in figs) - 100) <= 2:
                self.out["chart"] = "pie"
            self.stats = [st for st in self.stats if not any(f.text == st for f in figs)]


#: a price said of each of the things listed before it ("$4.50 each", "每杯18元", "一律9.9元")
_PER_EACH = re.compile(
    r"(?:(?:all|only|just)\s+)?"
    + pt.PRICE.pattern
    + r"\s+(?:each|apiece|a\s+(?:cup|piece|glass|slice|box)|per\s+\w+)|"
    r"(?:每[杯份个件位盒]|均价|一律|统一|全部|都是?)" + pt.PRICE.pattern + r"(?:一[杯份个件位盒])?",
    re.I,
)


#: a verb that gives something to a group ("会员再送书签", "学生还享8折"): the clause is a sentence
_GIVES_ZH = re.compile(r"(?:加|另|多)?(?:送|赠|享|领|返|减|免|得|拿|抽|打)")


def _figure(part: str) -> bool:
    """Whether ``part`` gives a figure to show big: a clock time ("open until 2am", "6:30",
    "晚上10点") is not one, it is said as written."""
    rest = pt.DATE_ZH.sub(" ", pt.TIME_EN.sub(" ", part))
    return bool(pt.STAT.search(re.sub(r"\d{1,2}[:：]\d{2}", " ", rest)))


def read_content(
    work: str, quotes: list[str], *, zh: bool, purpose: str, chart: str, steps: bool
) -> dict[str, Any]:
    """The content fields of a brief from the instruction-free text."""
    return ContentReader(work, quotes, zh=zh, purpose=purpose, chart=chart, steps=steps).read()
