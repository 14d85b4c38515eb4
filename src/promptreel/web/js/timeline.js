// The timeline: tracks as lanes, segments drawn to scale, a playhead, the one-line summary.

import { t, valueWord } from "./i18n.js";
import { el, clear } from "./dom.js";

const TYPE_NAME = { 0: "video", 1: "audio", 7: "text" };

export function clock(ms) {
  const v = Math.max(0, Math.round(ms / 100)) / 10;
  const m = Math.floor(v / 60);
  const s = v - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, "0")}`;
}

export function secs(ms) {
  const whole = Math.floor(ms / 1000);
  const rest = ms % 1000;
  if (!rest) return `${whole}s`;
  return `${whole}.${String(rest).padStart(3, "0").replace(/0+$/, "")}s`;
}

export function draftDuration(draft) {
  if (!draft) return 0;
  let end = 0;
  for (const tr of draft.t || []) for (const s of tr.sg || []) end = Math.max(end, (s.s || 0) + (s.d || 0));
  return end;
}

export function segmentText(s) {
  const m = s.m || {};
  const style = typeof m.style === "string" ? valueWord("style", m.style) || m.style : "";
  // music named after its style ("happy") reads as the style does, in the interface's language
  const named = s.n && !(style && String(s.n).toLowerCase() === String(m.style).toLowerCase()) ? s.n : "";
  let text = named || m.headline || m.text || style || s.k || "";
  text = String(text);
  return text;
}

function short(text, n = 40) {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

export function trackLabel(tr) {
  if (t(`track.${tr.r}`) !== `track.${tr.r}`) return t(`track.${tr.r}`);
  return t(`track.${{ 0: "scenes", 1: "sfx", 7: "overlays" }[tr.tt] || "overlays"}`);
}

/** The one-line summary (mirrors draft/query.py) in the UI's language. */
export function summary(draft) {
  const tracks = (draft && draft.t) || [];
  const parts = tracks.map((tr, i) => {
    const label = trackLabel(tr);
    const segs = tr.sg || [];
    if (!segs.length) return `${i + 1}. ${label}: ${t("summaryEmpty")}`;
    const start = Math.min(...segs.map((s) => s.s || 0));
    const end = Math.max(...segs.map((s) => (s.s || 0) + s.d));
    const span = `${secs(start).replace(/s$/, "")}-${secs(end)}`;
    let what;
    if (tr.tt === 7 && segs.length === 1) what = `"${short(segmentText(segs[0]))}"`;
    else if (tr.r === "captions" || tr.tt === 7) what = t(tr.r === "captions" ? "nCaptions" : "nTexts", { n: segs.length });
    else if (segs.length === 1) what = short(segmentText(segs[0]));
    else if (tr.r === "narration") what = t("nLines", { n: segs.length });
    else what = t(tr.tt === 0 ? "nScenes" : "nClips", { n: segs.length });
    const m = tr.m || {};
    let extra = "";
    if ((tr.tt === 1 && (tr.r === "bgm" || tr.r === "sfx")) || m.muted) {
      const vol = typeof m.volume === "number" ? m.volume : tr.r === "bgm" ? 0.35 : 1;
      extra = m.muted ? `, ${t("muted")}` : `, ${Math.round(vol * 100)}%`;
    }
    if (m.hidden) extra += `, ${t("hiddenFlag")}`;
    return `${i + 1}. ${label}: ${what} (${span}${extra})`;
  });
  return t("timelineSummary", { n: tracks.length, parts: parts.length ? parts.join(" ") : t("summaryEmpty") });
}

function niceStep(durationMs, widthPx) {
  const steps = [250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000];
  for (const s of steps) if ((s / durationMs) * widthPx >= 56) return s;
  return steps[steps.length - 1];
}

export class Timeline {
  constructor(root, { onSeek, onSelect }) {
    this.labels = root.querySelector("#tl-labels");
    this.body = root.querySelector("#tl-body");
    this.ruler = root.querySelector("#tl-ruler");
    this.lanes = root.querySelector("#tl-lanes");
    this.playhead = root.querySelector("#tl-playhead");
    this.root = root;
    this.onSeek = onSeek;
    this.onSelect = onSelect;
    this.draft = null;
    this.duration = 0;
    this.time = 0;
    this.selected = null;
    this.dragging = false;
    this.shown = []; // the stills on the scenes lane, kept while the draft they show is the same
    this.shownFor = null;

    const seekAt = (clientX) => {
      const r = this.lanes.getBoundingClientRect();
      if (!this.duration || r.width <= 0) return;
      const f = Math.min(1, Math.max(0, (clientX - r.left) / r.width));
      this.onSeek(Math.round(f * this.duration));
    };
    this.body.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || !this.duration) return;
      this.dragging = true;
      this.body.setPointerCapture?.(e.pointerId);
      seekAt(e.clientX);
    });
    this.body.addEventListener("pointermove", (e) => {
      if (this.dragging) seekAt(e.clientX);
    });
    const stop = () => {
      this.dragging = false;
    };
    this.body.addEventListener("pointerup", stop);
    this.body.addEventListener("pointercancel", stop);
    this.ruler.addEventListener("keydown", (e) => {
      if (!this.duration) return;
      const big = e.shiftKey ? 5000 : 1000;
      let to = null;
      if (e.key === "ArrowRight" || e.key === "ArrowUp") to = this.time + (e.altKey ? 100 : big);
      else if (e.key === "ArrowLeft" || e.key === "ArrowDown") to = this.time - (e.altKey ? 100 : big);
      else if (e.key === "Home") to = 0;
      else if (e.key === "End") to = this.duration;
      else if (e.key === "PageUp") to = this.time + 10000;
      else if (e.key === "PageDown") to = this.time - 10000;
      if (to !== null) {
        e.preventDefault();
        this.onSeek(Math.min(this.duration, Math.max(0, to)));
      }
    });
    new ResizeObserver(() => this.drawRuler()).observe(this.lanes);
  }

  render(draft) {
    const drawn = JSON.stringify(draft || null);
    if (drawn !== this.shownFor) {
      this.shown = [];
      this.shownFor = drawn;
    }
    this.draft = draft;
    this.duration = draftDuration(draft);
    clear(this.labels);
    clear(this.lanes);
    const tracks = (draft && draft.t) || [];
    this.root.classList.toggle("empty", !tracks.length);
    // every clip stays a comfortable tap target: a long timeline scrolls inside its own box
    const most = Math.max(0, ...tracks.map((tr) => (tr.sg || []).length));
    this.body.style.minWidth = `${Math.max(0, most * 48)}px`;
    this.ruler.setAttribute("aria-valuemax", String(this.duration));
    tracks.forEach((tr, ti) => {
      const type = TYPE_NAME[tr.tt] || "video";
      const label = trackLabel(tr);
      const m = tr.m || {};
      this.labels.append(
        el("div", { class: `tl-label ${type}`, "data-track": tr.id, title: t("trackTip", { name: label }) },
          el("span", { class: "tl-type", "aria-hidden": "true" }, type === "video" ? "▣" : type === "audio" ? "♪" : "T"),
          el("span", { class: "tl-name" }, label),
          m.muted ? el("span", { class: "tl-flag" }, t("muted")) : null,
          m.hidden ? el("span", { class: "tl-flag" }, t("hiddenFlag")) : null),
      );
      const lane = el("div", {
        class: `tl-lane ${type} role-${tr.r || "none"}`,
        role: "group",
        "aria-label": `${ti + 1}. ${label}`,
        "data-track": tr.id,
        "data-role": tr.r || "",
      });
      const numbered = tr.r === "scenes" || (tr.tt === 0 && ti === 0);
      (tr.sg || []).forEach((s, si) => {
        const text = numbered ? `${t("scene", { n: si + 1 })} · ${segmentText(s)}` : segmentText(s);
        const left = this.duration ? (100 * (s.s || 0)) / this.duration : 0;
        const width = this.duration ? (100 * s.d) / this.duration : 0;
        const seg = el("button", {
          type: "button",
          class: `tl-seg kind-${s.k || "x"}`,
          style: `left:${left}%;width:${width}%`,
          "data-seg": s.id,
          "data-start": String(s.s || 0),
          "data-duration": String(s.d),
          "aria-label": `${label}: ${text} (${secs(s.s || 0)}–${secs((s.s || 0) + s.d)})`,
          title: `${text}\n${secs(s.s || 0)} – ${secs((s.s || 0) + s.d)}`,
        }, numbered ? el("span", { class: "tl-thumb", "aria-hidden": "true" }) : null,
        numbered ? el("span", { class: "tl-seg-num", "aria-hidden": "true" }, String(si + 1)) : null,
        el("span", { class: "tl-seg-text" }, numbered ? segmentText(s) : text));
        const pal = s.m && Array.isArray(s.m.palette) ? s.m.palette.filter((c) => /^#[0-9a-f]{6}$/i.test(c)) : [];
        if (pal.length >= 2) seg.style.setProperty("--pal", `linear-gradient(90deg, ${pal.slice(0, 3).join(", ")})`);
        seg.addEventListener("pointerdown", (e) => e.stopPropagation());
        seg.addEventListener("click", (e) => {
          this.select(s.id);
          if (e.detail === 0) this.onSeek(s.s || 0);
          else {
            const r = this.lanes.getBoundingClientRect();
            const f = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
            this.onSeek(Math.round(f * this.duration));
          }
        });
        lane.append(seg);
      });
      this.lanes.append(lane);
    });
    if (this.selected && !this.find(this.selected)) this.select(null);
    else if (this.selected) this.select(this.selected);
    this.drawRuler();
    this.setTime(Math.min(this.time, this.duration));
    // the same draft drawn again (a resize, a layout change) keeps the stills it already has
    for (const [trackId, url, offset, count] of this.shown) this.paintThumbs(trackId, url, offset, count);
  }

  /** The numbered lane (the scenes) whose segments get a small still each. */
  thumbLane() {
    const tracks = (this.draft && this.draft.t) || [];
    const track = tracks.find((tr) => tr.r === "scenes") || (tracks[0] && tracks[0].tt === 0 ? tracks[0] : null);
    return track ? { track, segs: track.sg || [] } : null;
  }

  /** Show frames `offset … offset+count-1` of the scenes lane from one side-by-side sheet at `url`. */
  setThumbs(trackId, url, offset, count) {
    this.shown.push([trackId, url, offset, count]);
    this.paintThumbs(trackId, url, offset, count);
  }

  paintThumbs(trackId, url, offset, count) {
    const lane = this.lanes.querySelector(`.tl-lane[data-track="${CSS.escape(trackId)}"]`);
    if (!lane) return;
    const thumbs = [...lane.querySelectorAll(".tl-thumb")];
    const w = Number(this.draft && this.draft.w) || 16;
    const h = Number(this.draft && this.draft.h) || 9;
    lane.style.setProperty("--thumb-ar", `${w} / ${h}`);
    for (let k = 0; k < count && offset + k < thumbs.length; k++) {
      const th = thumbs[offset + k];
      th.style.backgroundImage = `url("${url}")`;
      th.style.backgroundSize = `${count * 100}% 100%`;
      th.style.backgroundPosition = count > 1 ? `${(100 * k) / (count - 1)}% 0` : "0 0";
      th.classList.add("loaded");
    }
  }

  find(segId) {
    for (const tr of (this.draft && this.draft.t) || []) for (const s of tr.sg || []) if (s.id === segId) return { track: tr, seg: s };
    return null;
  }

  select(segId) {
    this.selected = segId;
    for (const b of this.lanes.querySelectorAll(".tl-seg")) {
      const on = b.dataset.seg === segId;
      b.classList.toggle("selected", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    }
    this.onSelect(segId ? this.find(segId) : null);
  }

  drawRuler() {
    clear(this.ruler);
    const w = this.lanes.getBoundingClientRect().width;
    if (!this.duration || !w) return;
    const step = niceStep(this.duration, w);
    for (let ms = 0; ms <= this.duration; ms += step) {
      this.ruler.append(el("span", { class: "tick", style: `left:${(100 * ms) / this.duration}%` }, secs(ms)));
    }
  }

  setTime(ms) {
    this.time = Math.max(0, Math.min(ms, this.duration || 0));
    const f = this.duration ? this.time / this.duration : 0;
    this.playhead.style.left = `${f * 100}%`;
    this.playhead.hidden = !this.duration;
    this.ruler.setAttribute("aria-valuenow", String(Math.round(this.time)));
    this.ruler.setAttribute("aria-valuetext", clock(this.time));
  }
}
