// Uploads: sending files to the project, listing its stored media, and fit or fill for a photo.

import { t, valueWord } from "./i18n.js";
import { el, $ } from "./dom.js";
import { upload, call } from "./api.js";
import { secs } from "./timeline.js";
import { still, stillPaths } from "./stills.js";
import { state } from "./state.js";
import { explain } from "./notices.js";
import { ensureSession, loadState } from "./draft.js";
import { startPreview } from "./player.js";

export const uploads = $("#uploads");
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
function facts(d) {
  const f = [];
  const kind = d.kind || d.media_kind;
  if (kind) f.push(valueWord("kind", kind) || kind);
  if (d.duration_ms) f.push(secs(Math.round(d.duration_ms)));
  if (d.width && d.height) f.push(`${d.width}×${d.height}`);
  if (d.size) f.push(bytes(d.size));
  return f.join(", ");
}

/** The fit of the timeline's segments showing this upload (null: it is not in the video). */
function fitOf(mediaId) {
  for (const tr of (state.draft && state.draft.t) || []) {
    for (const sg of tr.sg || []) {
      const m = sg.m || {};
      if (sg.k === "media" && (m.media_id === mediaId || m.src === mediaId)) return m.fit === "contain" ? "contain" : "cover";
    }
  }
  return null;
}

/** The project's stored uploads (from the server, so they survive a reload), with pictures and,
 * for a photo in the video, the fit (whole picture) or fill (frame filled) choice. */
export function renderUploads() {
  for (const li of uploads.querySelectorAll("li.stored")) li.remove();
  if (state.readOnly || !state.session) return;
  const sid = state.session.session_id;
  const first = uploads.firstChild;
  for (const m of state.uploads || []) {
    const name = m.name || m.media_id;
    const pic = el("span", { class: `upload-thumb kind-${m.kind}` }, m.kind === "audio" ? el("span", { "aria-hidden": "true" }, "♪") : null);
    if (m.kind === "image" || m.kind === "video") {
      still(stillPaths.upload(sid, m.media_id)).then((url) => {
        pic.append(el("img", { src: url, alt: t("uploadThumb", { name }) }));
      }).catch(() => {});
    }
    const item = el("li", { class: "upload stored ok", "data-media": m.media_id, "data-kind": m.kind || "" },
      pic, el("span", { class: "upload-name" }, t("uploaded", { name, facts: facts(m) })));
    const fit = m.kind === "image" ? fitOf(m.media_id) : null;
    if (fit) {
      item.append(el("div", { class: "fit-choice", role: "group", "aria-label": t("fitLabel") },
        ["contain", "cover"].map((f) => el("button", {
          type: "button",
          class: "btn small ghost",
          "data-fit": f,
          "aria-pressed": String(fit === f),
          title: t(f === "contain" ? "fitContainTip" : "fitCoverTip"),
          onclick: () => setFit(m.media_id, f),
        }, t(f === "contain" ? "fitContain" : "fitCover")))));
    } else {
      item.append(el("button", {
        type: "button",
        class: "btn small ghost",
        onclick: () => {
          const box = $("#composer-input");
          box.value = t("useUploadMsg", { name });
          box.focus();
        },
      }, t("useUpload")));
    }
    uploads.insertBefore(item, first);
  }
}

/** Fit or fill a photo on the timeline: a new version (undo takes it back), then a fresh preview. */
export async function setFit(mediaId, fit) {
  if (!state.session || state.busy || state.readOnly || fitOf(mediaId) === fit) return;
  try {
    await call("POST", `/api/projects/me/${encodeURIComponent(state.session.session_id)}/media-fit`, { media_id: mediaId, fit });
    await loadState();
    startPreview();
  } catch (e) {
    explain(e);
  }
}

export async function uploadFiles(files) {
  if (state.readOnly) return;
  let session;
  try {
    session = await ensureSession(files[0] && files[0].name);
  } catch (e) {
    explain(e);
    return;
  }
  for (const file of files) {
    const bar = el("progress", { max: "1", value: "0", "aria-label": file.name });
    const label = el("span", {}, t("uploading", { name: file.name, pct: 0 }));
    const item = el("li", { class: "upload" }, label, bar);
    item.append(el("button", { type: "button", class: "icon-btn", "aria-label": t("close"), onclick: () => item.remove() }, "×"));
    uploads.append(item);
    try {
      const data = await upload(session.session_id, file, (f) => {
        bar.value = f;
        label.textContent = t("uploading", { name: file.name, pct: Math.round(f * 100) });
      });
      const media = (data && (Array.isArray(data.media) ? data.media[0] : Array.isArray(data.files) ? data.files[0]
        : Array.isArray(data) ? data[0] : data)) || {};
      bar.remove();
      item.classList.add("ok");
      label.textContent = t("uploaded", { name: media.name || media.filename || file.name, facts: facts(media) });
      if (media.media_id) {
        item.remove(); // listed from the server from now on (and after a reload)
        await loadState().catch(() => {});
        continue;
      }
      item.append(el("button", {
        type: "button",
        class: "btn small ghost",
        onclick: () => {
          const box = $("#composer-input");
          box.value = t("useUploadMsg", { name: media.name || media.filename || file.name });
          box.focus();
        },
      }, t("useUpload")));
    } catch (e) {
      bar.remove();
      item.classList.add("bad");
      item.setAttribute("role", "alert");
      const msg = explain(e, { name: file.name });
      label.textContent = msg || t("errGeneric", { msg: `${file.name}: ${e.message}` });
    }
  }
}
