// The studio: wires chat, timeline, preview, upload, export and credits to the protocol.

import { t, lang, applyStrings, chooseLang, valueWord } from "./i18n.js";
import { el, clear, $ } from "./dom.js";
import { api, ApiError, ensureToken, runTurn, upload, renderId, savedSession, saveSession, call } from "./api.js";
import { Chat, stageFor } from "./chat.js";
import { Timeline, summary, draftDuration, clock, secs, segmentText, trackLabel } from "./timeline.js";
import { still, stillPaths } from "./stills.js";
import { showProjects, wireProjects } from "./projects.js";
import { playLive } from "./livepreview.js";

const PREVIEW_MAX_FPS = 15;
const POLL_MS = 700;
const PREVIEW_POLL_MS = 120; // a preview after an edit takes about a second: look often
const STILL_WORKING_MS = 120_000;
const GIVE_UP_MS = 600_000; // ten minutes of heartbeats only: stop waiting, read the state

const state = {
  session: null, // {session_id, task_id, bind_id}
  draft: null,
  readOnly: false,
  busy: false,
  exporting: false,
  previewGen: 0,
  previewFor: null, // JSON of the draft the current preview shows
  costs: null, // {generate, edit, export, unlimited, signup_credits}
  balance: null, // {available, frozen, total}
  canUndo: false,
  canRedo: false,
};

const video = $("#video");
const chat = new Chat($("#messages"));
const timeline = new Timeline($("#tl"), {
  onSeek: seek,
  onSelect: showDetails,
});

// ---------------------------------------------------------------- notices

const notices = $("#notices");
function notice(id, kind, text, link = null) {
  dismiss(id);
  const box = el("div", { class: `notice ${kind}`, "data-notice": id, role: kind === "error" ? "alert" : "status" },
    el("p", {}, text),
    link ? el("a", { class: "btn small", href: link.href }, link.text) : null,
    el("button", { type: "button", class: "icon-btn", "aria-label": t("close"), onclick: () => box.remove() }, "×"));
  notices.append(box);
  return box;
}
function dismiss(id) {
  for (const n of notices.querySelectorAll(`[data-notice="${id}"]`)) n.remove();
}

function registerLink(data) {
  const bind = (data && data.bind_id) || (state.session && state.session.bind_id) || "";
  return `/register?bind=${encodeURIComponent(bind)}`;
}

/** Explain an API error with the step the protocol's table asks for. Returns true if handled. */
function explain(err, ctx = {}) {
  if (!(err instanceof ApiError)) {
    notice("error", "error", t("errGeneric", { msg: String(err && err.message ? err.message : err) }));
    return;
  }
  const name = ctx.name || "";
  switch (err.code) {
    case 2001: {
      // The server names a registration link only for anonymous users; registered ones top up.
      const anon = !err.data || !!(err.data.register_url || err.data.bind_id);
      notice("credits", "error", `${t("err2001")} ${anon ? t("err2001Anon") : t("err2001User")}`,
        anon ? { href: registerLink(err.data), text: t("register") } : null);
      refreshCredits();
      break;
    }
    case 402:
      notice("export-blocked", "error", t("err402"), { href: registerLink(err.data), text: t("register") });
      break;
    case 4001:
      return t("err4001", { name });
    case 4002:
      return t("err4002", { name });
    case 4090:
      notice("busy", "info", t("errBusy"));
      break;
    case 429:
      notice("rate", "error", t("err429", { s: err.retryAfter || 30 }));
      break;
    case 0:
      notice("network", "error", t("errNetwork"));
      break;
    default:
      notice("error", "error", t("errGeneric", { msg: err.message }));
  }
  return null;
}

// ---------------------------------------------------------------- credits

async function refreshCredits() {
  if (state.readOnly) return;
  try {
    if (!state.costs) state.costs = await api.costs().catch(() => null);
    const b = await api.balance();
    state.balance = b;
    const unlimited = !!(state.costs && state.costs.unlimited);
    $("#credits-value").textContent = unlimited ? t("creditsUnlimited") : String(b.available);
    $("#credits").title = unlimited ? t("creditsUnlimitedTitle") : t("creditsTitle", { available: b.available, frozen: b.frozen });
    $("#credits").classList.toggle("low", !unlimited && b.available < nextCost());
    creditsNotice();
  } catch (e) {
    if (e instanceof ApiError && e.code === 0) $("#credits-value").textContent = "–";
  }
}

