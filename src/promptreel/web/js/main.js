// The studio: wires chat, timeline, preview, upload, export and credits to the protocol, and picks the view.

import { t, lang, applyStrings, chooseLang } from "./i18n.js";
import { el, clear, $ } from "./dom.js";
import { api, ApiError, ensureToken, savedSession, saveSession } from "./api.js";
import { showProjects, wireProjects } from "./projects.js";
import { state, video, chat, hasSegments } from "./state.js";
import { notice, dismiss, explain } from "./notices.js";
import { refreshCredits, creditsNotice } from "./credits.js";
import { setDraft, loadState } from "./draft.js";
import { send, reattach } from "./turn.js";
import { timeline, previewStatus, startPreview } from "./player.js";
import { uploads, uploadFiles } from "./uploads.js";
import { exportVideo, share } from "./export.js";
import { claimPage, authPage } from "./pages.js";
import { onReconnect } from "./connection.js";
import { wireFormatPick } from "./topbar.js";
import "./composer.js";

// ---------------------------------------------------------------- projects

function openProjects() {
  showProjects({
    current: state.session && state.session.session_id,
    onOpen: (p) => {
      saveSession({ session_id: p.session_id, task_id: p.task_id, bind_id: (state.session && state.session.bind_id) || "" });
      location.reload();
    },
    onDeleted: (sid) => {
      if (state.session && state.session.session_id === sid) {
        saveSession(null);
        location.reload();
      }
    },
  });
}

// ---------------------------------------------------------------- wiring

function wire() {
  const input = $("#composer-input");
  // off in the page as sent, so that Send pressed before the studio has loaded never reloads the page
  $("#send-btn").disabled = false;
  $("#composer").addEventListener("submit", (e) => {
    e.preventDefault();
    send(input.value);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      send(input.value);
    }
  });
  $("#show-tools").addEventListener("change", (e) => $("#messages").classList.toggle("show-tools", e.target.checked));
  $("#export-btn").addEventListener("click", exportVideo);
  $("#undo-btn").addEventListener("click", () => send(lang === "zh" ? "撤销" : "undo"));
  $("#redo-btn").addEventListener("click", () => send(lang === "zh" ? "重做" : "redo"));
  $("#share-btn").addEventListener("click", share);
  wireProjects(openProjects);
  wireFormatPick();
  $("#lang-btn").addEventListener("click", () => {
    chooseLang(lang === "zh" ? "en" : "zh");
    location.reload();
  });
  $("#new-project").addEventListener("click", () => {
    if (state.busy) return;
    if (hasSegments(state.draft) && !window.confirm(t("newProjectConfirm"))) return;
    state.session = null;
    saveSession(null);
    chat.useSession(null);
    state.previewFor = null;
    state.previewGen++;
    video.removeAttribute("src");
    video.load();
    previewStatus.textContent = "";
    $("#export-box").hidden = true;
    clear(uploads);
    state.uploads = [];
    state.version = 0;
    setDraft(null);
    input.focus();
  });
  $("#file-input").addEventListener("change", (e) => {
    const files = [...e.target.files];
    e.target.value = "";
    if (files.length) uploadFiles(files);
  });
  const zone = $("#dropzone");
  let depth = 0;
  const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes("Files");
  document.addEventListener("dragenter", (e) => {
    if (!hasFiles(e) || state.readOnly) return;
    depth++;
    zone.hidden = false;
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) zone.hidden = true;
  });
  document.addEventListener("dragover", (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  document.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    zone.hidden = true;
    const files = [...e.dataTransfer.files];
    if (files.length) uploadFiles(files);
  });
  const ex = $("#examples");
  for (const k of ["example1", "example2", "example3"]) {
    ex.append(el("li", {}, el("button", { type: "button", class: "chip", onclick: () => send(t(k)) }, t(k))));
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refreshCredits();
  });
  // What is above or around the conversation changes size (a notice, a vertical preview, the
  // working line): the newest message stays in view when it was, in the list and, on a phone, where
  // the page scrolls, in the window.
  if (window.ResizeObserver) {
    const keep = new ResizeObserver(() => chat.keepNewestInView());
    for (const sel of ["#notices", ".stage", "#messages"]) keep.observe($(sel));
  }
  setInterval(() => {
    if (!document.hidden) refreshCredits();
  }, 30_000);
}

/** The server answers again after it could not be reached: show the project as it has it now. */
async function reconnected() {
  dismiss("network");
  refreshCredits();
  if (!state.session || state.busy) return;
  try {
    await loadState();
    if (state.activeTurn) {
      await reattach();
      return;
    }
    chat.render(state.messages);
    if (hasSegments(state.draft)) startPreview();
  } catch (e) {
    explain(e);
  }
}

// ---------------------------------------------------------------- pages

async function studioPage() {
  wire();
  onReconnect(reconnected);
  setDraft(null);
  const setup = notice("setup", "info", t("settingUp"));
  try {
    await ensureToken();
    setup.remove();
  } catch (e) {
    setup.remove();
    explain(e);
    document.body.dataset.ready = "1";
    return;
  }
  api.me().then((me) => {
    state.account = me;
    creditsNotice();
  }).catch(() => {});
  await refreshCredits();
  state.session = savedSession();
  if (state.session) {
    chat.useSession(state.session.session_id);
    try {
      const d = await loadState();
      if (state.activeTurn) {
        document.body.dataset.ready = "1";
        await reattach();
        return;
      }
      chat.render(state.messages);
      if (hasSegments(d)) startPreview();
    } catch (e) {
      if (e instanceof ApiError && e.code === 1002) {
        state.session = null;
        saveSession(null);
        chat.useSession(null);
      } else explain(e);
    }
  }
  document.body.dataset.ready = "1";
}

applyStrings();
const path = location.pathname.replace(/\/+$/, "") || "/";
if (path === "/workspace/claim") claimPage();
else if (path === "/register") authPage("register");
else if (path === "/signin") authPage("signin");
else studioPage();

// Exposed for tests and debugging (read-only view of the studio's state).
window.promptreelStudio = { state, timeline };
