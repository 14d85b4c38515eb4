// The details of the segment selected on the timeline.

import { t, valueWord } from "./i18n.js";
import { el, clear, $ } from "./dom.js";
import { secs, segmentText, trackLabel } from "./timeline.js";
import { timeline } from "./player.js";

// the video's own words (shown as written, in any language) as opposed to settings shown in words
const CONTENT_KEYS = new Set(["text", "headline", "subtitle", "prompt", "title", "quote", "by", "label", "src", "media_id", "name"]);

/** An illustration's id ("fluent-emoji-flat:bubble-tea") as words ("bubble tea"). */
export function iconWords(id) {
  const name = String(id).split(":").pop();
  return name.replace(/[-_]+/g, " ").trim() || String(id);
}

export function showDetails(found) {
  const box = $("#details");
  clear(box);
  if (!found) {
    box.hidden = true;
    return;
  }
  const { track, seg } = found;
  const m = seg.m || {};
  const rows = [
    [t("segTrack"), trackLabel(track)],
    [t("segKind"), t(`kind.${seg.k}`)],
    [t("segTime"), `${secs(seg.s || 0)} – ${secs((seg.s || 0) + seg.d)}`],
    [t("segDuration"), secs(seg.d)],
  ];
  const skip = new Set(["palette", "seed", "words"]);
  for (const [k, v] of Object.entries(m)) {
    if (skip.has(k) || v === "" || v === null) continue;
    const label = t(`meta.${k}`);
    if (label.startsWith("meta.") || typeof v === "object") continue; // internal keys stay internal
    const word = valueWord(k, v);
    if (word === null && typeof v !== "string" && typeof v !== "number") continue;
    if (word === null && typeof v === "string" && /^[a-z_]+$/.test(v) && k !== "text" && k !== "headline") continue;
    rows.push([label, word === null ? (k === "icon" ? iconWords(v) : String(v)) : word, CONTENT_KEYS.has(k)]);
  }
  const dl = el("dl", {});
  const content = new Set(rows.filter((r) => r[2]).map((r) => r[0]));
  for (const [k, v] of rows) {
    dl.append(el("div", { class: String(v).length > 60 ? "wide" : "" }, el("dt", {}, k),
      el("dd", { class: content.has(k) ? "content" : "" }, v)));
  }
  if (Array.isArray(m.palette)) {
    dl.append(el("div", {}, el("dt", {}, t("meta.palette")),
      el("dd", { class: "swatches" }, m.palette.filter((c) => /^#[0-9a-f]{6}$/i.test(c)).map((c) =>
        el("span", { class: "swatch", style: `background:${c}`, title: c, "aria-label": c, role: "img" })))));
  }
  box.append(
    el("div", { class: "details-head" },
      el("h3", {}, `${t("segDetails")}: ${segmentText(seg)}`),
      el("button", { type: "button", class: "icon-btn", "aria-label": t("close"), onclick: () => timeline.select(null) }, "×")),
    dl);
  box.hidden = false;
}