/** What the next ordinary message costs: a generation on an empty project, else an edit. */
function nextCost() {
  const c = state.costs;
  if (!c || c.unlimited) return 0;
  return hasSegments(state.draft) ? c.edit : c.generate;
}

/** A notice shown *before* the person tries an action the balance cannot pay for. */
function creditsNotice() {
  const b = state.balance;
  const c = state.costs;
  if (!b || !c || c.unlimited || state.readOnly || b.available >= nextCost()) {
    dismiss("low-credits");
    return;
  }
  const gen = !hasSegments(state.draft);
  const first = gen ? t("lowCreditsGenerate", { cost: c.generate, available: b.available })
    : t("lowCreditsEdit", { cost: c.edit, available: b.available });
  if (state.account && state.account.kind === "registered") {
    notice("low-credits", "warn", `${first} ${t("err2001User")}`);
  } else {
    const more = c.signup_credits ? t("lowCreditsAnon", { grant: c.signup_credits }) : t("lowCreditsAnonNoGrant");
    notice("low-credits", "warn", `${first} ${more}`, { href: registerLink(), text: t("register") });
  }
}

const FREE_MESSAGE = /^\s*(undo|redo|撤销|重做|回退|返回上一步|恢复撤销)\b|\?\s*$|？\s*$/i;

// ---------------------------------------------------------------- session and state

async function ensureSession(hint) {
  if (state.session) return state.session;
  const title = (hint || t("untitled")).slice(0, 60);
  const s = await api.createSession(title, lang);
  state.session = { session_id: s.session_id, task_id: s.task_id, bind_id: s.bind_id };
  saveSession(state.session);
  chat.useSession(s.session_id);
  return state.session;
}

function parseDraft(d) {
  if (!d) return null;
  if (typeof d === "string") {
    try {
      return JSON.parse(d);
    } catch {
      return null;
    }
  }
  return d;
}

function hasSegments(draft) {
  return !!draft && (draft.t || []).some((tr) => (tr.sg || []).length > 0);
}

function setDraft(draft, serverSummary = "") {
  state.draft = draft;
  timeline.render(draft);
  const has = hasSegments(draft);
  $("#summary").textContent = has ? summary(draft) : t("emptyTimeline");
  const title = (draft && draft.m && draft.m.title) || "";
  $("#project-title").textContent = title || t("untitled");
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
  $("#player-empty p").textContent = has ? t("previewPending") : t("emptyPreview");
  updateClock();
  showStills(draft);
}

