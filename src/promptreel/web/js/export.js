// Export (an MP4, or a project for a video editor) with its download link, and the share link.

import { t } from "./i18n.js";
import { $ } from "./dom.js";
import { api, ApiError, renderId, call } from "./api.js";
import { secs } from "./timeline.js";
import { state, hasSegments } from "./state.js";
import { notice, explain } from "./notices.js";
import { refreshCredits } from "./credits.js";
import { poll } from "./player.js";
import { bytes } from "./uploads.js";

/** Shows the export box at its start: progress at 0, no link yet; the export button is off. */
function openExportBox() {
  state.exporting = true;
  $("#export-btn").disabled = true;
  const ui = { box: $("#export-box"), text: $("#export-text"), bar: $("#export-progress"), link: $("#download-link") };
  ui.box.hidden = false;
  ui.link.hidden = true;
  ui.bar.hidden = false;
  ui.bar.value = 0;
  ui.text.textContent = t("exportStarting");
  return ui;
}

export async function exportVideo() {
  if (state.readOnly || state.exporting) return;
  if (!state.session || !hasSegments(state.draft)) {
    notice("export-empty", "info", t("exportEmpty"));
    return;
  }
  const fmt = ($("#export-format") && $("#export-format").value) || "mp4";
  if (fmt !== "mp4") return exportProject(fmt);
  const { text, bar, link } = openExportBox();
  try {
    let st = null;
    for (let attempt = 0; attempt < 2 && !st; attempt++) {
      const id = renderId();
      await api.startRender({
        id,
        sessionId: state.session.session_id,
        draft: state.draft,
        output: { format: "mp4", quality: "high" },
      });
      try {
        st = await poll(id, (s) => {
          bar.value = s.progress || 0;
          text.textContent = s.status === "pending" ? t("exportQueued") : t("exportProgress", { pct: Math.round(100 * (s.progress || 0)) });
        });
      } catch (e) {
        if (attempt === 1 || !(e instanceof ApiError) || e.code !== 5002) throw e;
      }
    }
    bar.value = 1;
    bar.hidden = true;
    const out = st.output || {};
    const title = ((state.draft.m && state.draft.m.title) || "promptreel").replace(/[^\p{L}\p{N} _-]+/gu, "").trim() || "promptreel";
    link.href = out.url;
    link.setAttribute("download", `${title}.mp4`);
    link.textContent = t("download");
    delete link.dataset.format;
    link.hidden = false;
    const dur = out.duration ? secs(Math.round(out.duration > 1000 ? out.duration : out.duration * 1000)) : "";
    const size = out.size ? bytes(out.size) : "";
    text.textContent = t("exportDone", { size, duration: dur });
    link.focus();
  } catch (e) {
    bar.hidden = true;
    text.textContent = t("exportFailed", { msg: e.message });
    explain(e);
  } finally {
    state.exporting = false;
    $("#export-btn").disabled = !hasSegments(state.draft);
    refreshCredits();
  }
}

/** A project for a video editor (Premiere, Final Cut, CapCut…): a zip built as a job, polled like a
 * render, downloaded by its signed link. */
const FORMAT_KEYS = { fcp7: "fmtFcp7", fcpxml: "fmtFcpxml", jianying: "fmtJianying", otio: "fmtOtio", edl: "fmtEdl" };

export async function exportProject(fmt) {
  const { text, bar, link } = openExportBox();
  try {
    const id = renderId().replace("render_", "project_");
    await call("POST", "/api/project/export", { id, sessionId: state.session.session_id, draft: state.draft, format: fmt });
    const st = await poll(id, (s) => {
      bar.value = s.progress || 0;
      text.textContent = s.status === "pending" ? t("exportQueued") : t("exportProgress", { pct: Math.round(100 * (s.progress || 0)) });
    });
    bar.value = 1;
    bar.hidden = true;
    const out = st.output || {};
    const title = ((state.draft.m && state.draft.m.title) || "promptreel").replace(/[^\p{L}\p{N} _-]+/gu, "").trim() || "promptreel";
    link.href = out.url;
    link.setAttribute("download", `${title} (${fmt}).zip`);
    link.textContent = t("downloadZip");
    link.dataset.format = fmt;
    link.hidden = false;
    text.textContent = t("exportProjectDone", { label: t(FORMAT_KEYS[fmt] || "fmtOtio"), size: out.size ? bytes(out.size) : "" });
    link.focus();
  } catch (e) {
    bar.hidden = true;
    text.textContent = t("exportFailed", { msg: e.message });
    explain(e);
  } finally {
    state.exporting = false;
    $("#export-btn").disabled = !hasSegments(state.draft);
  }
}

// ---------------------------------------------------------------- share

export async function share() {
  if (!state.session) return;
  try {
    const c = await api.claimToken(state.session.task_id, state.session.session_id);
    const url = `${location.origin}/workspace/claim?ct=${encodeURIComponent(c.claim_token)}`;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      /* no clipboard permission: show the link to copy by hand */
    }
    const box = notice("share", "info", t(copied ? "shareCopied" : "shareReady", { url }));
    box.dataset.url = url;
  } catch (e) {
    notice("share", "error", t("shareFailed", { msg: e.message }));
  }
}
