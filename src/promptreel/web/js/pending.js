// A message whose fate is not known: it was sent, but the connection dropped before the server
// answered, so the studio put it back in the box as "not sent". The server's conversation decides:
// when a turn the studio had not seen carries the message, the server took it after all — the box
// lets it go, the bubble loses its "not sent" and the conversation is shown once, as the server has it.

import { chat, state } from "./state.js";
import { takeBack } from "./composer.js";

let pending = null; // {sid, text, known: Set of turn ids the studio had seen, bubble}
let taken = null; // the last one settled as taken: {sid, text}

/** The turn ids of a conversation (the server's messages). */
export function turnIds(messages) {
  return new Set((messages || []).map((m) => m.turn_id).filter(Boolean));
}

/** The text of the message whose fate is not known yet (in session ``sid``), or null. */
export function unsureText(sid) {
  return pending && pending.sid === sid ? pending.text : null;
}

/** Whether ``text`` was the last unsure message of ``sid`` and the server turned out to have it. */
export function takenAfterAll(sid, text) {
  return !!taken && taken.sid === sid && taken.text === text.trim();
}

/** ``text`` went unanswered in session ``sid``; ``known`` are the turns seen before it was sent. */
export function unsure(sid, text, known, bubble) {
  pending = { sid, text: text.trim(), known, bubble };
  taken = null;
}

/** The server's conversation of session ``sid`` was read: settle the unsure message, if any.
 * Returns "taken" (the server has it), "lost" (it does not) or null (nothing to settle). */
export function settle(sid, messages) {
  if (!pending || pending.sid !== sid) return null;
  const p = pending;
  pending = null;
  const had = (messages || []).some(
    (m) => m.role === "user" && m.turn_id && !p.known.has(m.turn_id) && String(m.text || "").trim() === p.text,
  );
  if (!had) return "lost";
  taken = { sid, text: p.text };
  takeBack(p.text);
  chat.sentAfterAll(p.bubble);
  // its reply (or the turn still running) is the server's to show: the conversation as it has it
  if (!state.activeTurn) chat.render(messages);
  return "taken";
}