/** The example prompts invite a first video: not while a turn runs or one is being reattached. */
function updateExamples() {
  $("#examples").hidden = hasSegments(state.draft) || state.readOnly || state.busy || !!state.activeTurn;
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
async function loadState() {
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
  renderUploads();
  updateHistoryButtons();
  creditsNotice();
  return draft;
}

function updateHistoryButtons() {
  $("#undo-btn").disabled = !state.canUndo || state.busy || state.readOnly;
  $("#redo-btn").disabled = !state.canRedo || state.busy || state.readOnly;
}

function describeChanges(before, after) {
  const bt = new Map(((before && before.t) || []).map((tr) => [tr.id, tr]));
  const at = new Map(((after && after.t) || []).map((tr) => [tr.id, tr]));
  const parts = [];
  const added = [...at.keys()].filter((k) => !bt.has(k)).length;
  const removed = [...bt.keys()].filter((k) => !at.has(k)).length;
  const segs = (d) => {
    const m = new Map();
    for (const tr of (d && d.t) || []) for (const s of tr.sg || []) m.set(s.id, JSON.stringify([s.s, s.d, s.n, s.m]));
    return m;
  };
  const bs = segs(before);
  const as = segs(after);
  let changed = 0;
  for (const [k, v] of as) if (bs.get(k) !== v) changed++;
  for (const k of bs.keys()) if (!as.has(k)) changed++;
  if (added) parts.push(t("tracksAdded", { n: added }));
  if (removed) parts.push(t("tracksRemoved", { n: removed }));
  if (changed) parts.push(t("segmentsChanged", { n: changed }));
  return parts.length ? t("changed", { what: parts.join(", ") }) : t("changesNone");
}

// ---------------------------------------------------------------- chat turn

const working = $("#working");
const workingText = $("#working-text");
function setBusy(on, text = t("working")) {
  state.busy = on;
  working.hidden = !on;
  workingText.textContent = text;
  $("#send-btn").disabled = on || state.readOnly;
  $("#composer").setAttribute("aria-busy", on ? "true" : "false");
  updateHistoryButtons();
  updateExamples();
}

const TURN_KEY = (sid) => `promptreel.turn.${sid}`;
function rememberTurn(sid, turnId, last) {
  try {
    if (turnId) localStorage.setItem(TURN_KEY(sid), JSON.stringify({ turn_id: turnId, last }));
    else localStorage.removeItem(TURN_KEY(sid));
  } catch {
    /* only the reattach shortcut is lost */
  }
}


async function send(text) {
  text = text.trim();
  if (!text || state.busy || state.readOnly) return;
  dismiss("error");
  dismiss("busy");
  const b = state.balance;
  const c = state.costs;
  if (b && c && !c.unlimited && !hasSegments(state.draft) && !FREE_MESSAGE.test(text) && b.available < c.generate) {
    // Generation would be refused (2001): say so before sending, with the way forward.
    creditsNotice();
    notice("credits", "error", t("cannotGenerate", { cost: c.generate, available: b.available }),
      state.account && state.account.kind === "registered" ? null : { href: registerLink(), text: t("register") });
    return;
  }
  setBusy(true, state.session ? t("working") : t("starting"));
  let session;
  try {
    session = await ensureSession(text);
  } catch (e) {
    setBusy(false);
    explain(e);
    return;
  }
  chat.add("user", text);
  $("#composer-input").value = "";
  await follow(session, text, null);
}

/**
 * Follow one turn to its end: a new message (resume === null), or a running turn found after a
 * reload (resume = {turn_id, last}). Dropped streams are resumed with Last-Event-ID, never re-sent.
 * The closing line tells the truth: the agent's words, why it failed, or what changed.
 */
async function follow(session, text, resume) {
  setBusy(true, resume ? t("reattaching") : t("working"));
  const before = resume ? null : state.draft;
  let sawText = false;
  let failed = 0;
  let failReason = "";
  let complete = false;
  let lastHeard = Date.now();
  let lastNudge = Date.now();
  const stop = new AbortController();
  let gaveUp = false;
  let turnId = resume ? resume.turn_id : null;
  let lastId = resume ? String(resume.last) : null;
  const still = setInterval(() => {
    const now = Date.now();
    if (now - lastHeard > GIVE_UP_MS) {
      gaveUp = true;
      stop.abort();
    } else if (now - lastHeard > STILL_WORKING_MS && now - lastNudge > STILL_WORKING_MS) {
      workingText.textContent = t("stillWorking");
      lastNudge = now;
    }
  }, 5000);
  const onEvent = (ev) => {
    if (ev.heartbeat) return;
    lastHeard = Date.now();
    lastNudge = lastHeard;
    if (ev.invocation_id) turnId = ev.invocation_id;
    if (ev.id) {
      lastId = String(ev.id);
      rememberTurn(session.session_id, turnId, lastId);
    }
    if (ev.turn_complete) complete = true;
    const parts = (ev.content && ev.content.parts) || [];
    if (ev.error_code) {
      // A failed turn: its text says why (shown below); credits and rights get their next step.
      const code = Number(ev.error_code);
      failed = code;
      failReason = parts.map((p) => p.text || "").join(" ").trim();
      if (code === 2001 || code === 402 || code === 429) explain(new ApiError(code, failReason, { data: ev.data || null }));
    }
    for (const p of parts) {
      if (typeof p.text === "string") {
        if (ev.partial) chat.stream(p.text);
        else chat.final(p.text, failed ? "failed" : "");
        if (p.text.trim()) sawText = true;
      } else if (p.function_call) {
        chat.flush();
        workingText.textContent = stageFor(p.function_call.name);
        chat.tool("call", p.function_call.name, p.function_call.args);
      } else if (p.function_response) {
        chat.tool("response", p.function_response.name, p.function_response.response);
        // Each stage is saved as it finishes: show its lanes live (raw cut first, then post-production).
        loadState().catch(() => {});
      }
    }
  };
  let lost = false;
  try {
    let tries = 0;
    let res = resume
      ? await runTurn(session.session_id, text, onEvent, { lastEventId: lastId, signal: stop.signal })
      : await runTurn(session.session_id, text, onEvent, { signal: stop.signal });
    while (!complete && !gaveUp && tries < 5) {
      // The stream dropped mid-turn: resume the same turn (never re-send the message).
      tries++;
      const from = res.lastEventId || lastId;
      if (!from) break;
      if (tries === 1) workingText.textContent = t("turnLost");
      try {
        res = await runTurn(session.session_id, text, onEvent, { lastEventId: from, signal: stop.signal });
      } catch (e) {
        if (e instanceof ApiError && e.code === 0) await new Promise((r) => setTimeout(r, 2000));
        else throw e;
      }
    }
    lost = !complete;
  } catch (e) {
    chat.flush();
    lost = true;
    if (gaveUp) {
      notice("error", "error", t("gaveUp"));
    } else if (e instanceof ApiError && e.code === 1002) {
      state.session = null;
      saveSession(null);
      notice("error", "error", t("err1002"));
    } else if (e instanceof ApiError && e.code === 2001) {
      explain(e);
      failed = 2001;
      lost = false;
      chat.add("agent", t("turnFailedCredits"), { kind: "failed" });
      sawText = true;
    } else explain(e);
  } finally {
    clearInterval(still);
    chat.flush();
  }
  if (complete || failed) rememberTurn(session.session_id, null);
  try {
    const after = await loadState();
    if (complete && !sawText && state.session) {
      if (failed) chat.add("agent", t("turnFailed", { reason: failReason || `#${failed}` }), { kind: "failed" });
      else if (before !== null) chat.add("agent", t("turnEmpty", { changes: describeChanges(before, after) }));
    }
    if (hasSegments(after) && !failed) startPreview();
    setBusy(false);
    refreshCredits();
    if (lost && state.activeTurn && !gaveUp) {
      // Still running on the server: keep following it.
      await reattach();
      return;
    }
  } catch (e) {
    setBusy(false);
    if (!(e instanceof ApiError && e.code === 1002)) explain(e);
  }
}

/** After a reload (or a lost stream): follow the session's running turn, from where we left it. */
async function reattach() {
  const session = state.session;
  let active = state.activeTurn;
  if (!session || !active || state.busy) return;
  // From the turn's first event: its whole story replays (the conversation above skips it).
  let last = 0;
  setBusy(true, t("reattaching"));
  // Resume from an event of this very turn, so the request can only ever attach, never start one.
  while (!last) {
    if (active.first_event) {
      last = active.first_event;
      break;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    await loadState().catch(() => {});
    active = state.activeTurn;
    if (!active) {
      setBusy(false);
      chat.render(state.messages);
      if (hasSegments(state.draft)) startPreview();
      refreshCredits();
      return;
    }
  }
  chat.render(state.messages, { skipTurn: active.turn_id });
  setBusy(false);
  await follow(session, active.message, { turn_id: active.turn_id, last });
}

// ---------------------------------------------------------------- preview

function previewDraft(draft) {
  // The server renders quality "preview" at a fraction of the canvas; a lower frame rate halves the work.
  return { ...draft, fps: Math.min(draft.fps || 30, PREVIEW_MAX_FPS) };
}

const previewStatus = $("#preview-status");
const previewBar = $("#preview-progress");

async function poll(id, onProgress, gen = null, every = POLL_MS) {
  for (;;) {
    await new Promise((r) => setTimeout(r, every));
    if (gen !== null && gen !== state.previewGen) return null;
    const st = await api.renderStatus(id);
    if (st.status === "completed") return st;
    if (st.status === "failed") throw new ApiError(5002, (st.error && (st.error.message || st.error)) || "render failed");
    onProgress(st);
  }
}

async function startPreview() {
  if (!state.session || !hasSegments(state.draft)) return;
  const key = JSON.stringify(state.draft);
  if (key === state.previewFor) return;
  const gen = ++state.previewGen;
  const id = renderId();
  const player = $("#player");
  if (video.getAttribute("src")) {
    player.classList.add("stale");
    player.dataset.stale = t("previewUpdating");
  }
  previewStatus.textContent = t("previewQueued");
  previewBar.hidden = false;
  previewBar.firstElementChild.style.width = "0%";
  try {
    await api.startRender({
      id,
      sessionId: state.session.session_id,
      draft: previewDraft(state.draft),
      output: { format: "mp4", quality: "preview" },
    });
    let live = false; // playing the preview while it renders (its stream), before the file is done
    const st = await poll(id, (s) => {
      const pct = Math.round(100 * (s.progress || 0));
      previewStatus.textContent = s.status === "pending" ? t("previewQueued") : t("previewRendering", { pct });
      previewBar.firstElementChild.style.width = `${pct}%`;
      if (s.stream_url && !live) {
        live = true; // the first frames play as the render writes them
        playLive(video, s.stream_url, () => gen !== state.previewGen || state.previewFor === key).catch(() => {});
        $("#player-empty").hidden = true;
        player.classList.remove("stale");
      }
    }, gen, PREVIEW_POLL_MS);
    if (!st) return;
    state.previewFor = key;
    showPreview(st.output.url, { from: live ? Math.round(video.currentTime * 1000) : timeline.time, play: live && !video.paused });
    previewStatus.textContent = t("previewReady");
    previewStatus.title = "";
  } catch (e) {
    if (gen !== state.previewGen) return;
    if (e instanceof ApiError && (e.code === 402 || e.code === 2001)) explain(e);
    previewStatus.textContent = t("previewFailed");
    previewStatus.title = e.message;
  } finally {
    if (gen === state.previewGen) {
      previewBar.hidden = true;
      player.classList.remove("stale");
    }
  }
}

/** Put the finished preview in the player at ``from`` ms, playing on if ``play`` (the live
 * stream was playing). */
function showPreview(url, { from = 0, play = false } = {}) {
  video.src = url;
  video.addEventListener("loadedmetadata", () => {
    if (from && from / 1000 < video.duration) video.currentTime = from / 1000;
    else if (!video.getAttribute("poster")) showRepresentativeFrame();
    if (play) video.play().catch(() => {});
  }, { once: true });
  $("#player-empty").hidden = true;
}

/** Frame 0 is often a blank fade-in: show a frame from inside the first scene until playback starts. */
let posterAt = null;
function showRepresentativeFrame() {
  const scenes = ((state.draft && state.draft.t) || []).find((tr) => tr.r === "scenes" && (tr.sg || []).length);
  const first = scenes ? scenes.sg[0] : null;
  const ms = first ? (first.s || 0) + Math.min(first.d * 0.6, 2500) : Math.min(1500, (video.duration || 0) * 500);
  if (!(ms > 0) || ms / 1000 >= video.duration) return;
  posterAt = ms / 1000;
  video.currentTime = posterAt;
}
video.addEventListener("play", () => {
  if (posterAt !== null && Math.abs(video.currentTime - posterAt) < 0.05) video.currentTime = 0;
  posterAt = null;
});

function updateClock() {
  const total = draftDuration(state.draft);
  $("#timecode").textContent = `${clock(timeline.time)} / ${clock(total)}`;
}

function seek(ms) {
  posterAt = null;
  timeline.setTime(ms);
  if (video.getAttribute("src") && Number.isFinite(video.duration)) {
    video.currentTime = Math.min(ms / 1000, video.duration);
  }
  updateClock();
}

function followVideo() {
  timeline.setTime(Math.round(video.currentTime * 1000));
  updateClock();
  if (!video.paused && !video.ended) requestAnimationFrame(followVideo);
}
video.addEventListener("play", () => requestAnimationFrame(followVideo));
video.addEventListener("timeupdate", followVideo);
video.addEventListener("seeked", followVideo);

// ---------------------------------------------------------------- details

// the video's own words (shown as written, in any language) as opposed to settings shown in words
const CONTENT_KEYS = new Set(["text", "headline", "subtitle", "prompt", "title", "quote", "by", "label", "src", "media_id", "name"]);

function showDetails(found) {
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
    rows.push([label, word === null ? String(v) : word, CONTENT_KEYS.has(k)]);
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

// ---------------------------------------------------------------- upload

const uploads = $("#uploads");
function bytes(n) {
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
function renderUploads() {
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
async function setFit(mediaId, fit) {
  if (!state.session || state.busy || state.readOnly || fitOf(mediaId) === fit) return;
  try {
    await call("POST", `/api/projects/me/${encodeURIComponent(state.session.session_id)}/media-fit`, { media_id: mediaId, fit });
    await loadState();
    startPreview();
  } catch (e) {
    explain(e);
  }
}

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

async function uploadFiles(files) {
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

// ---------------------------------------------------------------- export

async function exportVideo() {
  if (state.readOnly || state.exporting) return;
  if (!state.session || !hasSegments(state.draft)) {
    notice("export-empty", "info", t("exportEmpty"));
    return;
  }
  const fmt = ($("#export-format") && $("#export-format").value) || "mp4";
  if (fmt !== "mp4") return exportProject(fmt);
  state.exporting = true;
  $("#export-btn").disabled = true;
  const box = $("#export-box");
  const text = $("#export-text");
  const bar = $("#export-progress");
  const link = $("#download-link");
  box.hidden = false;
  link.hidden = true;
  bar.hidden = false;
  bar.value = 0;
  text.textContent = t("exportStarting");
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

async function exportProject(fmt) {
  state.exporting = true;
  $("#export-btn").disabled = true;
  const box = $("#export-box");
  const text = $("#export-text");
  const bar = $("#export-progress");
  const link = $("#download-link");
  box.hidden = false;
  link.hidden = true;
  bar.hidden = false;
  bar.value = 0;
  text.textContent = t("exportStarting");
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

async function share() {
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

// ---------------------------------------------------------------- wiring

function wire() {
  const input = $("#composer-input");
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
  setInterval(() => {
    if (!document.hidden) refreshCredits();
  }, 30_000);
}

// ---------------------------------------------------------------- pages

async function studioPage() {
  wire();
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

async function claimPage() {
  state.readOnly = true;
  document.body.classList.add("readonly");
  $("#readonly-badge").hidden = false;
  $("#composer").hidden = true;
  $("#new-project").hidden = true;
  $("#projects-btn").hidden = true;
  $("#settings-link").hidden = true;
  $("#credits").hidden = true;
  $("#show-tools").closest("label").hidden = true;
  $("#export-btn").hidden = true;
  $("#examples").hidden = true;
  setDraft(null);
  const ct = new URLSearchParams(location.search).get("ct") || "";
  // Take the claim token out of the address bar (and any later Referer) once it has been read.
  history.replaceState(null, "", "/workspace/claim");
  const loading = notice("claim", "info", t("claimLoading"));
  try {
    if (!ct) throw new ApiError(1001, "missing claim token");
    const data = await call("GET", `/api/claim/${encodeURIComponent(ct)}`, undefined, { auth: false });
    loading.remove();
    const st = (data && data.state) || {};
    setDraft(parseDraft(st.draft), data.summary || "");
    if (data.task_name) $("#project-title").textContent = (st.draft && st.draft.m && st.draft.m.title) || data.task_name;
    // The newest finished render of this project plays in the read-only view (signed link, no token).
    const done = (st.generated_media || []).filter((r) => r && r.status === "completed" && r.output && r.output.url);
    const best = done.filter((r) => r.quality !== "preview").pop() || done.pop();
    if (best) {
      video.src = best.output.url;
      $("#player-empty").hidden = true;
    }
    notice("claim-hint", "info", t("claimHint"), { href: "/", text: t("openStudio") });
  } catch (e) {
    loading.remove();
    notice("claim", "error", t("claimInvalid"), { href: "/", text: t("openStudio") });
  }
  document.body.dataset.ready = "1";
}

async function authPage(kind) {
  $("#studio").hidden = true;
  $("#auth-page").hidden = false;
  for (const id of ["#new-project", "#projects-btn", "#settings-link", "#export-btn", "#project-title"]) $(id).hidden = true;
  document.title = `${t(`${kind}Title`)} · promptreel`;
  const bind = new URLSearchParams(location.search).get("bind") || "";
  $("#auth-heading").textContent = t(`${kind}Title`);
  $("#auth-intro").textContent = t(`${kind}Intro`);
  $("#auth-submit").textContent = t(`${kind}Submit`);
  $("#auth-username").setAttribute("autocomplete", "username");
  $("#auth-password").setAttribute("autocomplete", kind === "register" ? "new-password" : "current-password");
  if (kind === "register") {
    // the server's rule (and the API schema's): 3-64 letters, digits, '.', '-' or '_'
    $("#auth-username").setAttribute("pattern", "[A-Za-z0-9._\\-]{3,64}");
    $("#auth-username").setAttribute("title", t("usernameRule"));
  }
  refreshCredits();
  $("#auth-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const err = $("#auth-error");
    err.textContent = "";
    const body = { username: $("#auth-username").value.trim(), password: $("#auth-password").value };
    if (kind === "register" && bind) body.bind_id = bind;
    try {
      const data = await call("POST", kind === "register" ? "/api/auth/register" : "/api/auth/login", body,
        { auth: kind === "register" });
      if (data && data.token) localStorage.setItem("promptreel.token", JSON.stringify({ token: data.token, expires_at: data.expires_at || null }));
      err.textContent = t(`${kind}Done`);
      setTimeout(() => location.assign("/"), 800);
    } catch (ex) {
      err.textContent = ex instanceof ApiError && (ex.status === 404 || ex.status === 405) ? t("authUnavailable") : ex.message;
    }
  });
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
