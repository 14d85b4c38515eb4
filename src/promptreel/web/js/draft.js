// The project on screen: its session, its draft (title, timeline, summary), stills and history.

import { t, lang } from "./i18n.js";
import { $ } from "./dom.js";
import { api, saveSession } from "./api.js";
import { summary } from "./timeline.js";
import { still, stillPaths } from "./stills.js";
import { state, video, chat, parseDraft, hasSegments } from "./state.js";
import { creditsNotice } from "./credits.js";
import { timeline, updateClock } from "./player.js";
import { renderUploads } from "./uploads.js";
import { settle } from "./pending.js";

export async function ensureSession(hint) {
  if (state.session) return state.session;
  const title = projectName(hint) || t("untitled");
  const s = await api.createSession(title, lang);
  state.session = { session_id: s.session_id, task_id: s.task_id, bind_id: s.bind_id };
  saveSession(state.session);
  chat.useSession(s.session_id);
  return state.session;
}

/** A new project's name from its first message: up to 60 characters, cut between words with "…". */
export function projectName(text) {
  const words = String(text || "").replace(/\s+/g, " ").trim();
  if ([...words].length <= 60) return words;
  const head = [...words].slice(0, 59).join("");
  const cut = head.lastIndexOf(" ");
  return `${(cut > 30 ? head.slice(0, cut) : head).replace(/[\s,.;:!?，。；：！？-]+$/u, "")}…`;
}

export function setDraft(draft, serverSummary = "") {
  state.draft = draft;
  timeline.render(draft);
  const has = hasSegments(draft);
  $("#summary").textContent = has ? summary(draft) : t("emptyTimeline");
  const title = (draft && draft.m && draft.m.title) || "";
  $("#project-title").textContent = title || t("untitled");
  $("#project-title").title = title; // the whole title, where the bar has room for only its start
  document.title = title ? `${title} · promptreel` : "promptreel studio";
  $("#export-btn").disabled = !has || state.readOnly || state.exporting;
  $("#share-btn").disabled = !has || state.readOnly || !state.session;
  const w = Number(draft && draft.w) || 16;
  const h = Number(draft && draft.h) || 9;
  $("#player").style.setProperty("--ar-w", String(w));
  $("#player").style.setProperty("--ar-h", String(h));
  $("#player").classList.toggle("portrait", h > w);
  $("#player-empty").hidden = !!video.getAttribute("src");
  updateExamples();
  updateClock();
  showStills(draft);
}

/** The example prompts invite a first video: not while a turn runs or one is being reattached.
 * Meanwhile the empty player says that the first video is being made. */
export function updateExamples() {
  const has = hasSegments(state.draft);
  const making = !state.readOnly && (state.busy || !!state.activeTurn);
  $("#examples").hidden = has || state.readOnly || making;
  $("#player-empty p").textContent = has ? t("previewPending") : making ? t("previewMaking") : t("emptyPreview");
}

// ---------------------------------------------------------------- stills (poster, scene thumbnails)

let stillsFor = null;
/** The poster (a representative frame the server draws) and one small still per scene on the timeline. */
function showStills(draft) {
  if (!state.session || state.readOnly || !hasSegments(draft)) {
    stillsFor = null;
    video.removeAttribute("poster");
    $("#player").style.removeProperty("--poster");
    $("#player").classList.remove("has-poster");
    return;
  }
  const sid = state.session.session_id;
  const version = state.version || 0;
  const key = `${sid}:${version}:${JSON.stringify(draft)}`;
  if (key === stillsFor) return;
  stillsFor = key;
  still(stillPaths.poster(sid, version)).then((url) => {
    if (stillsFor !== key) return;
    video.poster = url;
    $("#player").style.setProperty("--poster", `url("${url}")`); // shown while the preview renders
    $("#player").classList.add("has-poster");
  }).catch(() => {});
  const lane = timeline.thumbLane();
  if (!lane || !lane.segs.length) return;
  const times = lane.segs.map((sg) => (sg.s || 0) + sg.d / 2);
  const width = 96;
  for (let i = 0; i < times.length; i += 48) {
    const page = times.slice(i, i + 48);
    still(stillPaths.frames(sid, version, page, width)).then((url) => {
      if (stillsFor === key) timeline.setThumbs(lane.track.id, url, i, page.length);
    }).catch(() => {});
  }
}

let stateSeq = 0;
export async function loadState() {
  if (!state.session) return null;
  const seq = ++stateSeq;
  const data = await api.state(state.session.session_id);
  if (seq !== stateSeq) return state.draft; // a newer read is under way: it wins
  const st = (data && data.state) || {};
  const draft = parseDraft(st.draft);
  if (data && data.bind_id) state.session.bind_id = data.bind_id;
  if (data && data.task_id) state.session.task_id = data.task_id;
  state.canUndo = !!(data && data.can_undo);
  state.canRedo = !!(data && data.can_redo);
  state.activeTurn = (data && data.active_turn) || null;
  state.messages = (data && data.messages) || [];
  state.version = (data && data.version) || 0;
  state.uploads = st.video_infos || [];
  setDraft(draft);
  settle(state.session.session_id, state.messages);
  renderUploads();
  updateHistoryButtons();
  creditsNotice();
  return draft;
}

export function updateHistoryButtons() {
  $("#undo-btn").disabled = !state.canUndo || state.busy || state.readOnly;
  $("#redo-btn").disabled = !state.canRedo || state.busy || state.readOnly;
}
