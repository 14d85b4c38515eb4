// A chat turn: send a message, follow the agent's stream to its end, reattach after a reload.

import { t } from "./i18n.js";
import { $ } from "./dom.js";
import { ApiError, runTurn, saveSession } from "./api.js";
import { stageFor } from "./chat.js";
import { state, chat, hasSegments, POLL_MS } from "./state.js";
import { notice, dismiss, registerLink, explain } from "./notices.js";
import { refreshCredits, creditsNotice } from "./credits.js";
import { ensureSession, loadState, updateHistoryButtons, updateExamples } from "./draft.js";
import { startPreview } from "./player.js";
import { tooLong, putBack, clearUnsent, sent, updateCount } from "./composer.js";
import { unsure, unsureText, takenAfterAll, turnIds } from "./pending.js";

const STILL_WORKING_MS = 120_000;
const GIVE_UP_MS = 600_000; // ten minutes of heartbeats only: stop waiting, read the state

const FREE_MESSAGE = /^\s*(undo|redo|撤销|重做|回退|返回上一步|恢复撤销)\b|\?\s*$|？\s*$/i;

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

const working = $("#working");
const workingText = $("#working-text");
export function setBusy(on, text = t("working")) {
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

export async function send(text) {
  text = text.trim();
  if (!text && !state.busy && !state.readOnly) $("#composer-input").focus(); // nothing to send: the box to type in
  if (!text || state.busy || state.readOnly) return;
  if (tooLong(text)) {
    // Over the limit: the box says by how much; nothing is sent.
    updateCount();
    $("#composer-input").focus();
    return;
  }
  const sid = state.session && state.session.session_id;
  if (sid && unsureText(sid) === text.trim()) {
    // Sent again while its first sending is not settled: ask the server first, never send it twice.
    setBusy(true);
    await loadState().catch(() => {}); // still unreachable: it is sent as asked, and fails as before
    setBusy(false);
    if (takenAfterAll(sid, text)) return;
  }
  dismiss("error");
  dismiss("busy");
  clearUnsent();
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
    if (isBoxText(text)) putBack(text); // still in the box: say it was not sent
    return;
  }
  const fromBox = isBoxText(text);
  const known = turnIds(state.messages);
  // typed in the box: the conversation comes into view (Undo by the preview leaves the page as it is)
  const bubble = chat.add("user", text, { force: fromBox });
  if (fromBox) sent(text);
  await follow(session, text, null, {
    // The server never took the message (unreachable, busy, refused): it goes back in the box.
    // Or it took it and the connection dropped before it answered: the next read of the
    // conversation settles which (pending.js).
    notTaken: () => {
      chat.unsent(bubble);
      if (fromBox) putBack(text);
      unsure(session.session_id, text, known, bubble);
    },
  });
}

function isBoxText(text) {
  return $("#composer-input").value.trim() === text;
}

/**
 * Follow one turn to its end: a new message (resume === null), or a running turn found after a
 * reload (resume = {turn_id, last}). Dropped streams are resumed with Last-Event-ID, never re-sent.
 * The closing line tells the truth: the agent's words, why it failed, or what changed.
 */
export async function follow(session, text, resume, { notTaken = null } = {}) {
  setBusy(true, resume ? t("reattaching") : t("working"));
  let taken = !!resume; // the server answered with the turn's stream: it has the message
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
      : await runTurn(session.session_id, text, onEvent, { signal: stop.signal, onOpen: () => { taken = true; } });
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
  if (!taken && notTaken) notTaken();
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
export async function reattach() {
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
