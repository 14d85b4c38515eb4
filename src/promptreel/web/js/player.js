// The player: the preview render (played live while it renders), the playhead and the timeline it drives.

import { t } from "./i18n.js";
import { $ } from "./dom.js";
import { api, ApiError, renderId } from "./api.js";
import { Timeline, draftDuration, clock } from "./timeline.js";
import { playLive } from "./livepreview.js";
import { state, video, hasSegments, POLL_MS } from "./state.js";
import { explain } from "./notices.js";
import { showDetails } from "./details.js";

const PREVIEW_MAX_FPS = 15;
const PREVIEW_POLL_MS = 120; // a preview after an edit takes about a second: look often

export const timeline = new Timeline($("#tl"), {
  onSeek: seek,
  onSelect: showDetails,
});

function previewDraft(draft) {
  // The server renders quality "preview" at a fraction of the canvas; a lower frame rate halves the work.
  return { ...draft, fps: Math.min(draft.fps || 30, PREVIEW_MAX_FPS) };
}

export const previewStatus = $("#preview-status");
const previewBar = $("#preview-progress");

export async function poll(id, onProgress, gen = null, every = POLL_MS) {
  for (;;) {
    await new Promise((r) => setTimeout(r, every));
    if (gen !== null && gen !== state.previewGen) return null;
    const st = await api.renderStatus(id);
    if (st.status === "completed") return st;
    if (st.status === "failed") throw new ApiError(5002, (st.error && (st.error.message || st.error)) || "render failed");
    onProgress(st);
  }
}

export async function startPreview() {
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
export function showPreview(url, { from = 0, play = false } = {}) {
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

export function updateClock() {
  const total = draftDuration(state.draft);
  $("#timecode").textContent = `${clock(timeline.time)} / ${clock(total)}`;
}

export function seek(ms) {
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
